"""The trained model's PER/LOC/ORG spans as mentions, cut, trimmed and typed the way news annotation
(CoNLL-2003, OntoNotes) marks names.

The model (:mod:`ner_model`) learnt partly from WikiANN's Wikipedia link texts, whose spans run over
commas, brackets, titles and lower-case words ("David Frost, director general of …", "Sioux Falls,
South Dakota"), and partly from teacher-labelled news; here a span is cut where a name cannot go on,
trimmed of what news style leaves outside a name, an Arabic proclitic stays outside the mention
("بحلب" → "حلب"), a country or big city is a place whatever the model said, and a surname takes the
type of the person named in full.
"""

from __future__ import annotations

import re

from newsingest.geo import gazetteer
from newsingest.geo.places import is_place
from newsingest.stages.extract import arabic_names, ner_model
from newsingest.stages.extract.conll import entity_spans
from newsingest.stages.extract.mentions import Scan
from newsingest.text import lexicon as lx
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


_NAME_CONNECTORS = frozenset("of the and de du la le von van der den al el bin ibn for on upon y da di".split())
# Lower-case words that never sit inside a name: function words and verbs of saying.
_NOT_IN_NAMES = (lx.EN_STOP_CAPS | lx.EN_SAY | frozenset("""
that which would will is was are were has have had be been says told to in at by with from as who whose into
than over under about against between during without within because
""".split())) - _NAME_CONNECTORS
_CLAUSE_MARKS = frozenset(".!?;:؛؟")
_EDGE_CONNECTORS = frozenset("the of and for on upon".split())  # never at a name's edge, whatever their case
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _breaks_span(tokens: list[Token], index: int) -> bool:
    """Whether a token cannot sit inside a name: a lower-case Latin word other than a name particle
    ("of", "van", "al"), a bracket after a Latin word, a full stop after a word (not an initial:
    "U.S."), a clause mark, or Arabic "و" + a place or given name ("وبصرى الشام")."""
    token = tokens[index]
    if token.text in _CLAUSE_MARKS:
        return token.text != "." or len(tokens[index - 1].text) > 2
    if token.text in "()[]":  # "H Webb (S Yorkshire)"; Arabic spans keep theirs, as the Arabic training sets do
        return not tokens[index - 1].is_arabic
    if not token.is_word:
        return False
    if not token.is_arabic:  # "Robin van Persie gave Henry", "Gestapo interrogations and Scholl"
        return token.text.islower() and token.key not in _NAME_CONNECTORS or token.key in _NOT_IN_NAMES
    if token.key[:1] != "و" or len(token.key) < 4 or token.key in lx.AR_GIVEN_NAMES:
        return False
    stem = token.key[1:]
    following = tokens[index + 1].key if index + 1 < len(tokens) else ""
    return is_place(stem) or arabic_names.is_given_name(stem) or is_place(f"{stem} {following}")


def _outside_name(token: Token, kind: str, leading: bool, following: Token | None = None) -> bool:
    """Whether ``token`` at the edge of a model span belongs outside the name."""
    if not token.is_word:
        return leading or token.text not in ".)"
    if token.key in _WEEKDAYS or (not leading and not token.is_arabic and gazetteer.demonym_country(token.text)):
        return True  # "Ahead of Sunday", "Tampa Bay Buccaneers American"
    if (token.key in _NAME_CONNECTORS and (token.text[0].islower() or token.key in _EDGE_CONNECTORS)) or (
            leading and not token.is_arabic and token.text[0].islower()):
        return True  # "the", "of" — but "De La Salle", "Al Jazeera", "Van Morrison" keep their particle
    return leading and ((token.key in lx.EN_STOP_CAPS and not _initial(token, following)) or (kind == "PER" and (
        token.key in lx.EN_TITLES or token.key in lx.AR_TITLES)))


def _initial(token: Token, following: Token | None) -> bool:
    """A capital letter glued to a full stop: an initial ("A. R. Rahman"), not the article "A"."""
    return following is not None and following.text == "." and following.start == token.end and len(token.text) == 1


def _pieces(tokens: list[Token], kind: str, first: int, last: int) -> list[tuple[int, int]]:
    """A model span cut where a name cannot continue, at "and" between persons or before "the", and at a
    comma before a capitalised word ("Conch Key" | "Florida"), without a comma and what follows
    otherwise; each piece without what news style leaves outside a name ("the", "Mr", a title, edge
    punctuation, a trailing demonym or weekday)."""
    bounds = [(first, first)]  # (end of the previous piece + 1, start of the next)
    for index in range(first + 1, last + 1):
        token = tokens[index]
        if token.text in ",،":
            if index < last and tokens[index + 1].is_word and tokens[index + 1].text[0].isupper():
                bounds.append((index, index + 1))  # "Sioux Falls, South Dakota": two names in news annotation
                continue
            last = index - 1  # "David Frost, director general of …": the rest describes the name
            break
        if token.is_arabic and _breaks_span(tokens, index):
            bounds.append((index, index))  # "وبصرى" opens the next name
        elif _breaks_span(tokens, index) or token.text == "and" and (
                kind == "PER" or index < last and tokens[index + 1].key == "the"):
            bounds.append((index, index + 1))  # also "Alexander and Catwoman", "Cruel Sports and the RSPCA"
    bounds.append((last + 1, last + 1))
    pieces = []
    for (_, start), (end, _) in zip(bounds, bounds[1:]):
        end -= 1
        while start <= end and _outside_name(tokens[start], kind, True, tokens[start + 1] if start < end else None):
            start += 1
        while end >= start and _outside_name(tokens[end], kind, leading=False):
            end -= 1
        if start <= end and not _no_name(tokens[start:end + 1], kind):
            pieces.append((start, end))
    return pieces


