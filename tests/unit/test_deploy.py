"""The Docker deployment files agree with the code: commands, ports, scrape targets, metric names, versions.

No Docker and no network here; the files are only parsed. ``promtool`` checks run when it is on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from newsingest.cli import build_parser
from newsingest.runtime import metrics
from newsingest.runtime.config import DEFAULT_METRICS_PORTS, Settings
from newsingest.stages import STAGE_ORDER
from tests.paths import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
PROMETHEUS = REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml"
GRAFANA = REPO_ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "newsingest.json"


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    return load_yaml(COMPOSE)["services"]


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


@pytest.fixture(scope="module")
def workers(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Stage → compose service, for every service that runs ``newsingest worker``."""
    found: dict[str, dict[str, Any]] = {}
    for name, service in services.items():
        command = command_of(service)
        if command[:2] != ["newsingest", "worker"]:
            continue
        try:
            args = build_parser().parse_args(command[1:])  # the real CLI parser
        except SystemExit:
            pytest.fail(f"service {name}: `{' '.join(command)}` is not a valid newsingest command")
        assert args.command == "worker"
        assert args.stage not in found, f"stage {args.stage} runs in both {found[args.stage]['_name']} and {name}"
        found[args.stage] = {**service, "_name": name, "_args": args}
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def published_ports(service: dict[str, Any]) -> dict[int, int]:
    """Container port → host port of ``ports:`` entries ("[ip:]host:container" or the long form)."""
    mapping: dict[int, int] = {}
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            mapping[int(entry["target"])] = int(entry["published"])
        else:
            *_, host, container = str(entry).split(":")
            mapping[int(container.split("/")[0])] = int(host)
    return mapping


def scrape_targets() -> dict[str, str]:
    """Stage label → host:port of the Prometheus job that scrapes the workers."""
    config = load_yaml(PROMETHEUS)
    targets: dict[str, str] = {}
    for job in config["scrape_configs"]:
        for group in job.get("static_configs", []):
            stage = (group.get("labels") or {}).get("stage")
            if stage is None:
                continue
            assert len(group["targets"]) == 1, f"one target per stage label, got {group['targets']}"
            assert stage not in targets, f"stage {stage} is scraped twice"
            targets[stage] = group["targets"][0]
    return targets


def dashboard_expressions() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def exported_metric_names() -> set[str]:
    """Series names the worker's metrics produce (counters get _total, histograms _bucket/_count/_sum)."""
    names: set[str] = set()
    for value in vars(metrics).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        base = value._name  # prometheus_client strips a Counter's _total here
        names.add(base)
        if value._type == "counter":
            names.update({f"{base}_total", f"{base}_created"})
        elif value._type == "histogram":
            names.update({f"{base}_bucket", f"{base}_count", f"{base}_sum", f"{base}_created"})
    return names


# --- compose: workers -------------------------------------------------------------------------


def test_each_stage_runs_in_exactly_one_worker_service(workers: dict[str, dict[str, Any]]) -> None:
    assert sorted(workers) == sorted(STAGE_ORDER)


