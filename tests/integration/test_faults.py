"""Faults on the real broker, mid-stream: no article may be lost, and a repeat must be the same event.

Each test publishes real articles (the kill test ``NEWSINGEST_TEST_FAULT_ARTICLES``, default 5,000;
the others ``OTHER_ARTICLES``, to fit the CI budget on two cores) at a steady pace over
``PUBLISH_SECONDS`` (so no stage can run dry before the fault, however fast the machine), breaks something at a
random point (seed printed; ``NEWSINGEST_TEST_SEED`` replays one), and then checks the sink: every
article id present, repeats only with an identical ``event_id``, nothing on the dead-letter topic.
Workers take batches of ``BATCH`` messages (not the default 200) so that several batches are in
flight at any moment; a kill repeats at most the uncommitted batch of the killed worker.
Run with ``-s`` to see the measured figures (FAULT lines).
"""

from __future__ import annotations

import dataclasses
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import orjson
import pytest

from newsingest.ops.broker import LocalBroker, temporary_broker
from newsingest.runtime.config import Settings, load_settings
from newsingest.stages import STAGE_ORDER

from .conftest import WorkerProcess, start_pipeline, start_worker, stop_pipeline, stop_worker
from .kafka_helpers import metric, publish
from .streams import TopicWatcher, check_delivery, corpus_articles, watched

KILL_ARTICLES = int(os.environ.get("NEWSINGEST_TEST_FAULT_ARTICLES", "5000"))
OTHER_ARTICLES = 500
DELIVERY_TIMEOUT = 420.0
BATCH = 50
PUBLISH_SECONDS = 40.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, batch_size=BATCH)


@pytest.fixture
def rng() -> random.Random:
    seed = int(os.environ.get("NEWSINGEST_TEST_SEED") or time.time_ns() % 1_000_000)
    print(f"\nFAULT seed={seed}")
    return random.Random(seed)


@pytest.fixture
def watcher(settings: Settings) -> Iterator[TopicWatcher]:
    yield from watched(settings)


def publish_articles(settings: Settings, n: int) -> set[str]:
    articles = corpus_articles(n)
    publish(settings, (orjson.dumps(a) for a in articles))
    return {a["id"] for a in articles}


