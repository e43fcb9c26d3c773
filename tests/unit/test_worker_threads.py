"""The worker's Kafka loop runs in its own thread and keeps going while the main thread transforms; a long batch is cut."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator

import orjson
import pytest
from aiokafka import ConsumerRecord, TopicPartition

from newsingest.runtime.config import Settings
from newsingest.runtime.worker import KafkaThread, StageWorker
from newsingest.stages import IDENTITY_STAGES


@pytest.fixture
def kafka_thread() -> Iterator[KafkaThread]:
    running = KafkaThread()
    yield running
    running.close()


def test_the_loop_ticks_while_the_main_thread_is_busy_in_python(kafka_thread: KafkaThread) -> None:
    ticks: list[float] = []
    busy = threading.Event()
    busy.set()

    async def heartbeat() -> None:
        while busy.is_set():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    beating = asyncio.run_coroutine_threadsafe(heartbeat(), kafka_thread.loop)
    started = time.monotonic()
    total = 0
    while time.monotonic() - started < 1.5:  # a transform's pure-Python work, never yielding
        total += sum(i * i for i in range(1000))
    busy.clear()
    beating.result(timeout=5)  # the beat ends on its own, before the loop closes
    during = [t for t in ticks if t >= started]
    assert total and len(during) >= 10, during
    assert max(b - a for a, b in zip(during, during[1:], strict=False)) < 0.5


def test_results_exceptions_and_exits_reach_the_calling_thread(kafka_thread: KafkaThread) -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def fail(exc: BaseException) -> None:
        raise exc

    assert kafka_thread.run(answer()) == 42
    with pytest.raises(ValueError, match="bad"):
        kafka_thread.run(fail(ValueError("bad")))
    with pytest.raises(SystemExit, match="no broker"):  # asyncio would otherwise end the loop's thread with it
        kafka_thread.run(fail(SystemExit("no broker")))
    assert kafka_thread.run(answer()) == 42


class _Producer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None]] = []

    async def send(self, topic: str, value: bytes, *, key: bytes | None = None, headers: object = None) -> asyncio.Future[None]:
        self.sent.append((topic, key))
        acknowledged = asyncio.get_running_loop().create_future()
        acknowledged.set_result(None)
        return acknowledged


class _Consumer:
    def __init__(self, partitions: set[TopicPartition]) -> None:
        self.partitions = partitions
        self.commits: list[dict[TopicPartition, int]] = []
        self.seeks: list[tuple[TopicPartition, int]] = []

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(offsets)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.seeks.append((tp, offset))

    def assignment(self) -> set[TopicPartition]:
        return self.partitions


def test_a_batch_over_its_time_budget_commits_what_is_done_and_reads_the_rest_again() -> None:
    settings = dataclasses.replace(Settings(), max_poll_interval=0.0)  # a budget of nothing: one message, then the cut
    worker = StageWorker(IDENTITY_STAGES["clean"], settings)
    first, second = TopicPartition(settings.topics.raw, 0), TopicPartition(settings.topics.raw, 1)
    batch = {
        tp: [ConsumerRecord(tp.topic, tp.partition, offset, 0, 0, f"{tp.partition}-{offset}".encode(),
                            orjson.dumps({"id": f"a{tp.partition}{offset}", "body": "Ministers met."}), None, 3, 40, [])
             for offset in range(10, 13)]
        for tp in (first, second)
    }
    worker._producer, worker._consumer = _Producer(), _Consumer({first, second})  # type: ignore[assignment]
    handled = worker._transform(batch)
    assert [(message.partition, message.offset) for message, _ in handled] == [(0, 10)]

    async def deliver() -> None:
        await worker._lock.acquire()  # as a poll leaves it
        await worker._deliver(batch, handled)

    asyncio.run(deliver())
    assert worker._producer.sent == [(settings.topics.cleaned, b"a010")]
    assert worker._consumer.commits == [{first: 11}] and sorted(worker._consumer.seeks) == [(first, 11), (second, 10)]
    assert not worker._lock.locked()
