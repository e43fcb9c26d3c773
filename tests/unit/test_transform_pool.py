"""NEWSINGEST_CONCURRENCY: transforms in forked processes give the same outcomes, in input order, and
a process that dies costs no message."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from aiokafka import ConsumerRecord, TopicPartition

from newsingest.runtime.config import Settings
from newsingest.runtime.time_limit import TimeLimitExceeded, cpu_time_limit
from newsingest.runtime.transform_pool import CHUNK, CHUNK_SECONDS, TransformPool
from newsingest.runtime.worker import StageWorker
from newsingest.stages import STAGES

TEST_PROCESS = os.getpid()
FATAL = 13  # the input that kills a pool's process (not the test's own)


def _square_where(n: int) -> tuple[int, int]:
    """``n`` squared, and the process that squared it; a pool's process dies on :data:`FATAL`."""
    if n == FATAL and os.getpid() != TEST_PROCESS:
        os._exit(3)
    return n * n, os.getpid()


@pytest.fixture
def pool() -> Iterator[TransformPool[int, tuple[int, int]]]:
    found = TransformPool(_square_where, 2, stage="test")
    yield found
    found.close()


def test_results_come_in_input_order_from_other_processes(pool: TransformPool[int, tuple[int, int]]) -> None:
    numbers = [n for n in range(40) if n != FATAL]
    results = list(pool.results(numbers, lambda: True))
    assert [square for square, _ in results] == [n * n for n in numbers]
    assert TEST_PROCESS not in {pid for _, pid in results}


def test_messages_go_to_the_processes_a_chunk_at_a_time(pool: TransformPool[int, tuple[int, int]]) -> None:
    """A process takes up to CHUNK messages a trip (the trip's own cost is the worker's), fewer in a small batch."""
    results = list(pool.results(range(14, 14 + 4 * CHUNK), lambda: True))
    chunks = [results[start:start + CHUNK] for start in range(0, len(results), CHUNK)]
    assert all(len({pid for _, pid in chunk}) == 1 for chunk in chunks)
    small = list(pool.results(range(14, 18), lambda: True))  # a batch smaller than a chunk a process: still in order
    assert [square for square, _ in small] == [n * n for n in range(14, 18)]


def _slow_first(n: int) -> int:
    """``n`` back, after a pause longer than a chunk may take when ``n`` is 0."""
    if n == 0:
        time.sleep(2 * CHUNK_SECONDS)
    return n


def test_a_chunk_that_takes_too_long_is_cut_and_its_rest_handed_out_again() -> None:
    """A slow message makes its process give the chunk back early, so a result waited for comes at most
    CHUNK_SECONDS later than without chunks (the poll interval holds)."""
    slow = TransformPool(_slow_first, 1, stage="test")
    trips: list[int] = []
    submit = slow._submit
    slow._submit = lambda chunk: trips.append(len(chunk)) or submit(chunk)  # type: ignore[method-assign]
    try:
        assert list(slow.results(range(2 * CHUNK), lambda: True)) == list(range(2 * CHUNK))
    finally:
        slow.close()
    assert trips == [CHUNK, CHUNK, CHUNK - 1]  # the first chunk came back after its slow message; its rest went out again


def test_a_batch_stops_when_told_but_gives_at_least_one_result(pool: TransformPool[int, tuple[int, int]]) -> None:
    assert [square for square, _ in pool.results(range(10), lambda: False)] == [0]
    given: list[int] = []
    for square, _ in pool.results(range(10), lambda: len(given) < 4):
        given.append(square)
    assert given == [0, 1, 4, 9]


def test_a_dead_process_costs_no_result_and_the_pool_is_forked_again(pool: TransformPool[int, tuple[int, int]]) -> None:
    deaths: list[int] = []
    pool._on_death = lambda: deaths.append(1)
    results = list(pool.results(range(20), lambda: True))
    assert deaths == [1]
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert (FATAL * FATAL, TEST_PROCESS) in results  # redone in this process after its pool process died
    again = list(pool.results(range(5), lambda: True))
    assert [square for square, _ in again] == [0, 1, 4, 9, 16] and TEST_PROCESS not in {pid for _, pid in again}
    assert deaths == [1]


def _messages(topic: str) -> list[ConsumerRecord]:
    bodies: list[bytes] = [
        orjson.dumps({"id": f"a{n}", "title": f"Report {n}", "body": f"The ministry said {n} people were displaced.\n\nMore in the next days."})
        for n in range(6)
    ]
    bodies[2] = b'{"id": "broken", "body": '  # bad JSON: a dead letter, in its place
    return [ConsumerRecord(topic, 0, offset, 0, 0, f"k{offset}".encode(), value, None, len(f"k{offset}"), len(value), [])
            for offset, value in enumerate(bodies)]


def _comparable(value: bytes) -> dict[str, Any]:
    record = orjson.loads(value)
    record.pop("provenance", None)  # processing times
    record.pop("failed_at", None)  # a dead letter's
    return record


def test_a_worker_with_a_pool_gives_the_outcomes_of_one_without() -> None:
    settings = Settings()
    messages = _messages(settings.topics.raw)
    batch = {TopicPartition(settings.topics.raw, 0): messages}
    alone = StageWorker(STAGES["clean"], settings)._transform(batch)
    pooled_worker = StageWorker(STAGES["clean"], dataclasses.replace(settings, concurrency=2))
    pooled_worker._pool = TransformPool(pooled_worker.transform, 2, stage="clean")
    try:
        pooled = pooled_worker._transform(batch)
    finally:
        pooled_worker._pool.close()
    assert [message.offset for message, _ in pooled] == list(range(len(messages)))
    assert [(o.topic, o.key, o.reason) for _, o in pooled] == [(o.topic, o.key, o.reason) for _, o in alone]
    assert [o.reason for _, o in pooled] == [None, None, "bad_json", None, None, None]
    assert [_comparable(o.value) for _, o in pooled] == [_comparable(o.value) for _, o in alone]


def _burn_under_limit(seconds: float) -> str:
    """Spin for ``seconds`` of CPU under a 0.2 s limit: "finished" or "stopped"."""
    try:
        with cpu_time_limit(0.2):
            end = time.process_time() + seconds
            while time.process_time() < end:
                pass
    except TimeLimitExceeded:
        return "stopped"
    return "finished"


def test_each_process_applies_the_time_limit() -> None:
    burning = TransformPool(_burn_under_limit, 2, stage="test")
    try:
        assert list(burning.results([0.0, 2.0, 0.05], lambda: True)) == ["finished", "stopped", "finished"]
    finally:
        burning.close()
