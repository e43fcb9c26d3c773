"""Event coding on the seed article (the five events the issue names) and on hand-written sentences."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from newsingest.pipeline import process_value
from newsingest.runtime.deadletters import Origin
from newsingest.stages.enrich import events
from newsingest.stages.enrich.events import code_events


def _entity(text: str, name: str, kind: str, ident: str) -> dict:
    start = text.index(name)
    return {"id": ident, "text": name, "type": kind, "mentions": [{"start": start, "end": start + len(name), "text": name}]}


def _location(entity: dict, name: str, lat: float, lon: float, code: str, feature_code: str | None) -> dict:
    return {"name": name, "lat": lat, "lon": lon, "country_code": code, "geonames_id": None, "feature_code": feature_code,
            "entity_id": entity["id"], "mentions": entity["mentions"]}


def test_english_strike_has_actor_target_place_and_date() -> None:
    text = "On Tuesday Israeli warplanes struck Hamas positions in Rafah. Officials said nothing else."
    israel = _entity(text, "Israeli", "NORP", "n1")
    hamas = _entity(text, "Hamas", "ORG", "o1")
    rafah = _entity(text, "Rafah", "GPE", "g1")
    dates = [{"text": "Tuesday", "date": "2024-05-07", "start": 3, "end": 10}]
    events = code_events(text, [israel, hamas, rafah], [_location(rafah, "Rafah", 31.29, 34.25, "PS", None)], dates)
    strike = next(e for e in events if e["kind"] == "air_strike")
    assert strike["actor"]["entity_id"] == "n1" and strike["target"]["entity_id"] == "o1"
    assert [loc["name"] for loc in strike["locations"]] == ["Rafah"]
    assert strike["date"] == {"text": "Tuesday", "date": "2024-05-07"}
    assert strike["evidence"]["text"].startswith("On Tuesday") and strike["cameo"] == "195"
    assert not [e for e in events if e["kind"] == "statement"]  # "Officials" is no entity: no actor, no statement


def test_two_places_named_at_one_spot_are_both_the_events_places_in_the_order_given() -> None:
    """A name read as two places ("Carmo" and "Carmo do Rio Claro") put two dicts at one offset in the sort,
    which raised TypeError and dead-lettered the article."""
    text = "Heavy shelling hit Carmo do Rio Claro on Monday, killing 12 people."
    longer = _entity(text, "Carmo do Rio Claro", "GPE", "g1")
    shorter = _entity(text, "Carmo", "GPE", "g2")
    locations = [_location(longer, "Carmo do Rio Claro", -20.97, -46.11, "BR", None), _location(shorter, "Carmo", -21.93, -42.6, "BR", None)]
    [shelling] = [e for e in code_events(text, [longer, shorter], locations, []) if e["kind"] == "shelling"]
    assert [loc["name"] for loc in shelling["locations"]] == ["Carmo do Rio Claro", "Carmo"]


def test_a_sentence_without_triggers_codes_nothing() -> None:
    text = "The museum opened a new wing for modern sculpture."
    assert code_events(text, [], [], []) == []


def _actor_target(events: list[dict], kind: str) -> tuple[str | None, str | None]:
    event = next(e for e in events if e["kind"] == kind)
    return (event["actor"] or {}).get("text"), (event["target"] or {}).get("text")


def test_sources_addressees_and_speakers_are_not_actors() -> None:
    text = "According to the Syrian Observatory, government forces shelled Idlib. Police said that protesters clashed with soldiers."
    observatory = _entity(text, "Syrian Observatory", "ORG", "o1")
    police = _entity(text, "Police", "ORG", "o2")
    events = code_events(text, [observatory, police], [], [])
    assert _actor_target(events, "shelling") == ("government forces", None)
    assert _actor_target(events, "armed_clash") == ("protesters", "soldiers")  # not the police who reported it
    arabic = "وقال لموقع ميدل إيست آي إن الوضع صعب. ونقلت وكالة الأنباء عن مصدر أن قوات النظام قصفت البلدة."
    eye = _entity(arabic, "ميدل إيست آي", "ORG", "o3")
    agency = _entity(arabic, "وكالة الأنباء", "ORG", "o4")
    coded = code_events(arabic, [eye, agency], [], [])
    assert not [e for e in coded if e["kind"] == "statement"]  # told Middle East Eye: an addressee, no speaker
    assert _actor_target(coded, "shelling") == ("قوات النظام", None)


def test_passive_and_nominal_killings_have_victims_not_actors() -> None:
    text = "Three soldiers were killed by Taliban fighters in Kandahar. Rebels killed two guards."
    taliban = _entity(text, "Taliban", "ORG", "o1")
    events = code_events(text, [taliban], [], [])
    passive, active = (e for e in events if e["kind"] == "killing")
    assert (passive["actor"]["entity_id"], passive["target"]["text"]) == ("o1", "soldiers")
    assert active["actor"]["text"] == "Rebels"
    arabic = "ووفقا للمرصد السوري لحقوق الإنسان، فقد قُتل 20 شخصا في سوريا. وأسفر القصف عن مقتل المتظاهرين."
    observatory = _entity(arabic, "مرصد السوري لحقوق الإنسان", "ORG", "o2")  # "للمرصد": ل + the article
    syria = _entity(arabic, "سوريا", "LOC", "g1")
    located = [_location(syria, "Syria", 35.0, 38.0, "SY", "PCLI")]
    killed, killing_of = (e for e in code_events(arabic, [observatory, syria], located, []) if e["kind"] == "killing")
    assert killed["actor"] is None and killed["target"] is None  # the source is no killer, the country no victim
    assert killing_of["actor"] is None and killing_of["target"]["text"] == "المتظاهرين"


@pytest.fixture(scope="module")
def seed_record(shared: Path) -> dict:
    path = shared / "corpus/seed/000_bc8eda6b5223bef9.txt"
    if not path.is_file():
        pytest.skip("seed article is absent")
    ok, record = process_value(orjson.dumps({"body": path.read_text(encoding="utf-8"), "published_at": "2024-12-06T12:00:00Z"}),
                               Origin("test", 0, 0), max_bytes=1 << 22)
    assert ok, record
    return record


def _find(record: dict, kind: str, actor_word: str, place: str | None = None) -> dict:
    for event in record["events"]:
        names = [loc["name"] for loc in event["locations"]]
        if event["kind"] == kind and event["actor"] and actor_word in event["actor"]["text"] and (place is None or place in names):
            return event
    raise AssertionError(f"no {kind} by {actor_word} at {place}: {[(e['kind'], e['actor'], e['trigger']) for e in record['events']]}")


def test_seed_article_events(seed_record: dict) -> None:
    # lost with the Arabic rules that lowered the dev scores (MODEL_CARD.md): the model misses "دير الزور" (the
    # withdrawal from Deir ez-Zor), "في نوى" (the shelling's place) and "السفارة الصينية" (the Chinese evacuation)
    capture = _find(seed_record, "capture", "المتمردون")
    assert any("am" in loc["name"] for loc in capture["locations"])  # Hama (Ḩamāh)
    assert capture["date"] == {"text": "يوم الخميس", "date": "2024-12-05"}  # Thursday before Friday 6 December
    strike = _find(seed_record, "air_strike", "روسيا")
    assert strike["target"]["text"] == "قوات المعارضة"
    assert _find(seed_record, "shelling", "قوات النظام")
    assert _find(seed_record, "evacuation", "روسيا")


def test_seed_article_topic_tone_and_latin_names(seed_record: dict) -> None:
    assert seed_record["topic"]["code"] == "medtop:16000000"
    assert seed_record["tone"]["tone"] < 0 and seed_record["tone"]["word_count"] > 500
    latin = {e["text"]: e["name_latin"] for e in seed_record["entities"]}
    assert latin["بشار الأسد"] == "Bashar al-Assad"
    assert latin["دمشق"] == "Damascus" and latin["سوريا"] == "Syria"
    places = {loc["name"]: (loc["lat"], loc["lon"]) for loc in seed_record["locations"]}
    assert abs(places["Homs"][0] - 34.73) < 0.05 and abs(places["Damascus"][1] - 36.29) < 0.05


def test_words_of_war_in_a_sport_story_are_figures_of_speech() -> None:
    text = "Celtic captured the title after a bruising clash with Rangers. Two fans were arrested."
    celtic, rangers = _entity(text, "Celtic", "ORG", "o1"), _entity(text, "Rangers", "ORG", "o2")
    kinds = {e["kind"] for e in code_events(text, [celtic, rangers], [], [], "medtop:15000000")}
    assert kinds == {"arrest"}
    assert {"capture", "armed_clash", "arrest"} <= {e["kind"] for e in code_events(text, [celtic, rangers], [], [])}


def test_an_abbreviation_does_not_end_the_sentence_so_the_strike_keeps_its_actor() -> None:
    body = "U.S. warplanes struck Hamas positions in Rafah, killing 12 people."
    ok, record = process_value(orjson.dumps({"id": "us-strike", "body": body}), Origin("t", 0, 0), max_bytes=1 << 20)
    assert ok
    strikes = [event for event in record["events"] if event["kind"] == "air_strike"]
    assert len(strikes) == 1 and strikes[0]["actor"] is not None
    actor = next(e for e in record["entities"] if e["id"] == strikes[0]["actor"]["entity_id"])
    assert actor["name_latin"] == "United States"


def test_the_trigger_scan_finds_every_start_the_whole_pattern_finds() -> None:
    """The scan tries only the text's start and the places after a non-word character; it must find every
    start the zero-width pattern finds when tried everywhere: at the start, after spaces, line breaks and
    punctuation, with and without proclitics, and a line-anchored Arabic trigger."""
    texts = [
        "killed three in clashes\nقتال عنيف و بالقصف الجوي\nsaid ( protesters marched ) -- shelling",
        "قتال\nوالاشتباكات مستمره . وقال المرصد ان الغارات قتلت 12 شخصا",
        "air strikes , airstrikes and drone-attacks ; evacuated the u.s . embassy 3,000 arrested",
        "ذكر المرصد: \"اعتقال\" 5 من المتظاهرين والانسحاب (تراجع)",
        "", "x", "said",
    ]
    for text in texts:
        assert events._trigger_starts(text) == [match.start() for match in events._ANY_TRIGGER.finditer(text)], text
    assert events._trigger_starts(texts[0])[:2] == [0, 16]


def test_spans_are_found_where_they_lie_in_the_order_given() -> None:
    rng = random.Random(11)
    for _ in range(300):
        given = [(start, start + rng.randint(0, 20), index) for index, start in enumerate(rng.choices(range(100), k=rng.randint(0, 15)))]
        spans = events._Spans(given)
        for first in range(0, 110, 7):
            last = first + rng.randint(0, 40)
            assert spans.starting_in(first, last) == [s for s in given if first <= s[0] <= last]
            assert spans.within(first, last) == [s for s in given if first <= s[0] and s[1] <= last]
