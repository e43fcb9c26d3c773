"""The stream-processor shell around one stage: consume, transform, produce, then commit.

Delivery is at-least-once. A batch's offsets are committed only after every record it produced
(output or dead letter) is acknowledged by the broker; if producing fails, the worker seeks back
and processes the batch again, so a crash or broker outage can repeat records but never lose one.
Repeats carry the same ``event_id`` at the sink, which is how consumers de-duplicate.

Transforms run in the main thread, where the CPU-time limit's signal lands, or with
``NEWSINGEST_CONCURRENCY`` above 1 in the main threads of forked processes
(:mod:`~newsingest.runtime.transform_pool`), results taken in input order; the Kafka clients run on an
asyncio loop in a thread of their own (:class:`KafkaThread`), so heartbeats and fetches go on while
a slow message is transformed and the group never takes a busy worker for a dead one.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from newsingest.runtime import cloudevents, kafka, linux, metrics, time_limit
from newsingest.runtime.clock import from_millis, parse_timestamp
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import record_schema
from newsingest.runtime.deadletters import DeadLetterReason, Origin, Rejected, dead_letter
from newsingest.runtime.logs import get_logger
from newsingest.runtime.messages import check_text_length, decode_raw, decode_record
from newsingest.runtime.stream_state import DedupState
from newsingest.runtime.transform_pool import TransformPool
from newsingest.stages import IDENTITY_STAGES, STAGE_ORDER, STAGES, Stage, run_stage, warm_up

HEALTHY_POLL_SECONDS = 30.0
KAFKA_THREAD = "kafka"  # the name of the thread the Kafka clients run in, in Python and in the OS
T = TypeVar("T")
Batch = dict[TopicPartition, list[ConsumerRecord]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one input message became: a record for ``topic``, or a dead letter when ``reason`` is set."""

    topic: str
    key: bytes | None
    value: bytes
    reason: str | None
    ingested_at: float | None
    sink_labels: dict[str, str] | None = None  # language/duplicate labels when ``topic`` is the sink
    headers: cloudevents.Headers = field(default_factory=list)


Handled = list[tuple[ConsumerRecord, Outcome]]


@dataclass(frozen=True, slots=True)
class Transformed:
    """A message after the stage's transform: its ``output``, or the ``refusal`` (reason, message, error type)
    a dead letter is made of; plain data, so that it crosses from a pool's process."""

    output: dict[str, Any] | None
    refusal: tuple[DeadLetterReason, str, str] | None
    article_id: str | None
    incoming: dict[str, str | None] | None  # the headers the worker reads, read once
    seconds: float  # wall time of decoding and transforming


def _key(article_id: Any, fallback: bytes | None) -> bytes | None:
    return article_id.encode() if isinstance(article_id, str) and article_id else fallback


