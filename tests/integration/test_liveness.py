"""On the real broker: a message that takes most of the CPU-time limit costs no worker its group membership.

The slow message is real input, not a test hook: a long article of made-up words dense with counts and
dates. Every stage is linear on such text now, so no such article within the record limits takes tens of
seconds any more; the test instead times extract on the article first, in a fresh process, and sets the limit to
1.5 × that (near the share of the issue's 15 s under 20 s, on any machine). The worker transforms it in its main thread while
the Kafka client's own thread keeps heartbeating, so the group never rebalances and nothing is processed twice.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsingest.runtime.config import Settings
from tests.articles import slow_article

from .conftest import WorkerProcess
from .kafka_helpers import metric, publish
from .streams import TopicWatcher, corpus_articles, watched

# 1,600,000 characters: the sink record of this article is ≈ 13.8 MB, under the 16 MiB record limit. Extract takes
# ≈ 4 s of CPU on it on the fastest 2-core machine seen (17 s before its count finder and name splitter were
# made linear), enrich ≈ 1 s, clean ≈ 1 s.
SLOW_CHARS = 1_600_000
LIMIT_OVER_COST = 1.5  # the time limit over the article's measured extract CPU: it burns about two thirds of its limit

_EXTRACT_CPU = """
import sys, time
from newsingest.stages import STAGES, run_stage, warm_up
from tests.articles import slow_article
warm_up("extract")
article = slow_article(int(sys.argv[1]))
cleaned = run_stage(STAGES["clean"], {"id": article["id"], "body": article["body"], "ingested_at": "2026-01-01T00:00:00Z"})
started = time.process_time()
run_stage(STAGES["extract"], cleaned, input_checked=True)
print(time.process_time() - started)
"""


def extract_cpu_seconds(chars: int) -> float:
    """CPU seconds extract takes on ``slow_article(chars)``, in a fresh process as a worker would."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _EXTRACT_CPU, str(chars)], cwd=root, capture_output=True, text=True, timeout=600, check=True)
    return float(done.stdout.split()[-1])


@pytest.fixture
def settings(settings: Settings) -> Settings:
    limit = max(5.0, math.ceil(LIMIT_OVER_COST * extract_cpu_seconds(SLOW_CHARS)))
    # the smallest session timeout the configuration accepts at this limit (twice it); the text cap raised to let the article in
    return dataclasses.replace(settings, message_time_limit=limit, session_timeout=2 * limit, max_text_chars=SLOW_CHARS + 100_000)


@pytest.fixture
def watcher(settings: Settings) -> Iterator[TopicWatcher]:
    yield from watched(settings)


def test_a_message_burning_most_of_its_time_limit_causes_no_rebalance_and_no_repeat(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
) -> None:
    normal = corpus_articles(8)
    slow = slow_article(SLOW_CHARS)
    articles = [*normal[:4], slow, *normal[4:]]
    expected = {article["id"] for article in articles}
    publish(settings, [orjson.dumps(article) for article in articles])
    t = settings.topics
    # a dead letter (e.g. the slow article past the limit) ends the wait: the assertion below names its reason
    watcher.wait_for(lambda: watcher.article_ids(t.events) >= expected or watcher.count(t.deadletter) > 0, 600, "every article at the sink")
    # a redone batch would repeat records after the first copies: wait until every topic has been quiet for 5 s
    watcher.wait_for(lambda: time.monotonic() - max(watcher.last_arrival(topic) or 0 for topic in watcher.topics) > 5, 120, "quiet topics")

    assert watcher.count(t.deadletter) == 0, [r["reason"] for r in watcher.records(t.deadletter)]
    for topic in (t.cleaned, t.extracted, t.events):
        repeated = {key: n for key, n in Counter(r["article_id"] for r in watcher.records(topic)).items() if n > 1}
        assert not repeated, f"{topic}: {repeated}"
    [event] = [e for e in watcher.records(t.events) if e["article_id"] == slow["id"]]
    assert event["duplicate_of"] is None
    took = event["provenance"]["stages"]["extract"]["duration_seconds"]
    limit = settings.message_time_limit
    print(f"LIVENESS extract took {took:.1f} s of wall time on the slow article (limit {limit:g} s of CPU, session timeout {settings.session_timeout:g} s)")
    assert took >= limit / 3, "the slow article took far less than measured before the test: was it cut short?"
    for stage, worker in workers.items():
        text = worker.get("/metrics")[1].decode()
        assert metric(text, "newsingest_rebalances_total", stage=stage) == 1, f"{stage} was assigned its partitions again"
        assert metric(text, "newsingest_commit_failures_total", stage=stage) == 0, f"{stage} had to redo a batch"
