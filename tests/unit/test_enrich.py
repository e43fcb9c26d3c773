"""The enrich stage: geocoded locations, context disambiguation, a deterministic event id, a valid event."""

from __future__ import annotations

import copy
import math

import pytest

from newsingest.runtime.deadletters import Rejected
from newsingest.stages import STAGES, run_stage


def extracted(text: str, places: list[str], *, article_id: str = "a1", title: str = "Fighting") -> dict:
    """A minimal valid extracted record whose LOC entities point at the first occurrence of each name."""
    entities = []
    for index, name in enumerate(places):
        start = text.index(name)
        entities.append({"id": f"loc-{index}", "text": name, "type": "GPE",
                         "mentions": [{"start": start, "end": start + len(name), "text": name}]})
    entities.append({"id": "per-0", "text": "Bashar al-Assad", "type": "PERSON",
                     "mentions": [{"start": 0, "end": 1, "text": text[0]}]})
    return {
        "schema": "newsingest.extracted/1", "article_id": article_id, "url": None, "source": None,
        "published_at": None, "ingested_at": "2024-12-06T14:03:00Z", "language": "en",
        "language_confidence": 0.99, "title": title, "text": text, "paragraphs": text.split("\n\n"),
        "metadata": {}, "social": [], "entities": entities, "quotes": [], "counts": [], "dates": [],
        "provenance": {"pipeline_version": "0", "stages": {}},
    }


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    return 6371 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))


LEBANON = ("Rebels advanced on Homs and Hama while fighting spread to Daraa.\n\n"
           "In Lebanon, refugees crowded into Tripoli near the border.")
LIBYA = "Militias clashed in Tripoli on Friday, Libya's health ministry said."


def enrich(record: dict) -> dict:
    return run_stage(STAGES["enrich"], record)


def test_places_get_coordinates_ids_and_countries() -> None:
    event = enrich(extracted(LEBANON, ["Homs", "Hama", "Daraa", "Lebanon", "Tripoli"]))
    truth = {  # name → (lat, lon, GeoNames id, country)
        "Homs": (34.73, 36.72, 169577, "SY"), "Hama": (35.13, 36.75, 170017, "SY"),
        "Daraa": (32.62, 36.10, 170905, "SY"), "Tripoli": (34.44, 35.85, 266826, "LB"),
        "Lebanon": (33.85, 35.86, 272103, "LB"),
    }
    by_entity = {loc["mentions"][0]["text"]: loc for loc in event["locations"]}
    assert set(by_entity) == set(truth)
    for name, (lat, lon, geonames_id, country) in truth.items():
        loc = by_entity[name]
        assert km(lat, lon, loc["lat"], loc["lon"]) < 30 or loc["feature_class"] == "A", name
        assert (loc["geonames_id"], loc["country_code"]) == (geonames_id, country), name
    assert by_entity["Lebanon"]["feature_class"] == "A"
    assert by_entity["Homs"]["entity_id"] == "loc-0"
    start = LEBANON.index("Homs")
    assert by_entity["Homs"]["mentions"] == [{"start": start, "end": start + 4, "text": "Homs"}]
    assert event["provenance"]["geocoding"] == {"resolved": 5, "unresolved": 0}
    assert event["schema"] == "newsingest.event/1" and event["processed_at"].endswith("Z")


def test_tripoli_follows_the_story_country() -> None:
    lebanon = enrich(extracted(LEBANON, ["Lebanon", "Tripoli"]))
    libya = enrich(extracted(LIBYA, ["Tripoli", "Libya"]))
    assert [loc["country_code"] for loc in lebanon["locations"]] == ["LB", "LB"]
    assert [loc["country_code"] for loc in libya["locations"]] == ["LY", "LY"]


def test_a_demonym_alone_sets_the_context() -> None:
    text = "قالت وزارة الدفاع اللبنانية إن الجيش انتشر في طرابلس."
    event = enrich(extracted(text, ["طرابلس"]))
    assert event["locations"][0]["country_code"] == "LB"


def test_arabic_names_with_proclitics_and_unknown_places() -> None:
    text = "انسحبت القوات من درعا ودير الزور وتقدمت نحو وحمص وقرية كفرزيتونيا."
    event = enrich(extracted(text, ["درعا", "دير الزور", "وحمص", "كفرزيتونيا"]))
    assert [loc["name"] for loc in event["locations"]] == ["Dar‘ā", "Deir ez-Zor", "Homs"]
    assert event["provenance"]["geocoding"] == {"resolved": 3, "unresolved": 1}


def test_event_id_is_deterministic_and_content_bound() -> None:
    first, again = (enrich(extracted(LIBYA, ["Tripoli"])) for _ in range(2))
    changed = enrich(extracted(LIBYA + " More later.", ["Tripoli"]))
    other_article = enrich(extracted(LIBYA, ["Tripoli"], article_id="a2"))
    assert len(first["event_id"]) == 32 and int(first["event_id"], 16) >= 0
    assert first["event_id"] == again["event_id"]
    assert len({first["event_id"], changed["event_id"], other_article["event_id"]}) == 3


def test_input_is_not_mutated_and_invalid_input_is_rejected() -> None:
    record = extracted(LIBYA, ["Tripoli"])
    before = copy.deepcopy(record)
    event = enrich(record)
    assert record == before  # enrich copies only what it changes: entities, provenance, the top level
    assert event["entities"][0]["name_latin"] == "Tripoli" and "geocoding" in event["provenance"]
    del record["entities"]
    with pytest.raises(Rejected):
        enrich(record)
