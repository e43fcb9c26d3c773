"""Kafka wiring shared by workers and tools: clients with the project's settings, topic creation."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.conn import create_conn
from aiokafka.errors import KafkaConnectionError, KafkaError, SaslAuthenticationFailed, TopicAlreadyExistsError, UnsupportedSaslMechanismError
from aiokafka.helpers import create_ssl_context

from newsingest.runtime.config import MAX_RECORD_BYTES, Settings

# Records a producer gathers per partition before sending them as one batch. aiokafka's default, 16 KiB,
# holds two cleaned articles, so a worker delivering a poll of 200 sent ~100 batches and as many requests,
# each with its own compression, checksum and round trip: per-request costs were most of a bare hop's CPU
# (README, Performance). 256 KiB stays far under any broker's record limit (1 MiB by default) uncompressed.
PRODUCER_BATCH_BYTES = 256 * 1024


def client_options(settings: Settings) -> dict[str, object]:
    """Connection options every client shares: brokers, TLS and SASL from the KAFKA_* variables."""
    security = settings.security
    options: dict[str, object] = {"bootstrap_servers": settings.bootstrap_servers, "security_protocol": security.protocol}
    if security.uses_ssl:
        options["ssl_context"] = create_ssl_context(
            cafile=security.ssl_ca_file or None,
            certfile=security.ssl_cert_file or None,
            keyfile=security.ssl_key_file or None,
            password=security.ssl_key_password or None,
        )
    if security.uses_sasl:
        options.update(sasl_mechanism=security.sasl_mechanism, sasl_plain_username=security.sasl_username,
                       sasl_plain_password=security.sasl_password)
    return options


def producer(settings: Settings, **overrides: object) -> AIOKafkaProducer:
    """An idempotent producer waiting for all in-sync replicas: an acknowledged record is durable."""
    options: dict[str, object] = {
        **client_options(settings),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_batch_size": PRODUCER_BATCH_BYTES,
        "max_request_size": MAX_RECORD_BYTES,
        "compression_type": None if settings.compression == "none" else settings.compression,
        "client_id": "newsingest",
    }
    options.update(overrides)
    return AIOKafkaProducer(**options)


def consumer(settings: Settings, *topics: str, group_id: str | None, **overrides: object) -> AIOKafkaConsumer:
    """A consumer that never auto-commits: offsets are committed by the worker after its output is acknowledged."""
    options: dict[str, object] = {
        **client_options(settings),
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_partition_fetch_bytes": MAX_RECORD_BYTES,
        "fetch_max_bytes": 4 * MAX_RECORD_BYTES,
        "client_id": "newsingest",
    }
    if group_id is not None:  # a group member: liveness as the settings choose (README, Reliability)
        options.update(
            session_timeout_ms=int(settings.session_timeout * 1000),
            heartbeat_interval_ms=int(settings.heartbeat_interval * 1000),
            max_poll_interval_ms=int(settings.max_poll_interval * 1000),
            # a rebalance waits for the batch in hand (the revocation listener), which the poll interval bounds
            rebalance_timeout_ms=int(settings.max_poll_interval * 1000),
        )
    options.update(overrides)
    return AIOKafkaConsumer(*topics, **options)


async def read_to_end(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record of ``partitions`` from the beginning up to their end offsets as of this call.

    ``consumer`` must already hold ``partitions`` (assigned or subscribed); it is left positioned at
    those ends, so it can go on following the topic.
    """
    await consumer.seek_to_beginning(*partitions)
    ends = await consumer.end_offsets(partitions)
    while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
        batch = await consumer.getmany(*partitions, timeout_ms=500)
        for tp, messages in batch.items():
            for message in messages:
                if message.offset < ends[tp]:
                    yield message


async def existing_topics(settings: Settings, *, timeout: float = 60.0) -> set[str]:
    """Names of the topics on the cluster (waits up to ``timeout`` for a broker to answer)."""
    admin = AIOKafkaAdminClient(**client_options(settings), client_id="newsingest-admin")
    await _start_with_retry(admin.start, settings, timeout)
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def ensure_topics(
    settings: Settings, topics: tuple[str, ...] | None = None, *, timeout: float = 60.0, configs: dict[str, str] | None = None
) -> None:
    """Create the pipeline's topics (or ``topics``, with extra ``configs``) if they do not exist (idempotent; safe for many workers at once)."""
    wanted = topics or settings.topics.all()
    existing = await existing_topics(settings, timeout=timeout)
    admin = AIOKafkaAdminClient(**client_options(settings), client_id="newsingest-admin")
    await _start_with_retry(admin.start, settings, timeout)
    try:
        missing = [
            NewTopic(name, settings.partitions, settings.replication_factor, topic_configs={"max.message.bytes": str(MAX_RECORD_BYTES), **(configs or {})})
            for name in wanted
            if name not in existing
        ]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another worker created it in between
            await _wait_until_readable(settings, [topic.name for topic in missing])
    finally:
        await admin.close()


async def _wait_until_readable(settings: Settings, topics: list[str]) -> None:
    """Return once every partition of the new ``topics`` answers an offset request: a client reading a topic
    created a moment earlier otherwise logs NotLeaderForPartition errors until the broker has taken on its
    partitions (their leaders show in the metadata a little before they answer). A partition still without
    a leader after the request timeout is left to the clients, which retry, as they would without this wait."""
    reader = consumer(settings, group_id=None)
    try:
        await reader.start()
        await reader.end_offsets([TopicPartition(topic, p) for topic in topics for p in range(settings.partitions)])  # retries quietly
    except KafkaError:
        pass
    finally:
        await reader.stop()


async def _start_with_retry(start: object, settings: Settings, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            await start()  # type: ignore[operator]
            return
        except KafkaConnectionError:
            await _stop_if_refused(settings)
            if asyncio.get_running_loop().time() > deadline:
                raise SystemExit(
                    f"no Kafka broker answers at {settings.bootstrap_servers}. Start one with `newsingest broker start` "
                    "or point KAFKA_BOOTSTRAP_SERVERS at yours."
                ) from None
            await asyncio.sleep(1.0)


async def _stop_if_refused(settings: Settings) -> None:
    """Exit with what to fix when the first broker rejects our TLS or SASL settings: retrying cannot help."""
    host, _, port = settings.bootstrap_servers.split(",")[0].strip().rpartition(":")
    security = settings.security
    options = client_options(settings)
    options.pop("bootstrap_servers")
    try:
        conn = await create_conn(host, int(port), client_id="newsingest-check", request_timeout_ms=10_000, **options)
    except (SaslAuthenticationFailed, UnsupportedSaslMechanismError) as exc:
        raise SystemExit(
            f"Kafka at {settings.bootstrap_servers} rejected SASL {security.sasl_mechanism} login as {security.sasl_username!r} "
            f"({exc}): check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM."
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise SystemExit(
            f"the TLS certificate of Kafka at {settings.bootstrap_servers} is not trusted ({exc.verify_message}): "
            "set KAFKA_SSL_CA_FILE to the CA that signed it."
        ) from None
    except (OSError, KafkaError, asyncio.TimeoutError):
        return  # not answering (yet): the caller keeps retrying
    conn.close()
