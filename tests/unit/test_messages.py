"""Decoding raw and inner-topic messages, and dead-letter records."""

from __future__ import annotations

import base64

import orjson
import pytest

from newsingest.runtime.contracts import SchemaViolation, validate
from newsingest.runtime.deadletters import Origin, Rejected, dead_letter
from newsingest.runtime.messages import decode_raw, decode_record, stable_id

LIMIT = 10_000


def test_bare_text_becomes_a_plain_body_with_a_stable_id() -> None:
    first = decode_raw("خبر عاجل من دمشق".encode(), max_bytes=LIMIT)
    second = decode_raw("خبر عاجل من دمشق".encode(), max_bytes=LIMIT)
    assert first["body"] == "خبر عاجل من دمشق"
    assert first["id"] == second["id"] and len(first["id"]) == 24
    validate("raw", first)


def test_scraped_text_starting_with_a_marker_is_text_not_json() -> None:
    assert decode_raw(b"[ad_1]\nSome article text", max_bytes=LIMIT)["body"].startswith("[ad_1]")


def test_aliases_map_onto_the_contract_and_unknown_fields_are_kept() -> None:
    value = orjson.dumps({"content": "Body", "headline": "Head", "link": "https://x.example/a", "date": "2015-07-21 02:51:32", "desk": "world"})
    record = decode_raw(value, max_bytes=LIMIT)
    assert (record["body"], record["title"], record["url"], record["published_at"]) == ("Body", "Head", "https://x.example/a", "2015-07-21 02:51:32")
    assert record["metadata"] == {"desk": "world"}
    assert record["id"] == stable_id("https://x.example/a", "Body")
    validate("raw", record)


def test_numeric_ids_are_read_as_strings() -> None:
    assert decode_raw(b'{"id": 42, "body": "x"}', max_bytes=LIMIT)["id"] == "42"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"", "missing_body"),
        (b"\xff\xfe\x00", "not_utf8"),
        (b'{"body": "cut', "bad_json"),
        (b"[1, 2]", "not_an_object"),
        (b'{"title": "no body"}', "missing_body"),
        (b"x" * (LIMIT + 1), "too_large"),
    ],
)
def test_bad_raw_messages_are_rejected_with_a_reason(value: bytes, reason: str) -> None:
    with pytest.raises(Rejected) as caught:
        decode_raw(value, max_bytes=LIMIT)
    assert caught.value.reason == reason
    assert str(caught.value)


def test_wrong_field_types_fail_the_raw_schema_with_the_field_named() -> None:
    record = decode_raw(b'{"id": "a", "body": "text", "published_at": 2024}', max_bytes=LIMIT)
    with pytest.raises(SchemaViolation, match="published_at"):
        validate("raw", record)


def test_inner_records_must_be_json_objects() -> None:
    assert decode_record(b'{"a": 1}') == {"a": 1}
    for value, reason in [(b"[]", "not_an_object"), (b"{", "bad_json"), (b"\xff{", "not_utf8"), (None, "missing_body")]:
        with pytest.raises(Rejected) as caught:
            decode_record(value)
        assert caught.value.reason == reason


def test_dead_letter_keeps_the_payload_and_satisfies_its_schema() -> None:
    origin = Origin("news.articles.raw", 2, 17, b"key-1", 1733486400000)
    binary = b"\xff\x00\x01"
    record = dead_letter("clean", Rejected("not_utf8", "bad bytes"), origin, binary)
    validate("deadletter", record)
    assert base64.b64decode(record["payload"]) == binary and record["payload_encoding"] == "base64"
    assert record["source"] == {"topic": "news.articles.raw", "partition": 2, "offset": 17, "key": "key-1", "timestamp": "2024-12-06T12:00:00.000Z"}
    text = dead_letter("extract", Rejected("bad_json", "x"), origin, b'{"a":')
    assert text["payload"] == '{"a":' and text["payload_encoding"] == "utf-8"
