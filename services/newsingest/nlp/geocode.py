"""Toponyms of an article and their resolution: which gazetteer place each place name most likely means.

:func:`toponyms` gathers the place names from the extracted entities (LOC/GPE, places inside
organisation and person names, county lists, "Town, ST."). :func:`resolve` scores each distinct name's
candidates by their prior (feature type and size, :func:`gazetteer.prior`; less for a town matched only
by an alternate name) plus evidence from the rest of the article:

* country support — the share of the article's country votes for the candidate's country (half that of
  the countries it borders), at least a fixed floor for a country with a vote of its own, so one the
  story names still counts among many others (Gaza next to "Palestinian"). Votes come from countries
  named outright, from place names that are unambiguous (one country, or one candidate far more likely
  than the rest), from demonyms in the text ("Syrian", "السوري") and from the source's country-code domain;
* region support — the larger of the share of first-level region votes (a story naming Texas) and the
  coherence with the other names: how plausible their readings in the candidate's region are, and how
  near (Paris + Henry County → Paris, Tennessee);
* a second pass, twice — closeness to the places picked for the other names, and the container written
  after a name ("Paris, Texas", "COLUMBUS, Ohio").

"Tripoli" alone is Libya's capital; next to "Lebanon" or "Beirut" it is Tripoli, Lebanon.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newsingest.nlp import gazetteer
from newsingest.nlp import lexicon as lx
from newsingest.nlp.gazetteer import Place, prior
from newsingest.nlp.places import BIG_TOWN, is_place, other_than_place, places_within, surname, whole_place
from newsingest.nlp.tokens import fold, proclitic_splits

_MAX_CANDIDATES = 40
_DOMINANT_MARGIN = 1.5  # a candidate this much more likely than the next makes its name unambiguous
_ALIAS_PENALTY = 1.0  # a town that answers to the name only as an alternate name (Swainsboro, once Paris)
# Country and region votes: from names that are unambiguous, demonyms, the source's domain.
_COUNTRY_WEIGHT = 4.0
_REGION_WEIGHT = 2.0
_EXPLICIT_VOTE = 2.0  # a country or region named outright outweighs a town that implies it
_DEMONYM_VOTE = 1.0
_SOURCE_VOTE = 1.0  # the country of the source's domain (".ca", ".co.uk"), a default the article can overrule
_MENTIONED_FLOOR = 0.75  # the least support of a country with any vote, however many other countries have votes
_NEIGHBOUR_SHARE = 0.5  # support a country gets from the votes for the countries it borders (Gaza next to Israel)
# Coherence: other names with a plausible reading in the same region (Paris + Henry County: Tennessee).
_COHERENCE_WEIGHT = 2.0
_COHERENCE_CANDIDATES = 15
_COHERENCE_KM = 100.0
_MAX_COHERENCE = 1.5
# Second pass: closeness to the other names' picks, and the container written after a name ("Paris, Texas").
_FINAL_CANDIDATES = 8  # the best readings after the first pass that proximity may still reorder
_PROXIMITY_ROUNDS = 2
_PROXIMITY_WEIGHT = 1.5
_PROXIMITY_KM = 400.0
_CONTAINER_WEIGHT = 4.0
_EARTH_KM = 6371.0
_CASED_COUNTRY_NAMES = {"US": "US"}
_WORD = re.compile(r"\w+")
_COUNTY_NAME = re.compile(r"(?!(?:and|or)\b)[A-Z][a-zA-Z'.-]+(?: [A-Z][a-zA-Z'.-]+)?")
_COUNTY_LIST = re.compile(rf"\b((?:{_COUNTY_NAME.pattern}(?:,? (?:and|or|&) |, ))+{_COUNTY_NAME.pattern}) [Cc]ounties\b")
# Words around a name that use it as a place ("in Ozark", "a DeKalb man").
_PLACE_BEFORE = frozenset("in near at outside inside into from".split())
_PLACE_AFTER = frozenset("man woman men women resident residents native natives teen teenager couple boy girl".split())
_LAST_WORD = re.compile(r"\b([a-z]+) $")
_FIRST_WORD = re.compile(r" ([a-z]+)\b")
# A town and an abbreviated state: "SEVIERVILLE, Tenn.", "Fort Knox, Ky.", "Bismarck, N.D.".
_TOWN_STATE = re.compile(r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}), ((?:[A-Z][a-z]{0,4}\. ?)+)")
# ", N.D." / ", W. Va." / ", Ohio" / ", South Carolina" right after a place name.
_REGION_AFTER = re.compile(r", ?((?:[A-Z][a-z]{0,4}\. ?)*[A-Z][a-z]{0,4}\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def lookup(name: str) -> tuple[Place, ...]:
    """Gazetteer candidates for ``name``, also without Arabic proclitics (وحمص → حمص); a demonym
    ("Syrian", "السورية", "Spanish") means its country, before any small town of that name (Spanish,
    Ontario); an abbreviation whose dot the tokenizer left out ("Okla") means its region."""
    if name.strip() in _CASED_COUNTRY_NAMES:  # "US" (never the pronoun "us")
        return (gazetteer.country(_CASED_COUNTRY_NAMES[name.strip()]),)
    code = gazetteer.demonym_country(name)  # a demonym only where no region or big town has the name
    if code and (place := gazetteer.country(code)):
        return (place,)
    if name.istitle() and name.isalpha() and len(name) <= 5 and not gazetteer.is_place_name(name):
        dotted = gazetteer.candidates(name + ".")
        if dotted and dotted[0].feature_code == "ADM1":
            return dotted
    for _, stem in proclitic_splits(fold(name.strip()), min_stem=3):
        found = gazetteer.candidates(stem)
        if found:
            return found[:_MAX_CANDIDATES]
    return ()


def _unambiguous(options: tuple[Place, ...]) -> Place | None:
    """The one place a name can only mean, or ``None`` when it is ambiguous."""
    if len({p.country_code for p in options}) == 1:
        return options[0]
    return options[0] if prior(options[0]) - prior(options[1]) >= _DOMINANT_MARGIN else None  # most likely first


def _vote(found: tuple[Place, ...]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """What one name says about the article's country and region (nothing where it is ambiguous)."""
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    place = _unambiguous(found) if found else None
    if place is not None and place.country_code is not None:
        countries[place.country_code] += _EXPLICIT_VOTE if place.feature_class == "A" else 1.0
        elsewhere = [p for p in found if (p.country_code, p.admin1) != (place.country_code, place.admin1)]
        if place.admin1 and (not elsewhere or prior(place) - prior(elsewhere[0]) >= _DOMINANT_MARGIN):
            regions[place.country_code, place.admin1] += _EXPLICIT_VOTE if place.feature_code == "ADM1" else 1.0
    return countries, regions


