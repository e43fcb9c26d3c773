"""CoNLL/IOB token files: reading, mapping tag sets onto PER/LOC/ORG, entity spans, and the shared NER sets.

A file holds one ``token<TAB>tag`` (or whitespace-separated, tag last) per line and a blank line between
sentences. Tags are IOB1 or IOB2; fine-grained types (NewsFANE's 50 classes, OntoNotes' PERSON/GPE …)
map onto the three coarse types, and anything else (nationalities, products, vehicles…) becomes ``O``.

The shared sets (``../shared/eval/ner``) are split once, here, for training and evaluation alike:
NewsFANE (no document marks) in contiguous blocks of 200 sentences, every fifth block held out; each
WikiANN dev file in halves, the second half held out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TYPES = ("PER", "LOC", "ORG")
_COARSE = {
    "PER": ("PER PERSON Politician Athlete Artist Other_PER Religious_PER Scientist Businessperson Police Lawyer "
            "Engineer"),
    "ORG": ("ORG ORGANIZATION Government Non-Governmental Commercial Educational Media Religious_ORG Sports "
            "Entertainment Medical-Science"),
    "LOC": ("LOC LOCATION GPE FAC Nation Population-Center State-or-Province County-or-District GPE-Cluster "
            "Continent Water-Body Land-Region-Natural Celestial Building-Grounds Airport Path Subarea-Facility Plant"),
}
COARSE_TYPE = {fine: coarse for coarse, names in _COARSE.items() for fine in names.split()}

NEWSFANE = "eval/ner/newsfane-ar/data/Finegrained/WikiFANE_2014_Gold_standard/NewsFANE_Gold_2014_170K.txt"
WIKIANN = {"ar": "eval/ner/wikiann-dev/dev-ar.tsv", "en": "eval/ner/wikiann-dev/dev-en.tsv"}
_BLOCK = 200
_HELD_OUT_EVERY = 5


@dataclass(frozen=True, slots=True)
class Sentence:
    words: tuple[str, ...]
    tags: tuple[str, ...]  # coarse IOB tags: O, B-PER, I-LOC …


@dataclass(frozen=True, slots=True)
class NerSet:
    """A named set of sentences in one language."""

    name: str
    language: str
    sentences: list[Sentence]


def coarse_tag(tag: str) -> str:
    """``B-Politician`` → ``B-PER``; ``I-GPE`` → ``I-LOC``; a type outside PER/LOC/ORG → ``O``."""
    prefix, _, kind = tag.partition("-")
    coarse = COARSE_TYPE.get(kind) if prefix in ("B", "I") else None
    return f"{prefix}-{coarse}" if coarse else "O"


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL/IOB file, tags mapped to PER/LOC/ORG; a leading U+200E (or BOM) is stripped from tokens."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("\t") if "\t" in line else line.split()
        word = fields[0].strip().lstrip("\u200e\ufeff") if fields else ""
        if not word or line.startswith("-DOCSTART-"):
            if words:
                sentences.append(Sentence(tuple(words), tuple(tags)))
                words, tags = [], []
            continue
        words.append(word)
        tags.append(coarse_tag(fields[-1].strip()) if len(fields) > 1 else "O")
    if words:
        sentences.append(Sentence(tuple(words), tuple(tags)))
    return sentences


def entity_spans(tags: tuple[str, ...] | list[str]) -> set[tuple[str, int, int]]:
    """``(type, first, last)`` word spans of the entities in IOB1/IOB2 ``tags`` (an ``I-`` that does
    not continue an entity of its type opens one, as conlleval reads it)."""
    spans: set[tuple[str, int, int]] = set()
    kind, first = None, 0
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if kind is not None and (prefix != "I" or label != kind):
            spans.add((kind, first, index - 1))
            kind = None
        if prefix == "B" or (prefix == "I" and kind is None):
            kind, first = label, index
    return spans


def _blocks(sentences: list[Sentence], held_out: bool) -> list[Sentence]:
    return [s for i, s in enumerate(sentences) if ((i // _BLOCK) % _HELD_OUT_EVERY == _HELD_OUT_EVERY - 1) == held_out]


def _halves(sentences: list[Sentence], held_out: bool) -> list[Sentence]:
    middle = len(sentences) // 2
    return sentences[middle:] if held_out else sentences[:middle]


def shared_sets(shared: Path, held_out: bool) -> Iterator[NerSet]:
    """The training (``held_out=False``) or held-out dev part of each shared NER set that is present."""
    if (shared / NEWSFANE).is_file():
        yield NerSet("newsfane-ar", "ar", _blocks(read_conll(shared / NEWSFANE), held_out))
    for language, path in WIKIANN.items():
        if (shared / path).is_file():
            yield NerSet(f"wikiann-{language}", language, _halves(read_conll(shared / path), held_out))
