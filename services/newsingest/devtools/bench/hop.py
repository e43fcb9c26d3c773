"""One hop of the benchmark's bare-Kafka baseline: consume → orjson decode → orjson encode → produce.

``newsingest bench`` runs three of these as processes (raw → t1 → t2 → sink). They use the project's
client settings (``kafka.consumer``/``kafka.producer``: acks=all, idempotence, linger, compression, the same
batch size) and the same at-least-once discipline as a worker — commit a batch after its records are
acknowledged — but nothing else: no validation, transform, headers, metrics or dead letters.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

import orjson

from newsingest.runtime import kafka
from newsingest.runtime.config import load_settings


async def run_hop(source: str, target: str, group: str) -> None:
    """Forward every message of ``source`` to ``target`` (decoded and re-encoded) until SIGTERM."""
    settings = load_settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    consumer = kafka.consumer(settings, source, group_id=group)
    producer = kafka.producer(settings)
    await producer.start()
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=500, max_records=settings.batch_size)
            if not batch:
                continue
            sent = [
                await producer.send(target, orjson.dumps(orjson.loads(message.value)), key=message.key)
                for messages in batch.values()
                for message in messages
            ]
            await asyncio.gather(*sent)
            await consumer.commit({tp: messages[-1].offset + 1 for tp, messages in batch.items()})
    finally:
        await consumer.stop()
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("group")
    args = parser.parse_args()
    asyncio.run(run_hop(args.source, args.target, args.group))


if __name__ == "__main__":
    main()
