"""``newsingest publish``: articles from files, feeds or stdin onto the raw topic."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable

from tqdm import tqdm

from newsingest.runtime import cloudevents, kafka
from newsingest.runtime.config import Settings
from newsingest.runtime.deadletters import Rejected
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