def _no_name(tokens: list[Token], kind: str) -> bool:
    """Titles and roles alone ("Trade Secretary", "الرئيس"), an English demonym ("Syrian", "South
    African"), a plural acronym ("PCs", "MPs") or a person that is an acronym ("GMTV") name no one the
    model may claim; the rules judge them."""
    if not tokens[0].is_arabic and gazetteer.demonym_country(" ".join(t.text for t in tokens)):
        return True
    if len(tokens) == 1 and (_PLURAL_ACRONYM.fullmatch(tokens[0].text) or (
            kind == "PER" and len(tokens[0].text) > 1 and tokens[0].text.isupper())):
        return True
    return all(t.key in lx.EN_TITLES or t.key in lx.EN_NON_NAME or t.key in lx.AR_TITLES for t in tokens)


_PLURAL_ACRONYM = re.compile("[A-Z]{2,}s")


def _typed_pieces(scan: Scan) -> list[tuple[str, int, int]]:
    """(type, first, last) of the model's spans, sentence by sentence, cut, trimmed and typed for news."""
    tokens = scan.tokens
    starts = [*sentence_starts(tokens, scan.text), len(tokens)]
    lower_words = {t.key for t in tokens if t.is_word and not t.is_arabic and t.text.islower()}
    typed = []
    for sentence, end in zip(starts, starts[1:]):
        for kind, start, last in sorted(entity_spans(ner_model.tag(tokens[sentence:end])), key=lambda s: s[1]):
            for first, piece_last in _pieces(tokens, kind, sentence + start, sentence + last):
                if first == sentence and tokens[first].key in lower_words:
                    first += 1  # "Police said …", "Similar deals …": a common word opening the sentence
                if first <= piece_last:
                    first, piece_kind = _person_behind_title(tokens, kind, first, piece_last)
                    typed.append((_piece_type(tokens, piece_kind, first, piece_last), first, piece_last))
    return typed


def add_model_mentions(scan: Scan) -> None:
    """Add the trained model's PER/LOC/ORG spans where no mention is yet; a Latin name all of whose
    words belong to a person's name elsewhere in the text is that person ("Campbell" after "Sol
    Campbell"), unless it is a country or a capital."""
    tokens = scan.tokens
    typed = _typed_pieces(scan)
    person_words = {tokens[i].key for kind, first, last in typed if kind == "PERSON" and last > first
                    for i in range(first, last + 1) if tokens[i].is_word and not tokens[i].is_arabic}
    for kind, first, last in typed:
        words = [t.key for t in tokens[first:last + 1] if t.is_word]
        if kind != "PERSON" and not tokens[first].is_arabic and all(w in person_words for w in words) and (
                kind != "LOC" or not _country_or_capital(" ".join(words))):
            kind = "PERSON"
        if scan.free(first, last):
            scan.add(kind, first, last, _clitic_letters(tokens[first]))


def _country_or_capital(key: str, admin: bool = False) -> bool:
    """Whether a folded name is a country's or a capital's ("Jordan", "Washington"), or with ``admin``
    also a state's or province's ("Connecticut") — not a town's ("Bush", "Taylor")."""
    if not is_place(key):
        return False
    code = gazetteer.candidates(key)[0].feature_code or ""
    return code.startswith("PCL") or code == "PPLC" or admin and code.startswith("ADM")


def _person_behind_title(tokens: list[Token], kind: str, first: int, last: int) -> tuple[int, str]:
    """(first token, type) of a Latin span, without a title or organisation word before a person's name
    ("Environment Secretary Margaret Beckett", "Democrat John Kerry", "President Bush"); a span the
    model did not call a person is one when a given name follows that word ("Director Marc Rothemund")
    or when it is a given name and one more capitalised word ("Tony Blair")."""
    if tokens[first].is_arabic or last == first:
        return first, kind
    titles = [i for i in range(first, last) if tokens[i].text[0].isupper() and (
        tokens[i].key in lx.EN_TITLES or tokens[i].key in lx.EN_ORG_HEADS)]
    if titles:
        name = titles[-1] + 1
        if (kind == "PER" or ner_model.given_name(tokens[name].key)) and tokens[name].text[0].isupper() and not any(
                t.key in lx.EN_ORG_HEADS for t in tokens[name:last + 1]):
            return name, "PER"
        return first, kind
    if kind == "ORG" and last == first + 1 and ner_model.given_name(tokens[first].key) and \
            tokens[last].text[0].isupper() and tokens[last].key not in lx.EN_ORG_HEADS:
        return first, "PER"
    return first, kind


def _piece_type(tokens: list[Token], kind: str, first: int, last: int) -> str:
    """The model's type, but LOC for a Latin-script name that is a country, region, capital or big city
    ("Connecticut", "Iran", "U.S."): news annotation calls those places even where they act ("Iran said");
    a person only for a country, state or capital ("Bush" is also a town)."""
    words = [t for t in tokens[first:last + 1] if t.is_word]
    if kind != "LOC" and words and not words[0].is_arabic and all(t.text[0].isupper() for t in words):
        key = " ".join(t.key for t in words)
        if "".join(t.key for t in words) in lx.EN_COUNTRY_CODES or (
                _country_or_capital(key, admin=True) if kind == "PER" else
                ner_model.place_class(key, acronym=len(words) == 1 and words[0].text.isupper()) == "big"):
            return "LOC"
    return _MODEL_TYPES[kind]
