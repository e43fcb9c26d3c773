"""All settings, read from environment variables once; defaults run against a local broker.

The variables are documented in one place: the Configuration table of README.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
DEFAULT_METRICS_PORTS = {"clean": 9101, "extract": 9102, "enrich": 9103}
# Topics accept up to 16 MiB so that an oversized input can still be dead-lettered whole (base64 adds a third).
MAX_RECORD_BYTES = 16 * 1024 * 1024
# Longer article texts are dead-lettered: it bounds the extraction time of one message (README, Reliability).
DEFAULT_MAX_TEXT_CHARS = 50_000


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number; unset it or give e.g. {name}={default}") from None


@dataclass(frozen=True)
class Topics:
    """Topic names; a stage reads ``input_of(stage)`` and writes ``output_of(stage)``."""

    raw: str = "news.articles.raw"
    cleaned: str = "news.articles.cleaned"
    extracted: str = "news.articles.extracted"
    events: str = "news.events"
    deadletter: str = "news.deadletter"

    def input_of(self, stage: str) -> str:
        return {"clean": self.raw, "extract": self.cleaned, "enrich": self.extracted}[stage]

    def output_of(self, stage: str) -> str:
        return {"clean": self.cleaned, "extract": self.extracted, "enrich": self.events}[stage]

    def all(self) -> tuple[str, ...]:
        return (self.raw, self.cleaned, self.extracted, self.events, self.deadletter)


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str = DEFAULT_BOOTSTRAP
    bootstrap_from_env: bool = False
    topics: Topics = field(default_factory=Topics)
    partitions: int = 3
    replication_factor: int = 1
    group_prefix: str = "newsingest"
    max_message_bytes: int = 2 * 1024 * 1024
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
    batch_size: int = 200
    metrics_host: str = "0.0.0.0"
    metrics_port: int | None = None
    log_level: str = "info"
    home: Path = Path.home() / ".cache" / "newsingest"
    kafka_version: str = "4.1.1"

    def group_id(self, stage: str) -> str:
        return f"{self.group_prefix}-{stage}"

    def metrics_port_of(self, stage: str) -> int:
        return self.metrics_port if self.metrics_port is not None else DEFAULT_METRICS_PORTS[stage]


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """This process's environment plus the variables that make a child ``newsingest`` process use ``settings``."""
    t = settings.topics
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "NEWSINGEST_TOPIC_RAW": t.raw,
        "NEWSINGEST_TOPIC_CLEANED": t.cleaned,
        "NEWSINGEST_TOPIC_EXTRACTED": t.extracted,
        "NEWSINGEST_TOPIC_EVENTS": t.events,
        "NEWSINGEST_TOPIC_DEADLETTER": t.deadletter,
        "NEWSINGEST_GROUP_PREFIX": settings.group_prefix,
        "NEWSINGEST_PARTITIONS": str(settings.partitions),
        "NEWSINGEST_MAX_MESSAGE_BYTES": str(settings.max_message_bytes),
        "NEWSINGEST_MAX_TEXT_CHARS": str(settings.max_text_chars),
        "NEWSINGEST_BATCH_SIZE": str(settings.batch_size),
        **extra,
    }


TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
LOG_LEVELS = ("debug", "info", "warning", "error")
TOPIC_VARIABLES = {
    "raw": "NEWSINGEST_TOPIC_RAW",
    "cleaned": "NEWSINGEST_TOPIC_CLEANED",
    "extracted": "NEWSINGEST_TOPIC_EXTRACTED",
    "events": "NEWSINGEST_TOPIC_EVENTS",
    "deadletter": "NEWSINGEST_TOPIC_DEADLETTER",
}