class StageWorker:
    """Runs one stage as a member of its consumer group (``<prefix>-<stage>``)."""

    def __init__(self, stage: Stage, settings: Settings) -> None:
        self.stage = stage
        self.settings = settings
        self.input_topic = settings.topics.input_of(stage.name)
        self.output_topic = settings.topics.output_of(stage.name)
        self.log = get_logger(stage=stage.name)
        self._lock = asyncio.Lock()  # held by a batch from its poll to its commit; a revocation waits for it
        self._last_active = 0.0  # monotonic time of the last poll or finished message
        # one message may take the time limit in CPU, more in wall time on a loaded machine
        self._healthy_seconds = max(HEALTHY_POLL_SECONDS, 2 * settings.message_time_limit)
        self._debug = settings.log_level == "debug"  # spares building a log line per message that would be dropped
        self._assigned: set[TopicPartition] = set()
        # label children looked up once, not per message
        self._consumed = metrics.MESSAGES_CONSUMED.labels(stage=stage.name, topic=self.input_topic)
        self._produced = metrics.MESSAGES_PRODUCED.labels(stage=stage.name, topic=self.output_topic)
        self._processing = metrics.PROCESSING_SECONDS.labels(stage=stage.name)
        self._end_to_end = metrics.END_TO_END_SECONDS.labels(stage=stage.name)
        self._sink_articles = cache(metrics.SINK_ARTICLES.labels)  # a few dozen language × duplicate children
        self.dedup = DedupState(settings) if stage is STAGES["enrich"] else None  # duplicates across the stream
        # (ce_source, ce_type) of the records the previous stage produced: it validated them against this
        # stage's input contract before sending, so they are not validated again ("validate once")
        upstream = None if stage.reads_raw else STAGE_ORDER[STAGE_ORDER.index(stage.name) - 1]
        self._upstream = (
            (cloudevents.stage_source(upstream), cloudevents.event_type(record_schema(stage.input_schema))) if upstream else None
        )
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self._pool: TransformPool[ConsumerRecord, Transformed] | None = None  # NEWSINGEST_CONCURRENCY > 1

    def decode(self, message: ConsumerRecord) -> dict[str, Any]:
        """The input record of a message; the raw topic is read leniently and stamped with its ingestion time."""
        if not self.stage.reads_raw:
            return decode_record(message.value)
        record = decode_raw(message.value, max_bytes=self.settings.max_message_bytes)
        record["ingested_at"] = from_millis(message.timestamp)
        return record

    def handle(self, message: ConsumerRecord) -> Outcome:
        """Transform one message in this process; any failure becomes a dead letter instead of an exception."""
        return self.outcome(message, self.transform(message))

    def transform(self, message: ConsumerRecord) -> Transformed:
        """The stage's work on one message: decode, check, transform. It reads only the worker's settings and
        changes nothing of it (duplicates are marked in :meth:`outcome`), so it runs in this process or a pool's."""
        article_id, incoming = None, None
        started = time.perf_counter()
        try:
            incoming = cloudevents.header_values(message.headers)
            record = self.decode(message)
            found = record.get("id") if self.stage.reads_raw else record.get("article_id")
            article_id = found if isinstance(found, str) else None
            output = run_stage(self.stage, check_text_length(record, self.settings.max_text_chars), time_limit=self.settings.message_time_limit,
                               input_checked=self._from_upstream(incoming))
            return Transformed(output, None, article_id, incoming, time.perf_counter() - started)
        except Rejected as error:
            refusal = (error.reason, str(error), error.error_type)
        except Exception as exc:  # decoding bugs must not stop the worker either
            refusal = ("transform_error", f"{type(exc).__name__}: {exc}", type(exc).__name__)
        return Transformed(None, refusal, article_id, incoming, time.perf_counter() - started)

    def outcome(self, message: ConsumerRecord, done: Transformed) -> Outcome:
        """What a transformed message becomes, in input order: duplicates marked, serialised, with its headers."""
        if done.output is None:
            reason, text, error_type = done.refusal
            return self._dead_letter(message, Rejected(reason, text, error_type=error_type), done.article_id, done.incoming)
        output = done.output
        try:
            if self.dedup is not None:
                self.dedup.mark(output)
            ingested = parse_timestamp(output.get("ingested_at"))
            labels = metrics.sink_labels(output) if self.output_topic == self.settings.topics.events else None
            return Outcome(
                self.output_topic, _key(output["article_id"], message.key), orjson.dumps(output), None, ingested.timestamp() if ingested else None, labels,
                self._headers(message, output, done.incoming),
            )
        except Exception as exc:  # serialising bugs must not stop the worker either
            error = Rejected("transform_error", f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__)
            return self._dead_letter(message, error, done.article_id, done.incoming)

    def _from_upstream(self, incoming: dict[str, str | None]) -> bool:
        """Whether a message's headers say it is a record of the previous stage, of this stage's input contract."""
        return self._upstream is not None and (incoming.get("ce_source"), incoming.get("ce_type")) == self._upstream

    def _dead_letter(self, message: ConsumerRecord, error: Rejected, article_id: str | None, incoming: dict[str, str | None] | None = None) -> Outcome:
        origin = Origin(message.topic, message.partition, message.offset, message.key, message.timestamp)
        record = dead_letter(self.stage.name, error, origin, message.value, article_id)
        headers = self._headers(message, record, cloudevents.header_values(message.headers) if incoming is None else incoming)
        return Outcome(self.settings.topics.deadletter, message.key, orjson.dumps(record), error.reason, None, headers=headers)

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set, then finish the batch in hand, commit and leave the group."""
        if self.stage is STAGES[self.stage.name]:
            for error in warm_up(self.stage.name):  # one-time loads, before any message's time limit
                self.log.warning("warm_up_rejected", reason=error.reason, error=str(error))
        time_limit.keep_handler()
        if self.settings.concurrency > 1:  # forked now: after the loads, before the Kafka thread
            self._pool = TransformPool(self.transform, self.settings.concurrency, stage=self.stage.name,
                                       on_death=metrics.TRANSFORM_PROCESS_DEATHS.labels(stage=self.stage.name).inc)
        kafka_thread = KafkaThread()
        try:
            kafka_thread.run(self._start())
            batch: Batch = {}
            while batch or not stop.is_set():
                # one hand-over per batch: the loop delivers this batch and polls the next while no transform runs
                batch = kafka_thread.run(self._turn(batch, self._transform(batch), poll=not stop.is_set()))
        finally:
            metrics.WORKER_UP.labels(stage=self.stage.name).set(0)
            kafka_thread.run(self._stop())
            kafka_thread.close()
            if self._pool is not None:
                self._pool.close()
            self.log.info("worker_stopped")

    async def _start(self) -> None:
        await kafka.ensure_topics(self.settings)
        self._consumer = kafka.consumer(self.settings, group_id=self.settings.group_id(self.stage.name))
        self._producer = kafka.producer(self.settings)
        await self._producer.start()
        if self.dedup is not None:
            await self.dedup.start()
        self._consumer.subscribe([self.input_topic], listener=_RebalanceListener(self))
        await self._consumer.start()
        metrics.mark_started(self.stage.name, self.input_topic, self.output_topic, sink=self.output_topic == self.settings.topics.events,
                             processes=self.settings.concurrency)
        self.log.info("worker_started", input=self.input_topic, output=self.output_topic, group=self.settings.group_id(self.stage.name))

    async def _stop(self) -> None:
        if self._lock.locked():  # a batch left half-way by an error: it is read again, by whoever gets its partitions
            self._lock.release()
        for client in (self._consumer, self._producer, self.dedup):
            if client is not None:
                await client.stop()

    async def _turn(self, batch: Batch, handled: Handled, *, poll: bool) -> Batch:
        """Deliver ``batch`` (when there is one), update the lag gauges, then poll the next batch (when ``poll``)."""
        if batch:
            await self._deliver(batch, handled)
        await self._record_lag()
        return await self._poll() if poll else {}

    async def _poll(self) -> Batch:
        """The next batch; when there is one, the lock is taken before any revocation can run."""
        batch = await self._consumer.getmany(timeout_ms=500, max_records=self.settings.batch_size)
        self._last_active = time.monotonic()
        if batch:
            await self._lock.acquire()
            metrics.IN_FLIGHT.labels(stage=self.stage.name).set(sum(len(messages) for messages in batch.values()))
        return batch

    def _transform(self, batch: Batch) -> Handled:
        """Each message's outcome, in order, until the batch has taken ``batch_seconds`` (the rest is polled again)."""
        deadline = time.monotonic() + self.settings.batch_seconds
        messages = [message for messages in batch.values() for message in messages]
        handled: Handled = []
        # the results first: when they stop (the batch cut at the deadline), zip asks no more of them
        for done, message in zip(self._results(messages, lambda: time.monotonic() <= deadline), messages):
            self._consumed.inc()
            handled.append((message, self.outcome(message, done)))
            self._last_active = time.monotonic()
            self._processing.observe(done.seconds)
        return handled

    def _results(self, messages: list[ConsumerRecord], more: Callable[[], bool]) -> Iterator[Transformed]:
        """:meth:`transform` of each message in order (in the pool's processes when there is one), while ``more()``; at least one."""
        if self._pool is not None:
            yield from self._pool.results(messages, more)
            return
        for message in messages:
            yield self.transform(message)
            if not more():
                return

    async def _deliver(self, batch: Batch, handled: Handled) -> None:
        """Produce the outcomes, wait for their acknowledgement, commit them; messages not handled are read again."""
        stage = self.stage.name
        resume = {tp: messages[0].offset for tp, messages in batch.items()}
        try:
            sent = [(*await self._send(message, outcome), message) for message, outcome in handled]
            fingerprints = await self.dedup.send(self._producer) if self.dedup is not None else []
            await asyncio.gather(*(future for future, _, _ in sent), *fingerprints)
            done = {TopicPartition(message.topic, message.partition): message.offset + 1 for message, _ in handled}
            if done:
                await self._consumer.commit(done)
            resume.update(done)
        except KafkaError as exc:
            # Nothing of this batch is committed: rewind and process it again (at-least-once).
            metrics.COMMIT_FAILURES.labels(stage=stage).inc()
            self.log.warning("batch_retry", error=f"{type(exc).__name__}: {exc}")
            self._rewind(batch, resume)
            await asyncio.sleep(1.0)
            return
        finally:
            metrics.IN_FLIGHT.labels(stage=stage).set(0)
            self._lock.release()
        self._rewind(batch, resume)
        self._count(sent, done)

    def _rewind(self, batch: Batch, resume: dict[TopicPartition, int]) -> None:
        """Seek each partition of ``batch`` whose messages were not all committed back to the first one left."""
        for tp, messages in batch.items():
            if resume[tp] <= messages[-1].offset and tp in self._consumer.assignment():
                self._consumer.seek(tp, resume[tp])

    async def _send(self, message: ConsumerRecord, outcome: Outcome) -> tuple[asyncio.Future[Any], Outcome]:
        """Hand ``outcome`` to the producer; an output too large for it goes to the dead-letter topic instead (the outcome returned)."""
        try:
            return await self._producer.send(outcome.topic, outcome.value, key=outcome.key, headers=outcome.headers), outcome
        except MessageSizeTooLargeError as exc:
            error = Rejected("too_large", f"output record of {len(outcome.value)} bytes is over the producer limit: {exc}")
            fallback = self._dead_letter(message, error, None)
            return await self._producer.send(fallback.topic, fallback.value, key=fallback.key, headers=fallback.headers), fallback

    def _headers(self, message: ConsumerRecord, value: dict[str, Any], incoming: dict[str, str | None]) -> cloudevents.Headers:
        """CloudEvents headers of a record produced from ``message`` (``incoming``: its headers read once), carrying its trace forward."""
        return cloudevents.stage_headers(self.stage.name, value, message.topic, message.partition, message.offset, incoming)

    def _count(self, sent: list[tuple[asyncio.Future[Any], Outcome, ConsumerRecord]], committed: dict[TopicPartition, int]) -> None:
        stage = self.stage.name
        now = time.time()
        for _, outcome, message in sent:
            if outcome.reason is None:
                self._produced.inc()
                if outcome.ingested_at is not None:
                    self._end_to_end.observe(max(0.0, now - outcome.ingested_at))
                if outcome.sink_labels is not None:
                    self._sink_articles(**outcome.sink_labels).inc()
            else:
                metrics.MESSAGES_DEAD_LETTERED.labels(stage=stage, reason=outcome.reason).inc()
            if self._debug:
                self._log_outcome(outcome, message)
        for tp, offset in committed.items():
            metrics.COMMITTED_OFFSET.labels(stage=stage, topic=tp.topic, partition=str(tp.partition)).set(offset)
        metrics.LAST_PROCESSED.labels(stage=stage).set(now)

    def _log_outcome(self, outcome: Outcome, message: ConsumerRecord) -> None:
        self.log.debug(
            "message",
            outcome="dead_lettered" if outcome.reason else "produced",
            reason=outcome.reason,
            article_id=outcome.key.decode("utf-8", "replace") if outcome.key else None,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
        )

    async def _record_lag(self) -> None:
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)
            if highwater is None:
                continue
            position = await self._consumer.position(tp)
            metrics.CONSUMER_LAG.labels(stage=self.stage.name, topic=tp.topic, partition=str(tp.partition)).set(max(0, highwater - position))

    def health(self) -> dict[str, object]:
        """``ok`` while the consume loop polls or finishes messages."""
        since = time.monotonic() - self._last_active if self._last_active else None
        healthy = since is not None and since < self._healthy_seconds
        return {
            "status": "ok" if healthy else "starting" if since is None else "stalled",
            "stage": self.stage.name,
            "assigned_partitions": len(self._assigned),
            "seconds_since_poll": round(since, 3) if since is not None else None,
        }


