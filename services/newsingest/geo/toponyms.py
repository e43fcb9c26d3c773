"""The place names of an article (toponyms): from its extracted entities and from the patterns news
writes places in.

:func:`toponyms` takes LOC/GPE entities (a mention cut out of a longer place name widened to it: "New
[Zealand]"), places inside organisation and person names, county lists ("Swift and Wilkin counties"),
towns before an abbreviated state ("SEVIERVILLE, Tenn.") and states after a place; :func:`containers`
tells which name is written as another's container ("Paris, Texas"). Which place each name means is
:mod:`newsingest.geo.geocode`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsingest.geo import gazetteer
from newsingest.geo.places import is_place, lookup, other_than_place, places_within, surname, whole_place
from newsingest.text import lexicon as lx

_COUNTY_NAME = re.compile(r"(?!(?:and|or)\b)[A-Z][a-zA-Z'.-]+(?: [A-Z][a-zA-Z'.-]+)?")
_COUNTY_LIST = re.compile(rf"\b((?:{_COUNTY_NAME.pattern}(?:,? (?:and|or|&) |, ))+{_COUNTY_NAME.pattern}) [Cc]ounties\b")
# Words around a name that use it as a place ("in Ozark", "a DeKalb man").
_PLACE_BEFORE = frozenset("in near at outside inside into from".split())
_PLACE_AFTER = frozenset("man woman men women resident residents native natives teen teenager couple boy girl".split())
_LAST_WORD = re.compile(r"\b([a-z]+) $")
_FIRST_WORD = re.compile(r" ([a-z]+)\b")
# A town and an abbreviated state: "SEVIERVILLE, Tenn.", "Fort Knox, Ky.", "Bismarck, N.D.".
_TOWN_STATE = re.compile(r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}), ((?:[A-Z][a-z]{0,4}\. ?)+)")
# What every _TOWN_STATE match holds, found ~30x faster (a literal first): most articles have none, so the
# costly pattern, tried at every word, is run only where it can match. Likewise "ounties" for _COUNTY_LIST.
_ABBREVIATION_AFTER_COMMA = re.compile(r", [A-Z][a-z]{0,4}\.")
# Words around a place mention that may make a longer place name with it ("New Zealand", "Rio Grande do Sul").
_MAX_EXTRA_WORDS = 2
_WORD_BEFORE = re.compile(r"[\w'’.]+[ -]$")
_WORD_AFTER = re.compile(r"[ -][\w'’]+")
_SPLIT_WORDS = re.compile(r"[ -]")
_JOINERS = frozenset("of the and de du des la le del da do dos das di el al es upon on".split())
_MAX_ABBREVIATION = 5  # letters of the longest region abbreviation ("Calif", "Okla")
# ", N.D." / ", W. Va." / ", Ohio" / ", South Carolina" right after a place name.
_REGION_AFTER = re.compile(r", ?((?:[A-Z][a-z]{0,4}\. ?)*[A-Z][a-z]{0,4}\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")

_PLACE_TYPES = frozenset({"LOC", "GPE"})
_NAME_TYPES = frozenset({"ORG", "PERSON", "EVENT"})  # whose names may hold a place ("Kansas Department of Health")


@dataclass
class Toponym:
    """One place name of an article and its mentions; ``entity_id`` when the whole entity is the place."""

    name: str
    entity_id: str | None
    mentions: list[dict[str, Any]] = field(default_factory=list)


def _best_name(entity: dict[str, Any]) -> str:
    """The canonical text, unless only a mention's surface form is a known place."""
    for name in (entity["text"], *(m.get("text", "") for m in entity["mentions"])):
        if name and lookup(name):
            return name
    return entity["text"]


class _Collector:
    """Place names by key while :func:`toponyms` gathers them, and the text offsets already taken."""

    def __init__(self, entities: Sequence[dict[str, Any]]) -> None:
        self.found: dict[str, Toponym] = {}
        self.taken: set[int] = set()
        self.surnames = set(filter(None, (surname(e["text"]) for e in entities if e["type"] == "PERSON")))

    def add(self, name: str, entity_id: str | None, mentions: list[dict[str, Any]]) -> None:
        if other_than_place(name, self.surnames):
            return
        toponym = self.found.setdefault(gazetteer.name_key(name), Toponym(name, entity_id))
        toponym.entity_id = toponym.entity_id or entity_id
        toponym.mentions += mentions
        self.taken.update(m["start"] for m in mentions)

    def add_span(self, name: str, start: int, end: int) -> None:
        self.add(name, None, [{"start": start, "end": end, "text": name}])


