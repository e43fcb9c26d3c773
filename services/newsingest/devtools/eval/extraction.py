"""Main-text extraction from whole pages: the clean stage beside trafilatura, on the same pages in one run.

    newsingest eval extraction [DATASET_DIR…] [--no-baseline]

Three kinds of dataset folder are read (default: all under ``../shared/eval/extraction``):

* **zyte-aeb** (``ground-truth.json`` + ``html/*.html.gz``), scored as the benchmark's
  ``evaluate.py`` does: word tokens ``\\w+``, multisets of 4-gram shingles (a text shorter than
  four tokens is one shingle), per page tp/fp/fn; precision is the mean over pages that predicted
  something, recall the mean over pages with gold text, F1 their harmonic mean.
* **CleanEval-style** (``input/*.html`` + ``GoldStandard/*.txt``, e.g. CleanPortalEval), scored as
  ``cleaneval.py`` does in its unlabelled mode (``-u``): the ``URL:`` line dropped, every segment
  marked ``<p>``, whitespace-split words aligned with ``difflib.SequenceMatcher``; P, R and F per
  page, macro-averaged. Both systems' paragraphs are given ``<p>`` markers, and their extracted
  title goes first, as the gold texts start with the headline. One correction to the data: HTML
  entities left in the gold files (``&#8217;``) are decoded, for both systems alike.
* **WCXB** (``ground-truth/*.json`` + ``html/*.html.gz``), scored as the benchmark's ``evaluate.py``
  does: lower-cased ``\\w+`` words as bags, precision, recall and F1 per page (an empty prediction
  scores 0), each averaged over pages. Its gold title, author and publish date are also compared
  with each system's page metadata: the share of pages where the title (words, case-folded), the
  set of author names (split at commas, semicolons, "&", "|", "and") and the day (``YYYY-MM-DD`` as
  the page writes it) agree with the gold; a page without a gold author or date counts as right when
  the system gives none either.

Each system gets the same decoded page string; pages/s counts only the extraction calls (after one
warm-up page each, so one-off model loading is not charged to either), and the systems take turns
page by page, so a change in the machine's load weighs on both alike. On a set with gold metadata
trafilatura also reads the page's metadata (``bare_extraction(with_metadata=True)``), as the clean
stage always does.
"""

from __future__ import annotations

import argparse
import gzip
import html
import logging
import os
import platform
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from statistics import mean

import orjson

from newsingest.devtools.corpora import shared_dir
from newsingest.stages.clean.transform import clean

_TOKEN = re.compile(r"\w+")
_SHINGLE = 4
_URL_LINE = re.compile(r"^\s*URL.*$", re.MULTILINE)
_SEGMENT_TAG = re.compile(r"<[phl]>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f]+")
_SPACES = re.compile(r"\s+")

_NAME_SEPARATORS = re.compile(r"\s*(?:[,;&|]|\band\b)\s*", re.IGNORECASE)
META_FIELDS = ("title", "authors", "date")


@dataclass(frozen=True)
class Extracted:
    """A system's main text (after its title when asked) and what it read of the page's metadata."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # as the page writes it (ISO 8601); its first ten characters are the day


Extractor = Callable[[str, bool, bool], Extracted]  # (page, with its title, with metadata) → extracted


@dataclass(frozen=True)
class Page:
    key: str
    html: str
    gold: str
    meta: dict[str, str | None] | None = None  # gold title, author, date (WCXB)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Dataset:
    name: str
    pages: list[Page]
    score: Callable[[list[Page], list[str]], Score]
    with_title: bool = False  # the gold text starts with the headline
    with_meta: bool = False  # pages carry gold title, author and date


# --- zyte-aeb: word 4-gram shingles --------------------------------------------------------------


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + _SHINGLE]) for i in range(max(1, len(tokens) - _SHINGLE + 1)) if tokens[i : i + _SHINGLE])


def shingle_counts(gold: str, predicted: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of ``predicted``'s word 4-gram multiset against ``gold``'s."""
    truth, guess = _shingles(gold), _shingles(predicted)
    tp = sum((truth & guess).values())
    return tp, sum(guess.values()) - tp, sum(truth.values()) - tp


def _ratio(hits: int, wrong: int, other: int) -> float:
    if wrong == other == 0:
        return 1.0
    return hits / (hits + wrong) if hits + wrong else 0.0


def shingle_score(pages: list[Page], predictions: list[str]) -> Score:
    """Macro precision/recall/F1 as zyte-aeb's evaluate.py computes them."""
    counts = [shingle_counts(page.gold, text) for page, text in zip(pages, predictions, strict=True)]
    precision = mean([_ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0] or [0.0])
    recall = mean([_ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0] or [0.0])
    return Score(precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0)


# --- CleanEval: aligned words ---------------------------------------------------------------------


def _cleaneval_words(text: str) -> list[str]:
    text = _SPACES.sub(" ", _SEGMENT_TAG.sub("\n<p> ", _CONTROL.sub(" ", _URL_LINE.sub("", text))))
    return _SPACES.split(text)  # as cleaneval.py: an edge space yields an empty "word" on both sides


