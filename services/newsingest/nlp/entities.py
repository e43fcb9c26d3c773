"""Rule- and lexicon-based named entities for Arabic and English news: PERSON, ORG, LOC, NORP.

No statistical model (none that ships its weights and runs offline fits the budget): persons come
from titles and quote speakers, organisations from head nouns and fixed names, places from the
gazetteer, English capitalised runs are typed by what they contain (see :mod:`arabic_names`,
:mod:`latin_names`, :mod:`places`). :mod:`coref` then merges the mentions into entities.
"""

from __future__ import annotations

from newsingest.nlp import arabic_names, latin_names
from newsingest.nlp import lexicon as lx
from newsingest.nlp.mentions import Mention, Scan, definite_words
from newsingest.nlp.places import find_arabic_places
from newsingest.nlp.tokens import Token

__all__ = ["Mention", "definite_words", "find_mentions", "looks_like_name"]


def looks_like_name(tokens: list[Token], common: set[str]) -> bool:
    """Whether a phrase (e.g. a quote's speaker) reads as an Arabic or English personal name;
    ``common`` holds the words the text uses as nouns (see :func:`mentions.definite_words`)."""
    if not 2 <= len(tokens) <= arabic_names.MAX_NAME_WORDS + 1 or not all(t.is_word for t in tokens):
        return False
    if tokens[0].is_arabic:
        return arabic_names.is_name(tokens, common)
    return all(t.text[0].isupper() for t in tokens) and tokens[0].key in lx.EN_GIVEN_NAMES


def find_mentions(text: str, tokens: list[Token]) -> list[Mention]:
    """Typed mentions in ``text`` (non-overlapping): persons by title, English runs, organisations, places."""
    scan = Scan(text, tokens)
    arabic_names.find_arabic_persons(scan)
    latin_names.find_latin_entities(scan)
    arabic_names.find_arabic_orgs(scan)
    find_arabic_places(scan)
    return scan.mentions
