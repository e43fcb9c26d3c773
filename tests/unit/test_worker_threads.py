"""The worker's Kafka loop runs in its own thread: it keeps going while the main thread transforms."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from newsingest.runtime.worker import KafkaThread


@pytest.fixture
def kafka_thread() -> Iterator[KafkaThread]:
    running = KafkaThread()
    yield running
    running.close()


def test_the_loop_ticks_while_the_main_thread_is_busy_in_python(kafka_thread: KafkaThread) -> None:
    ticks: list[float] = []

    async def heartbeat() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    beating = asyncio.run_coroutine_threadsafe(heartbeat(), kafka_thread.loop)
    started = time.monotonic()
    total = 0
    while time.monotonic() - started < 1.5:  # a transform's pure-Python work, never yielding
        total += sum(i * i for i in range(1000))
    beating.cancel()
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
