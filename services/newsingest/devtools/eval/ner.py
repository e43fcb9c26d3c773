"""Named entities on CoNLL/IOB files: entity-level exact-match precision, recall and F1 per type (PER/LOC/ORG).

Each sentence's words are joined by spaces and run through the extract stage's recogniser (the same
code the stage runs on an article); a mention covers the words its characters fall in, and counts when
its type and first and last word equal a gold entity's. ``PERSON`` scores as PER and ``GPE`` as LOC;
``NORP`` and MISC are not scored (a gold MISC is ``O``). Speed is words per second of recognition alone,
in CPU time of one process (one core).

    newsingest eval ner [FILE …] [--limit N] [--process]

``--process`` scores the way the held-back test splits are scored: each sentence is an article that goes
through the whole chain of ``newsingest process`` (clean, extract, enrich), and the record's entity
mentions are mapped onto the sentence's words as found in the cleaned text (a word clean removed, such
as a doubled full stop, starts where it would have been). It catches a clean step that changes what the
recogniser sees; words/s is then the whole chain's.

Without files: the dev parts of ``../shared/eval/ner`` (CoNLL-2003 dev, the last tenth of ANERcorp's
training split, NewsFANE's copy of that tenth; see :mod:`newsingest.stages.extract.conll`; the shipped
models never saw them), each beside the published scores of other systems on that set's test split,
then the English news gold written for this project
(``eval/data/en_news_{dev,test}.conll``: original newswire-style sentences annotated by hand in the
CoNLL-2003 style; they ship with the package and run without ``../shared``), then LOC on English news
with gold annotation: the gold toponyms of the geoparsing corpora (LGL, GeoVirus, TR-News; those with
coordinates) against the LOC mentions of each whole article, exact character spans. Their toponyms
include places inside organisation names ("Athens Police Department") and, in TR-News, adjectives
("Turkish"), which a news NER annotation leaves out, so these figures are a floor; none of these
articles was trained on.
"""

from __future__ import annotations

import argparse
import bisect
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import orjson

from newsingest.devtools.corpora import geoparsing_articles, shared_dir
from newsingest.pipeline import process_value
from newsingest.runtime.deadletters import Origin
from newsingest.stages import STAGE_ORDER, warm_up
from newsingest.stages.extract.conll import TYPES, NerSet, Sentence, dev_sets, entity_spans, read_conll
from newsingest.stages.extract.entities import recognise

_SCORED = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}
EN_NEWS_DIR = Path(str(files("newsingest.devtools.eval") / "data"))
# Published entity F1 on the held-back TEST split of the set whose dev part is scored (reference figures).
PUBLISHED = {
    "conll2003-en-dev": "test split: Stanford CRF .869, MITIE .881, spaCy CNN .884, BERT-base .924",
    "anercorp-ar-dev": "test split: CRF (Benajiba) .79, AraBERT .831, CAMeLBERT .83",
}


@dataclass
class Score:
    """Entity counts per type: true positives, predicted, gold."""

    hits: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, gold: set[tuple[str, int, int]], predicted: set[tuple[str, int, int]]) -> None:
        self.gold.update(kind for kind, _, _ in gold)
        self.predicted.update(kind for kind, _, _ in predicted)
        self.hits.update(kind for kind, _, _ in gold & predicted)

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        """Precision, recall, F1 of one type, or micro-averaged over all types (``None``)."""
        def total(counts: Counter[str]) -> int:
            return counts[kind] if kind else sum(counts[t] for t in TYPES)
        hits, predicted, gold = total(self.hits), total(self.predicted), total(self.gold)
        precision = hits / predicted if predicted else 0.0
        recall = hits / gold if gold else 0.0
        return precision, recall, 2 * precision * recall / (precision + recall) if hits else 0.0


Spans = set[tuple[str, int, int]]


def _word_spans(starts: list[int], mentions: Iterable[tuple[str, int, int]]) -> Spans:
    """``(type, first word, last word)`` of each scored ``(type, start, end)`` character span, given the
    words' start offsets."""
    found = set()
    for mention_type, start, end in mentions:
        kind = _SCORED.get(mention_type)
        if kind:
            found.add((kind, bisect.bisect_right(starts, start) - 1, bisect.bisect_right(starts, end - 1) - 1))
    return found


def predict(words: tuple[str, ...] | list[str]) -> Spans:
    """``(type, first word, last word)`` of the entities the extract stage finds in the words joined by spaces."""
    starts: list[int] = []
    position = 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    return _word_spans(starts, ((m.type, m.start, m.end) for m in recognise(" ".join(words))))


