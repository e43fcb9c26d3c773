"""Worker metrics follow Prometheus naming practice, README's table lists exactly what /metrics exposes,
and the bounded labels stay bounded."""

from __future__ import annotations

import dataclasses
import re
import urllib.request

from prometheus_client.metrics import MetricWrapperBase

from newsingest.ops.up import metrics_locations
from newsingest.runtime import metrics
from newsingest.runtime.config import DEFAULT_METRICS_PORTS, Settings
from newsingest.runtime.paths import deploy_dir
from tests.metrics_support import MetricTable, exposed_metrics, readme_metrics

# Every label a newsingest metric may carry: all have small, bounded value sets.
BOUNDED_LABELS = {"stage", "topic", "reason", "partition", "language", "duplicate", "version"}

def defined_metrics() -> MetricTable:
    """The metric objects of newsingest.runtime.metrics, as /metrics names them."""
    table: MetricTable = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            name = f"{value._name}_total" if value._type == "counter" else value._name
            table[name] = (value._type, frozenset(value._labelnames))
    return table


def test_readme_table_lists_every_metric_with_its_type_and_labels() -> None:
    assert readme_metrics() == defined_metrics()


def test_names_follow_prometheus_conventions() -> None:
    for name, (kind, labels) in defined_metrics().items():
        assert name.startswith("newsingest_"), name
        assert name.endswith("_total") == (kind == "counter"), f"{name}: only counters end in _total"
        assert not re.search(r"_(milli|micro|nano)?(ms|millis|milliseconds|minutes|hours|kb|mb)\b", name), f"{name}: use base units"
        if kind == "histogram":
            assert name.endswith("_seconds"), f"{name}: histograms here measure time, in seconds"
        assert labels <= BOUNDED_LABELS, f"{name}: unbounded label {labels - BOUNDED_LABELS}"


def test_metrics_endpoint_serves_the_documented_families_after_start() -> None:
    """A started stage exposes its series at zero (so rate() and alerts see them early) and no *_created twins."""
    metrics.mark_started("extract", "news.articles.cleaned", "news.articles.extracted")
    metrics.mark_started("enrich", "news.articles.extracted", "news.events", sink=True)
    server = metrics.serve_metrics("127.0.0.1", 0, lambda: {"status": "ok"})
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        server.shutdown()
    assert "_created" not in text
    for reason in metrics.DEAD_LETTER_REASONS:
        assert f'newsingest_messages_dead_lettered_total{{reason="{reason}",stage="extract"}} 0.0' in text
    assert 'newsingest_messages_produced_total{stage="extract",topic="news.articles.extracted"} 0.0' in text
    assert 'newsingest_worker_up{stage="extract"} 1.0' in text
    assert 'newsingest_sink_articles_total{duplicate="false",language="other"} 0.0' in text
    exposed = exposed_metrics([text])
    documented = readme_metrics()
    assert set(exposed) == set(documented)
    assert all(exposed[name][0] == documented[name][0] for name in exposed)


def test_processing_buckets_resolve_milliseconds_and_reach_the_gazetteer_build() -> None:
    buckets = metrics.PROCESSING_BUCKETS
    assert list(buckets) == sorted(buckets)
    assert sum(b <= 0.01 for b in buckets) >= 4, "clean takes ~1-3 ms, extract/enrich ~10 ms"
    assert buckets[-1] >= 10, "a worker's first extract/enrich message builds the gazetteer index (~5-6 s)"


def test_sink_labels_are_bounded() -> None:
    assert metrics.sink_labels({"language": "ar"}) == {"language": "ar", "duplicate": "false"}
    assert metrics.sink_labels({"language": "xx", "duplicate_of": "abc"}) == {"language": "other", "duplicate": "true"}
    assert metrics.sink_labels({"language": None, "duplicate_of": None}) == {"language": "unknown", "duplicate": "false"}
    assert metrics.sink_labels({}) == {"language": "unknown", "duplicate": "false"}
    assert 15 <= len(metrics.LANGUAGES) <= 25 and {"ar", "en"} <= metrics.LANGUAGES


def test_partitions_a_worker_gives_away_lose_their_series() -> None:
    metrics.CONSUMER_LAG.labels(stage="enrich", topic="t", partition="0").set(5)
    metrics.COMMITTED_OFFSET.labels(stage="enrich", topic="t", partition="0").set(7)
    metrics.CONSUMER_LAG.labels(stage="enrich", topic="t", partition="1").set(3)
    metrics.forget_partitions("enrich", [("t", 0), ("t", 2)])  # partition 2 never had series
    lag = {s.labels["partition"] for s in metrics.CONSUMER_LAG.collect()[0].samples if s.labels["topic"] == "t"}
    offsets = {s.labels["partition"] for s in metrics.COMMITTED_OFFSET.collect()[0].samples if s.labels["topic"] == "t"}
    assert lag == {"1"} and offsets == set()


def test_up_tells_where_the_metrics_and_the_monitoring_config_are() -> None:
    lines = "\n".join(metrics_locations(Settings()))
    for stage, port in DEFAULT_METRICS_PORTS.items():
        assert f"{stage} http://127.0.0.1:{port}/metrics" in lines
    assert str(deploy_dir() / "prometheus") in lines and str(deploy_dir() / "grafana") in lines
    assert "free ports" in "\n".join(metrics_locations(dataclasses.replace(Settings(), metrics_port=0)))
