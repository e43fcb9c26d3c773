"""Main-text extraction from whole pages: the clean stage beside trafilatura, on the same pages in one run.

    newsingest eval extraction [DATASET_DIR…] [--no-baseline]

Two kinds of dataset folder are read (default: both under ``../shared/eval/extraction``):

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

Each system gets the same decoded page string; pages/s counts only the extraction call (after one
warm-up page each, so one-off model loading is not charged to either).
"""

from __future__ import annotations

import argparse
import gzip
import html
import os
import platform
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
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

Extractor = Callable[[str, bool], str]  # (page, with its title) → text


@dataclass(frozen=True)
class Page:
    key: str
    html: str
    gold: str


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


# --- datasets ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def load_dataset(folder: Path) -> Dataset:
    """A zyte-aeb or CleanEval-style folder (see the module docstring)."""
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
    raise SystemExit(f"{folder}: not a zyte-aeb (ground-truth.json) or CleanEval (input/, GoldStandard/) folder")


def default_datasets() -> list[Path]:
    """The shared extraction sets, when ``../shared`` is present."""
    shared = shared_dir()
    return sorted(p for p in (shared / "eval" / "extraction").iterdir() if p.is_dir()) if shared else []


# --- systems -------------------------------------------------------------------------------------


def _titled(title: str | None, text: str | None) -> str:
    return "\n\n".join(part for part in (title, text) if part)


def ours(page: str, with_title: bool = False) -> str:
    """The clean stage's text for a whole page (after its title when asked)."""
    record = clean({"id": "eval", "body": page, "content_type": "text/html"})
    return _titled(record["title"] if with_title else None, record["text"])


def trafilatura_text(page: str, with_title: bool = False) -> str:
    """trafilatura's main text as the zyte benchmark runs it (comments excluded), after its title when asked."""
    import trafilatura  # the optional "eval" extra

    if not with_title:
        return trafilatura.extract(page, include_comments=False) or ""
    document = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
    return _titled(document.title, document.text) if document else ""


def run(extract: Extractor, dataset: Dataset) -> tuple[Score, float]:
    """Score of ``extract`` on ``dataset`` and its pages per second."""
    extract(dataset.pages[0].html, dataset.with_title)  # warm-up: lazy imports and models
    texts = []
    started = time.perf_counter()
    for page in dataset.pages:
        texts.append(extract(page.html, dataset.with_title))
    elapsed = time.perf_counter() - started
    return dataset.score(dataset.pages, texts), len(dataset.pages) / elapsed


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
    parser.add_argument("datasets", nargs="*", type=Path, metavar="DATASET_DIR", help="zyte-aeb or CleanEval-style folders (default: ../shared/eval/extraction/*)")
    parser.add_argument("--no-baseline", action="store_true", help="score the clean stage alone (no trafilatura)")


def main(args: argparse.Namespace) -> int:
    folders = args.datasets or default_datasets()
    if not folders:
        raise SystemExit("no dataset given and ../shared is absent: pass zyte-aeb or CleanEval-style folders")
    systems: list[tuple[str, Extractor]] = [("newsingest clean", ours)]
    if not args.no_baseline:
        try:
            import trafilatura
        except ImportError:
            raise SystemExit("trafilatura is not installed: pip install 'newsingest[eval]' (or use --no-baseline)") from None
        systems.append((f"trafilatura {trafilatura.__version__}", trafilatura_text))
    print(f"machine: {machine()}")
    print(f"{'dataset':<18} {'system':<20} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8}")
    for folder in folders:
        dataset = load_dataset(folder)
        for name, extract in systems:
            score, speed = run(extract, dataset)
            print(f"{dataset.name:<18} {name:<20} {len(dataset.pages):>5} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {speed:8.1f}")
    return 0
