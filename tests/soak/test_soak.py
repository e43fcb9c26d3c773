"""Soak: the real broker and three workers under a steady stream for minutes; memory stays flat, lag does not grow.

Opt-in, not part of ``make test``: ``make soak`` (10 minutes) or
``NEWSINGEST_SOAK_MINUTES=3 .venv/bin/pytest tests/soak -s``; ``NEWSINGEST_SOAK_RATE`` sets the articles
per second (default 10; the full pipeline does about 30/s on two cores). Real corpus articles are
published at that steady rate for the whole run: the first quarter's worth of distinct articles, then
the same again and again under new ids, so that the NLP's caches keyed by content (bounded, but
filling for thousands of articles of new text) are full by the second half, and any growth left there
is growth per message. Every ``SAMPLE_SECONDS`` each worker's resident
memory (``VmRSS`` of ``/proc/PID/status``) and consumer lag (its ``/metrics``) are sampled. Over the
second half of the publishing, per worker: the RSS slope (least squares) must stay under
``RSS_SLOPE_LIMIT``, and the lag must not grow (its slope under ``LAG_SLOPE_SHARE`` of the input rate,
or its mean in the last quarter at most ``LAG_TOLERANCE_SECONDS`` of input above its mean in the
third). Every article must reach the sink. Enrich's duplicate index, which keeps ~6 KB per article
by design, is capped at ``DEDUP_CAP`` articles so that it is full early and any other growth shows.
Run with ``-s`` for the figures (SOAK lines).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsingest.runtime.config import Settings
from tests.integration.conftest import start_pipeline, stop_pipeline
from tests.integration.kafka_helpers import metric, publish
from tests.integration.streams import TopicWatcher, check_delivery, corpus_articles

MINUTES = float(os.environ.get("NEWSINGEST_SOAK_MINUTES") or 0)
RATE = float(os.environ.get("NEWSINGEST_SOAK_RATE") or 10)
SAMPLE_SECONDS = 5.0
RSS_SLOPE_LIMIT = 10.0  # MB per minute
LAG_SLOPE_SHARE = 0.05  # of the input rate
LAG_TOLERANCE_SECONDS = 30.0
DEDUP_CAP = 500
DISTINCT_SHARE = 0.25
DRAIN_TIMEOUT = 900.0

pytestmark = [
    pytest.mark.soak,
    pytest.mark.broker,
    pytest.mark.skipif(not MINUTES, reason="opt-in soak test: run `make soak`, or NEWSINGEST_SOAK_MINUTES=10 .venv/bin/pytest tests/soak -s"),
]


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since publishing started
    rss_mb: float
    lag: float


def soak_articles(count: int) -> list[dict[str, Any]]:
    """``count`` articles: ``DISTINCT_SHARE`` of them distinct corpus articles, repeated in turn under new ids."""
    pool = corpus_articles(max(1, round(count * DISTINCT_SHARE)))
    return [{**article, "id": f"{article['id']}~{i // len(pool)}"} for i, article in zip(range(count), cycle(pool))]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS in /proc/{pid}/status")


def slope_per_minute(samples: list[Sample], value: str) -> float:
    """Least-squares slope of ``value`` over time, per minute."""
    return 60 * statistics.linear_regression([s.at for s in samples], [getattr(s, value) for s in samples]).slope


def mean_lag(samples: list[Sample], start: float, end: float) -> float:
    return statistics.fmean(s.lag for s in samples if start <= s.at < end)


@pytest.mark.timeout(int(MINUTES * 60 + DRAIN_TIMEOUT + 300))
def test_steady_stream_for_minutes_keeps_memory_flat_and_lag_bounded(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = dataclasses.replace(settings, dedup_max_articles=DEDUP_CAP)
    articles = soak_articles(round(RATE * MINUTES * 60))
    expected = {a["id"] for a in articles}
    running = start_pipeline(settings, tmp_path_factory)
    samples: dict[str, list[Sample]] = {stage: [] for stage in running}
    try:
        with TopicWatcher(settings, settings.topics.events, settings.topics.deadletter) as watcher, ThreadPoolExecutor(1) as pool:
            started = time.monotonic()
            publishing = pool.submit(publish, settings, [orjson.dumps(a) for a in articles], RATE)
            while not publishing.done():
                for stage, worker in running.items():
                    assert worker.alive(), f"the {stage} worker died"
                    lag = metric(worker.get("/metrics")[1].decode(), "newsingest_consumer_lag_messages", stage=stage)
                    samples[stage].append(Sample(time.monotonic() - started, rss_mb(worker.process.pid), lag))
                wait([publishing], timeout=SAMPLE_SECONDS)
            assert publishing.result() == len(articles)
            published = time.monotonic() - started
            drained = watcher.wait_for(lambda: watcher.article_ids(settings.topics.events) >= expected, DRAIN_TIMEOUT, "every article at the sink")
            duplicates = check_delivery(watcher, expected)
        assert all(worker.alive() for worker in running.values())
    finally:
        stop_pipeline(running)

    print(f"\nSOAK: {len(articles)} articles ({DISTINCT_SHARE:.0%} distinct) at {RATE:g}/s over {published / 60:.1f} min, all delivered "
          f"({duplicates} duplicates, 0 dead letters), the last {drained:.0f}s after publishing ended; sample every {SAMPLE_SECONDS:g}s")
    failures = []
    for stage, series in samples.items():
        second_half = [s for s in series if s.at >= published / 2]
        rss_slope, lag_slope = slope_per_minute(second_half, "rss_mb"), slope_per_minute(second_half, "lag")
        third, last = mean_lag(series, published / 2, published * 3 / 4), mean_lag(series, published * 3 / 4, published + 1)
        print(f"SOAK {stage}: RSS {series[0].rss_mb:.0f} → {max(s.rss_mb for s in series):.0f} (max) → {series[-1].rss_mb:.0f} MB, "
              f"second-half slope {rss_slope:+.2f} MB/min; lag mean {third:.0f} (3rd quarter) → {last:.0f} (4th), "
              f"max {max(s.lag for s in series):.0f}, second-half slope {lag_slope:+.1f} msg/min")
        if rss_slope >= RSS_SLOPE_LIMIT:
            failures.append(f"{stage} RSS grows {rss_slope:.2f} MB/min over the second half (limit {RSS_SLOPE_LIMIT:g})")
        if lag_slope > LAG_SLOPE_SHARE * RATE * 60 and last > third + LAG_TOLERANCE_SECONDS * RATE:
            failures.append(f"{stage} lag grows: {lag_slope:+.1f} msg/min, mean {third:.0f} → {last:.0f}")
    assert not failures, failures
