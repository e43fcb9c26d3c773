"""Settings come from the environment, and every variable the code reads is documented in the README."""

from __future__ import annotations

import asyncio
import re

import pytest

from newsingest.runtime import kafka
from newsingest.runtime.config import load_settings, markdown_table, variables
from tests.paths import REPO_ROOT

ENV_NAME = re.compile(r"\b(NEWSINGEST_[A-Z_]+|KAFKA_(?:BOOTSTRAP_SERVERS|COMPRESSION|SECURITY_PROTOCOL|SASL_[A-Z_]+|SSL_[A-Z_]+))\b")


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


@pytest.mark.parametrize(("value", "codec"), [(None, "zstd"), ("LZ4", "lz4"), ("none", None)])
def test_producers_compress_as_kafka_compression_says(monkeypatch: pytest.MonkeyPatch, value: str | None, codec: str | None) -> None:
    if value is None:
        monkeypatch.delenv("KAFKA_COMPRESSION", raising=False)
    else:
        monkeypatch.setenv("KAFKA_COMPRESSION", value)

    async def made() -> str | None:
        producer = kafka.producer(load_settings())  # aiokafka refuses a codec whose library is missing here
        return producer._compression_type  # the codec its record batches are built with

    assert asyncio.run(made()) == codec


def test_a_bad_number_says_which_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINGEST_BATCH_SIZE", "many")
    with pytest.raises(SystemExit, match="NEWSINGEST_BATCH_SIZE"):
        load_settings()


def test_the_readme_table_is_the_one_the_declarations_give() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme[readme.index("## Configuration"):]
    assert markdown_table() in section, "README is out of date: paste the output of `newsingest config --markdown`"


def test_every_variable_the_code_names_is_declared_once() -> None:
    code = "\n".join(p.read_text() for p in (REPO_ROOT / "services" / "newsingest").rglob("*.py"))
    declared = [variable.name for variable in variables()]
    assert len(declared) == len(set(declared))
    assert set(ENV_NAME.findall(code)) == set(declared)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("NEWSINGEST_TOPIC_RAW", "news articles", "NEWSINGEST_TOPIC_RAW='news articles' is not a Kafka topic name"),
        ("NEWSINGEST_TOPIC_EVENTS", "news.articles.raw", "NEWSINGEST_TOPIC_EVENTS and NEWSINGEST_TOPIC_RAW name the same topic"),
        ("NEWSINGEST_PARTITIONS", "0", "NEWSINGEST_PARTITIONS=0 is out of range: set a whole number from 1"),
        ("NEWSINGEST_METRICS_PORT", "70000", "NEWSINGEST_METRICS_PORT=70000 is out of range"),
        ("NEWSINGEST_MAX_MESSAGE_BYTES", str(64 * 1024 * 1024), "NEWSINGEST_MAX_MESSAGE_BYTES=67108864 is out of range"),
        ("KAFKA_BOOTSTRAP_SERVERS", "kafka", "KAFKA_BOOTSTRAP_SERVERS='kafka': give host:port entries"),
        ("NEWSINGEST_LOG_LEVEL", "verbose", "NEWSINGEST_LOG_LEVEL='verbose': use one of debug, info, warning, error"),
        ("KAFKA_SECURITY_PROTOCOL", "TLS", "KAFKA_SECURITY_PROTOCOL='TLS': use one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"),
        ("KAFKA_SASL_USERNAME", "bob", "KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but unused"),
        ("KAFKA_COMPRESSION", "brotli", "KAFKA_COMPRESSION='brotli': use one of zstd, lz4, snappy, gzip, none"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable_and_what_to_set(monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert says in str(stopped.value) and str(stopped.value).count("\n  - ") == 1


def test_every_problem_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSINGEST_BATCH_SIZE", "0")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "a:1,[::1]:9092,b:99999")
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert "NEWSINGEST_BATCH_SIZE" in str(stopped.value) and "KAFKA_BOOTSTRAP_SERVERS" in str(stopped.value)


@pytest.mark.parametrize(("limit", "session", "poll", "complaints"), [
    (10, 30, 300, []),  # the defaults
    (20, 40, 80, []),  # each at its least
    (20, 30, 300, ["NEWSINGEST_SESSION_TIMEOUT=30 is under twice NEWSINGEST_MESSAGE_TIME_LIMIT=20"]),
    (20, 40, 60, ["NEWSINGEST_MAX_POLL_INTERVAL=60 is under four times NEWSINGEST_MESSAGE_TIME_LIMIT=20"]),
    (0, 6, 10, []),  # no limit: nothing to hold it to
])
def test_the_time_limit_stays_within_what_the_group_tolerates(
    monkeypatch: pytest.MonkeyPatch, limit: float, session: float, poll: float, complaints: list[str],
) -> None:
    monkeypatch.setenv("NEWSINGEST_MESSAGE_TIME_LIMIT", str(limit))
    monkeypatch.setenv("NEWSINGEST_SESSION_TIMEOUT", str(session))
    monkeypatch.setenv("NEWSINGEST_MAX_POLL_INTERVAL", str(poll))
    if not complaints:
        settings = load_settings()
        assert (settings.heartbeat_interval, settings.batch_seconds) == (session / 10, poll / 2)
        return
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert all(complaint in str(stopped.value) for complaint in complaints), stopped.value
