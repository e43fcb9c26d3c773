"""End to end on the real broker: raw → clean → extract → enrich → sink, poison → dead letters."""

from __future__ import annotations

import dataclasses
from itertools import chain
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsingest.devtools.corpora import bbc_articles, saudinewsnet_articles, seed_articles, shared_dir
from newsingest.ops.sources import iter_messages
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import validate
from newsingest.runtime.paths import DEMO_DIR

from .kafka_helpers import collect, metric, publish

MAX_BYTES = 200_000

# Each poison message and the dead-letter reason it must produce.
POISON: list[tuple[bytes, str]] = [
    (b"\xff\xfe not utf-8 \xc3\x28", "not_utf8"),
    (b'{"id": "broken", "body": "unterminated', "bad_json"),
    (b'["a", "json", "array"]', "not_an_object"),
    (b'{"id": "no-body", "title": "A title but no body"}', "missing_body"),
    (orjson.dumps({"id": "wrong-type", "body": "Some text.", "title": ["not", "a", "string"]}), "schema_violation"),
    (orjson.dumps({"id": "huge", "body": "x " * (MAX_BYTES // 2 + 10)}), "too_large"),
]


def real_articles() -> list[dict[str, Any]]:
    """The seed article plus a few hundred Arabic and English articles, or the bundled demo without ../shared."""
    shared = shared_dir()
    if shared is None:
        return [orjson.loads(v) for v in iter_messages([str(DEMO_DIR)]) if v.startswith(b"{")]
    return list(chain(seed_articles(shared), saudinewsnet_articles(shared, 150), bbc_articles(shared, 50)))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_message_bytes=MAX_BYTES)


def test_articles_reach_the_sink_and_poison_reaches_the_dead_letter_topic(settings: Settings, workers: dict[str, Any]) -> None:
    articles = real_articles()
    expected_ids = {a["id"] for a in articles}
    publish(settings, [*(orjson.dumps(a) for a in articles), *(value for value, _ in POISON)])

    events = collect(settings, settings.topics.events, lambda rs: {r["article_id"] for r in rs} >= expected_ids, timeout=300)
    dead = collect(settings, settings.topics.deadletter, lambda rs: len(rs) >= len(POISON), timeout=60)

    assert {r["article_id"] for r in events} == expected_ids
    for record in events:
        validate("event", record)
    for record in dead:
        validate("deadletter", record)
    assert sorted(r["reason"] for r in dead) == sorted(reason for _, reason in POISON)
    # each dead letter carries the original payload, whole
    payloads = {r["reason"]: r for r in dead}
    assert payloads["missing_body"]["payload"] == POISON[3][0].decode()
    assert payloads["not_utf8"]["payload_encoding"] == "base64"
    assert all(r["stage"] == "clean" and r["source"]["topic"] == settings.topics.raw for r in dead)

    assert all(w.alive() for w in workers.values()), "a worker died"
    for stage, worker in workers.items():
        status, body = worker.get("/healthz")
        assert status == 200, (stage, body)
    clean_metrics = workers["clean"].get("/metrics")[1].decode()
    enrich_metrics = workers["enrich"].get("/metrics")[1].decode()
    assert metric(clean_metrics, "newsingest_messages_consumed_total", stage="clean") >= len(articles) + len(POISON)
    assert metric(clean_metrics, "newsingest_messages_dead_lettered_total", stage="clean", reason="bad_json") >= 1
    assert metric(enrich_metrics, "newsingest_messages_produced_total", stage="enrich") >= len(expected_ids)
    assert metric(enrich_metrics, "newsingest_end_to_end_latency_seconds_count", stage="enrich") >= len(expected_ids)
    assert "newsingest_consumer_lag_messages" in enrich_metrics


def test_bare_text_and_html_messages_are_accepted(settings: Settings, workers: dict[str, Any]) -> None:
    html = (Path(DEMO_DIR) / "en-mosul-floods.html").read_bytes()
    publish(settings, [b"Plain text with no JSON around it. It should still become an event.", html])
    events = collect(settings, settings.topics.events, lambda rs: len(rs) >= 2, timeout=120)
    assert len(events) == 2
    texts = " ".join(e["text"] for e in events)
    assert "no JSON around it" in texts and "Flash floods swept" in texts
    assert "<p>" not in texts and "cookies" not in texts
