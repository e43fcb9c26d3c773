"""Which gazetteer place each place name of an article most likely means.

:func:`geocode` takes an article's place names (:func:`newsingest.geo.toponyms.toponyms`) and
:func:`resolve` scores each distinct name's candidates by their prior (feature type and size,
:func:`gazetteer.prior`; less for a town matched only by an alternate name, and no region bonus for a
first-level region smaller than a town of the same name elsewhere: "Gaza" is the city, not the province
of Mozambique) plus evidence from the rest of the article:

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

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

from newsingest.geo import gazetteer
from newsingest.geo.gazetteer import Place, prior
from newsingest.geo.places import BIG_TOWN, lookup
from newsingest.geo.toponyms import Toponym, containers, toponyms
from newsingest.text.tokens import word_counts

_DOMINANT_MARGIN = 1.5  # a candidate this much more likely than the next makes its name unambiguous
_ALIAS_PENALTY = 1.0  # a town that answers to the name only as an alternate name (Swainsboro, once Paris)
_OUTGROWN_REGION = 2.0  # a region's prior bonus, lost when a town of the name elsewhere is bigger (Gaza: not Mozambique's)
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


# Two places further apart than this in latitude (radians, a hair over _PROXIMITY_KM of meridian) are further
# apart than _PROXIMITY_KM: a great circle is never shorter than its difference in latitude.
_FAR_LATITUDE = _PROXIMITY_KM / _EARTH_KM * (1 + 1e-6)

# Two points _PROXIMITY_KM apart on the earth lie this far apart in a straight line on the unit sphere (a hair
# more), so no coordinate of theirs differs by a whole cube of this side.
_CHORD = 2 * math.sin(_PROXIMITY_KM / _EARTH_KM / 2) * (1 + 1e-6)
_AROUND = tuple(itertools.product((-1, 0, 1), repeat=3))  # a cube's offsets to itself and its 26 neighbours
_FEW_PICKS = 32  # up to this many picks, measuring them all is cheaper than filing them
_Spot = tuple[float, float, float]  # a place's latitude and longitude in radians, and the cosine of its latitude


def _spot(place: Place) -> _Spot:
    """What :func:`_spot_distance_km` reads of a place, worked out once for its many distances."""
    latitude = math.radians(place.lat)
    return latitude, math.radians(place.lon), math.cos(latitude)


def _spot_distance_km(a: _Spot, b: _Spot) -> float:
    """Great-circle distance between two spots (haversine): :func:`distance_km`, to the last bit."""
    h = math.sin((b[0] - a[0]) / 2) ** 2 + a[2] * b[2] * math.sin((b[1] - a[1]) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    return _spot_distance_km(_spot(a), _spot(b))


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

    readings = _readings_by_region({key: _by_region(found, key) for key, found in options.items()})
    context = {key: _context_scores(key, found, countries - votes[key][0], regions - votes[key][1], readings)
               for key, found in options.items()}
    first = {key: max(scored, key=scored.get) for key, scored in context.items() if scored}
    outer = {keys[i]: keys[j] for i, j in enumerate(within or ()) if j is not None and keys[j] != keys[i]}
    shortlist = {key: sorted(scored.items(), key=lambda item: item[1], reverse=True)[:_FINAL_CANDIDATES]
                 for key, scored in context.items() if scored}
    final = first
    spots = {id(place): _spot(place) for best in shortlist.values() for place, _ in best}  # the picks are among them
    for _ in range(_PROXIMITY_ROUNDS):  # closeness to the other picks, the picks updated each round
        anchors = _Anchors([(key, spots[id(p)]) for key, p in final.items() if p.feature_code not in ("PCLI", "ADM1", "CONT")])

        def score(place: Place, key: str, base: float) -> float:
            if anchors.any_besides(key):  # a pick further than _PROXIMITY_KM adds 0.0, as does none
                closest = anchors.closest_km(spots[id(place)], key)
                base += _PROXIMITY_WEIGHT * max(0.0, 1.0 - closest / _PROXIMITY_KM)
            container = final.get(outer[key]) if key in outer else None
            return base + (_CONTAINER_WEIGHT if container is not None and _inside(place, container) else 0.0)

        final = {key: max(best, key=lambda item, k=key: score(item[0], k, item[1]))[0] for key, best in shortlist.items()}
    return [final.get(key) for key in keys]


_Readings = dict[tuple[str | None, str], list[tuple[str, list[tuple[Place, float]]]]]


def _readings_by_region(local: dict[str, dict[tuple[str | None, str], list[tuple[Place, float]]]]) -> _Readings:
    """Each region's plausible readings (:func:`_by_region`), by the name they are readings of, in the order of
    the names: a candidate then meets only the names with readings in its region (a walk over every name for
    every candidate grew with the square of the names)."""
    readings: _Readings = {}
    for key, regions in local.items():
        for region, found in regions.items():
            readings.setdefault(region, []).append((key, found))
    return readings


class _Anchors:
    """The spots of the other names' picks in a proximity round. Past :data:`_FEW_PICKS` of them they are filed
    by the cube of side :data:`_CHORD` their point on the unit sphere lies in, and a candidate measures only the
    picks of its own cube and the 26 around it: all that can lie within _PROXIMITY_KM (measuring every pick for
    every candidate grew with the square of the names)."""

    def __init__(self, picks: list[tuple[str, _Spot]]) -> None:
        self._picks = picks
        self._keys = {key for key, _ in picks}
        self._cubes: dict[tuple[int, int, int], list[tuple[str, _Spot]]] | None = None  # filed when first asked

    def any_besides(self, key: str) -> bool:
        """Whether a name other than ``key`` has a pick here."""
        return len(self._keys) > (key in self._keys)

    def closest_km(self, here: _Spot, key: str) -> float:
        """The distance to the closest pick of another name than ``key`` when it is under _PROXIMITY_KM (the
        only distances proximity counts), else ``inf``."""
        near = self._picks
        if len(near) > _FEW_PICKS:
            if self._cubes is None:
                self._cubes = {}
                for pick in self._picks:
                    self._cubes.setdefault(_cube(pick[1]), []).append(pick)
            x, y, z = _cube(here)
            near = [pick for dx, dy, dz in _AROUND for pick in self._cubes.get((x + dx, y + dy, z + dz), ())]
        closest = min((_spot_distance_km(here, there) for k, there in near if k != key and abs(there[0] - here[0]) <= _FAR_LATITUDE),
                      default=math.inf)
        return closest if closest < _PROXIMITY_KM else math.inf


def _cube(spot: _Spot) -> tuple[int, int, int]:
    """The cube of side :data:`_CHORD` that holds ``spot``'s point on the unit sphere."""
    latitude, longitude, cos_latitude = spot
    return (math.floor(cos_latitude * math.cos(longitude) / _CHORD), math.floor(cos_latitude * math.sin(longitude) / _CHORD),
            math.floor(math.sin(latitude) / _CHORD))