def test_workers_use_the_image_built_from_the_dockerfile_and_wait_for_a_healthy_broker(workers: dict[str, dict[str, Any]]) -> None:
    for stage, service in workers.items():
        build = service["build"]
        assert (REPO_ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE, stage
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy", stage
        assert service["restart"] == "unless-stopped", stage
        assert environment(service)["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092", stage


def test_metrics_port_agrees_across_env_published_port_scrape_target_and_default(workers: dict[str, dict[str, Any]]) -> None:
    targets = scrape_targets()
    assert sorted(targets) == sorted(STAGE_ORDER)
    for stage, service in workers.items():
        port = int(environment(service)["NEWSINGEST_METRICS_PORT"])
        assert service["_args"].metrics_port is None, f"{stage}: --metrics-port would override NEWSINGEST_METRICS_PORT"
        assert port == DEFAULT_METRICS_PORTS[stage], stage
        assert published_ports(service).get(port) == port, f"{stage} does not publish its metrics port {port}"
        assert targets[stage] == f"{service['_name']}:{port}", f"Prometheus scrapes {targets[stage]} for {stage}"


# --- compose: Kafka ------------------------------------------------------------------------------


def test_kafka_image_is_the_version_the_local_broker_runs(services: dict[str, dict[str, Any]]) -> None:
    image, _, tag = services["kafka"]["image"].partition(":")
    assert image == "apache/kafka"
    assert tag == Settings().kafka_version
    pom = ET.parse(REPO_ROOT / "deploy" / "kafka" / "pom.xml").getroot()
    assert pom.findtext("{http://maven.apache.org/POM/4.0.0}properties/{http://maven.apache.org/POM/4.0.0}kafka.version") == tag


def test_kafka_advertises_the_address_the_workers_bootstrap_from(services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["kafka"])
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    voter = env["KAFKA_CONTROLLER_QUORUM_VOTERS"]
    assert voter == f"{env['KAFKA_NODE_ID']}@kafka:{_listener_port(env['KAFKA_LISTENERS'], controller)}"
    assert "healthcheck" in services["kafka"]


def test_kafka_broker_settings_match_the_local_broker(services: dict[str, dict[str, Any]]) -> None:
    """Settings the pipeline relies on are the same in compose and deploy/kafka/server.properties."""
    env = environment(services["kafka"])
    properties = dict(
        line.split("=", 1) for line in (REPO_ROOT / "deploy" / "kafka" / "server.properties").read_text().splitlines() if "=" in line and not line.startswith("#")
    )
    for key in ("message.max.bytes", "auto.create.topics.enable", "group.initial.rebalance.delay.ms", "offsets.topic.replication.factor"):
        assert env["KAFKA_" + key.replace(".", "_").upper()] == properties[key], key


def _listener_port(listeners: str, name: str) -> int:
    for listener in listeners.split(","):
        if listener.startswith(f"{name}://"):
            return int(listener.rsplit(":", 1)[1])
    raise AssertionError(f"no {name} listener in {listeners}")


# --- Dockerfile ------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", "\n".join(line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")))
    return [(parts[0].upper(), parts[1] if len(parts) > 1 else "") for line in text.splitlines() if (parts := line.strip().split(None, 1))]


def test_dockerfile_installs_the_built_wheel_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim AS wheel")
    assert ("FROM", "python:3.11-slim") in instructions
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "the image must run as a non-root user"
    exposed = {int(port) for name, args in instructions if name == "EXPOSE" for port in args.split()}
    assert exposed == set(DEFAULT_METRICS_PORTS.values())
    runs = [args for name, args in instructions if name == "RUN"]
    assert any("pip wheel" in run for run in runs), "the first stage builds the wheel"
    wheel_stage = instructions[:[i for i, (name, _) in enumerate(instructions) if name == "FROM"][1]]
    assert any(name == "RUN" and "gcc" in args for name, args in wheel_stage), "the wheel stage compiles the NER decoder (setup.py)"
    assert any(name == "COPY" and "setup.py" in args.split() for name, args in wheel_stage)
    assert any("pip install" in run and ".whl" in run for run in runs), "the image installs the built wheel, not the source tree"
    env = " ".join(args for name, args in instructions if name == "ENV")
    assert "NEWSINGEST_SCHEMA_DIR" not in env, "the contracts ship inside the wheel"


def test_dockerfile_healthcheck_queries_healthz_on_the_metrics_port() -> None:
    checks = [args for name, args in dockerfile_instructions() if name == "HEALTHCHECK"]
    assert len(checks) == 1
    check = checks[0]
    assert "/healthz" in check and "urllib.request" in check and "NEWSINGEST_METRICS_PORT" in check
    # The exec form is JSON; its Python snippet must at least compile.
    command = json.loads(check.split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"]
    compile(command[2], "<healthcheck>", "exec")


def test_the_image_builds_the_gazetteer_cache_where_its_workers_look(tmp_path: Path) -> None:
    instructions = dockerfile_instructions()
    homes = [args.split("=", 1)[1] for name, args in instructions if name == "ENV" and args.startswith("NEWSINGEST_HOME=")]
    assert homes and homes[-1].startswith("/") and not homes[-1].startswith(("/tmp", "/home"))
    [(step, build)] = [(i, args) for i, (name, args) in enumerate(instructions) if name == "RUN" and "warm_up" in args]
    installed = max(i for i, (name, args) in enumerate(instructions) if name == "RUN" and ".whl" in args)
    user = max(i for i, (name, _) in enumerate(instructions) if name == "USER")
    assert installed < step < user, "the cache is built from the installed wheel, as root, before the image drops to its user"
    # that step's Python, run here with a fresh home: it leaves the index where a worker reads it
    command = shlex.split(build.split("&&")[0])
    assert command[:2] == ["python", "-c"]
    subprocess.run([sys.executable, "-c", command[2]], env={**os.environ, "NEWSINGEST_HOME": str(tmp_path)}, check=True, timeout=600)
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))


def test_files_the_dockerfile_copies_exist_and_are_not_docker_ignored() -> None:
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert {".venv", ".git"} <= ignored
    sources = [src for name, args in dockerfile_instructions() if name == "COPY" and "--from=" not in args for src in args.split()[:-1]]
    assert sources
    for source in sources:
        assert (REPO_ROOT / source).exists(), f"COPY {source}: missing from the build context"
        assert source.rstrip("/") not in ignored, f"COPY {source}: excluded by .dockerignore"


# --- Prometheus and Grafana ------------------------------------------------------------------------


def test_scrape_interval_is_5s() -> None:
    assert load_yaml(PROMETHEUS)["global"]["scrape_interval"] == "5s"


def test_dashboard_uses_only_metrics_the_workers_export() -> None:
    exported = exported_metric_names()
    used = {name for expr in dashboard_expressions() for name in re.findall(r"\bnewsingest_[a-z0-9_]+", expr)}
    assert used, "the dashboard queries no newsingest metric"
    assert used <= exported, f"unknown metrics: {sorted(used - exported)}"


def test_dashboard_covers_the_core_metrics() -> None:
    text = "\n".join(dashboard_expressions())
    for name in (
        "newsingest_messages_consumed_total",
        "newsingest_messages_produced_total",
        "newsingest_messages_dead_lettered_total",
        "newsingest_processing_seconds_bucket",
        "newsingest_end_to_end_latency_seconds_bucket",
        "newsingest_consumer_lag_messages",
        "newsingest_worker_up",
    ):
        assert name in text, name


def test_dashboard_panels_are_well_formed_and_use_the_provisioned_datasource() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    provisioned = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")["datasources"]
    uids = {source["uid"] for source in provisioned}
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in dashboard["panels"]:
        assert panel["title"] and set(panel["gridPos"]) >= {"h", "w", "x", "y"}, panel.get("title")
        assert panel["datasource"]["uid"] in uids, panel["title"]
        refs = [target["refId"] for target in panel["targets"]]
        assert len(refs) == len(set(refs)), panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip() and target["datasource"]["uid"] in uids, panel["title"]


def test_grafana_provisioning_points_at_compose_mounts_and_prometheus(services: dict[str, dict[str, Any]]) -> None:
    mounts = {}
    for volume in services["grafana"]["volumes"]:
        source, target, *_ = volume.split(":")
        mounts[(REPO_ROOT / source).resolve()] = target
    assert mounts[(GRAFANA / "provisioning").resolve()] == "/etc/grafana/provisioning"
    providers = load_yaml(GRAFANA / "provisioning" / "dashboards" / "newsingest.yml")["providers"]
    assert [p["options"]["path"] for p in providers] == [mounts[DASHBOARD.parent.resolve()]]
    (source,) = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")["datasources"]
    assert source["url"] == "http://prometheus:9090"
    assert published_ports(services["prometheus"]).get(9090) == 9090
    prometheus_mounts = dict(v.split(":")[:2] for v in services["prometheus"]["volumes"])
    assert (REPO_ROOT / next(s for s, t in prometheus_mounts.items() if t == "/etc/prometheus/prometheus.yml")).resolve() == PROMETHEUS


# --- promtool (runs wherever Prometheus is installed, e.g. CI) -----------------------------------------

promtool = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(promtool is None, reason="promtool is not on PATH (install Prometheus to run)")


@needs_promtool
def test_promtool_accepts_the_scrape_config() -> None:
    result = subprocess.run([promtool, "check", "config", str(PROMETHEUS)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_parses_every_dashboard_expression(tmp_path: Path) -> None:
    # Grafana's $__rate_interval and $__range are not PromQL; any range stands in for them.
    rules = [{"record": f"dashboard:expr_{i}", "expr": re.sub(r"\$__(rate_interval|range)", "1m", expr)} for i, expr in enumerate(dashboard_expressions())]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
