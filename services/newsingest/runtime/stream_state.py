"""Enrich's duplicate-detection state: shared by every copy of the stage and kept across restarts.

Each copy holds a :class:`~newsingest.stages.enrich.duplicates.DuplicateIndex` in memory, backed by a
compacted topic (``NEWSINGEST_TOPIC_FINGERPRINTS``) holding one fingerprint per first-seen article,
keyed by article id. On start a copy reads the topic from the beginning into its index before it
processes anything, then keeps reading it in the background, so it learns the articles the other
copies see. The index belongs to the thread that transforms messages: fingerprints read in the
background wait in a queue until it next marks a record. A first-seen article's fingerprint is
produced in the same batch as its sink record, so it is acknowledged before the input offset is
committed (at-least-once, like the outputs).

Known race: two copies handling near-identical articles within the same moment (before either
fingerprint has travelled through the topic) both call their article first. The topic keeps both, so
later copies of the story point at whichever of the two the reading copy indexed first.
"""

from __future__ import annotations

import asyncio
from collections import deque
from itertools import chain
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from newsingest.runtime import kafka
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import validate
from newsingest.runtime.logs import get_logger
from newsingest.stages.enrich.duplicates import DuplicateIndex, Fingerprint, flag_duplicate

# Compacted (one record per article id), and fingerprints older than 30 days are deleted:
# the index then holds the last 30 days, at most NEWSINGEST_DEDUP_MAX_ARTICLES articles.
TOPIC_CONFIGS = {"cleanup.policy": "compact,delete", "retention.ms": str(30 * 24 * 3600 * 1000)}


class DedupState:
    """The enrich worker's duplicate index, loaded from and kept in step with the fingerprint topic."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = settings.topics.fingerprints
        self._index = DuplicateIndex(settings.dedup_max_articles)
        self.log = get_logger(stage="enrich", component="dedup")
        self._pending: list[tuple[str, Fingerprint]] = []  # marked first-seen, to be produced
        self._arrived: deque[tuple[str, Fingerprint]] = deque()  # read from the topic, to be indexed
        self._consumer: AIOKafkaConsumer | None = None
        self._follower: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Create the topic if needed, read it to its end into the index, then follow it in the background."""
        await kafka.ensure_topics(self.settings, (self.topic,), configs=TOPIC_CONFIGS)
        self._consumer = kafka.consumer(self.settings, group_id=None)
        await self._consumer.start()
        partitions = [TopicPartition(self.topic, p) for p in sorted(await self._partitions())]
        self._consumer.assign(partitions)
        async for message in kafka.read_to_end(self._consumer, partitions):
            self._load(message)
        self.log.info("dedup_state_loaded", topic=self.topic, articles=len(self.index))
        self._follower = asyncio.create_task(self._follow())

    async def _partitions(self) -> set[int]:
        assert self._consumer is not None
        for _ in range(60):
            found = self._consumer.partitions_for_topic(self.topic)
            if found:
                return found
            await self._consumer._client.force_metadata_update()
            await asyncio.sleep(0.5)
        raise RuntimeError(f"no partitions found for {self.topic}")

    async def _follow(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=1000)
            for message in chain.from_iterable(batch.values()):
                self._load(message)

    def _load(self, message: ConsumerRecord[bytes, bytes]) -> None:
        """Queue one fingerprint record for the index (a tombstone or a broken record is skipped, the latter logged)."""
        if message.key is None or message.value is None:
            return  # a tombstone
        try:
            record = orjson.loads(message.value)
            validate("fingerprint", record)  # the contract, schemas/fingerprint.schema.json
            self._arrived.append((message.key.decode("utf-8"), Fingerprint.from_json(record)))
        except (ValueError, KeyError, TypeError) as exc:
            self.log.warning("bad_fingerprint_record", offset=message.offset, error=f"{type(exc).__name__}: {exc}")

    def mark(self, event: dict[str, Any]) -> None:
        """Set ``duplicate_of`` on a sink record; remember a first-seen article's fingerprint for :meth:`send`."""
        print_ = flag_duplicate(event, self.index)
        if print_ is not None:
            self._pending.append((event["article_id"], print_))

    @property
    def index(self) -> DuplicateIndex:
        """The index, with every fingerprint read so far added (``deque.popleft`` is safe against the reading thread's appends)."""
        while self._arrived:
            self._index.add(*self._arrived.popleft())
        return self._index

    async def send(self, producer: AIOKafkaProducer) -> list[asyncio.Future[Any]]:
        """Produce the fingerprints marked since the last call; the futures resolve when they are acknowledged."""
        pending, self._pending = self._pending, []
        return [
            await producer.send(self.topic, orjson.dumps(print_.as_json()), key=article_id.encode("utf-8"))
            for article_id, print_ in pending
        ]

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            await asyncio.gather(self._follower, return_exceptions=True)
        if self._consumer is not None:
            await self._consumer.stop()
