"""Small helpers for integration tests: publish messages and collect a topic's records."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from newsingest.ops.publish import publish as publish_all
from newsingest.ops.tail import tail
from newsingest.runtime.config import Settings


def publish(settings: Settings, values: Iterable[bytes], rate: float | None = None) -> int:
    return asyncio.run(publish_all(settings, values, progress=False, rate=rate))


def collect(settings: Settings, topic: str, done: Callable[[list[dict[str, Any]]], bool], timeout: float) -> list[dict[str, Any]]:
    """Read ``topic`` from the beginning until ``done(records)`` holds or ``timeout`` seconds pass."""
    records: list[dict[str, Any]] = []

    async def run() -> None:
        stop = asyncio.Event()

        def keep(value: bytes) -> None:
            records.append(orjson.loads(value))
            if done(records):
                stop.set()

        task = asyncio.create_task(tail(settings, topic, on_record=keep, stop=stop))
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            stop.set()
            await task

    asyncio.run(run())
    return records


def metric(text: str, name: str, **labels: str) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{name}(?:{{(.*)}})? (\S+)$", line)
        if match and all(f'{k}="{v}"' in (match.group(1) or "") for k, v in labels.items()):
            total += float(match.group(2))
    return total
