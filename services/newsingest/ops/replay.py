"""``newsingest replay``: re-publish dead letters to the topic they came from, e.g. after a fix.

The dead-letter topic is read from the beginning up to its end at the start of the run (dead
letters written meanwhile, such as messages that fail again, wait for the next run). Each matching
dead letter's original payload and key go back to ``source.topic``; the run ends when the broker
has acknowledged them all. Replaying twice publishes twice: the sink's ``event_id`` de-duplicates.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

import orjson

from newsingest.runtime import kafka
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import SchemaViolation, validate


def original_message(dead: dict[str, Any]) -> tuple[str, bytes | None, bytes]:
    """``(topic, key, value)`` of the message a dead letter stands for."""
    payload = dead["payload"]
    value = base64.b64decode(payload) if dead["payload_encoding"] == "base64" else payload.encode("utf-8", "surrogatepass")
    key = dead["source"].get("key")
    return dead["source"]["topic"], key.encode() if key is not None else None, value


def selected(dead: dict[str, Any], reasons: Collection[str], stages: Collection[str]) -> bool:
    return (not reasons or dead["reason"] in reasons) and (not stages or dead["stage"] in stages)


async def replay(
    settings: Settings,
    *,
    reasons: Collection[str] = (),
    stages: Collection[str] = (),
    dry_run: bool = False,
    on_dead_letter: Callable[[dict[str, Any]], None] | None = None,
) -> Counter[str]:
    """Re-publish the dead letters present now that match ``reasons``/``stages``; counts by target topic.

    With ``dry_run`` nothing is published (``on_dead_letter`` still sees each match). Records on the
    topic that are not dead letters are counted under ``"(not a dead letter)"`` and left alone.
    """
    if settings.topics.deadletter not in await kafka.existing_topics(settings):
        raise SystemExit(f"no dead-letter topic {settings.topics.deadletter!r} on {settings.bootstrap_servers}: nothing to replay")
    consumer = kafka.consumer(settings, settings.topics.deadletter, group_id=None)
    producer = None if dry_run else kafka.producer(settings)
    counts: Counter[str] = Counter()
    await consumer.start()
    try:
        if producer is not None:
            await producer.start()
        sent = []
        async for message in kafka.read_to_end(consumer, list(consumer.assignment())):
            try:
                dead = orjson.loads(message.value)
                validate("deadletter", dead)
            except (orjson.JSONDecodeError, SchemaViolation):
                counts["(not a dead letter)"] += 1
                continue
            if not selected(dead, reasons, stages):
                continue
            if on_dead_letter is not None:
                on_dead_letter(dead)
            topic, key, value = original_message(dead)
            if producer is not None:
                sent.append(await producer.send(topic, value, key=key))
            counts[topic] += 1
        await asyncio.gather(*sent)
    finally:
        await consumer.stop()
        if producer is not None:
            await producer.stop()
    return counts
