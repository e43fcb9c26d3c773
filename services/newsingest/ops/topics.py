"""Producer and consumer tools for people: ``newsingest publish`` and ``newsingest tail``."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from tqdm import tqdm

from newsingest.runtime import cloudevents, kafka
from newsingest.runtime.config import Settings
from newsingest.runtime.errors import Rejected
from newsingest.runtime.messages import decode_raw


def message_key(value: bytes, max_bytes: int) -> bytes | None:
    """The article id the clean stage will use, as the Kafka key (so an article's versions share a partition)."""
    try:
        return decode_raw(value, max_bytes=max_bytes)["id"].encode()
    except (Rejected, AttributeError, KeyError):
        return None  # the worker will dead-letter it; no key needed


async def publish(
    settings: Settings, values: Iterable[bytes], *, topic: str | None = None, progress: bool = True, rate: float | None = None,
) -> int:
    """Send every value to the raw topic (or ``topic``) with CloudEvents headers and a new trace, wait for all acknowledgements, return the count.

    With ``rate`` (messages per second) the values go out at that steady pace instead of as fast as possible.
    """
    target = topic or settings.topics.raw
    await kafka.ensure_topics(settings)
    producer = kafka.producer(settings)
    await producer.start()
    sent = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        with tqdm(values, desc=f"publishing to {target}", unit=" msg", disable=not progress, file=sys.stderr) as bar:
            for value in bar:
                if rate:
                    await asyncio.sleep(max(0.0, started + len(sent) / rate - loop.time()))
                key = message_key(value, settings.max_message_bytes)
                headers = cloudevents.raw_headers(value, key.decode() if key else None)
                sent.append(await producer.send(target, value, key=key, headers=headers))
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    return len(sent)


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
