"""Prometheus metrics of a worker, defined once, and the HTTP server for /metrics and /healthz."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, get_args

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, disable_created_metrics, generate_latest

from newsingest import __version__
from newsingest.runtime.deadletters import DeadLetterReason

# The *_created series would double every counter and histogram in the classic text format for
# little use; without them /metrics holds exactly the families README's table lists.
disable_created_metrics()

# Measured per-article cost (the stages run in-process on 120 corpus articles): clean ~3 ms median,
# extract and enrich ~10 ms, the slowest pages a few hundred ms; a worker's first extract or enrich
# message also builds the gazetteer index (~5-6 s). A 1-2-5 series covers it all with resolution at the median.
PROCESSING_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
# Ingestion to acknowledged output: sub-second when the pipeline keeps up, minutes with a backlog.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
# The language label of sink articles: these ISO 639-1 codes, "other" for the rest, "unknown" for none.
LANGUAGES = frozenset(
    {"ar", "en", "fr", "es", "de", "it", "pt", "nl", "ru", "uk", "tr", "fa", "ur", "he", "zh", "ja", "ko", "hi", "id", "sw"}
)
DEAD_LETTER_REASONS: tuple[str, ...] = get_args(DeadLetterReason)

MESSAGES_CONSUMED = Counter("newsingest_messages_consumed_total", "Messages read from the stage's input topic", ["stage", "topic"])
MESSAGES_PRODUCED = Counter("newsingest_messages_produced_total", "Records written to the stage's output topic and acknowledged", ["stage", "topic"])
MESSAGES_DEAD_LETTERED = Counter("newsingest_messages_dead_lettered_total", "Messages sent to the dead-letter topic", ["stage", "reason"])
PROCESSING_SECONDS = Histogram("newsingest_processing_seconds", "Time to decode and transform one message", ["stage"], buckets=PROCESSING_BUCKETS)
END_TO_END_SECONDS = Histogram(
    "newsingest_end_to_end_latency_seconds", "Time from ingestion (raw message timestamp) to this stage's acknowledged output", ["stage"], buckets=LATENCY_BUCKETS
)
SINK_ARTICLES = Counter("newsingest_sink_articles_total", "Articles written to the sink topic and acknowledged", ["language", "duplicate"])
IN_FLIGHT = Gauge("newsingest_in_flight_messages", "Messages taken from Kafka and not yet committed", ["stage"])
CONSUMER_LAG = Gauge("newsingest_consumer_lag_messages", "Messages in the partition after the worker's position", ["stage", "topic", "partition"])
COMMITTED_OFFSET = Gauge("newsingest_committed_offset", "Last offset committed by the stage's consumer group", ["stage", "topic", "partition"])
LAST_PROCESSED = Gauge("newsingest_last_processed_timestamp_seconds", "Unix time the stage last committed a batch", ["stage"])
REBALANCES = Counter("newsingest_rebalances_total", "Partition assignments the worker received", ["stage"])
COMMIT_FAILURES = Counter("newsingest_commit_failures_total", "Offset commits or produce batches that failed and will be retried", ["stage"])
WORKER_UP = Gauge("newsingest_worker_up", "1 while the worker's consume loop runs", ["stage"])
TRANSFORM_PROCESSES = Gauge("newsingest_transform_processes", "Processes the worker transforms messages in (NEWSINGEST_CONCURRENCY)", ["stage"])
TRANSFORM_PROCESS_DEATHS = Counter(
    "newsingest_transform_process_deaths_total", "Times a transform process died: its messages were redone in the worker and the pool forked again", ["stage"]
)
BUILD_INFO = Gauge("newsingest_build_info", "Always 1; labels carry the version", ["version", "stage"])


def mark_started(stage: str, input_topic: str, output_topic: str, *, sink: bool = False, processes: int = 1) -> None:
    """Set up/build info and create the stage's series at zero, so rate(), increase() and alerts count the first event.

    ``sink``: this stage writes the sink topic, so it also owns the per-language article counts;
    ``processes``: how many processes transform its messages.
    """
    BUILD_INFO.labels(version=__version__, stage=stage).set(1)
    WORKER_UP.labels(stage=stage).set(1)
    TRANSFORM_PROCESSES.labels(stage=stage).set(processes)
    MESSAGES_CONSUMED.labels(stage=stage, topic=input_topic)
    MESSAGES_PRODUCED.labels(stage=stage, topic=output_topic)
    for reason in DEAD_LETTER_REASONS:
        MESSAGES_DEAD_LETTERED.labels(stage=stage, reason=reason)
    for metric in (PROCESSING_SECONDS, END_TO_END_SECONDS, IN_FLIGHT, REBALANCES, COMMIT_FAILURES, TRANSFORM_PROCESS_DEATHS):
        metric.labels(stage=stage)
    if sink:
        for language in (*LANGUAGES, "other", "unknown"):
            for duplicate in ("true", "false"):
                SINK_ARTICLES.labels(language=language, duplicate=duplicate)


def sink_labels(record: dict[str, Any]) -> dict[str, str]:
    """The bounded ``language`` and ``duplicate`` labels of a sink record."""
    language = record.get("language")
    return {
        "language": "unknown" if language is None else language if language in LANGUAGES else "other",
        "duplicate": "true" if record.get("duplicate_of") is not None else "false",
    }


def forget_partitions(stage: str, partitions: Iterable[tuple[str, int]]) -> None:
    """Drop the per-partition series of (topic, partition) pairs this worker no longer owns."""
    for topic, partition in partitions:
        for gauge in (CONSUMER_LAG, COMMITTED_OFFSET):
            with contextlib.suppress(KeyError):  # nothing was recorded for it yet
                gauge.remove(stage, topic, str(partition))


class _Handler(BaseHTTPRequestHandler):
    health: Callable[[], dict[str, object]] = staticmethod(lambda: {"status": "ok"})

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.startswith("/metrics"):
            self._send(200, CONTENT_TYPE_LATEST, generate_latest())
        elif self.path.startswith("/healthz"):
            report = type(self).health()
            self._send(200 if report.get("status") == "ok" else 503, "application/json", orjson.dumps(report))
        else:
            self._send(404, "text/plain", b"try /metrics or /healthz\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # scrapes are not worth a log line
        return


def serve_metrics(host: str, port: int, health: Callable[[], dict[str, object]]) -> ThreadingHTTPServer:
    """Serve /metrics and /healthz from a daemon thread; returns the server (``server_address`` has the real port)."""
    handler = type("MetricsHandler", (_Handler,), {"health": staticmethod(health)})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise SystemExit(
            f"cannot serve metrics on {host}:{port}: {exc.strerror}. Another worker may hold the port: "
            "set NEWSINGEST_METRICS_PORT (or --metrics-port) to a free one, or 0 for any free port."
        ) from exc
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    return server