def cleaneval_page(gold: str, predicted: str) -> tuple[float, float, float]:
    """(P, R, F) of one page as cleaneval.py -u computes them (segment markers count as words)."""
    text, truth = _cleaneval_words(predicted), _cleaneval_words(gold)
    tp = sum(block.size for block in SequenceMatcher(None, text, truth).get_matching_blocks())
    precision, recall = tp / (len(text) or 1), tp / (len(truth) or 1)
    return precision, recall, 2 * precision * recall / ((precision + recall) or 1)


def cleaneval_score(pages: list[Page], predictions: list[str]) -> Score:
    """Macro-averaged P, R and F over pages (CleanEval's summary; F is the mean of per-page F)."""
    rows = [cleaneval_page(page.gold, text) for page, text in zip(pages, predictions, strict=True)]
    return Score(*(mean(column) for column in zip(*rows, strict=True)))


def marked_paragraphs(text: str) -> str:
    """Paragraphs (blank-line or line separated) each led by a ``<p>`` marker, as CleanEval output is."""
    return "\n".join(f"<p> {line}" for line in text.splitlines() if line.strip())


# --- WCXB: bags of words, and page metadata ---------------------------------------------------------


def bag_of_words_page(gold: str, predicted: str) -> tuple[float, float, float]:
    """(P, R, F1) of one page as WCXB's evaluate.py computes them (lower-cased ``\\w+`` multisets)."""
    truth, guess = _TOKEN.findall(gold.lower()), _TOKEN.findall(predicted.lower())
    if not truth:
        return (1.0, 1.0, 1.0) if not guess else (0.0, 0.0, 0.0)
    if not guess:
        return 0.0, 0.0, 0.0
    overlap = sum((Counter(truth) & Counter(guess)).values())
    precision, recall = overlap / len(guess), overlap / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall) if overlap else 0.0


def bag_of_words_score(pages: list[Page], predictions: list[str]) -> Score:
    """P, R and F1 each averaged over pages (WCXB's summary)."""
    rows = [bag_of_words_page(page.gold, text) for page, text in zip(pages, predictions, strict=True)]
    return Score(*(mean(column) for column in zip(*rows, strict=True)))


def _words(text: str | None) -> str:
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def _names(names: list[str] | str | None) -> set[str]:
    parts = [names] if isinstance(names, str) else names or []
    return {folded for part in parts for name in _NAME_SEPARATORS.split(part) if (folded := _words(name))}


def metadata_hits(gold: dict[str, str | None], found: Extracted) -> dict[str, bool]:
    """Which of title, authors and date ``found`` gets right against ``gold`` (see the module docstring)."""
    return {
        "title": bool(gold.get("title")) and _words(found.title) == _words(gold.get("title")),
        "authors": _names(found.authors) == _names(gold.get("author")),
        "date": (found.date or "")[:10] == (gold.get("date") or "")[:10],
    }


def metadata_accuracy(pages: list[Page], found: list[Extracted]) -> dict[str, float]:
    """Share of pages whose title, authors and date each agree with the gold."""
    hits = [metadata_hits(page.meta or {}, extracted) for page, extracted in zip(pages, found, strict=True)]
    return {name: mean(hit[name] for hit in hits) for name in META_FIELDS}


# --- datasets ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _wcxb_page(path: Path, folder: Path) -> Page:
    data = orjson.loads(path.read_bytes())
    gold = data.get("ground_truth") or {}
    page = _decode(gzip.decompress((folder / "html" / f"{path.stem}.html.gz").read_bytes()))
    meta = {"title": gold.get("title"), "author": gold.get("author"), "date": gold.get("publish_date")}
    return Page(path.stem, page, gold.get("main_content") or "", meta)


def load_dataset(folder: Path) -> Dataset:
    """A zyte-aeb, CleanEval-style or WCXB folder (see the module docstring)."""
    if (folder / "ground-truth.json").exists():
        gold = orjson.loads((folder / "ground-truth.json").read_bytes())
        pages = [
            Page(key, _decode(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())), gold[key].get("articleBody") or "")
            for key in sorted(gold)
        ]
        return Dataset(folder.name, pages, shingle_score)
    if (folder / "GoldStandard").is_dir() and (folder / "input").is_dir():
        pages = [
            Page(path.stem, _decode(path.read_bytes()), html.unescape(_decode(gold.read_bytes())))
            for path in sorted((folder / "input").glob("*.html"))
            if (gold := folder / "GoldStandard" / f"{path.stem}.txt").exists()
        ]
        return Dataset(folder.name, pages, lambda pages, texts: cleaneval_score(pages, [marked_paragraphs(t) for t in texts]), True)
    if (folder / "ground-truth").is_dir() and (folder / "html").is_dir():
        pages = [_wcxb_page(path, folder) for path in sorted((folder / "ground-truth").glob("*.json"))]
        return Dataset(folder.name, pages, bag_of_words_score, with_meta=True)
    raise SystemExit(f"{folder}: not a zyte-aeb (ground-truth.json), CleanEval (input/, GoldStandard/) or WCXB (ground-truth/, html/) folder")


