"""Kafka wiring shared by workers and tools: clients with the project's settings, topic creation."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from newsingest.config import MAX_RECORD_BYTES, Settings


def producer(settings: Settings, **overrides: object) -> AIOKafkaProducer:
    """An idempotent producer waiting for all in-sync replicas: an acknowledged record is durable."""
    options: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_request_size": MAX_RECORD_BYTES,
        "compression_type": "lz4",
        "client_id": "newsingest",
    }
    options.update(overrides)
    return AIOKafkaProducer(**options)


def consumer(settings: Settings, *topics: str, group_id: str | None, **overrides: object) -> AIOKafkaConsumer:
    """A consumer that never auto-commits: offsets are committed by the worker after its output is acknowledged."""
    options: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_partition_fetch_bytes": MAX_RECORD_BYTES,
        "fetch_max_bytes": 4 * MAX_RECORD_BYTES,
        "client_id": "newsingest",
    }
    options.update(overrides)
    return AIOKafkaConsumer(*topics, **options)


async def existing_topics(settings: Settings, *, timeout: float = 60.0) -> set[str]:
    """Names of the topics on the cluster (waits up to ``timeout`` for a broker to answer)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="newsingest-admin")
    await _start_with_retry(admin.start, settings, timeout)
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def ensure_topics(settings: Settings, topics: tuple[str, ...] | None = None, *, timeout: float = 60.0) -> None:
    """Create the pipeline's topics if they do not exist (idempotent; safe for many workers at once)."""
    wanted = topics or settings.topics.all()
    existing = await existing_topics(settings, timeout=timeout)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id="newsingest-admin")
    await _start_with_retry(admin.start, settings, timeout)
    try:
        missing = [
            NewTopic(name, settings.partitions, settings.replication_factor, topic_configs={"max.message.bytes": str(MAX_RECORD_BYTES)})
            for name in wanted
            if name not in existing
        ]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another worker created it in between
    finally:
        await admin.close()


async def _start_with_retry(start: object, settings: Settings, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            await start()  # type: ignore[operator]
            return
        except KafkaConnectionError:
            if asyncio.get_running_loop().time() > deadline:
                raise SystemExit(
                    f"no Kafka broker answers at {settings.bootstrap_servers}. Start one with `newsingest broker start` "
                    "or point KAFKA_BOOTSTRAP_SERVERS at yours."
                ) from None
            await asyncio.sleep(1.0)
