"""Word clusters for the NER models, learnt from unlabelled text (a features source, like Brown clusters).

    python -m newsingest.devtools.training.word_clusters [--language en|ar]

Each word seen at least ``min_count`` times gets a vector: the positive pointwise mutual information
of the words at offsets -2, -1, +1 and +2 (the ``contexts`` most frequent words), reduced by a
randomised SVD; the unit vectors are grouped by spherical k-means at three granularities (32, 128 and
512 clusters), and each word's three cluster ids are written to ``models/clusters-<language>.tsv``.
Deterministic for a given text (fixed seed).

Text (read from ``../shared``, never copied): English, the 2,225 BBC News articles of
``corpus/bbc-news-en`` and the words of CoNLL-2003's training split; Arabic, the words of the Arabic
training parts (ANERcorp less its dev part, AQMAR, NewsFANE's copies of that part). Only word keys and
cluster numbers ship. Needs numpy (``pip install -e '.[train]'``).

``--extra`` (off by default; measured, not shipped: see the model card) adds for English the English
text of the other shared sets, read as unlabelled text only: the gold main texts of the extraction sets
(WCXB dev, Zyte AEB, CleanPortalEval), the articles of the geoparsing corpora (LGL, GeoVirus, TR-News)
and the words of WikiANN's English dev sentences, never its labels (≈ 2.2 M tokens beside the 1.2 M of
BBC News and CoNLL train); documents that are not English are skipped and each distinct line is read once.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from newsingest.devtools.corpora import bbc_articles, geoparsing_articles, shared_dir
from newsingest.stages.extract.conll import read_conll, training_sets
from newsingest.stages.extract.ner_model import LANGUAGES, clusters_path
from newsingest.text.tokens import tokenize

GRANULARITIES = (32, 128, 512)
_OFFSETS = (-2, -1, 1, 2)


_ENGLISH_MARKERS = frozenset("the of and to in is that for on with as was it by at from".split())
_CLEANEVAL_MARKS = re.compile(r"^\s*<[hpl]>\s*|^URL:.*$", re.MULTILINE)


def _extraction_texts(shared: Path) -> Iterator[str]:
    """The gold main texts of the extraction sets (WCXB dev, Zyte AEB, CleanPortalEval)."""
    folder = shared / "eval" / "extraction"
    for path in sorted((folder / "wcxb-dev" / "ground-truth").glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content") or ""
    gold = folder / "zyte-aeb" / "ground-truth.json"
    if gold.is_file():
        for _, item in sorted(json.loads(gold.read_text(encoding="utf-8")).items()):
            yield item.get("articleBody") or ""
    for path in sorted((folder / "cleanportaleval" / "GoldStandard").glob("*.txt")):
        yield html.unescape(_CLEANEVAL_MARKS.sub("", path.read_text(encoding="utf-8", errors="replace")))


def _geoparsing_texts(shared: Path) -> Iterator[str]:
    """The article texts of the geoparsing corpora (LGL, GeoVirus, TR-News); their toponyms are not read."""
    for name in ("lgl.xml", "GeoVirus.xml", "TR-News.xml"):
        path = shared / "eval" / "geoparsing" / "corpora" / name
        if path.is_file():
            for text, _, _ in geoparsing_articles(path):
                yield text


def _wikiann_texts(shared: Path) -> Iterator[str]:
    """The words of WikiANN's English dev sentences, one sentence a text (the labels are not read)."""
    path = shared / "eval" / "ner" / "wikiann-dev" / "dev-en.tsv"
    if path.is_file():
        for sentence in read_conll(path):
            yield " ".join(sentence.words)


# English unlabelled text beyond BBC News and CoNLL train: source name → its documents.
EXTRA_EN: dict[str, Callable[[Path], Iterator[str]]] = {
    "extraction": _extraction_texts, "geoparsing": _geoparsing_texts, "wikiann": _wikiann_texts}


def _is_english(keys: list[str]) -> bool:
    """Whether a document's word keys look English: at least a tenth of them common function words."""
    return len(keys) < 20 or sum(key in _ENGLISH_MARKERS for key in keys) * 10 >= len(keys)


def extra_lines(shared: Path, sources: tuple[str, ...] = tuple(EXTRA_EN)) -> Iterator[tuple[str, list[str]]]:
    """(source, word keys) of each distinct line of the English documents of ``sources`` (see :data:`EXTRA_EN`)."""
    seen: set[str] = set()
    for source in sources:
        for text in EXTRA_EN[source](shared):
            if not _is_english([t.key for t in tokenize(text) if t.is_word]):
                continue
            for line in text.splitlines():
                line = line.strip()
                if line and line not in seen:
                    seen.add(line)
                    yield source, [t.key for t in tokenize(line)]