def default_datasets() -> list[Path]:
    """The shared extraction sets, when ``../shared`` is present."""
    shared = shared_dir()
    return sorted(p for p in (shared / "eval" / "extraction").iterdir() if p.is_dir()) if shared else []


# --- systems -------------------------------------------------------------------------------------


def _titled(title: str | None, text: str | None) -> str:
    return "\n\n".join(part for part in (title, text) if part)


def ours(page: str, with_title: bool = False, with_meta: bool = False) -> Extracted:
    """The clean stage's text for a whole page (after its title when asked) and the page metadata it read."""
    record = clean({"id": "eval", "body": page, "content_type": "text/html"})
    date = record["provenance"].get("published_as_written") or record["published_at"]
    return Extracted(_titled(record["title"] if with_title else None, record["text"]), record["title"], record["authors"], date)


def trafilatura_text(page: str, with_title: bool = False, with_meta: bool = False) -> Extracted:
    """trafilatura's main text as the zyte benchmark runs it (comments excluded), after its title when
    asked, and its reading of the page's metadata when asked (authors come "; "-joined)."""
    import trafilatura  # the optional "eval" extra

    if not (with_title or with_meta):
        return Extracted(trafilatura.extract(page, include_comments=False) or "")
    document = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
    if document is None:
        return Extracted("")
    authors = [name for name in (document.author or "").split("; ") if name]
    return Extracted(_titled(document.title if with_title else None, document.text), document.title, authors, document.date)


@dataclass(frozen=True)
class Run:
    score: Score
    pages_per_second: float
    metadata: dict[str, float] | None  # share of pages right per field, on sets with gold metadata


def run_all(extractors: list[Extractor], dataset: Dataset) -> list[Run]:
    """Each extractor's score on ``dataset``, pages per second and, where there is gold, metadata accuracy.

    The extractors take turns page by page, each call timed on its own, so a change in the machine's
    load during the run weighs on all of them alike.
    """
    for extract in extractors:  # warm-up: lazy imports and models
        extract(dataset.pages[0].html, dataset.with_title, dataset.with_meta)
    found: list[list[Extracted]] = [[] for _ in extractors]
    elapsed = [0.0] * len(extractors)
    for page in dataset.pages:
        for i, extract in enumerate(extractors):
            started = time.perf_counter()
            found[i].append(extract(page.html, dataset.with_title, dataset.with_meta))
            elapsed[i] += time.perf_counter() - started
    return [
        Run(
            dataset.score(dataset.pages, [f.text for f in texts]),
            len(dataset.pages) / seconds,
            metadata_accuracy(dataset.pages, texts) if dataset.with_meta else None,
        )
        for texts, seconds in zip(found, elapsed, strict=True)
    ]


def run(extract: Extractor, dataset: Dataset) -> Run:
    """One extractor's :class:`Run` on ``dataset``."""
    return run_all([extract], dataset)[0]


def machine() -> str:
    """CPU model, cores and Python version of this machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("datasets", nargs="*", type=Path, metavar="DATASET_DIR", help="zyte-aeb, CleanEval-style or WCXB folders (default: ../shared/eval/extraction/*)")
    parser.add_argument("--no-baseline", action="store_true", help="score the clean stage alone (no trafilatura)")


def main(args: argparse.Namespace) -> int:
    folders = args.datasets or default_datasets()
    if not folders:
        raise SystemExit("no dataset given and ../shared is absent: pass zyte-aeb, CleanEval-style or WCXB folders")
    systems: list[tuple[str, Extractor]] = [("newsingest clean", ours)]
    if not args.no_baseline:
        try:
            import trafilatura
        except ImportError:
            raise SystemExit("trafilatura is not installed: pip install 'newsingest[eval]' (or use --no-baseline)") from None
        logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its per-page notes would interleave with the table
        systems.append((f"trafilatura {trafilatura.__version__}", trafilatura_text))
    print(f"machine: {machine()}")
    print(f"{'dataset':<18} {'system':<20} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8}")
    metadata_rows = []
    for folder in folders:
        dataset = load_dataset(folder)
        for (name, _), result in zip(systems, run_all([extract for _, extract in systems], dataset), strict=True):
            score = result.score
            print(f"{dataset.name:<18} {name:<20} {len(dataset.pages):>5} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {result.pages_per_second:8.1f}")
            if result.metadata is not None:
                metadata_rows.append((dataset.name, name, result.metadata))
    if metadata_rows:
        print(f"\npage metadata, share of pages right\n{'dataset':<18} {'system':<20} {'title':>6} {'authors':>8} {'date':>6}")
        for dataset_name, name, accuracy in metadata_rows:
            print(f"{dataset_name:<18} {name:<20} {accuracy['title']:6.3f} {accuracy['authors']:8.3f} {accuracy['date']:6.3f}")
    return 0