def _share(counter: Counter, key: object) -> float:
    total = sum(counter.values())
    return counter[key] / total if total else 0.0


def _likelihood(place: Place, key: str) -> float:
    """The prior, less a penalty when a town answers to the name only as one of its alternate names
    (Swainsboro, Georgia, once called Paris)."""
    alias = place.feature_class == "P" and gazetteer.name_key(place.name) != key
    return prior(place) - (_ALIAS_PENALTY if alias else 0.0)


def _by_region(found: tuple[Place, ...], key: str) -> dict[tuple[str | None, str], list[tuple[Place, float]]]:
    """A name's plausible candidates per first-level region, each with its likelihood relative to the
    name's likeliest reading (1 for it, ×0.37 for each unit of prior below)."""
    regions: dict[tuple[str | None, str], list[tuple[Place, float]]] = {}
    likely = [(place, _likelihood(place, key)) for place in found[:_COHERENCE_CANDIDATES]]
    top = max((value for _, value in likely), default=0.0)
    for place, value in likely:
        if place.admin1:
            regions.setdefault((place.country_code, place.admin1), []).append((place, math.exp(value - top)))
    return regions


def _closeness(place: Place, others: list[tuple[Place, float]]) -> float:
    """How well another name's readings in ``place``'s region fit it: their likelihood, halved unless near."""
    return max(weight * (0.5 + 0.5 * max(0.0, 1.0 - distance_km(place, other) / _COHERENCE_KM))
               if other.feature_code != "ADM1" else weight for other, weight in others)


def _country_support(countries: Counter[str], code: str | None) -> float:
    """The share of the country votes for ``code``, plus part of those for its neighbours."""
    if code is None:
        return 0.0
    near = sum(_share(countries, other) for other in gazetteer.neighbours(code) if other in countries)
    floor = _MENTIONED_FLOOR if countries[code] > 0 else 0.0
    return min(1.0, max(floor, _share(countries, code) + _NEIGHBOUR_SHARE * near))


def _inside(place: Place, outer: Place) -> bool:
    """Whether ``place`` lies in ``outer`` (its country, its region, or near a town or county)."""
    if place.country_code != outer.country_code:
        return False
    if outer.feature_code in ("PCLI", None) and outer.feature_class != "P":
        return True
    if outer.feature_code == "ADM1":
        return place.admin1 == outer.admin1
    return place.admin1 == outer.admin1 and distance_km(place, outer) <= _PROXIMITY_KM / 4


