"""Settings come from the environment, and every variable the code reads is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsingest.config import load_settings
from newsingest.paths import REPO_ROOT

ENV_NAME = re.compile(r"\b(NEWSINGEST_[A-Z_]+|KAFKA_BOOTSTRAP_SERVERS)\b")


def test_defaults_work_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "NEWSINGEST_TOPIC_RAW", "NEWSINGEST_METRICS_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.bootstrap_servers == "127.0.0.1:9092" and not settings.bootstrap_from_env
    assert settings.topics.all() == ("news.articles.raw", "news.articles.cleaned", "news.articles.extracted", "news.events", "news.deadletter")
    assert (settings.topics.input_of("extract"), settings.topics.output_of("extract")) == ("news.articles.cleaned", "news.articles.extracted")
    assert [settings.metrics_port_of(s) for s in ("clean", "extract", "enrich")] == [9101, 9102, 9103]
    assert settings.group_id("enrich") == "newsingest-enrich"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("NEWSINGEST_TOPIC_EVENTS", "desk.events")
    monkeypatch.setenv("NEWSINGEST_METRICS_PORT", "0")
    settings = load_settings()
    assert settings.bootstrap_from_env and settings.bootstrap_servers == "kafka:9092"
    assert settings.topics.output_of("enrich") == "desk.events"
    assert settings.metrics_port_of("clean") == 0


def test_a_bad_number_says_which_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINGEST_BATCH_SIZE", "many")
    with pytest.raises(SystemExit, match="NEWSINGEST_BATCH_SIZE"):
        load_settings()


def test_every_variable_read_is_documented_and_every_documented_one_is_read() -> None:
    code = "\n".join(p.read_text() for p in (REPO_ROOT / "services" / "newsingest").rglob("*.py"))
    readme = (REPO_ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):]
    table = table[: table.index("\n## ", 5)]
    assert set(ENV_NAME.findall(code)) == set(ENV_NAME.findall(table))
