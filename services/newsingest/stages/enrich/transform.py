"""enrich: extracted article → event record — places geocoded, entities given Latin names, events coded,
a topic and a tone, a deterministic event id.

``locations`` holds one entry per place name the gazetteer can place (:func:`geocode.geocode`: LOC/GPE
entities and places named inside other names); the rest are only counted (``provenance.geocoding``).
Every entity gets ``name_latin``: the gazetteer's English name for a placed entity, else a
transliteration of Arabic names (:mod:`newsingest.stages.enrich.transliterate`).
``events`` (:mod:`newsingest.stages.enrich.events`), ``topic`` (:mod:`newsingest.stages.enrich.topics`) and ``tone``
(:mod:`newsingest.stages.enrich.tone`) are computed from the clean text. ``event_id`` hashes the article id
and its content, so re-processing the same article (at-least-once delivery) yields the same id.
"""

from __future__ import annotations

from typing import Any

from newsingest.geo.gazetteer import Place
from newsingest.geo.geocode import Toponym, geocode
from newsingest.runtime.clock import now_iso
from newsingest.stages.enrich.duplicates import event_id
from newsingest.stages.enrich.events import code_events
from newsingest.stages.enrich.org_names import english_org_name
from newsingest.stages.enrich.tone import tone
from newsingest.stages.enrich.topics import classify
from newsingest.stages.enrich.transliterate import to_latin


def _location(place: Place, toponym: Toponym) -> dict[str, Any]:
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
        "entity_id": toponym.entity_id,
        "mentions": toponym.mentions,
    }


def enrich(record: dict[str, Any]) -> dict[str, Any]:
    """Return ``record`` as a new ``newsingest.event/1`` record; ``record`` itself is left as it was.

    Only what changes is copied (the top level, the entities, provenance); the rest is shared with ``record``.
    """
    provenance = record.get("provenance", {})
    event = {**record, "entities": [dict(entity) for entity in record["entities"]],
             "provenance": {**provenance, "stages": dict(provenance.get("stages", {}))}}
    found = geocode(record["entities"], record["text"], record.get("url"))
    event["locations"] = [_location(place, toponym) for toponym, place in found if place is not None]
    resolved = len(event["locations"])
    event["provenance"]["geocoding"] = {"resolved": resolved, "unresolved": len(found) - resolved}
    placed = {location["entity_id"]: location["name"] for location in event["locations"]}
    for entity in event["entities"]:
        entity["name_latin"] = placed.get(entity["id"]) \
            or (entity["type"] == "ORG" and english_org_name(entity["text"])) or to_latin(entity["text"])
    event["topic"] = classify(record.get("title"), record["text"])
    topic = event["topic"]["code"] if event["topic"] else None
    event["events"] = code_events(record["text"], record["entities"], event["locations"], record["dates"], topic)
    event["tone"] = tone(record["text"])
    event["schema"] = "newsingest.event/1"
    event["event_id"] = event_id(record)
    event["processed_at"] = now_iso()
    return event
