"""Helpers the metrics tests share: README's metric table, the families /metrics exposes, Prometheus binaries."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.paths import REPO_ROOT

# Labels Prometheus adds or that describe a histogram's buckets, not the metric itself.
SERIES_LABELS = {"le"}

MetricTable = dict[str, tuple[str, frozenset[str]]]  # exposed name → (type, label names)


def readme_metrics() -> MetricTable:
    """The table under README's "Metrics and health" heading."""
    section = REPO_ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Metrics and health", 1)[1].split("\n## ", 1)[0]
    table: MetricTable = {}
    for name, kind, labels in re.findall(r"^\| `(newsingest_\w+)` \| (\w+) \| ([^|]*) \|", section, flags=re.MULTILINE):
        assert name not in table, f"{name} is listed twice"
        table[name] = (kind, frozenset(label.strip() for label in labels.split(",") if label.strip()))
    return table


def exposed_metrics(texts: Iterable[str]) -> MetricTable:
    """Name, type and label names of the newsingest families in /metrics texts (labels from their samples)."""
    table: MetricTable = {}
    for text in texts:
        for family in text_string_to_metric_families(text):
            if not family.name.startswith("newsingest_"):
                continue
            name = f"{family.name}_total" if family.type == "counter" else family.name
            labels = {label for sample in family.samples for label in sample.labels} - SERIES_LABELS
            kind, seen = table.get(name, (family.type, frozenset()))
            table[name] = (kind, seen | labels)
    return table


def require_binary(name: str) -> str:
    """Path of a Prometheus binary; skip without it, except in CI where its absence is a failure."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"`{name}` is not on PATH (Debian/Ubuntu: apt-get install prometheus)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{message}; CI must run this test, and .ci/run installs it")
    pytest.skip(message)
