"""A real Prometheus scrapes the three real workers; the dashboard and the alert rules are checked against it.

The test starts Prometheus (Debian's ``prometheus`` package: skipped without it on a developer's machine,
a failure in CI) with ``deploy/prometheus/prometheus.yml`` pointed at the workers' ports on 127.0.0.1,
publishes real articles and poison messages, and asks Prometheus's HTTP API whether every target is up,
whether the totals equal what was published, and whether every query of the dashboard and the alert
rules parses and returns data.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from newsingest.devtools.corpora import bbc_articles, saudinewsnet_articles, seed_articles, shared_dir
from newsingest.ops.sources import iter_messages
from newsingest.runtime.config import Settings
from newsingest.runtime.metrics import sink_labels
from newsingest.runtime.paths import DEMO_DIR
from tests.metrics_support import exposed_metrics, readme_metrics, require_binary
from tests.paths import REPO_ROOT

from .conftest import WorkerProcess, free_port
from .kafka_helpers import collect, publish
from .test_pipeline import MAX_BYTES, POISON

PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "dashboards" / "newsingest.json"
RULES = PROMETHEUS_DIR / "rules" / "newsingest.rules.yml"
# Outside label matchers, a comparison operator of PromQL (longest first).
COMPARISON = re.compile(r"(==|!=|>=|<=|>|<)(?!\s*bool\b)")


@dataclasses.dataclass(frozen=True)
class Prometheus:
    url: str
    started: float

    def api(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/{path}{query}", timeout=10) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:  # a query that does not parse answers 400 with the reason
            body = json.loads(exc.read() or b"{}")
        assert body.get("status") == "success", f"{path} {params}: {body.get('errorType')}: {body.get('error')}"
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = self.api("query", query=expr)
        assert data["resultType"] == "vector", (expr, data["resultType"])
        return data["result"]

    def values(self, expr: str, *labels: str) -> dict[tuple[str, ...], float]:
        return {tuple(r["metric"].get(label, "") for label in labels): float(r["value"][1]) for r in self.query(expr)}

    def run_window(self) -> str:
        """A range covering everything this Prometheus scraped, for Grafana's $__rate_interval and $__range."""
        return f"{math.ceil(time.time() - self.started) + 5}s"


def some_articles() -> list[dict[str, Any]]:
    """About 30 real Arabic and English articles, or the bundled demo without ../shared."""
    shared = shared_dir()
    if shared is None:
        return [orjson.loads(v) for v in iter_messages([str(DEMO_DIR)]) if v.startswith(b"{")]
    return list(chain(seed_articles(shared), saudinewsnet_articles(shared, 15), bbc_articles(shared, 14)))


def local_config(workers: dict[str, WorkerProcess], listen: str) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml, scraping the test's workers every second."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(PROMETHEUS_DIR / pattern) for pattern in config["rule_files"]]
    for job in config["scrape_configs"]:
        for group in job["static_configs"]:
            stage = (group.get("labels") or {}).get("stage")
            group["targets"] = [f"127.0.0.1:{workers[stage].port}" if stage else listen]
    return config


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_message_bytes=MAX_BYTES)  # what POISON's too_large case needs