class _RebalanceListener(ConsumerRebalanceListener):
    """Lets the batch in hand commit before partitions move to another worker."""

    def __init__(self, worker: StageWorker) -> None:
        self.worker = worker

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.worker._lock:  # waits for the current batch to be produced and committed
            metrics.forget_partitions(self.worker.stage.name, ((tp.topic, tp.partition) for tp in revoked))
            self.worker._assigned -= revoked

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.worker._assigned = set(assigned)
        metrics.REBALANCES.labels(stage=self.worker.stage.name).inc()
        self.worker.log.info("partitions_assigned", partitions=sorted(f"{tp.topic}[{tp.partition}]" for tp in assigned))


def run_worker(stage_name: str, settings: Settings, metrics_port: int | None = None, *, identity: bool = False) -> None:
    """Run one stage until SIGTERM or SIGINT (the ``newsingest worker STAGE`` command); ``identity`` switches its NLP off."""
    worker = StageWorker((IDENTITY_STAGES if identity else STAGES)[stage_name], settings)
    port = settings.metrics_port_of(stage_name) if metrics_port is None else metrics_port
    server = metrics.serve_metrics(settings.metrics_host, port, worker.health)
    worker.log.info("metrics_serving", port=server.server_address[1])

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        worker.run(stop)
    finally:
        server.shutdown()


class KafkaThread:
    """An asyncio event loop in a daemon thread of its own, for the Kafka clients and their background tasks."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name=KAFKA_THREAD, daemon=True)
        self._thread.start()

    def _run_loop(self) -> None:
        linux.name_this_thread(KAFKA_THREAD)  # told apart from the transforms' thread by top -H and by the bench
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop and wait for its result (or exception, a ``SystemExit`` included)."""
        try:
            return asyncio.run_coroutine_threadsafe(_exit_as_error(coroutine), self.loop).result()
        except _LoopExit as carried:
            raise carried.exit from None

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class _LoopExit(Exception):
    """A ``SystemExit`` raised on the loop (asyncio would end the loop's thread with it), carried to the waiting thread."""

    def __init__(self, exit: SystemExit) -> None:
        super().__init__(exit)
        self.exit = exit


async def _exit_as_error(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        return await coroutine
    except SystemExit as exc:
        raise _LoopExit(exc) from exc