def unlabelled_text(shared: Path, language: str, extra: bool = False) -> Iterator[list[str]]:
    """Word keys of each line (English BBC and, with ``extra``, :func:`extra_lines`) or sentence (training
    sets) of ``language``'s unlabelled text."""
    if language == "en":
        for article in bbc_articles(shared):
            for line in (article["title"], *article["body"].splitlines()):
                if line.strip():
                    yield [t.key for t in tokenize(line)]
    for ner_set in training_sets(shared):
        if ner_set.language == language:
            for sentence in ner_set.sentences:
                yield [t.key for t in tokenize(" ".join(sentence.words))]
    if language == "en" and extra:
        for _, keys in extra_lines(shared):
            yield keys


def learn(lines: list[list[str]], min_count: int = 3, contexts: int = 4000, dimensions: int = 100,
          seed: int = 0) -> dict[str, tuple[int, ...]]:
    """Word key → cluster id at each of :data:`GRANULARITIES`."""
    import numpy as np  # a training-time dependency only

    counts = Counter(key for line in lines for key in line)
    vocabulary = [key for key, count in counts.most_common() if count >= min_count]
    row_of = {key: i for i, key in enumerate(vocabulary)}
    column_of = {key: i for i, key in enumerate(vocabulary[:contexts])}
    width = len(column_of)
    cooccurrence = np.zeros((len(vocabulary), len(_OFFSETS) * width), dtype=np.float32)
    for line in lines:
        rows = [row_of.get(key, -1) for key in line]
        columns = [column_of.get(key, -1) for key in line]
        for index, row in enumerate(rows):
            if row < 0:
                continue
            for slot, offset in enumerate(_OFFSETS):
                other = index + offset
                if 0 <= other < len(line) and columns[other] >= 0:
                    cooccurrence[row, slot * width + columns[other]] += 1
    total = cooccurrence.sum()
    row_sums = cooccurrence.sum(1, keepdims=True) + 1e-9
    column_weights = cooccurrence.sum(0, keepdims=True) ** 0.75  # context distribution smoothing
    column_weights = column_weights / column_weights.sum() * total + 1e-9
    with np.errstate(divide="ignore"):
        ppmi = np.log(cooccurrence * total / (row_sums * column_weights))
    ppmi[~np.isfinite(ppmi)] = 0
    np.maximum(ppmi, 0, out=ppmi)
    rng = np.random.default_rng(seed)
    basis = ppmi @ rng.standard_normal((ppmi.shape[1], dimensions + 20)).astype(np.float32)
    for _ in range(2):  # power iterations sharpen the randomised range
        basis, _ = np.linalg.qr(basis)
        basis = ppmi @ (ppmi.T @ basis)
    basis, _ = np.linalg.qr(basis)
    left, singular, _ = np.linalg.svd(basis.T @ ppmi, full_matrices=False)
    vectors = (basis @ left[:, :dimensions]) * np.sqrt(singular[:dimensions])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    assignments = []
    for k in GRANULARITIES:
        centroids = vectors[rng.choice(len(vectors), k, replace=False)]
        for _ in range(25):
            nearest = np.argmax(vectors @ centroids.T, axis=1)
            for cluster in range(k):
                members = nearest == cluster
                if members.any():
                    centre = vectors[members].sum(0)
                    centroids[cluster] = centre / (np.linalg.norm(centre) + 1e-9)
        assignments.append(nearest)
    return {key: tuple(int(a[i]) for a in assignments) for i, key in enumerate(vocabulary)}


def write(found: dict[str, tuple[int, ...]], path: Path) -> None:
    path.write_text("".join(f"{key}\t{' '.join(map(str, ids))}\n" for key, ids in found.items()), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.devtools.training.word_clusters",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="default: both")
    parser.add_argument("--extra", action="store_true",
                        help="English: also the unlabelled English text of the other shared sets (not the shipped clusters)")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: the text is read from ../shared")
    for language in args.language or LANGUAGES:
        began = time.perf_counter()
        found = learn(list(unlabelled_text(shared, language, args.extra)))
        write(found, clusters_path(language))
        print(f"wrote {clusters_path(language)}: {len(found)} words in {time.perf_counter() - began:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
