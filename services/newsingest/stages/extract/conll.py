"""CoNLL/IOB token files: reading, mapping tag sets onto PER/LOC/ORG, entity spans, and the shared NER sets.

A file holds one ``token<TAB>tag`` (or whitespace-separated, tag last) per line and a blank line between
sentences. Tags are IOB1 or IOB2; fine-grained types (NewsFANE's 50 classes, OntoNotes' PERSON/GPE …)
map onto the three coarse types, and anything else (nationalities, products, vehicles…) becomes ``O``,
or ``MISC`` when asked (CoNLL's and ANERcorp's MISC, AQMAR's article-specific MIS0–MIS3).

The shared sets (``../shared/eval/ner``) are split once, here, for training and evaluation alike:
CoNLL-2003 English has its train and dev files; the last tenth of ANERcorp's training split (its
sentences 3,568–3,963, contiguous like the held-back test split that follows them) is our Arabic dev
part and the rest trains; AQMAR only trains. NewsFANE is ANERcorp's text annotated again, in finer
types and with clitics split off, the held-back test split included: each NewsFANE sentence is matched to
ANERcorp's by the letters they share (:func:`newsfane_parts`); those of ANERcorp's training part train,
those of the Arabic dev part are the second Arabic dev set, and the rest (the test split's text, and a
few sentences too short to match) is used for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TYPES = ("PER", "LOC", "ORG")
_COARSE = {
    "PER": ("PER PERS PERSON Politician Athlete Artist Other_PER Religious_PER Scientist Businessperson Police Lawyer "
            "Engineer"),
    "ORG": ("ORG ORGANIZATION Government Non-Governmental Commercial Educational Media Religious_ORG Sports "
            "Entertainment Medical-Science"),
    "LOC": ("LOC LOCATION GPE FAC Nation Population-Center State-or-Province County-or-District GPE-Cluster "
            "Continent Water-Body Land-Region-Natural Celestial Building-Grounds Airport Path Subarea-Facility Plant"),
}
COARSE_TYPE = {fine: coarse for coarse, names in _COARSE.items() for fine in names.split()}

NEWSFANE = "eval/ner/newsfane-ar/data/Finegrained/WikiFANE_2014_Gold_standard/NewsFANE_Gold_2014_170K.txt"
CONLL_EN = {"train": "eval/ner/conll2003-en/train.txt", "dev": "eval/ner/conll2003-en/dev.txt"}
ANERCORP = "eval/ner/anercorp-ar/train.txt"
AQMAR = "eval/ner/aqmar-ar/articles"
_ANERCORP_DEV_SHARE = 10  # the last tenth of ANERcorp's training split is the Arabic dev part
_SHINGLE = 12  # letters of the pieces sentences are matched by
_MIN_LETTERS = 20  # a shorter sentence is not matched (too little to tell)
_NOT_LETTER = re.compile("[^\u0621-\u063a\u0641-\u064a]")  # Arabic letters stay (tatweel and marks go)
_LETTER_VARIANTS = str.maketrans("إأآٱىةؤئ", "اااايهوي")


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


def coarse_tag(tag: str, misc: bool = False) -> str:
    """``B-Politician`` → ``B-PER``; ``I-GPE`` → ``I-LOC``; a type outside PER/LOC/ORG → ``O``, or with
    ``misc`` a miscellaneous name (``B-MISC``, AQMAR's ``B-MIS1``) → ``B-MISC``. Case and stray marks of
    hand-typed tags are forgiven (``b-misc``, ``I--ORG``)."""
    prefix, _, kind = tag.partition("-")
    prefix, kind = prefix.upper(), kind.strip("-`")
    if prefix not in ("B", "I"):
        return "O"
    coarse = COARSE_TYPE.get(kind) or COARSE_TYPE.get(kind.upper())
    if coarse is None and misc and kind.upper().startswith("MIS"):
        coarse = "MISC"
    return f"{prefix}-{coarse}" if coarse else "O"


def read_conll(path: Path, misc: bool = False) -> list[Sentence]:
    """Sentences of a CoNLL/IOB file, tags mapped to PER/LOC/ORG (and MISC with ``misc``, see
    :func:`coarse_tag`); a leading U+200E (or BOM) is stripped from tokens."""
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
        tags.append(coarse_tag(fields[-1].strip(), misc) if len(fields) > 1 else "O")
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


def _letters(sentence: Sentence) -> str:
    return _NOT_LETTER.sub("", "".join(sentence.words).translate(_LETTER_VARIANTS))


def _shingles(letters: str) -> set[str]:
    return {letters[i:i + _SHINGLE] for i in range(0, max(1, len(letters) - _SHINGLE + 1), 3)}


def newsfane_parts(newsfane: list[Sentence], anercorp: list[Sentence]) -> dict[str, list[Sentence]]:
    """NewsFANE's sentences by the ANERcorp text they annotate again: ``"train"`` (ANERcorp's training
    part), ``"dev"`` (the Arabic dev part), ``"other"`` (neither: the held-back test split's text, and
    sentences too short to match). A sentence matches a part when most of its letter pieces occur there;
    spelling, digits and clitic spacing do not count (NewsFANE writes "و قال ان ه" for ANERcorp's "وقال أنه")."""
    pieces = {part: set().union(*map(_shingles, map(_letters, _anercorp(anercorp, held_out=part == "dev"))))
              for part in ("train", "dev")}
    parts: dict[str, list[Sentence]] = {"train": [], "dev": [], "other": []}
    for sentence in newsfane:
        letters = _letters(sentence)
        own = _shingles(letters)
        share = {part: len(own & found) / len(own) for part, found in pieces.items()}
        best = max(share, key=share.__getitem__)
        parts[best if len(letters) >= _MIN_LETTERS and share[best] > 0.5 else "other"].append(sentence)
    return parts


@cache
def _newsfane(shared: Path) -> dict[str, list[Sentence]]:
    """:func:`newsfane_parts` of the shared NewsFANE and ANERcorp files, read and matched once a process."""
    return newsfane_parts(read_conll(shared / NEWSFANE), read_conll(shared / ANERCORP))


def training_sets(shared: Path, misc: bool = False) -> Iterator[NerSet]:
    """The training part of each shared NER set that is present (MISC kept with ``misc``)."""
    if (shared / CONLL_EN["train"]).is_file():
        yield NerSet("conll2003-en-train", "en", read_conll(shared / CONLL_EN["train"], misc))
    if (shared / ANERCORP).is_file():
        yield NerSet("anercorp-ar-train", "ar", _anercorp(read_conll(shared / ANERCORP, misc), held_out=False))
    if (shared / AQMAR).is_dir():
        yield NerSet("aqmar-ar", "ar", [s for path in sorted((shared / AQMAR).glob("*.txt")) for s in read_conll(path, misc)])
    if (shared / NEWSFANE).is_file() and (shared / ANERCORP).is_file():
        yield NerSet("newsfane-ar-train", "ar", _newsfane(shared)["train"])


def dev_sets(shared: Path) -> Iterator[NerSet]:
    """The dev part of each shared NER set that has one and is present."""
    if (shared / CONLL_EN["dev"]).is_file():
        yield NerSet("conll2003-en-dev", "en", read_conll(shared / CONLL_EN["dev"]))
    if (shared / ANERCORP).is_file():
        yield NerSet("anercorp-ar-dev", "ar", _anercorp(read_conll(shared / ANERCORP), held_out=True))
    if (shared / NEWSFANE).is_file() and (shared / ANERCORP).is_file():
        yield NerSet("newsfane-ar-dev", "ar", _newsfane(shared)["dev"])


def _anercorp(sentences: list[Sentence], held_out: bool) -> list[Sentence]:
    cut = len(sentences) - len(sentences) // _ANERCORP_DEV_SHARE
    return sentences[cut:] if held_out else sentences[:cut]
