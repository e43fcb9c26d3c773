"""The trained models' PER/LOC/ORG spans as mentions.

The text is cut into sentences (:func:`newsingest.text.sentences.sentence_starts`); each is tagged by
the model of its language (:mod:`ner_model`), and each span becomes a PERSON, LOC or ORG mention as it
stands: the models learnt news annotation (CoNLL-2003, ANERcorp, NewsFANE) from the annotated text
itself, and the span rules that cut, trimmed and retyped the previous model's spans each lowered the
dev scores of these models (see ``MODEL_CARD.md``). One convention stays: an Arabic proclitic stays
outside the mention ("بحلب" → "حلب"), so the mention's name is the bare name; it moves no word
boundary, so no score.
"""

from __future__ import annotations

from newsingest.geo.places import is_place
from newsingest.stages.extract import arabic_names, ner_model
from newsingest.stages.extract.conll import entity_spans
from newsingest.stages.extract.mentions import Scan
from newsingest.text.sentences import sentence_starts
from newsingest.text.tokens import Token, proclitic_splits

_MODEL_TYPES = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}


def _clitic_letters(token: Token) -> int:
    """Proclitic letters to leave out of a name the model found ("بحلب" → 1, "للمرصد" → 2, "والعراق" → 1)."""
    if not token.is_arabic or is_place(token.key) or arabic_names.is_given_name(token.key):
        return 0
    for stripped, stem in proclitic_splits(token.key)[1:]:
        if stem.startswith("ال") or is_place(stem) or arabic_names.is_given_name(stem):
            return stripped
    return 0


def model_sentences(tokens: list[Token], text: str) -> list[int]:
    """The first token of each sentence the models tag: a sentence of :func:`sentence_starts`, except that a
    semicolon or the full stop of a number opening a list item ("3. Ekimov") does not end one, as in the
    models' training sentences."""
    starts: list[int] = []
    for start in sentence_starts(tokens, text):
        previous = tokens[start - 1].text if start else ""
        list_item = previous == "." and starts and start - 2 == starts[-1] and tokens[start - 2].text.isdigit()
        if previous not in (";", "؛") and not list_item:
            starts.append(start)
    return starts


def add_model_mentions(scan: Scan) -> None:
    """Add the models' PER/LOC/ORG spans, sentence by sentence, where no mention is yet."""
    tokens = scan.tokens
    starts = [*model_sentences(tokens, scan.text), len(tokens)]
    tagged = ner_model.tag_sentences([tokens[sentence:end] for sentence, end in zip(starts, starts[1:])])
    for sentence, labels in zip(starts, tagged):
        for kind, first, last in sorted(entity_spans(labels), key=lambda s: s[1]):
            first, last = sentence + first, sentence + last
            if scan.free(first, last):
                scan.add(_MODEL_TYPES[kind], first, last, _clitic_letters(tokens[first]))
