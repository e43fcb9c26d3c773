"""``deploy/k8s`` is valid offline and agrees with the code: stages, ports, health, groups, topics, scaling.

Kubernetes objects are checked with kubernetes-validate (strict: unknown fields fail) against the schemas
it ships; the KEDA ScaledObjects against the schema generated from KEDA's CRDs (npm
``@kubernetes-models/keda``, run with node from ``tests/node``). Nothing is downloaded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from newsingest import __version__
from newsingest.cli import build_parser
from newsingest.runtime.config import DEFAULT_METRICS_PORTS, TOPIC_VARIABLES, Settings, Topics
from newsingest.stages import STAGE_ORDER
from tests.paths import REPO_ROOT

from .node_checks import run_node

K8S = REPO_ROOT / "deploy" / "k8s"
KUBERNETES_VERSIONS = ("1.27", kubernetes_validate.latest_version())
ENV_NAME = re.compile(r"\b(NEWSINGEST_[A-Z_]+|KAFKA_[A-Z_]+)\b")


def load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, name) → object, for every manifest the kustomization applies."""
    kustomization = load(K8S / "kustomization.yaml")[0]
    assert sorted(kustomization["resources"]) == sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    found = {}
    for resource in kustomization["resources"]:
        for obj in load(K8S / resource):
            key = (obj["kind"], obj["metadata"]["name"])
            assert key not in found, f"{key} defined twice"
            found[key] = obj
    return found


@pytest.fixture(scope="module")
def config(objects: dict[tuple[str, str], dict[str, Any]]) -> dict[str, str]:
    return objects[("ConfigMap", "newsingest-config")]["data"]


def variables_the_code_reads() -> set[str]:
    return set(ENV_NAME.findall("\n".join(p.read_text() for p in (REPO_ROOT / "services" / "newsingest").rglob("*.py"))))


def settings_of(config: dict[str, str]) -> Settings:
    topics = Topics(**{name: config[variable] for name, variable in TOPIC_VARIABLES.items()})  # every topic, the state topic too
    return Settings(topics=topics, group_prefix=config["NEWSINGEST_GROUP_PREFIX"], partitions=int(config["NEWSINGEST_PARTITIONS"]))