def predict_through_process(words: tuple[str, ...] | list[str]) -> Spans:
    """:func:`predict` through the whole ``newsingest process`` chain: the words joined by spaces are one
    article's body, and the event's entity mentions are mapped onto the words found in its cleaned text."""
    ok, record = process_value(orjson.dumps({"id": "eval", "body": " ".join(words)}), Origin("eval", 0, 0), max_bytes=1 << 24)
    if not ok:
        return set()
    text = record["text"]
    starts: list[int] = []
    position = 0
    for word in words:
        found = text.find(word, position)
        starts.append(position if found < 0 else found)  # a word clean removed starts where it would have been
        position = position if found < 0 else found + len(word)
    return _word_spans(starts, ((entity["type"], m["start"], m["end"]) for entity in record["entities"] for m in entity["mentions"]))


def score(sentences: list[Sentence], predictor: Callable[[tuple[str, ...]], Spans] = predict) -> tuple[Score, float]:
    """The score of the recogniser (or of another ``predictor``) on ``sentences`` and its speed in words per second."""
    result = Score()
    elapsed = 0.0
    for sentence in sentences:
        began = time.process_time()
        predicted = predictor(sentence.words)
        elapsed += time.process_time() - began
        result.add(entity_spans(sentence.tags), predicted)
    words = sum(len(sentence.words) for sentence in sentences)
    return result, words / elapsed if elapsed else 0.0


TOPONYM_CORPORA = ("lgl.xml", "GeoVirus.xml", "TR-News.xml")


def english_news_sets() -> list[NerSet]:
    """The hand-annotated English news sentences written for this project, dev and test."""
    return [NerSet(f"en-news-{part}", "en", read_conll(EN_NEWS_DIR / f"en_news_{part}.conll"))
            for part in ("dev", "test")]


def score_toponyms(path: Path, limit: int | None = None) -> Score:
    """LOC mentions of whole articles against a geoparsing corpus's gold toponyms (exact spans)."""
    result = Score()
    for text, golds, _ in geoparsing_articles(path, limit):
        gold = set()
        for toponym in golds:
            shift = 1 if text[toponym.start - 1:toponym.end - 1] == toponym.phrase != text[toponym.start:toponym.end] else 0
            gold.add(("LOC", toponym.start - shift, toponym.end - shift))  # GeoVirus counts from 1
        result.add(gold, {("LOC", m.start, m.end) for m in recognise(text) if _SCORED.get(m.type) == "LOC"})
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path,
                        help="CoNLL/IOB files (default: the dev parts of ../shared/eval/ner and the shipped English news gold)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences (articles) of each set")
    parser.add_argument("--process", action="store_true",
                        help="each sentence through the whole `newsingest process` chain, as the held-back test splits are scored")


def main(args: argparse.Namespace) -> int:
    shared = shared_dir()
    toponym_corpora: list[Path] = []
    if args.files:
        sets = [NerSet(path.name, "?", read_conll(path)) for path in args.files]
    else:
        sets = [*(dev_sets(shared) if shared else ()), *english_news_sets()]
        if shared:
            toponym_corpora = [shared / "eval/geoparsing/corpora" / name for name in TOPONYM_CORPORA]
    recognise("warm up")  # loads the gazetteer and both models outside the timing
    recognise("قال الرئيس")
    predictor = predict
    if args.process:
        warm_up(STAGE_ORDER[-1], whole_chain=True)  # the language detector and the enrich stage's tables too
        predictor = predict_through_process
        print("each sentence through clean → extract → enrich (newsingest process); the geoparsing rows stay on the recogniser")
    print(f"{'set':18} {'lang':4} {'type':4} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'sentences':>9} {'words/s':>8}")
    for ner_set in sets:
        sentences = ner_set.sentences[:args.limit]
        result, speed = score(sentences, predictor)
        for kind in (*TYPES, None):
            p, r, f1 = result.prf(kind)
            gold = result.gold[kind] if kind else sum(result.gold.values())
            tail = f" {len(sentences):>9} {speed:>8.0f}" if kind is None else ""
            print(f"{ner_set.name:18} {ner_set.language:4} {kind or 'all':4} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {gold:>6}{tail}")
        if ner_set.name in PUBLISHED:
            print(f"{'':18} published on the {PUBLISHED[ner_set.name]}")
    for path in toponym_corpora:
        if path.is_file():
            result = score_toponyms(path, args.limit)
            p, r, f1 = result.prf("LOC")
            print(f"{path.stem + ' (news)':18} {'en':4} {'LOC':4} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {result.gold['LOC']:>6}")
    return 0
