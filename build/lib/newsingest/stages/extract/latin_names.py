"""English (Latin-script) entities from runs of capitalised words.

A run is cut at connectors unless it names an organisation ("Bank of England"); its type follows
from what it holds: an organisation head or a known acronym → ORG, a place in the gazetteer or a
street/river head → LOC, a demonym → NORP, a title or a common given name first → PERSON.
"""

from __future__ import annotations

from collections.abc import Iterator

from newsingest.geo import gazetteer
from newsingest.geo.places import is_place, single_place_ok
from newsingest.stages.extract.mentions import Scan
from newsingest.text import lexicon as lx
from newsingest.text.tokens import Token

MAX_NAME_WORDS = 4
_CONNECTORS = {"of", "for", "the", "and", "de", "al", "bin", "el", "-"}


def _latin_runs(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Runs of capitalised Latin words, joined by lower-case connectors or glued hyphens."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not (token.is_word and not token.is_arabic and token.text[0].isupper()):
            index += 1
            continue
        last = index
        probe = index + 1
        while probe < len(tokens):
            nxt = tokens[probe]
            if nxt.is_word and not nxt.is_arabic and nxt.text[0].isupper():
                last = probe
                probe += 1
            elif nxt.key in _CONNECTORS and (nxt.text != "-" or nxt.start == tokens[probe - 1].end):
                probe += 1
            else:
                break
        yield index, last
        index = last + 1


def _org_like(tokens: list[Token], first: int, last: int) -> bool:
    return any(t.key in lx.EN_ORG_HEADS for t in tokens[first:last + 1])


def _pieces(tokens: list[Token], first: int, last: int) -> Iterator[tuple[int, int]]:
    """Split a run at its connectors, keeping organisation names whole: "Bank of England",
    "Securities and Exchange Commission" — but "Chancellor Gordon Brown" | "the Court of Appeals"."""
    pieces: list[tuple[int, int, str]] = []  # (first, last, connector before it)
    start, connector = first, ""
    for index in range(first, last + 2):
        if index <= last and not (tokens[index].key in _CONNECTORS and tokens[index].text[0].islower()
                                  or tokens[index].text == "-"):
            continue
        if start < index:
            pieces.append((start, index - 1, connector))
            connector = ""
        if index <= last:
            connector = connector if connector and tokens[index].key == "the" else tokens[index].key
        start = index + 1
    merged: list[tuple[int, int]] = []
    for piece_first, piece_last, joint in pieces:
        if merged and _joins(tokens, merged[-1], (piece_first, piece_last), joint):
            merged[-1] = (merged[-1][0], piece_last)
        else:
            merged.append((piece_first, piece_last))
    yield from merged


def _joins(tokens: list[Token], left: tuple[int, int], right: tuple[int, int], joint: str) -> bool:
    if joint in ("and", "the"):
        return _org_like(tokens, *right) and not any(
            t.key in lx.EN_TITLES or t.key in lx.EN_GIVEN_NAMES for t in tokens[left[0]:left[1] + 1])
    return _org_like(tokens, *left) or _org_like(tokens, *right)


def _acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2


def _latin_type(scan: Scan, first: int, last: int, titled: bool, lower_words: set[str]) -> str | None:
    words = [t.text for t in scan.tokens[first:last + 1] if t.is_word]
    keys = [w.lower() for w in words]
    key = " ".join(keys)
    if len(words) == 1:
        word = words[0]
        if key in lx.EN_COUNTRY_CODES:
            return "LOC"
        if _acronym(word):
            if key in lx.EN_NOT_ACRONYMS or word.endswith("s"):  # "TV", "SUVs"
                return None
            places = gazetteer.candidates(word) if word.isupper() else ()
            return "LOC" if places and places[0].feature_class in ("A", "L") else "ORG"
        if key in lx.EN_FIXED_ORGS:
            return "ORG"
        if gazetteer.demonym_country(word):
            return "NORP"
        if titled and key not in lx.EN_NON_NAME:
            return "PERSON"
        if key in lower_words:  # "gold", "western": a common word at the head of a sentence or in a title
            return None
        return "LOC" if is_place(key) and single_place_ok(scan, first, key) else None
    if key in lx.EN_FIXED_ORGS:
        return "ORG"
    if keys[-1] in lx.EN_LOC_HEADS or is_place(key):  # "Wall Street", "West Bank"
        return "LOC"
    if _org_like(scan.tokens, first, last):
        return "ORG"
    if len(words) > MAX_NAME_WORDS or any(gazetteer.demonym_country(w) for w in words):
        return None
    if keys[0] in lx.EN_GIVEN_NAMES or (titled and not any(k in lx.EN_NON_NAME for k in keys)):
        return "PERSON"  # "Theresa May" despite the month
    return None


def _sentence_initial(scan: Scan, index: int) -> bool:
    return index == 0 or index in scan.breaks or scan.tokens[index - 1].text in ".!?:\"“”‘'"


def find_latin_entities(scan: Scan) -> None:
    tokens = scan.tokens
    lower_words = {t.key for t in tokens if t.is_word and not t.is_arabic and t.text.islower()}
    for run_first, run_last in _latin_runs(tokens):
        for first, last in _pieces(tokens, run_first, run_last):
            while first <= last and (tokens[first].key in lx.EN_STOP_CAPS or tokens[first].key in lx.EN_NON_NAME or (
                    _sentence_initial(scan, first) and tokens[first].key in lower_words)):
                first += 1  # "The", "But", month names, a sentence's first word that is a common word
            while last >= first and not tokens[last].text[0].isupper():
                last -= 1
            if first > last:
                continue
            titles = [i for i in range(first, last + 1) if tokens[i].key in lx.EN_TITLES]
            titled = bool(titles) or (first > 0 and tokens[first - 1].key in lx.EN_TITLES)
            if titles and not _org_like(tokens, first, last):
                first = titles[-1] + 1  # "Trade Secretary Patricia Hewitt" → "Patricia Hewitt"
                while first <= last and (tokens[first].key in lx.EN_NON_NAME or not tokens[first].text[0].isupper()):
                    first += 1
                if first > last:
                    continue
            kind = _latin_type(scan, first, last, titled, lower_words)
            if kind and scan.free(first, last):
                scan.add(kind, first, last)
