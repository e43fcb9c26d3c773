"""All settings, read from environment variables once; defaults run against a local broker.

The variables are documented in one place: the Configuration table of README.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
DEFAULT_METRICS_PORTS = {"clean": 9101, "extract": 9102, "enrich": 9103}


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


def load_settings() -> Settings:
    """Settings from the environment (see the table in this module's docstring)."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").strip()
    port = os.environ.get("NEWSINGEST_METRICS_PORT", "").strip()
    return Settings(
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
        batch_size=_env_int("NEWSINGEST_BATCH_SIZE", 200),
        metrics_host=_env("NEWSINGEST_METRICS_HOST", "0.0.0.0"),
        metrics_port=_env_int("NEWSINGEST_METRICS_PORT", 0) if port else None,
        log_level=_env("NEWSINGEST_LOG_LEVEL", "info").lower(),
        home=Path(_env("NEWSINGEST_HOME", str(Path.home() / ".cache" / "newsingest"))).expanduser(),
        kafka_version=_env("NEWSINGEST_KAFKA_VERSION", "4.1.1"),
    )