def toponyms(entities: Sequence[dict[str, Any]], text: str = "") -> list[Toponym]:
    """The article's place names from its entities and ``text``, one per distinct name.

    A LOC/GPE entity is a place as a whole when its name (or a mention's) is in the gazetteer; else the
    place names inside its mentions are ("Orient, Ohio", "Dakota and Washington counties"). A Latin-script
    organisation, person or event mistyped from a place name ("Connecticut", "Hong Kong") is a place
    too, and one whose name holds a notable place gives that place ("Kansas Department of Health").
    A LOC entity with no known name stays as it is (it counts as unresolved). A LOC/GPE mention cut out
    of a longer place name is widened to it ("New [Zealand]"); a short name each of whose mentions the
    text follows with a dot is its region's abbreviation ("Wichita, Kan" + "." → "Kan."). From the text: the names
    of a county list ("Swift and Wilkin counties"), a town written before an abbreviated state of its
    own ("SEVIERVILLE, Tenn.") and a state or country written after a place and a comma ("Bismarck,
    N.D.", "FAIRFIELD, Conn."), even where no recogniser took them.
    """
    places = _Collector(entities)
    for entity in entities:
        _entity_toponyms(places, entity, text)
    _text_toponyms(places, text)
    for toponym in places.found.values():
        toponym.mentions.sort(key=lambda m: m["start"])
        toponym.name = _abbreviation(toponym, text) or toponym.name
    return [toponym for toponym in places.found.values() if toponym.mentions]


def _entity_toponyms(places: _Collector, entity: dict[str, Any], text: str) -> None:
    kind = entity["type"]
    if kind not in _PLACE_TYPES and kind not in _NAME_TYPES:
        return
    if kind in _PLACE_TYPES:  # a mention cut out of a longer place name: "New [Zealand]", "[Kansas] City"
        whole = []
        for mention in entity["mentions"]:
            longer = longer_place(text, mention["start"], mention["end"])
            if longer:
                places.add_span(text[longer[0]:longer[1]], *longer)
            else:
                whole.append(mention)
        if not whole:
            return
        entity = {**entity, "mentions": whole}
    name = _best_name(entity) if kind in _PLACE_TYPES else entity["text"]
    if lookup(name) if kind in _PLACE_TYPES else whole_place(name, kind) or (
            is_place(name) and any(_used_as_place(text, m) for m in entity["mentions"])):
        places.add(name, entity["id"], [dict(m) for m in entity["mentions"]])
        return
    inner = [(m, start, end) for m in entity["mentions"] for start, end in places_within(m["text"], kind)]
    for mention, start, end in inner:
        places.add_span(mention["text"][start:end], mention["start"] + start, mention["start"] + end)
    if not inner and kind in _PLACE_TYPES:
        places.add(name, entity["id"], [dict(m) for m in entity["mentions"]])


