"""Named entities for Arabic and English news: PERSON, ORG, LOC, NORP.

The trained models find PER/LOC/ORG (:mod:`model_mentions`); fixed Arabic organisation names replace the
model mentions inside them, an Arabic organisation the model found takes the relative adjectives after it
(:mod:`arabic_names`), English demonyms are NORP (:mod:`latin_names`); :mod:`coref` makes one article's
mentions agree, finds the other occurrences of the names and merges the mentions into entities.
"""

from __future__ import annotations

from newsingest.stages.extract import arabic_names, latin_names
from newsingest.stages.extract.coref import harmonise, propagate
from newsingest.stages.extract.mentions import Mention, Scan, definite_words
from newsingest.stages.extract.model_mentions import add_model_mentions
from newsingest.text import lexicon as lx
from newsingest.text.tokens import Token, tokenize

__all__ = ["Mention", "definite_words", "find_mentions", "looks_like_name", "recognise"]


def looks_like_name(tokens: list[Token], common: set[str]) -> bool:
    """Whether a phrase (e.g. a quote's speaker) reads as an Arabic or English personal name;
    ``common`` holds the words the text uses as nouns (see :func:`mentions.definite_words`)."""
    if not 2 <= len(tokens) <= arabic_names.MAX_NAME_WORDS + 1 or not all(t.is_word for t in tokens):
        return False
    if tokens[0].is_arabic:
        return arabic_names.is_name(tokens, common)
    return all(t.text[0].isupper() for t in tokens) and tokens[0].key in lx.EN_GIVEN_NAMES


def find_mentions(text: str, tokens: list[Token]) -> list[Mention]:
    """Typed mentions in ``text`` (non-overlapping): the models'; fixed Arabic organisation names, in place
    of model mentions they contain, and the adjectives that close an organisation; English demonyms."""
    scan = Scan(text, tokens)
    add_model_mentions(scan)
    arabic_names.find_arabic_orgs(scan)
    latin_names.find_demonyms(scan)
    return scan.mentions


def recognise(text: str) -> list[Mention]:
    """Every mention of a named entity in ``text``: the recognisers' finds and the other occurrences of their names."""
    tokens = tokenize(text)
    return propagate(text, tokens, harmonise(text, find_mentions(text, tokens)))