def _context_scores(key: str, found: tuple[Place, ...], countries: Counter[str], regions: Counter[tuple[str, str]],
                    readings: _Readings) -> dict[Place, float]:
    """Each candidate's likelihood plus the support of the *other* names (``countries`` and ``regions``
    hold their votes and the demonyms', not this name's own) and of their readings in its region."""
    country_support: dict[str | None, float] = {}
    region_total = sum(regions.values())
    biggest_town = max((p.population for p in found if p.feature_class == "P"), default=0)
    scored = {}
    for place in found:
        code = place.country_code
        if code not in country_support:
            country_support[code] = _country_support(countries, code)
        value = _likelihood(place, key) + _COUNTRY_WEIGHT * country_support[code]
        if place.feature_code == "ADM1" and place.population < biggest_town:
            value -= _OUTGROWN_REGION
        if place.admin1:
            region = (code, place.admin1)
            named = _REGION_WEIGHT * regions[region] / region_total if region_total else 0.0
            fit = sum(_closeness(place, other) for k, other in readings.get(region, ()) if k != key)
            value += max(named, _COHERENCE_WEIGHT * min(_MAX_COHERENCE, fit))  # two measures of one thing: the larger
        scored[place] = value
    return scored


def _demonym_countries(text: str) -> set[str]:
    """The countries of the demonyms among ``text``'s words: each distinct word key looked up once (the word
    counts are tokenize's, cached and shared with the tone)."""
    return gazetteer.demonym_countries(map(itemgetter(0), word_counts(text)))


def geocode(entities: Sequence[dict[str, Any]], text: str, url: str | None = None) -> list[tuple[Toponym, Place | None]]:
    """Each place name of an article (:func:`toponyms`) with the place it means (:func:`resolve`), or ``None``;
    ``url`` is the article's, whose country-code domain is a default country."""
    names = toponyms(entities, text)
    within = containers([[(m["start"], m["end"]) for m in t.mentions] for t in names], text)
    return list(zip(names, resolve([t.name for t in names], text, within, source_country(url)), strict=True))


def source_country(url: str | None) -> str | None:
    """The country of a URL's country-code domain ("https://www.cbc.ca/…" → ``"CA"``), else ``None``."""
    return gazetteer.domain_country(urlsplit(url).hostname or "") if url else None
