"""On the real broker: a message over the CPU-time limit is dead-lettered and the worker goes on with the next."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import validate
from tests.articles import DEMO_ARTICLE, slow_article

from .conftest import WorkerProcess
from .kafka_helpers import metric, publish
from .streams import TopicWatcher, watched

TIME_LIMIT = 0.5  # CPU seconds; the demo article needs about a tenth of it, the slow one many times it


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, message_time_limit=TIME_LIMIT, max_text_chars=1_000_000)


@pytest.fixture
def watcher(settings: Settings) -> Iterator[TopicWatcher]:
    yield from watched(settings)


def test_a_message_over_the_time_limit_is_dead_lettered_and_the_next_one_comes_out(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
) -> None:
    slow = slow_article(800_000)
    good = orjson.loads(Path(DEMO_ARTICLE).read_bytes())
    publish(settings, [orjson.dumps(slow), orjson.dumps(good)])
    t = settings.topics
    watcher.wait_for(lambda: watcher.count(t.deadletter) >= 1 and watcher.article_ids(t.events) >= {good["id"]}, 300,
                     "the dead letter and the good article's event")
    [dead] = watcher.records(t.deadletter)
    validate("deadletter", dead)
    assert dead["reason"] == "time_limit_exceeded" and dead["stage"] in ("clean", "extract"), dead["error_message"]
    assert f"{TIME_LIMIT:g} s of CPU time" in dead["error_message"]
    payload = orjson.loads(dead["payload"])  # the message as the stage read it: the raw article, or clean's record of it
    assert dead["article_id"] == slow["id"] and (payload.get("id") or payload.get("article_id")) == slow["id"]
    assert all(worker.alive() for worker in workers.values())
    counted = metric(workers[dead["stage"]].get("/metrics")[1].decode(), "newsingest_messages_dead_lettered_total",
                     stage=dead["stage"], reason="time_limit_exceeded")
    assert counted == 1
    assert [e["article_id"] for e in watcher.records(t.events)] == [good["id"]]