def longer_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the longest place name in ``text`` that holds the name at ``start:end`` and up to
    ``_MAX_EXTRA_WORDS`` words either side of it, joined by a space or hyphen ("New Zealand", "Kansas City",
    "Rio Grande do Sul", "Beni Suef"), else ``None``. Its outer words are capitalised, its inner ones too
    or joiners ("do", "es")."""
    starts, ends = [start], [end]
    while len(starts) <= _MAX_EXTRA_WORDS and (word := _WORD_BEFORE.search(text, max(0, starts[-1] - 40), starts[-1])):
        starts.append(word.start())
    starts = [a for a in starts if text[a:a + 1].isupper()]  # a name opens with a capital (never in Arabic script)
    if not starts:
        return None
    while len(ends) <= _MAX_EXTRA_WORDS and (word := _WORD_AFTER.match(text, ends[-1])):
        ends.append(word.end())
    spans = sorted(((a, b) for a in starts for b in ends if (a, b) != (start, end)), key=lambda s: s[0] - s[1])
    return next((span for span in spans if _is_longer_name(text[span[0]:span[1]])), None)


def _is_longer_name(name: str) -> bool:
    words = _SPLIT_WORDS.split(name)
    return words[0][:1].isupper() and words[-1][:1].isupper() \
        and all(w[:1].isupper() or w in _JOINERS for w in words) and is_place(name)


def _abbreviation(toponym: Toponym, text: str) -> str | None:
    """The region abbreviation a name is when every mention of it is followed by a dot the entity left out
    ("Wichita, Kan" + "." → "Kan.", Kansas; "Brandon, Man." → Manitoba), else ``None``."""
    name = toponym.name
    if name.endswith(".") or len(name) > _MAX_ABBREVIATION or not toponym.mentions \
            or any(text[m["end"]:m["end"] + 1] != "." for m in toponym.mentions):
        return None
    found = gazetteer.candidates(name + ".")
    return name + "." if found and found[0].feature_code == "ADM1" else None


def _used_as_place(text: str, mention: dict[str, Any]) -> bool:
    """Whether the words around a mention use it as a place: "in Ozark", "a DeKalb man"."""
    before = _LAST_WORD.search(text, max(0, mention["start"] - 16), mention["start"])
    after = _FIRST_WORD.match(text, mention["end"])
    return bool(before and before.group(1) in _PLACE_BEFORE or after and after.group(1) in _PLACE_AFTER)


def _text_toponyms(places: _Collector, text: str) -> None:
    for start, (end, county) in county_lists(text).items():
        for toponym in places.found.values():  # "Swift" taken as a town: the list says it is the county
            toponym.mentions = [m for m in toponym.mentions if m["start"] != start]
        places.add(county, None, [{"start": start, "end": end, "text": text[start:end]}])
    town_states = _TOWN_STATE.finditer(text) if _ABBREVIATION_AFTER_COMMA.search(text) else ()
    for match in town_states:  # "SEVIERVILLE, Tenn. (AP)", "of Caddo, Okla., said"
        town, region = match.group(1), lookup(match.group(2).rstrip())
        if region and region[0].feature_code == "ADM1" and match.start(1) not in places.taken \
                and any((p.country_code, p.admin1) == (region[0].country_code, region[0].admin1) for p in lookup(town)):
            places.add_span(town, *match.span(1))
    for toponym in list(places.found.values()):
        for mention in list(toponym.mentions):
            region = _REGION_AFTER.match(text, mention["end"])
            if region and region.start(1) not in places.taken and _is_region(region.group(1)):
                places.add_span(region.group(1), *region.span(1))


def county_lists(text: str) -> dict[int, tuple[int, str]]:
    """start → (end, "<name> County") for each name of a list of counties ("Swift and Wilkin counties",
    "Becker, Clay, Douglas and Otter Tail counties") that the gazetteer knows as a county."""
    found: dict[int, tuple[int, str]] = {}
    for match in _COUNTY_LIST.finditer(text) if "ounties" in text else ():
        for name in _COUNTY_NAME.finditer(match.group(1)):
            start, words = match.start(1) + name.start(), name.group()
            if words.split()[0].lower() in lx.EN_STOP_CAPS:  # "In Dakota, Otoe and Washington counties"
                start, words = start + len(words.split()[0]) + 1, words.split(maxsplit=1)[-1]
            county = f"{words} County"
            if gazetteer.candidates(county):
                found[start] = (start + len(words), county)
    return found


def _is_region(name: str) -> bool:
    found = lookup(name)
    return bool(found) and found[0].feature_code in ("ADM1", "PCLI")


def containers(spans: Sequence[Sequence[tuple[int, int]]], text: str) -> list[int | None]:
    """For each place name of an article (the spans of its mentions in ``text``), the index of the place
    written right after one of them as its container ("Paris, Texas", "COLUMBUS, Ohio (AP)"), else ``None``."""
    owner = {start: index for index, group in enumerate(spans) for start, _ in group}
    found: list[int | None] = []
    for index, group in enumerate(spans):
        outer = None
        for _, end in group:
            if text[end:end + 1] == ",":
                after = end + 1
                while text[after:after + 1] == " ":
                    after += 1
                outer = owner.get(after)
                if outer is not None and outer != index:
                    break
                outer = None
        found.append(outer)
    return found
