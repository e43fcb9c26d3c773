"""Toponym resolution: pick, for each place name of one article, the gazetteer place it most likely means.

Each candidate is scored by its prior (feature type and size, :func:`gazetteer.prior`) plus evidence from the
rest of the article:

* country support — the share of the article's country votes for the candidate's country. Votes come
  from countries named outright, from place names that are unambiguous (one country, or one candidate
  far more likely than the rest), and from demonyms in the text ("Syrian", "السوري");
* region support — the same within a country, from first-level regions named (a story naming Texas);
* proximity — closeness to the places picked for the other names (a second pass once the first
  picks are known).

"Tripoli" alone is Libya's capital; next to "Lebanon" or "Beirut" it is Tripoli, Lebanon.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from newsingest.nlp import gazetteer
from newsingest.nlp.gazetteer import Place, prior
from newsingest.nlp.tokens import fold, proclitic_splits, tokenize

_MAX_CANDIDATES = 40
_DOMINANT_MARGIN = 1.5  # a candidate this much more likely than the next makes its name unambiguous
_COUNTRY_WEIGHT = 4.0
_REGION_WEIGHT = 2.0
_PROXIMITY_WEIGHT = 1.5
_PROXIMITY_KM = 400.0
_EXPLICIT_VOTE = 2.0  # a country or region named outright outweighs a town that implies it
_DEMONYM_VOTE = 1.0
_EARTH_KM = 6371.0


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def lookup(name: str) -> tuple[Place, ...]:
    """Gazetteer candidates for ``name``, also without Arabic proclitics (وحمص → حمص); a demonym
    ("Syrian", "السورية") means its country."""
    for _, stem in proclitic_splits(fold(name.strip()), min_stem=3):
        found = gazetteer.candidates(stem)
        if found:
            return found[:_MAX_CANDIDATES]
    code = gazetteer.demonym_country(name)
    place = gazetteer.country(code) if code else None
    return (place,) if place else ()


def _unambiguous(options: tuple[Place, ...]) -> Place | None:
    """The one place a name can only mean, or ``None`` when it is ambiguous."""
    if len({p.country_code for p in options}) == 1:
        return options[0]
    return options[0] if prior(options[0]) - prior(options[1]) >= _DOMINANT_MARGIN else None  # most likely first


def _vote(found: tuple[Place, ...]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """What one name says about the article's country and region (nothing if it is ambiguous)."""
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    place = _unambiguous(found) if found else None
    if place is not None and place.country_code is not None:
        countries[place.country_code] += _EXPLICIT_VOTE if place.feature_class == "A" else 1.0
        if place.feature_code == "ADM1" and place.admin1:
            regions[place.country_code, place.admin1] += _EXPLICIT_VOTE
    return countries, regions


def _share(counter: Counter, key: object) -> float:
    total = sum(counter.values())
    return counter[key] / total if total else 0.0


def resolve(names: Sequence[str], text: str = "") -> list[Place | None]:
    """The place each of ``names`` (the toponyms of one article whose body is ``text``) refers to, or ``None``."""
    options = [lookup(name) for name in names]
    votes = [_vote(found) for found in options]
    countries = Counter({code: _DEMONYM_VOTE for code in _demonym_countries(text)})
    regions: Counter[tuple[str, str]] = Counter()
    for country_votes, region_votes in votes:
        countries.update(country_votes)
        regions.update(region_votes)

    def context_score(place: Place, index: int) -> float:
        """Prior plus the support of the *other* names and the demonyms (a name does not vote for itself)."""
        own_countries, own_regions = votes[index]
        score = prior(place) + _COUNTRY_WEIGHT * _share(countries - own_countries, place.country_code)
        if place.admin1 and place.feature_class == "P":
            score += _REGION_WEIGHT * _share(regions - own_regions, (place.country_code, place.admin1))
        return score

    picks = [max(found, key=lambda p, i=i: context_score(p, i)) if found else None for i, found in enumerate(options)]
    anchors = [p for p in picks if p is not None and p.feature_class == "P"]

    def proximity(place: Place, own: Place | None) -> float:
        near = [distance_km(place, other) for other in anchors if other is not own]
        return _PROXIMITY_WEIGHT * max(0.0, 1.0 - min(near) / _PROXIMITY_KM) if near else 0.0

    return [
        max(found, key=lambda p, i=i, own=pick: context_score(p, i) + proximity(p, own)) if found else None
        for i, (found, pick) in enumerate(zip(options, picks, strict=True))
    ]


def _demonym_countries(text: str) -> set[str]:
    words = {token.text for token in tokenize(text) if token.is_word}  # each distinct word looked up once
    return set(filter(None, map(gazetteer.demonym_country, words)))
