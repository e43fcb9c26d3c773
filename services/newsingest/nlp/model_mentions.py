"""The trained model's PER/LOC/ORG spans as mentions, cut and trimmed to news style.

The model (:mod:`ner_model`) learnt partly from WikiANN's Wikipedia link texts, whose spans run over
commas, titles and lower-case words ("David Frost, director general of …"); here a span is cut where
a name cannot go on, trimmed of what news style leaves outside a name, and an Arabic proclitic stays
outside the mention ("بحلب" → "حلب").
"""

from __future__ import annotations

from newsingest.nlp import arabic_names, gazetteer, ner_model
from newsingest.nlp import lexicon as lx
from newsingest.nlp.conll import entity_spans
from newsingest.nlp.mentions import Scan
from newsingest.nlp.places import is_place
from newsingest.nlp.tokens import Token, proclitic_splits

_MODEL_TYPES = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}


def _clitic_letters(token: Token) -> int:
    """Proclitic letters to leave out of a name the model found ("بحلب" → 1, "للمرصد" → 2, "والعراق" → 1)."""
    if not token.is_arabic or is_place(token.key) or arabic_names.is_given_name(token.key):
        return 0
    for stripped, stem in proclitic_splits(token.key)[1:]:
        if stem.startswith("ال") or is_place(stem) or arabic_names.is_given_name(stem):
            return stripped
    return 0


_NAME_CONNECTORS = frozenset("of the and de du la le von van der den al el bin ibn for on upon y da di".split())
# Lower-case words that never sit inside a name: function words and verbs of saying.
_NOT_IN_NAMES = (lx.EN_STOP_CAPS | lx.EN_SAY | frozenset("""
that which would will is was are were has have had be been says told to in at by with from as who whose into
than over under about against between during without within because
""".split())) - _NAME_CONNECTORS
_CLAUSE_MARKS = frozenset(".!?;:؛؟")


def _plain_lower(token: Token) -> bool:
    return token.is_word and token.text[0].islower() and token.key not in _NAME_CONNECTORS


def _breaks_span(tokens: list[Token], index: int) -> bool:
    """Whether a token cannot sit inside a name: a lower-case function word or verb of saying, two other
    lower-case Latin words in a row, a full stop
    after a word (not an initial: "U.S."), a clause mark, or Arabic "و" + a place or given name ("وبصرى الشام")."""
    token = tokens[index]
    if token.text in _CLAUSE_MARKS:
        return token.text != "." or len(tokens[index - 1].text) > 2
    if not token.is_word:
        return False
    if not token.is_arabic:  # two lower-case words in a row read as a clause: "Avoyelles task force arrests"
        return token.text[0].islower() and (token.key in _NOT_IN_NAMES or (
            _plain_lower(token) and index + 1 < len(tokens) and _plain_lower(tokens[index + 1])))
    if token.key[:1] != "و" or len(token.key) < 4 or token.key in lx.AR_GIVEN_NAMES:
        return False
    stem = token.key[1:]
    following = tokens[index + 1].key if index + 1 < len(tokens) else ""
    return is_place(stem) or arabic_names.is_given_name(stem) or is_place(f"{stem} {following}")


def _outside_name(token: Token, kind: str, leading: bool) -> bool:
    """Whether ``token`` at the edge of a model span belongs outside the name."""
    if not token.is_word:
        return leading or token.text not in ".)"
    if token.key in _NAME_CONNECTORS or (leading and not token.is_arabic and token.text[0].islower()):
        return True
    return leading and (token.key in lx.EN_STOP_CAPS or (kind == "PER" and (
        token.key in lx.EN_TITLES or token.key in lx.AR_TITLES)))


def _pieces(tokens: list[Token], kind: str, first: int, last: int) -> list[tuple[int, int]]:
    """A model span cut where a name cannot continue, each piece without what news style leaves outside
    a name ("the", "Mr", a title, edge punctuation), and a comma with what follows unless a capitalised
    name does ("Conch Key, Florida")."""
    bounds = [(first, first)]  # (end of the previous piece + 1, start of the next)
    for index in range(first + 1, last + 1):
        token = tokens[index]
        if token.text in ",،" and not (index < last and tokens[index + 1].is_word and tokens[index + 1].text[0].isupper()):
            last = index - 1  # "David Frost, director general of …": the rest describes the name
            break
        if token.is_arabic and _breaks_span(tokens, index):
            bounds.append((index, index))  # "وبصرى" opens the next name
        elif _breaks_span(tokens, index):
            bounds.append((index, index + 1))
    bounds.append((last + 1, last + 1))
    pieces = []
    for (_, start), (end, _) in zip(bounds, bounds[1:]):
        end -= 1
        while start <= end and _outside_name(tokens[start], kind, leading=True):
            start += 1
        while end >= start and _outside_name(tokens[end], kind, leading=False):
            end -= 1
        if start <= end and not _no_name(tokens[start:end + 1], kind):
            pieces.append((start, end))
    return pieces


def _no_name(tokens: list[Token], kind: str) -> bool:
    """Titles and roles alone ("Trade Secretary", "الرئيس"), a lone demonym ("Syrian") or a person
    that is an acronym ("GMTV") name no one the model may claim; the rules judge them."""
    if len(tokens) == 1 and (gazetteer.demonym_country(tokens[0].text) or (
            kind == "PER" and len(tokens[0].text) > 1 and tokens[0].text.isupper())):
        return True
    return all(t.key in lx.EN_TITLES or t.key in lx.EN_NON_NAME or t.key in lx.AR_TITLES for t in tokens)


_SENTENCE_ENDS = frozenset(".!?؟")


def _sentence_starts(scan: Scan) -> list[int]:
    """Token indices that open a sentence: a paragraph's first, and one after a full stop that ends a word
    longer than an initial or "Mr" ("U.S. officials" stays one sentence), then the end."""
    tokens = scan.tokens
    starts = [0]
    for index in range(1, len(tokens)):
        previous = tokens[index - 1]
        if index in scan.breaks or (previous.text in _SENTENCE_ENDS and index > 1 and len(tokens[index - 2].text) > 2):
            starts.append(index)
    starts.append(len(tokens))
    return starts


def add_model_mentions(scan: Scan) -> None:
    """Add the trained model's PER/LOC/ORG spans, sentence by sentence, where no mention is yet."""
    tokens = scan.tokens
    starts = _sentence_starts(scan)
    for first, end in zip(starts, starts[1:]):
        for kind, start, last in sorted(entity_spans(ner_model.tag(tokens[first:end])), key=lambda s: s[1]):
            for piece_first, piece_last in _pieces(tokens, kind, first + start, first + last):
                if scan.free(piece_first, piece_last):
                    scan.add(_MODEL_TYPES[kind], piece_first, piece_last, _clitic_letters(tokens[piece_first]))