@pytest.fixture
def paced(settings: Settings) -> Iterator[Callable[[int], set[str]]]:
    """``paced(n)`` starts publishing ``n`` articles over ``PUBLISH_SECONDS`` in the background; their ids.

    The publisher must have finished cleanly by the end of the test.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        started: list[tuple[int, Future[int]]] = []

        def start(n: int) -> set[str]:
            articles = corpus_articles(n)
            values = [orjson.dumps(a) for a in articles]
            started.append((len(values), pool.submit(publish, settings, values, len(values) / PUBLISH_SECONDS)))
            return {a["id"] for a in articles}

        yield start
        for count, future in started:
            assert future.result(timeout=PUBLISH_SECONDS + 60) == count


def wait_delivered(watcher: TopicWatcher, expected: set[str]) -> float:
    """Wait until every expected article is at the sink, then until the topics stay quiet for 3 s."""
    sink = watcher.settings.topics.events
    took = watcher.wait_for(lambda: watcher.article_ids(sink) >= expected, DELIVERY_TIMEOUT, f"all {len(expected)} articles at the sink")
    watcher.wait_for(lambda: time.monotonic() - max(watcher.last_arrival(t) or 0 for t in watcher.topics) > 3, 60, "quiet topics")
    return took


def recovery_seconds(watcher: TopicWatcher, topic: str, broken_at: float, restarted_at: float) -> float:
    """Seconds from the fault until the first record of ``topic`` written after the restart."""
    watcher.wait_for(lambda: watcher.first_arrival_after(topic, restarted_at) is not None, 180, f"{topic} to move again")
    return watcher.first_arrival_after(topic, restarted_at) - broken_at  # type: ignore[operator]


def fault_points(settings: Settings, rng: random.Random) -> list[tuple[str, str, float]]:
    """Per stage in turn: (stage, its output topic, share of the articles it has written when the fault hits it)."""
    t = settings.topics
    return [("clean", t.cleaned, rng.uniform(0.1, 0.5)), ("extract", t.extracted, rng.uniform(0.2, 0.5)), ("enrich", t.events, rng.uniform(0.5, 0.8))]


def repeats(watcher: TopicWatcher, topic: str) -> int:
    return sum(n - 1 for n in Counter(r["article_id"] for r in watcher.records(topic)).values())


def test_kill_9_of_each_stage_mid_stream_loses_nothing(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
    rng: random.Random, tmp_path_factory: pytest.TempPathFactory, paced: Callable[[int], set[str]],
) -> None:
    expected = paced(KILL_ARTICLES)
    recoveries = {}
    for stage, topic, share in fault_points(settings, rng):
        watcher.wait_for(lambda: watcher.count(topic) >= share * len(expected), DELIVERY_TIMEOUT, f"{stage} at {share:.0%}")
        done = len(watcher.article_ids(topic))
        assert done < len(expected), f"{stage} finished before it could be killed mid-stream"
        workers[stage].process.kill()
        killed_at = time.monotonic()
        workers[stage].process.wait(10)
        workers[stage] = start_worker(settings, stage, tmp_path_factory)
        recoveries[stage] = (done, recovery_seconds(watcher, topic, killed_at, time.monotonic()))
    took = wait_delivered(watcher, expected)
    duplicates = check_delivery(watcher, expected)
    assert all(w.alive() for w in workers.values())
    for stage, (done, seconds) in recoveries.items():
        print(f"FAULT kill-9 {stage}: killed after {done}/{len(expected)} articles, output again {seconds:.1f}s after the kill")
    print(f"FAULT kill-9: {len(expected)} articles, 3 kills, all delivered, {duplicates} duplicate sink records "
          f"(identical event_id), 0 dead letters, last article {took:.0f}s after the last restart")


def test_second_copy_started_and_stopped_mid_stream_shares_the_work(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
    rng: random.Random, tmp_path_factory: pytest.TempPathFactory, paced: Callable[[int], set[str]],
) -> None:
    assert settings.partitions >= 3
    expected = paced(OTHER_ARTICLES)
    topic = settings.topics.extracted
    watcher.wait_for(lambda: watcher.count(topic) >= rng.uniform(0.1, 0.3) * len(expected), DELIVERY_TIMEOUT, "extract under way")
    second = start_worker(settings, "extract", tmp_path_factory)
    try:
        watcher.wait_for(lambda: metric(second.get("/metrics")[1].decode(), "newsingest_messages_produced_total", stage="extract") > 0,
                         180, "the second extract copy to produce")
        watcher.wait_for(lambda: watcher.count(topic) >= rng.uniform(0.5, 0.7) * len(expected), DELIVERY_TIMEOUT, "extract further on")
        second_metrics = second.get("/metrics")[1].decode()
        assert len(watcher.article_ids(topic)) < len(expected), "extract finished before the second copy was stopped"
    finally:
        assert stop_worker(second) == 0
    wait_delivered(watcher, expected)
    duplicates = check_delivery(watcher, expected)
    first_metrics = workers["extract"].get("/metrics")[1].decode()
    shares = [metric(m, "newsingest_messages_produced_total", stage="extract") for m in (first_metrics, second_metrics)]
    assert all(share > 0 for share in shares), shares
    assert metric(second_metrics, "newsingest_rebalances_total", stage="extract") >= 1
    print(f"FAULT rebalance: {len(expected)} articles, extract copies produced {shares[0]:.0f} + {shares[1]:.0f}, "
          f"{duplicates} duplicate sink records, {repeats(watcher, topic)} repeated extract records")


def test_sigterm_of_each_stage_hands_back_its_work_without_loss_or_repeats(
    settings: Settings, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
    rng: random.Random, tmp_path_factory: pytest.TempPathFactory, paced: Callable[[int], set[str]],
) -> None:
    expected = paced(OTHER_ARTICLES)
    t = settings.topics
    for stage, topic, share in fault_points(settings, rng):
        watcher.wait_for(lambda: watcher.count(topic) >= share * len(expected), DELIVERY_TIMEOUT, f"{stage} at {share:.0%}")
        assert len(watcher.article_ids(topic)) < len(expected), f"{stage} finished before it could be stopped mid-stream"
        assert stop_worker(workers[stage]) == 0
        workers[stage] = start_worker(settings, stage, tmp_path_factory)
    wait_delivered(watcher, expected)
    assert check_delivery(watcher, expected) == 0
    assert {topic: repeats(watcher, topic) for topic in (t.cleaned, t.extracted)} == {t.cleaned: 0, t.extracted: 0}
    print(f"FAULT sigterm: {len(expected)} articles, 3 graceful stops and restarts, 0 duplicates on every topic")


@pytest.fixture(scope="module")
def own_broker() -> Iterator[LocalBroker]:
    """A broker of this module's own, so that restarting it disturbs no other test."""
    with temporary_broker(load_settings().home, load_settings().kafka_version) as broker:
        yield broker


def test_broker_sigterm_and_sigkill_restarts_mid_stream_lose_nothing(
    settings: Settings, own_broker: LocalBroker, rng: random.Random, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = dataclasses.replace(settings, bootstrap_servers=own_broker.bootstrap_servers)
    running = start_pipeline(settings, tmp_path_factory)
    try:
        with TopicWatcher(settings, *settings.topics.all()[1:]) as watcher:
            expected = publish_articles(settings, OTHER_ARTICLES)
            sink = settings.topics.events
            outages = []
            for kill, share in ((False, rng.uniform(0.15, 0.35)), (True, rng.uniform(0.55, 0.75))):
                watcher.wait_for(lambda: watcher.count(sink) >= share * len(expected), DELIVERY_TIMEOUT, f"sink at {share:.0%}")
                done = len(watcher.article_ids(sink))
                assert done < len(expected), "the pipeline finished before the broker could be stopped mid-stream"
                stopped_at = time.monotonic()
                own_broker.stop(kill=kill)
                time.sleep(3)
                own_broker.start()
                restarted_at = time.monotonic()
                outages.append(("SIGKILL" if kill else "SIGTERM", done, restarted_at - stopped_at,
                                recovery_seconds(watcher, sink, restarted_at, restarted_at)))
            wait_delivered(watcher, expected)
            duplicates = check_delivery(watcher, expected)
        assert all(w.alive() for w in running.values()), "a worker died instead of reconnecting"
    finally:
        codes = stop_pipeline(running)
    assert codes == dict.fromkeys(STAGE_ORDER, 0)
    for signal_name, done, down, recovered in outages:
        print(f"FAULT broker {signal_name}: after {done}/{len(expected)} articles, down {down:.1f}s, "
              f"sink moving again {recovered:.1f}s after the broker was back")
    print(f"FAULT broker restarts: {len(expected)} articles, 2 restarts, all delivered, {duplicates} duplicate sink records")