def problems(settings: Settings) -> list[str]:
    """What is wrong with ``settings``, one sentence per problem naming the variable and what to set."""
    found = []
    topics = {variable: getattr(settings.topics, name) for name, variable in TOPIC_VARIABLES.items()}
    for variable, topic in topics.items():
        if not TOPIC_NAME.match(topic) or topic in {".", ".."}:
            found.append(f"{variable}={topic!r} is not a Kafka topic name: use 1-249 letters, digits, '.', '_' or '-'")
    for topic in sorted(set(topics.values())):
        same = sorted(variable for variable, value in topics.items() if value == topic)
        if len(same) > 1:
            found.append(f"{' and '.join(same)} name the same topic {topic!r}: give every topic its own name")
    for server in settings.bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            found.append(f"KAFKA_BOOTSTRAP_SERVERS={settings.bootstrap_servers!r}: give host:port entries separated by commas, e.g. kafka-1:9092,kafka-2:9092")
            break
    limits = {
        "NEWSINGEST_PARTITIONS": (settings.partitions, 1, 10_000),
        "NEWSINGEST_REPLICATION_FACTOR": (settings.replication_factor, 1, 32),
        "NEWSINGEST_BATCH_SIZE": (settings.batch_size, 1, 10_000),
        # three quarters of the record limit, so that an input at the limit still fits in its dead letter (base64)
        "NEWSINGEST_MAX_MESSAGE_BYTES": (settings.max_message_bytes, 1024, MAX_RECORD_BYTES * 3 // 4),
        "NEWSINGEST_MAX_TEXT_CHARS": (settings.max_text_chars, 1000, 10_000_000),
        "NEWSINGEST_METRICS_PORT": (settings.metrics_port if settings.metrics_port is not None else 0, 0, 65_535),
    }
    for variable, (value, low, high) in limits.items():
        if not low <= value <= high:
            found.append(f"{variable}={value} is out of range: set a whole number from {low} to {high}")
    if not settings.group_prefix or any(c.isspace() for c in settings.group_prefix):
        found.append(f"NEWSINGEST_GROUP_PREFIX={settings.group_prefix!r}: use a name without spaces, e.g. newsingest")
    if settings.log_level not in LOG_LEVELS:
        found.append(f"NEWSINGEST_LOG_LEVEL={settings.log_level!r}: use one of {', '.join(LOG_LEVELS)}")
    return found


def validated(settings: Settings) -> Settings:
    """``settings`` unchanged, or exit with every problem and what to set instead."""
    found = problems(settings)
    if found:
        raise SystemExit("newsingest: invalid configuration (see the Configuration table in README.md):\n  - " + "\n  - ".join(found))
    return settings


def load_settings() -> Settings:
    """Settings from the environment (see the table in this module's docstring)."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").strip()
    port = os.environ.get("NEWSINGEST_METRICS_PORT", "").strip()
    return validated(Settings(
        bootstrap_servers=bootstrap or DEFAULT_BOOTSTRAP,
        bootstrap_from_env=bool(bootstrap),
        topics=Topics(
            raw=_env("NEWSINGEST_TOPIC_RAW", Topics.raw),
            cleaned=_env("NEWSINGEST_TOPIC_CLEANED", Topics.cleaned),
            extracted=_env("NEWSINGEST_TOPIC_EXTRACTED", Topics.extracted),
            events=_env("NEWSINGEST_TOPIC_EVENTS", Topics.events),
            deadletter=_env("NEWSINGEST_TOPIC_DEADLETTER", Topics.deadletter),
        ),
        partitions=_env_int("NEWSINGEST_PARTITIONS", 3),
        replication_factor=_env_int("NEWSINGEST_REPLICATION_FACTOR", 1),
        group_prefix=_env("NEWSINGEST_GROUP_PREFIX", "newsingest"),
        max_message_bytes=_env_int("NEWSINGEST_MAX_MESSAGE_BYTES", 2 * 1024 * 1024),
        max_text_chars=_env_int("NEWSINGEST_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS),
        batch_size=_env_int("NEWSINGEST_BATCH_SIZE", 200),
        metrics_host=_env("NEWSINGEST_METRICS_HOST", "0.0.0.0"),
        metrics_port=_env_int("NEWSINGEST_METRICS_PORT", 0) if port else None,
        log_level=_env("NEWSINGEST_LOG_LEVEL", "info").lower(),
        home=Path(_env("NEWSINGEST_HOME", str(Path.home() / ".cache" / "newsingest"))).expanduser(),
        kafka_version=_env("NEWSINGEST_KAFKA_VERSION", "4.1.1"),
    ))
