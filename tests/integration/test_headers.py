"""Every record the workers produce carries CloudEvents binary-mode headers, and one trace id follows an article.

Real broker, the three workers as processes; the raw messages come from a plain aiokafka producer (as a
newsroom system would send them, with and without a W3C ``traceparent``) and from ``newsingest publish``.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

import orjson
from aiokafka import ConsumerRecord

from newsingest.runtime import cloudevents, contracts, kafka
from newsingest.runtime.config import Settings

from .kafka_helpers import publish

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
ARTICLE = {"id": "traced-1", "title": "Floods in Mosul", "body": "Heavy rain flooded streets in Mosul on Monday, officials said. Two people were killed."}
UNTRACED = {"id": "untraced-1", "body": "The Jordanian foreign minister met his Turkish counterpart in Ankara on Tuesday."}


async def _send_raw(settings: Settings) -> None:
    await kafka.ensure_topics(settings)
    producer = kafka.producer(settings)
    await producer.start()
    try:
        headers = [("traceparent", TRACEPARENT.encode()), ("tracestate", b"desk=cairo")]
        await producer.send_and_wait(settings.topics.raw, orjson.dumps(ARTICLE), key=b"traced-1", headers=headers)
        await producer.send_and_wait(settings.topics.raw, b'{"id": "broken", "body": ', key=b"broken", headers=headers)
    finally:
        await producer.stop()


async def _read(settings: Settings, topic: str, count: int, timeout: float) -> list[ConsumerRecord]:
    consumer = kafka.consumer(settings, topic, group_id=None)
    await consumer.start()
    found: list[ConsumerRecord] = []
    try:
        await consumer.seek_to_beginning()
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found) < count and asyncio.get_running_loop().time() < deadline:
            for messages in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(messages)
    finally:
        await consumer.stop()
    return found


def _headers(message: ConsumerRecord) -> dict[str, str]:
    names = [name for name, _ in message.headers]
    assert len(names) == len(set(names)), f"repeated headers: {names}"
    return {name: value.decode() for name, value in message.headers}


def _check_cloudevent(message: ConsumerRecord, expected_type: str, source: str) -> dict[str, str]:
    headers = _headers(message)
    record = orjson.loads(message.value)
    assert set(cloudevents.REQUIRED_HEADERS) <= set(headers), headers
    assert headers["ce_specversion"] == "1.0" and headers["content-type"] == "application/json"
    assert headers["ce_type"] == expected_type and headers["ce_source"] == source
    assert datetime.fromisoformat(headers["ce_time"]).tzinfo is not None
    assert re.fullmatch(r"[0-9a-f]{32}", headers["ce_id"])
    assert headers["ce_dataschema"] == f"urn:newsingest:schema:{record['schema'].split('/')[0].split('.')[1]}"
    assert cloudevents.trace_id(headers["traceparent"]) is not None
    # the type's version is the contract's major version, and the record satisfies that contract
    assert expected_type.endswith(".v" + record["schema"].split("/")[1])
    contracts.validate(record["schema"].split("/")[0].split(".")[1], record)
    return headers


def test_headers_on_every_topic_and_one_trace_per_article(settings: Settings, workers: dict) -> None:
    asyncio.run(_send_raw(settings))
    publish(settings, [orjson.dumps(UNTRACED)])
    topics = settings.topics
    cleaned, extracted, events, dead = (
        asyncio.run(_read(settings, topic, count, timeout=90))
        for topic, count in ((topics.cleaned, 2), (topics.extracted, 2), (topics.events, 2), (topics.deadletter, 1))
    )
    assert (len(cleaned), len(extracted), len(events), len(dead)) == (2, 2, 2, 1)

    raw = {m.key: _headers(m) for m in asyncio.run(_read(settings, topics.raw, 3, timeout=10))}
    published = raw[b"untraced-1"]  # sent by newsingest publish: it starts the trace
    assert published["ce_type"] == "newsingest.article.raw.v1" and published["ce_subject"] == "untraced-1"

    traces: dict[str, set[str]] = {"traced-1": set(), "untraced-1": set()}
    spans: set[str] = set()
    for messages, ce_type, stage in (
        (cleaned, "newsingest.article.cleaned.v1", "clean"),
        (extracted, "newsingest.article.extracted.v1", "extract"),
        (events, "newsingest.event.v1", "enrich"),
    ):
        for message in messages:
            headers = _check_cloudevent(message, ce_type, f"/newsingest/{stage}")
            record = orjson.loads(message.value)
            assert headers["ce_subject"] == record["article_id"] == message.key.decode()
            traces[record["article_id"]].add(cloudevents.trace_id(headers["traceparent"]))
            spans.add(headers["traceparent"].split("-")[2])
            if stage == "enrich":
                assert headers["ce_id"] == record["event_id"]
            if record["article_id"] == "traced-1":
                assert headers["traceparent"].endswith("-01") and headers["tracestate"] == "desk=cairo"
    # the producer's trace id is kept on every topic; the published article's trace is the one publish started
    assert traces == {"traced-1": {TRACE}, "untraced-1": {cloudevents.trace_id(published["traceparent"])}}
    assert len(spans) == 6, "each hop is a new span of the trace"

    headers = _check_cloudevent(dead[0], "newsingest.deadletter.v1", "/newsingest/clean")
    assert cloudevents.trace_id(headers["traceparent"]) == TRACE
    assert orjson.loads(dead[0].value)["reason"] == "bad_json"
