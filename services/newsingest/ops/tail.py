"""``newsingest tail``: a topic's records as they arrive, whole or one summary line each."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson

from newsingest.runtime import kafka
from newsingest.runtime.config import Settings


async def tail(
    settings: Settings,
    topic: str,
    *,
    on_record: Callable[[bytes], Any],
    limit: int | None = None,
    idle_timeout: float | None = None,
    from_beginning: bool = True,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
) -> int:
    """Read ``topic`` without joining a consumer group, calling ``on_record`` with each value.

    Starts at the beginning, or at the current end when not ``from_beginning`` (``ready`` is set once
    positioned). Ends after ``limit`` records, after ``idle_timeout`` seconds without one, or when ``stop`` is set.
    """
    if topic not in await kafka.existing_topics(settings):
        raise SystemExit(f"topic {topic!r} does not exist on {settings.bootstrap_servers}; check the name (newsingest tail TOPIC)")
    consumer = kafka.consumer(settings, topic, group_id=None)  # no group: every partition is ours
    await consumer.start()
    partitions = sorted(consumer.assignment())
    if from_beginning:
        await consumer.seek_to_beginning(*partitions)
    else:
        await consumer.seek_to_end(*partitions)
    if ready is not None:
        ready.set()
    seen = 0
    idle_since = asyncio.get_running_loop().time()
    try:
        while not (stop and stop.is_set()) and (limit is None or seen < limit):
            batch = await consumer.getmany(timeout_ms=250)
            now = asyncio.get_running_loop().time()
            if not batch:
                if idle_timeout is not None and now - idle_since > idle_timeout:
                    break
                continue
            idle_since = now
            for message in (m for messages in batch.values() for m in messages):
                on_record(message.value)
                seen += 1
                if limit is not None and seen >= limit:
                    break
    finally:
        await consumer.stop()
    return seen


def summary_line(value: bytes) -> str:
    """One readable line for a sink record: id, language, counts of what was found, title."""
    try:
        record = orjson.loads(value)
    except orjson.JSONDecodeError:
        return value[:200].decode("utf-8", "replace")
    if record.get("schema", "").startswith("newsingest.deadletter"):
        return f"✗ dead letter from {record.get('stage')}: {record.get('reason')} — {record.get('error_message', '')[:120]}"
    found = " ".join(f"{name}={len(record.get(name) or [])}" for name in ("entities", "locations", "quotes", "counts", "dates", "social"))
    places = ", ".join(loc["name"] for loc in (record.get("locations") or [])[:5])
    return f"✓ {record.get('article_id')} [{record.get('language')}] {found} | {(record.get('title') or '')[:70]}" + (f" | places: {places}" if places else "")
