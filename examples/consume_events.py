"""A minimal subscriber: read newsingest's event records, once each, in a consumer group of your own.

Needs only aiokafka (``pip install aiokafka``). Delivery is at-least-once, so the same article can
arrive twice; both copies carry the same ``event_id`` (also the CloudEvents ``ce_id`` header), and this
consumer skips the ones it has seen. It commits offsets only after handling a batch, so a restart
repeats at most that batch. Here ``handle`` prints one JSON line per new event; put your own work there.
A real desk keeps the seen ids in its own store (e.g. an upsert keyed on ``event_id``) so that
de-duplication survives restarts; this example keeps the most recent ones in memory.

    python examples/consume_events.py --bootstrap 127.0.0.1:9092 --group my-desk
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import OrderedDict

from aiokafka import AIOKafkaConsumer


class SeenIds:
    """The most recent ``capacity`` event ids, oldest forgotten first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, event_id: str) -> bool:
        """Remember ``event_id``; False when it was already there (a duplicate)."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


def handle(event: dict, headers: dict[str, str]) -> None:
    trace_id = headers.get("traceparent", "---").split("-")[1]
    summary = {key: event.get(key) for key in ("event_id", "article_id", "language", "title")}
    print(json.dumps({**summary, "places": [place["name"] for place in event["locations"]], "trace_id": trace_id}, ensure_ascii=False), flush=True)


async def consume(bootstrap: str, topic: str, group: str, idle_seconds: float | None, remember: int) -> tuple[int, int]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    seen, new, duplicates = SeenIds(remember), 0, 0
    idle = 0.0
    try:
        while idle_seconds is None or idle < idle_seconds:
            batch = await consumer.getmany(timeout_ms=1000)
            idle = idle + 1.0 if not batch else 0.0
            for message in (m for messages in batch.values() for m in messages):
                event = json.loads(message.value)
                if event.get("schema", "").split("/")[0] != "newsingest.event":
                    continue  # not an event record (another major version would be handled here)
                if seen.add(event["event_id"]):
                    handle(event, {name: value.decode() for name, value in message.headers})
                    new += 1
                else:
                    duplicates += 1
            if batch:
                await consumer.commit()  # after handling: at-least-once for this consumer too
    finally:
        await consumer.stop()
    return new, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--topic", default="news.events", help="newsingest's sink topic")
    parser.add_argument("--group", default="my-desk", help="your consumer group (each group receives every event)")
    parser.add_argument("--idle-seconds", type=float, default=None, help="stop after this long without a record (default: run forever)")
    parser.add_argument("--remember", type=int, default=100_000, help="how many recent event ids to de-duplicate against")
    args = parser.parse_args()
    new, duplicates = asyncio.run(consume(args.bootstrap, args.topic, args.group, args.idle_seconds, args.remember))
    print(f"{new} events, {duplicates} duplicates skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
