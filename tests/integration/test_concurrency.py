"""On the real broker, every worker transforming in two forked processes (NEWSINGEST_CONCURRENCY=2):
each stage's records keep the order of its input, poison still becomes dead letters in its place, nothing
is repeated, and the workers stop cleanly."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsingest.runtime.config import Settings

from .conftest import WorkerProcess
from .kafka_helpers import metric, publish
from .streams import TopicWatcher, corpus_articles, watched

ARTICLES = 40
POISON = {5: b'{"id": "broken", "body": ', 23: b'["not", "an", "object"]'}  # raw offset → message


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # one partition, so that a topic's order is the order records were produced in
    return dataclasses.replace(settings, concurrency=2, partitions=1)


@pytest.fixture
def watcher(settings: Settings) -> Iterator[TopicWatcher]:
    yield from watched(settings)


def _pool_processes(worker: WorkerProcess) -> list[int]:
    pid = worker.process.pid
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_two_processes_a_stage_keep_the_input_order_and_lose_nothing(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
) -> None:
    for stage, worker in workers.items():
        assert len(_pool_processes(worker)) == 2, f"{stage} worker has no pool of two processes"
    messages = [orjson.dumps(article) for article in corpus_articles(ARTICLES)]
    for offset in sorted(POISON):
        messages.insert(offset, POISON[offset])
    publish(settings, messages)
    sent = [orjson.loads(m)["id"] for offset, m in enumerate(messages) if offset not in POISON]
    t = settings.topics
    watcher.wait_for(lambda: len(watcher.records(t.events)) >= len(sent) and watcher.count(t.deadletter) >= len(POISON), 600, "every record")
    watcher.wait_for(lambda: time.monotonic() - max(watcher.last_arrival(topic) or 0 for topic in watcher.topics) > 3, 60, "quiet topics")

    assert [r["article_id"] for r in watcher.records(t.cleaned)] == sent
    assert [r["article_id"] for r in watcher.records(t.extracted)] == sent
    assert [r["article_id"] for r in watcher.records(t.events)] == sent
    dead = watcher.records(t.deadletter)
    assert [(d["stage"], d["source"]["offset"], d["reason"]) for d in dead] == [("clean", 5, "bad_json"), ("clean", 23, "not_an_object")]
    for stage, worker in workers.items():
        text = worker.get("/metrics")[1].decode()
        assert metric(text, "newsingest_commit_failures_total", stage=stage) == 0, f"{stage} had to redo a batch"
        assert metric(text, "newsingest_transform_processes", stage=stage) == 2
        assert metric(text, "newsingest_transform_process_deaths_total", stage=stage) == 0