@pytest.fixture
def prometheus(workers: dict[str, WorkerProcess], tmp_path: Path) -> Iterator[Prometheus]:
    binary = require_binary("prometheus")
    listen = f"127.0.0.1:{free_port()}"
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(local_config(workers, listen)))
    log = tmp_path / "prometheus.log"
    process = subprocess.Popen(
        [binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}", f"--web.listen-address={listen}"],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    server = Prometheus(f"http://{listen}", time.time())
    try:
        wait_for(lambda: _ready(server.url), 60, lambda: f"Prometheus never became ready:\n{log.read_text()[-3000:]}")
        yield server
    finally:
        process.terminate()
        process.wait(30)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], timeout: float, message: Callable[[], object]) -> None:
    """Poll ``condition`` until it holds; fail with ``message()`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message()
        time.sleep(0.5)


def dashboard_expressions() -> list[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]


def alert_rules() -> dict[str, str]:
    return {rule["alert"]: rule["expr"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]}


def with_bool(expr: str) -> str:
    """``expr`` with every comparison turned into ``op bool``: 0 or 1 for each series instead of a filter.

    An alert's expression is a comparison that is empty while all is well, so querying it as written
    would prove nothing. With ``bool`` the same expression — its selectors, functions, aggregations and
    set operations — returns its underlying series, each telling whether the condition holds.
    """
    parts = re.split(r"(\{[^}]*\})", expr)  # label matchers ({stage!="x"}) are not comparisons
    return "".join(part if part.startswith("{") else COMPARISON.sub(r"\1 bool", part) for part in parts)


def test_prometheus_scrapes_the_workers_and_every_dashboard_and_alert_query_returns_data(
    settings: Settings, workers: dict[str, WorkerProcess], prometheus: Prometheus
) -> None:
    # Every target is up: the three workers and Prometheus itself. Publishing only then lets Prometheus
    # see the counters at zero before they move, as in production.
    def targets() -> list[dict[str, Any]]:
        return prometheus.api("targets")["activeTargets"]

    wait_for(lambda: len(targets()) == 4 and all(t["health"] == "up" for t in targets()), 20, targets)
    assert sorted(t["labels"].get("stage", "") for t in targets()) == ["", "clean", "enrich", "extract"]

    articles = some_articles()
    n = len(articles)
    publish(settings, [*(orjson.dumps(a) for a in articles), *(value for value, _ in POISON)])
    events = collect(settings, settings.topics.events, lambda rs: len(rs) >= n, timeout=120)
    assert len(events) == n
    collect(settings, settings.topics.deadletter, lambda rs: len(rs) >= len(POISON), timeout=30)

    # Totals equal what was published, once Prometheus has scraped the final counts.
    expected = {
        "consumed": {("clean",): n + len(POISON), ("extract",): n, ("enrich",): n},
        "produced": {("clean",): n, ("extract",): n, ("enrich",): n},
    }
    dead_expected = {("clean", reason): float(count) for reason, count in Counter(reason for _, reason in POISON).items()}

    def totals() -> dict[str, Any]:
        return {
            "consumed": prometheus.values("sum by (stage) (newsingest_messages_consumed_total)", "stage"),
            "produced": prometheus.values("sum by (stage) (newsingest_messages_produced_total)", "stage"),
            "dead": prometheus.values("sum by (stage, reason) (newsingest_messages_dead_lettered_total) > 0", "stage", "reason"),
            "sink": prometheus.values("sum(newsingest_sink_articles_total)"),
        }

    want = {**expected, "dead": dead_expected, "sink": {(): float(n)}}
    wait_for(lambda: totals() == want, 30, lambda: f"Prometheus totals {totals()} != published {want}")
    languages = prometheus.values("sum by (language) (newsingest_sink_articles_total) > 0", "language")
    assert languages == {(lang,): float(count) for lang, count in Counter(sink_labels(e)["language"] for e in events).items()}

    window = prometheus.run_window()

    # Every dashboard query parses and returns finite data.
    for title, expr in dashboard_expressions():
        promql = re.sub(r"\$__(rate_interval|range)", window, expr)
        result = prometheus.query(promql)
        assert result, f"panel {title!r}: {promql} returned no data"
        assert all(math.isfinite(float(r["value"][1])) for r in result), f"panel {title!r}: {promql} -> {result}"

    # Every alert expression parses and, with its comparisons as `bool` (see with_bool), returns its series.
    # Its 5m/10m windows stay as written: this Prometheus is younger than both, so they cover the whole run.
    conditions: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for alert, expr in alert_rules().items():
        promql = with_bool(expr)
        result = prometheus.query(promql)
        assert result, f"alert {alert}: {promql} returned no data"
        conditions[alert] = {tuple(sorted(r["metric"].items())): float(r["value"][1]) for r in result}
    # A healthy run: no stage down, every stage produced; the poison is well over 5% of clean's input.
    assert set(conditions["NewsingestStageDown"].values()) == {0.0}
    assert set(conditions["NewsingestNoOutput"].values()) == {0.0}, conditions["NewsingestNoOutput"]
    assert {dict(k).get("stage"): v for k, v in conditions["NewsingestDeadLetterRateHigh"].items()} == {"clean": 1.0, "extract": 0.0, "enrich": 0.0}

    # Prometheus itself evaluates the rules without error, and the dead-letter alert is pending (its `for` is 5m).
    rules = [rule for group in prometheus.api("rules")["groups"] for rule in group["rules"]]
    assert {rule["name"] for rule in rules} == set(alert_rules())
    assert all(rule["health"] == "ok" for rule in rules), [(r["name"], r.get("lastError")) for r in rules]
    wait_for(
        lambda: any(a["labels"]["alertname"] == "NewsingestDeadLetterRateHigh" and a["labels"].get("stage") == "clean" for a in prometheus.api("alerts")["alerts"]),
        15, lambda: prometheus.api("alerts"),
    )

    # README's metrics table is exactly what the workers' /metrics expose: names, types and labels.
    texts = [worker.get("/metrics")[1].decode() for worker in workers.values()]
    assert exposed_metrics(texts) == readme_metrics()
