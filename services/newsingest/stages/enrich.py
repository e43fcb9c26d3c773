"""enrich: extracted article → event record — places geocoded, entities given Latin names, events coded,
a topic and a tone, a deterministic event id.

``locations`` holds one entry per LOC/GPE entity the gazetteer can place; the rest are only counted
(``provenance.geocoding``). Every entity gets ``name_latin``: the gazetteer's English name for a
placed entity, else a transliteration of Arabic names (:mod:`newsingest.nlp.transliterate`).
``events`` (:mod:`newsingest.nlp.events`), ``topic`` (:mod:`newsingest.nlp.topics`) and ``tone``
(:mod:`newsingest.nlp.tone`) are computed from the clean text. ``event_id`` hashes the article id
and its content, so re-processing the same article (at-least-once delivery) yields the same id.
"""

from __future__ import annotations

import hashlib
from typing import Any

from newsingest.nlp.events import code_events
from newsingest.nlp.gazetteer import Place
from newsingest.nlp.geocode import lookup, resolve
from newsingest.nlp.tone import tone
from newsingest.nlp.topics import classify
from newsingest.nlp.transliterate import to_latin
from newsingest.timeutil import now_iso

_PLACE_TYPES = frozenset({"LOC", "GPE"})


def event_id(record: dict[str, Any]) -> str:
    """32 hex digits from ``article_id``, ``title`` and ``text``."""
    parts = (record["article_id"], record.get("title") or "", record["text"])
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def _location(place: Place, entity: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "country_code": place.country_code,
        "geonames_id": place.geonames_id,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "admin1": place.admin1,
        "population": place.population,
        "entity_id": entity.get("id"),
        "mentions": [dict(mention) for mention in entity["mentions"]],
    }


def _best_name(entity: dict[str, Any]) -> str:
    """The canonical text, unless only a mention's surface form is a known place."""
    for name in (entity["text"], *(m.get("text", "") for m in entity["mentions"])):
        if name and lookup(name):
            return name
    return entity["text"]


def enrich(record: dict[str, Any]) -> dict[str, Any]:
    """Return ``record`` as a new ``newsingest.event/1`` record; ``record`` itself is left as it was.

    Only what changes is copied (the top level, the entities, provenance); the rest is shared with ``record``.
    """
    provenance = record.get("provenance", {})
    event = {**record, "entities": [dict(entity) for entity in record["entities"]],
             "provenance": {**provenance, "stages": dict(provenance.get("stages", {}))}}
    toponyms = [e for e in record["entities"] if e["type"] in _PLACE_TYPES]
    places = resolve([_best_name(e) for e in toponyms], record["text"])
    event["locations"] = [_location(p, e) for p, e in zip(places, toponyms, strict=True) if p is not None]
    resolved = len(event["locations"])
    event["provenance"]["geocoding"] = {"resolved": resolved, "unresolved": len(toponyms) - resolved}
    placed = {location["entity_id"]: location["name"] for location in event["locations"]}
    for entity in event["entities"]:
        entity["name_latin"] = placed.get(entity["id"]) or to_latin(entity["text"])
    event["events"] = code_events(record["text"], record["entities"], event["locations"], record["dates"])
    event["topic"] = classify(record.get("title"), record["text"])
    event["tone"] = tone(record["text"])
    event["schema"] = "newsingest.event/1"
    event["event_id"] = event_id(record)
    event["processed_at"] = now_iso()
    return event