def resolve(names: Sequence[str], text: str = "", within: Sequence[int | None] | None = None,
            source_country: str | None = None) -> list[Place | None]:
    """The place each of ``names`` (the toponyms of one article whose body is ``text``) refers to, or ``None``.

    ``within[i]``, when given, is the index of the name written as the container of name ``i``
    ("Paris, Texas"): a candidate inside the container's pick is preferred. ``source_country`` (of the
    source's web domain) counts as one more vote for that country.
    """
    keys = [gazetteer.name_key(name) for name in names]
    options = {key: lookup(name) for key, name in zip(keys, names, strict=True)}  # one vote per distinct name
    for key, found in options.items():  # "Barrow" in a story on "Barrow County" is the county
        county = options.get(key + " county")
        if county and not any(p.feature_class != "P" or p.population >= BIG_TOWN for p in found):
            options[key] = county + found
    votes = {key: _vote(found) for key, found in options.items()}
    countries = Counter({code: _DEMONYM_VOTE for code in _demonym_countries(text)})
    if source_country:
        countries[source_country] += _SOURCE_VOTE
    regions: Counter[tuple[str, str]] = Counter()
    for country_votes, region_votes in votes.values():
        countries.update(country_votes)
        regions.update(region_votes)

    local = {key: _by_region(found, key) for key, found in options.items()}
    context = {key: _context_scores(key, found, countries - votes[key][0], regions - votes[key][1], local)
               for key, found in options.items()}
    first = {key: max(scored, key=scored.get) for key, scored in context.items() if scored}
    outer = {keys[i]: keys[j] for i, j in enumerate(within or ()) if j is not None and keys[j] != keys[i]}
    shortlist = {key: sorted(scored.items(), key=lambda item: item[1], reverse=True)[:_FINAL_CANDIDATES]
                 for key, scored in context.items() if scored}
    final = first
    for _ in range(_PROXIMITY_ROUNDS):  # closeness to the other picks, the picks updated each round
        anchors = [(key, p) for key, p in final.items() if p.feature_code not in ("PCLI", "ADM1", "CONT")]

        def score(place: Place, key: str, base: float) -> float:
            near = [distance_km(place, other) for k, other in anchors if k != key]
            if near:
                base += _PROXIMITY_WEIGHT * max(0.0, 1.0 - min(near) / _PROXIMITY_KM)
            container = final.get(outer[key]) if key in outer else None
            return base + (_CONTAINER_WEIGHT if container is not None and _inside(place, container) else 0.0)

        final = {key: max(best, key=lambda item, k=key: score(item[0], k, item[1]))[0] for key, best in shortlist.items()}
    return [final.get(key) for key in keys]


def _context_scores(key: str, found: tuple[Place, ...], countries: Counter[str], regions: Counter[tuple[str, str]],
                    local: dict[str, dict[tuple[str | None, str], list[tuple[Place, float]]]]) -> dict[Place, float]:
    """Each candidate's likelihood plus the support of the *other* names (``countries`` and ``regions``
    hold their votes and the demonyms', not this name's own) and of their readings in its region."""
    country_support: dict[str | None, float] = {}
    region_total = sum(regions.values())
    scored = {}
    for place in found:
        code = place.country_code
        if code not in country_support:
            country_support[code] = _country_support(countries, code)
        value = _likelihood(place, key) + _COUNTRY_WEIGHT * country_support[code]
        if place.admin1:
            region = (code, place.admin1)
            named = _REGION_WEIGHT * regions[region] / region_total if region_total else 0.0
            fit = sum(_closeness(place, other[region]) for k, other in local.items() if k != key and region in other)
            value += max(named, _COHERENCE_WEIGHT * min(_MAX_COHERENCE, fit))  # two measures of one thing: the larger
        scored[place] = value
    return scored


def _demonym_countries(text: str) -> set[str]:
    words = set(_WORD.findall(text))  # each distinct word looked up once
    return set(filter(None, map(gazetteer.demonym_country, words)))


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


def geocode(entities: Sequence[dict[str, Any]], text: str, url: str | None = None) -> list[tuple[Toponym, Place | None]]:
    """Each place name of an article (:func:`toponyms`) with the place it means (:func:`resolve`), or ``None``;
    ``url`` is the article's, whose country-code domain is a default country."""
    names = toponyms(entities, text)
    within = containers([[(m["start"], m["end"]) for m in t.mentions] for t in names], text)
    return list(zip(names, resolve([t.name for t in names], text, within, source_country(url)), strict=True))


def source_country(url: str | None) -> str | None:
    """The country of a URL's country-code domain ("https://www.cbc.ca/…" → ``"CA"``), else ``None``."""
    return gazetteer.domain_country(urlsplit(url).hostname or "") if url else None


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
    A LOC entity with no known name stays as it is (it counts as unresolved). From the text: the names
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
    return [toponym for toponym in places.found.values() if toponym.mentions]


def _entity_toponyms(places: _Collector, entity: dict[str, Any], text: str) -> None:
    kind = entity["type"]
    if kind not in _PLACE_TYPES and kind not in _NAME_TYPES:
        return
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
    for match in _TOWN_STATE.finditer(text):  # "SEVIERVILLE, Tenn. (AP)", "of Caddo, Okla., said"
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
    found = {}
    for match in _COUNTY_LIST.finditer(text):
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
