"""Properties of the message decoders and of extract, enrich and the whole chain on arbitrary input.

The decoders are fuzzed with arbitrary bytes and JSON (a fixed budget of examples, so CI time is
bounded): they return a record or raise ``Rejected`` — never anything else. Extract and enrich must
accept every record the stage before them produced, and every output must validate against its
schema; the whole chain turns any message into either a valid event or a valid dead letter.
(The clean stage's own properties are in ``test_clean_properties.py``.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsingest.pipeline import process_value
from newsingest.runtime.contracts import validate
from newsingest.runtime.deadletters import Origin, Rejected
from newsingest.runtime.messages import check_text_length, decode_raw, decode_record
from newsingest.stages import STAGES, run_stage

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHAIN = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_BYTES = 64 * 1024

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
raw_fields = st.sampled_from(["id", "body", "content", "text", "html", "title", "headline", "url", "link", "source",
                              "published_at", "date", "language", "lang", "content_type", "metadata", "other"])
raw_objects = st.dictionaries(raw_fields, json_values | st.text(max_size=300), max_size=8)

# Article-like text: words, numbers, names, quotes, dates, Arabic, punctuation and arbitrary unicode mixed.
_words = st.sampled_from([
    "The", "minister", "said", '"We', 'will', 'rebuild."', "Reuters", "Aleppo", "Mosul", "Ankara", "on", "Monday",
    "5", "May", "2023", "killed", "12", "people", "wounded", "@UN", "https://t.co/x1", "قال", "الوزير", "في", "حلب",
    "يوم", "الاثنين", "قتل", "شخصا", "«", "»", ".", ",", "\n\n", "<p>", "</p>", "&amp;", "—",
])
article_text = st.lists(st.one_of(_words, st.text(min_size=1, max_size=12)), min_size=1, max_size=80).map(" ".join)


def dumps(value: Any) -> bytes:
    """JSON as any producer may write it (the standard library, unlike orjson, writes integers of any size)."""
    return json.dumps(value, ensure_ascii=False).encode()


def chain_record(body: str, **fields: Any) -> dict[str, Any]:
    return {"id": "prop-1", "body": body, **fields}


@FUZZ
@given(st.binary(max_size=2048))
def test_decode_raw_reads_any_bytes_or_rejects_them(value: bytes) -> None:
    try:
        record = decode_raw(value, max_bytes=MAX_BYTES)
    except Rejected as error:
        assert error.reason in {"not_utf8", "bad_json", "not_an_object", "missing_body", "too_large"}
        return
    assert "body" in record and "id" in record and isinstance(record["metadata"], dict | list | str | int | float | bool | None)


@FUZZ
@given(raw_objects)
def test_decode_raw_maps_any_json_object_or_rejects_it(obj: dict[str, Any]) -> None:
    try:
        record = decode_raw(dumps(obj), max_bytes=MAX_BYTES)
    except Rejected as error:
        assert error.reason in {"missing_body", "bad_json"}  # bad_json: integers beyond 64 bits
        return
    assert record["body"] is not None and record["id"] not in (None, "")
    assert all(name in record for name in ("title", "url", "source", "published_at", "language", "content_type"))


@FUZZ
@given(st.binary(max_size=1024) | raw_objects.map(dumps) | json_values.map(dumps))
def test_decode_record_reads_any_bytes_or_rejects_them(value: bytes) -> None:
    try:
        record = decode_record(value)
    except Rejected as error:
        assert error.reason in {"not_utf8", "bad_json", "not_an_object", "missing_body"}
        return
    assert isinstance(record, dict)


@given(st.text(max_size=200), st.integers(1, 100))
def test_text_length_cap_rejects_exactly_the_longer_texts(text: str, cap: int) -> None:
    record = {"text": text}
    if len(text) > cap:
        try:
            check_text_length(record, cap)
        except Rejected as error:
            assert error.reason == "too_large" and str(cap) in str(error)
        else:
            raise AssertionError("a text over the cap passed")
    else:
        assert check_text_length(record, cap) is record


@CHAIN
@given(article_text, st.sampled_from([None, "text/plain", "text/html"]), st.sampled_from([None, "2023-05-08T10:00:00Z", "yesterday"]))
def test_extract_and_enrich_accept_whatever_clean_produced_and_their_output_validates(body: str, content_type: str | None, published: str | None) -> None:
    try:
        record = run_stage(STAGES["clean"], chain_record(body, content_type=content_type, published_at=published))
    except Rejected as error:
        assert error.reason == "schema_violation"  # a blank body; clean never fails otherwise
        return
    extracted = run_stage(STAGES["extract"], record)
    validate("extracted", extracted)
    for entity in extracted["entities"]:
        for mention in entity["mentions"]:
            assert extracted["text"][mention["start"]:mention["end"]] == mention["text"]
    event = run_stage(STAGES["enrich"], extracted)
    validate("event", event)
    assert event["article_id"] == "prop-1" and len(event["event_id"]) == 32


@CHAIN
@given(st.one_of(raw_objects.map(dumps), article_text.map(str.encode), st.binary(max_size=300)))
def test_the_chain_turns_any_message_into_a_valid_event_or_a_valid_dead_letter(value: bytes) -> None:
    ok, record = process_value(value, Origin("prop", 0, 0), max_bytes=MAX_BYTES)
    validate("event" if ok else "deadletter", record)
    if not ok:
        assert record["reason"] not in {"transform_error", "invalid_output"}, record["error_message"]


@CHAIN
@given(article_text)
def test_the_same_article_always_gets_the_same_event_id(body: str) -> None:
    value = orjson.dumps(chain_record(body))
    first, second = (process_value(value, Origin("prop", 0, 0), max_bytes=MAX_BYTES) for _ in range(2))
    assert first[0] == second[0]
    if first[0]:
        assert first[1]["event_id"] == second[1]["event_id"]
