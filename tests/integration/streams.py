"""Watching a running pipeline from outside: every record of its topics, read live in a background thread.

Used by the fault, hostile-input and security tests (and the soak test) to decide when to break
something mid-stream and, at the end, to check that every article arrived exactly as a record.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from itertools import chain, count, islice
from typing import Any

import orjson

from newsingest.devtools.corpora import bbc_articles, saudinewsnet_articles, shared_dir
from newsingest.ops.sources import iter_messages
from newsingest.runtime import kafka
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import validate
from newsingest.runtime.paths import DEMO_DIR


def corpus_articles(n: int) -> list[dict[str, Any]]:
    """``n`` real articles, half English (BBC) and half Arabic (SaudiNewsNet); the demo articles varied by number without ../shared."""
    shared = shared_dir()
    if shared is not None:
        english = list(bbc_articles(shared, n // 2))
        return english + list(saudinewsnet_articles(shared, n - len(english)))
    demo = [orjson.loads(v) for v in iter_messages([str(DEMO_DIR)]) if v.startswith(b"{")]
    variants = ({**a, "id": f"{a['id']}-{i}", "body": f"{a['body']}\n\nUpdate {i}."} for i in count() for a in demo)
    return list(islice(variants, n))


class TopicWatcher:
    """Reads ``topics`` from the beginning (no consumer group) in a thread, keeping every record by topic.

    It keeps reading through broker restarts (the client reconnects by itself). Use as a context manager.
    """

    def __init__(self, settings: Settings, *topics: str) -> None:
        self.settings = settings
        self.topics = topics
        self._records: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._arrivals: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="topic-watcher", daemon=True)

    def __enter__(self) -> TopicWatcher:
        self._thread.start()
        if not self._ready.wait(90):
            raise AssertionError(f"the watcher could not start: {self._error!r}")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._consume())
        except BaseException as exc:  # surfaced by wait_for
            self._error = exc
            self._ready.set()

    async def _consume(self) -> None:
        await kafka.ensure_topics(self.settings)
        consumer = kafka.consumer(self.settings, *self.topics, group_id=None)
        await consumer.start()
        try:
            while not consumer.assignment():
                await asyncio.sleep(0.1)
            await consumer.seek_to_beginning(*consumer.assignment())
            self._ready.set()
            while not self._stop.is_set():
                batch = await consumer.getmany(timeout_ms=200)
                now = time.monotonic()
                with self._lock:
                    for message in chain.from_iterable(batch.values()):
                        self._records[message.topic].append(orjson.loads(message.value))
                        self._arrivals[message.topic].append(now)
        finally:
            await consumer.stop()

    def records(self, topic: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._records[topic])

    def count(self, topic: str) -> int:
        with self._lock:
            return len(self._records[topic])

    def last_arrival(self, topic: str) -> float | None:
        """``time.monotonic()`` when the latest record of ``topic`` was read."""
        with self._lock:
            return self._arrivals[topic][-1] if self._arrivals[topic] else None

    def first_arrival_after(self, topic: str, moment: float) -> float | None:
        with self._lock:
            return next((t for t in self._arrivals[topic] if t > moment), None)

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> float:
        """Wait until ``condition()`` holds; the seconds it took. Fails the test after ``timeout``."""
        started = time.monotonic()
        while not condition():
            if self._error is not None:
                raise AssertionError(f"the watcher failed: {self._error!r}")
            if time.monotonic() - started > timeout:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(0.1)
        return time.monotonic() - started

    def article_ids(self, topic: str) -> set[str]:
        return {r["article_id"] for r in self.records(topic)}


def check_delivery(watcher: TopicWatcher, expected_ids: set[str]) -> int:
    """Every expected article reached the sink, valid, nothing else did, no dead letters; the number of duplicates.

    A duplicate is a repeated sink record of an article; it must carry the same ``event_id`` as the first.
    """
    topics = watcher.settings.topics
    events = watcher.records(topics.events)
    assert watcher.records(topics.deadletter) == [], "articles were dead-lettered"
    assert {e["article_id"] for e in events} == expected_ids
    event_ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        event_ids[event["article_id"]].add(event["event_id"])
    differing = {a: ids for a, ids in event_ids.items() if len(ids) > 1}
    assert not differing, f"repeated articles with different event_ids: {list(differing.items())[:3]}"
    for event in events:
        validate("event", event)
    return sum(n - 1 for n in Counter(e["article_id"] for e in events).values())


def watched(settings: Settings) -> Iterator[TopicWatcher]:
    """A watcher of every topic after raw."""
    t = settings.topics
    with TopicWatcher(settings, t.cleaned, t.extracted, t.events, t.deadletter) as watcher:
        yield watcher