def test_kubernetes_objects_are_valid_for_old_and_new_clusters(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    checked = 0
    for (kind, name), obj in objects.items():
        if obj["apiVersion"].startswith("keda.sh/"):
            continue  # a custom resource: checked against KEDA's schema below
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{kind}/{name} is invalid for Kubernetes {version}: {exc.message} at {list(exc.path)}")
            checked += 1
    assert checked == len(KUBERNETES_VERSIONS) * (1 + 2 * len(STAGE_ORDER))  # ConfigMap, and a Deployment + PDB per stage


def test_scaled_objects_satisfy_the_keda_crd_schema(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    scaled = [obj for (kind, _), obj in objects.items() if kind == "ScaledObject"]
    result = run_node("keda.mjs", input=json.dumps(scaled))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"validated": len(STAGE_ORDER), "failed": 0}
    broken = json.loads(json.dumps(scaled[0]))
    broken["spec"]["minReplicaCount"] = "one"
    del broken["spec"]["scaleTargetRef"]
    rejected = run_node("keda.mjs", input=json.dumps([broken]))
    assert rejected.returncode == 1 and "minReplicaCount" in rejected.stderr, rejected.stderr


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_each_stage_deployment_runs_its_worker_with_health_probes_and_resources(stage: str, objects: dict, config: dict[str, str]) -> None:
    deployment = objects[("Deployment", f"newsingest-{stage}")]
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    args = build_parser().parse_args(container["command"][1:])
    assert container["command"][0] == "newsingest" and (args.command, args.stage, args.metrics_port) == ("worker", stage, None)
    port = DEFAULT_METRICS_PORTS[stage]
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"metrics": port}
    assert {e["name"]: e["value"] for e in container["env"]}["NEWSINGEST_METRICS_PORT"] == str(port)
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(port)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "metrics"}, probe
    assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and "memory" in container["resources"]["limits"]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] and pod["spec"]["securityContext"]["runAsUser"] != 0
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert [source["configMapRef"]["name"] for source in container["envFrom"]] == ["newsingest-config"]


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_each_stage_has_a_disruption_budget_and_scales_on_its_consumer_lag(stage: str, objects: dict, config: dict[str, str]) -> None:
    deployment = objects[("Deployment", f"newsingest-{stage}")]
    budget = objects[("PodDisruptionBudget", f"newsingest-{stage}")]
    assert budget["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert budget["spec"].get("maxUnavailable") == 1 or budget["spec"].get("minAvailable")

    scaled = objects[("ScaledObject", f"newsingest-{stage}")]["spec"]
    assert scaled["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    (trigger,) = scaled["triggers"]
    settings = settings_of(config)
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert meta["bootstrapServers"] == config["KAFKA_BOOTSTRAP_SERVERS"]
    assert meta["consumerGroup"] == settings.group_id(stage) and meta["topic"] == settings.topics.input_of(stage)
    assert all(isinstance(value, str) for value in meta.values()), "KEDA trigger metadata values are strings"
    assert int(meta["lagThreshold"]) > 0
    # replicas beyond the input topic's partitions would get no partition (README: partitions vs replicas)
    assert 0 <= scaled["minReplicaCount"] <= scaled["maxReplicaCount"] <= settings.partitions
    assert meta.get("allowIdleConsumers", "false") == "false"


def test_config_map_sets_only_variables_the_code_reads_and_they_load(config: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(config) <= variables_the_code_reads(), set(config) - variables_the_code_reads()
    from newsingest.runtime.config import load_settings

    for name, value in config.items():
        monkeypatch.setenv(name, value)
    loaded = load_settings()
    assert loaded.topics == settings_of(config).topics and loaded.partitions == int(config["NEWSINGEST_PARTITIONS"])


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_each_deployment_sets_only_variables_the_code_reads_and_they_load(
    stage: str, objects: dict, config: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (container,) = objects[("Deployment", f"newsingest-{stage}")]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert set(env) <= variables_the_code_reads(), set(env) - variables_the_code_reads()
    from newsingest.runtime.config import load_settings

    for name, value in {**config, **env}.items():  # env entries override the ConfigMap's, as in a pod
        monkeypatch.setenv(name, value)
    loaded = load_settings()
    assert loaded.metrics_port == int(env["NEWSINGEST_METRICS_PORT"])
    if stage == "enrich":  # the duplicate index is enrich's; its size is set where its memory is
        assert loaded.dedup_max_articles == int(env["NEWSINGEST_DEDUP_MAX_ARTICLES"])


def test_the_image_is_this_release(objects: dict) -> None:
    kustomization = load(K8S / "kustomization.yaml")[0]
    (image,) = kustomization["images"]
    assert image["newTag"] == __version__
    for stage in STAGE_ORDER:
        (container,) = objects[("Deployment", f"newsingest-{stage}")]["spec"]["template"]["spec"]["containers"]
        assert container["image"] == image["name"]


def test_pods_read_the_gazetteer_cache_baked_into_the_image(objects: dict, config: dict[str, str]) -> None:
    """The image sets NEWSINGEST_HOME and builds the cache there (test_deploy checks that); the root file system is
    read-only, so a pod that moved its home would rebuild the index (≈10 s of CPU) at every start."""
    assert "NEWSINGEST_HOME" not in config
    for stage in STAGE_ORDER:
        (container,) = objects[("Deployment", f"newsingest-{stage}")]["spec"]["template"]["spec"]["containers"]
        assert "NEWSINGEST_HOME" not in {e["name"] for e in container["env"]}, stage
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
