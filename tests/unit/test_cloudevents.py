"""CloudEvents header building and W3C trace context handling, without a broker."""

from __future__ import annotations

import orjson
import pytest

from newsingest.runtime import cloudevents

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"


def test_type_carries_the_contract_name_and_major_version() -> None:
    assert cloudevents.event_type("newsingest.cleaned/1") == "newsingest.article.cleaned.v1"
    assert cloudevents.event_type("newsingest.event/2") == "newsingest.event.v2"
    for bad in ("newsingest.event", "other.thing/1", "newsingest.event/x"):
        with pytest.raises(ValueError):
            cloudevents.event_type(bad)


@pytest.mark.parametrize(
    "value",
    [None, "", "garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0" * 16 + "-01",
     "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", PARENT.upper()],
)
def test_invalid_traceparents_start_a_new_trace(value: str | None) -> None:
    assert cloudevents.trace_id(value) is None
    fresh = cloudevents.next_traceparent(value)
    assert cloudevents.trace_id(fresh) is not None and fresh.endswith("-01")


def test_a_valid_traceparent_keeps_trace_and_flags_with_a_new_span() -> None:
    child = cloudevents.next_traceparent(PARENT)
    assert cloudevents.trace_id(child) == PARENT.split("-")[1]
    assert child.split("-")[2] != PARENT.split("-")[2] and child.endswith("-00")


def test_stage_headers_id_is_event_id_on_the_sink_and_repeatable_elsewhere() -> None:
    incoming = cloudevents.header_values([("traceparent", PARENT.encode()), ("tracestate", b"a=1")])
    event = orjson.dumps({"schema": "newsingest.event/1", "event_id": "ab" * 16, "article_id": "a1"})
    headers = dict(cloudevents.stage_headers("enrich", event, "t", 0, 5, incoming))
    assert headers["ce_id"] == b"ab" * 16 and headers["ce_subject"] == b"a1" and headers["tracestate"] == b"a=1"
    assert headers["ce_dataschema"] == b"urn:newsingest:schema:event"
    cleaned = orjson.dumps({"schema": "newsingest.cleaned/1", "article_id": "a1"})
    first, again, other = (dict(cloudevents.stage_headers("clean", cleaned, "t", 0, offset, None))["ce_id"] for offset in (5, 5, 6))
    assert first == again != other


def test_header_values_are_read_once_last_value_winning() -> None:
    values = cloudevents.header_values([("TraceParent", b"old"), ("traceparent", PARENT.encode()), ("tracestate", None),
                                        ("ce_source", b"\xff\xfe"), ("tracestate", b"a=1"), ("x-empty", None), ("ce_time", b"t")])
    assert values == {"traceparent": PARENT, "tracestate": "a=1", "ce_source": None}  # not UTF-8: None; no value or not read: absent
    assert cloudevents.header_values(None) == {}
    headers = dict(cloudevents.headers_for({"schema": "newsingest.cleaned/1"}, source="s", fallback_id="f", incoming=values))
    assert cloudevents.trace_id(headers["traceparent"].decode()) == PARENT.split("-")[1] and headers["tracestate"] == b"a=1"


def test_raw_headers_name_plain_text_bodies() -> None:
    assert dict(cloudevents.raw_headers(b'{"body": "x"}', "x1"))["content-type"] == b"application/json"
    text = dict(cloudevents.raw_headers("خبر عاجل".encode(), None))
    assert text["content-type"].startswith(b"text/plain") and "ce_subject" not in text
    assert set(cloudevents.REQUIRED_HEADERS) <= set(text)
