"""All settings, read from environment variables once; defaults run against a local broker.

The variables are documented in one place: the Configuration table of README.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

Number = TypeVar("Number", int, float)
DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
DEFAULT_METRICS_PORTS = {"clean": 9101, "extract": 9102, "enrich": 9103}
# Topics accept up to 16 MiB so that an oversized input can still be dead-lettered whole (base64 adds a third).
MAX_RECORD_BYTES = 16 * 1024 * 1024
# Longer article texts are dead-lettered: it bounds the extraction time of one message (README, Reliability).
DEFAULT_MAX_TEXT_CHARS = 50_000
# CPU seconds one stage may spend on one message before it is dead-lettered (newsingest.runtime.time_limit).
DEFAULT_MESSAGE_TIME_LIMIT = 10.0


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_number(name: str, default: Number) -> Number:
    """The variable as a number of ``default``'s type (int or float), or exit saying what to give."""
    raw = _env(name, str(default))
    try:
        return type(default)(raw)
    except ValueError:
        what = "a whole number" if isinstance(default, int) else "a number"
        raise SystemExit(f"{name}={raw!r} is not {what}; unset it or give e.g. {name}={default}") from None


@dataclass(frozen=True)
class Topics:
    """Topic names; a stage reads ``input_of(stage)`` and writes ``output_of(stage)``."""

    raw: str = "news.articles.raw"
    cleaned: str = "news.articles.cleaned"
    extracted: str = "news.articles.extracted"
    events: str = "news.events"
    deadletter: str = "news.deadletter"
    fingerprints: str = "news.enrich.fingerprints"  # enrich's duplicate-detection state (compacted), not a pipeline hop

    def input_of(self, stage: str) -> str:
        return {"clean": self.raw, "extract": self.cleaned, "enrich": self.extracted}[stage]

    def output_of(self, stage: str) -> str:
        return {"clean": self.cleaned, "extract": self.extracted, "enrich": self.events}[stage]

    def all(self) -> tuple[str, ...]:
        return (self.raw, self.cleaned, self.extracted, self.events, self.deadletter)


SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


@dataclass(frozen=True)
class KafkaSecurity:
    """How every Kafka client encrypts and authenticates its connections; secrets are left out of ``repr``."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_ca_file: str = ""
    ssl_cert_file: str = ""
    ssl_key_file: str = ""
    ssl_key_password: str = field(default="", repr=False)

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.protocol.endswith("SSL")

    def env(self) -> dict[str, str]:
        """The environment variables that give a child process this security."""
        return {
            "KAFKA_SECURITY_PROTOCOL": self.protocol,
            "KAFKA_SASL_MECHANISM": self.sasl_mechanism,
            "KAFKA_SASL_USERNAME": self.sasl_username,
            "KAFKA_SASL_PASSWORD": self.sasl_password,
            "KAFKA_SSL_CA_FILE": self.ssl_ca_file,
            "KAFKA_SSL_CERT_FILE": self.ssl_cert_file,
            "KAFKA_SSL_KEY_FILE": self.ssl_key_file,
            "KAFKA_SSL_KEY_PASSWORD": self.ssl_key_password,
        }


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
    message_time_limit: float = DEFAULT_MESSAGE_TIME_LIMIT
    batch_size: int = 200
    dedup_max_articles: int = 200_000
    metrics_host: str = "0.0.0.0"
    metrics_port: int | None = None
    log_level: str = "info"
    home: Path = Path.home() / ".cache" / "newsingest"
    kafka_version: str = "4.1.1"
    security: KafkaSecurity = field(default_factory=KafkaSecurity)

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
        "NEWSINGEST_TOPIC_FINGERPRINTS": t.fingerprints,
        "NEWSINGEST_GROUP_PREFIX": settings.group_prefix,
        "NEWSINGEST_PARTITIONS": str(settings.partitions),
        "NEWSINGEST_MAX_MESSAGE_BYTES": str(settings.max_message_bytes),
        "NEWSINGEST_MAX_TEXT_CHARS": str(settings.max_text_chars),
        "NEWSINGEST_MESSAGE_TIME_LIMIT": str(settings.message_time_limit),
        "NEWSINGEST_BATCH_SIZE": str(settings.batch_size),
        "NEWSINGEST_DEDUP_MAX_ARTICLES": str(settings.dedup_max_articles),
        "NEWSINGEST_LOG_LEVEL": settings.log_level,
        **settings.security.env(),
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
    "fingerprints": "NEWSINGEST_TOPIC_FINGERPRINTS",
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
        "NEWSINGEST_DEDUP_MAX_ARTICLES": (settings.dedup_max_articles, 1, 100_000_000),
        # three quarters of the record limit, so that an input at the limit still fits in its dead letter (base64)
        "NEWSINGEST_MAX_MESSAGE_BYTES": (settings.max_message_bytes, 1024, MAX_RECORD_BYTES * 3 // 4),
        "NEWSINGEST_MAX_TEXT_CHARS": (settings.max_text_chars, 1000, 10_000_000),
        "NEWSINGEST_METRICS_PORT": (settings.metrics_port if settings.metrics_port is not None else 0, 0, 65_535),
    }
    for variable, (value, low, high) in limits.items():
        if not low <= value <= high:
            found.append(f"{variable}={value} is out of range: set a whole number from {low} to {high}")
    if not 0 <= settings.message_time_limit <= 3600:
        found.append(f"NEWSINGEST_MESSAGE_TIME_LIMIT={settings.message_time_limit:g} is out of range: set seconds from 0 (no limit) to 3600")
    if not settings.group_prefix or any(c.isspace() for c in settings.group_prefix):
        found.append(f"NEWSINGEST_GROUP_PREFIX={settings.group_prefix!r}: use a name without spaces, e.g. newsingest")
    if settings.log_level not in LOG_LEVELS:
        found.append(f"NEWSINGEST_LOG_LEVEL={settings.log_level!r}: use one of {', '.join(LOG_LEVELS)}")
    return found + security_problems(settings.security)


def security_problems(security: KafkaSecurity) -> list[str]:
    """What is wrong with the Kafka security variables (never quoting a secret)."""
    found = []
    if security.protocol not in SECURITY_PROTOCOLS:
        found.append(f"KAFKA_SECURITY_PROTOCOL={security.protocol!r}: use one of {', '.join(SECURITY_PROTOCOLS)}")
    if security.sasl_mechanism not in SASL_MECHANISMS:
        found.append(f"KAFKA_SASL_MECHANISM={security.sasl_mechanism!r}: use one of {', '.join(SASL_MECHANISMS)}")
    credentials = bool(security.sasl_username) + bool(security.sasl_password)
    if security.uses_sasl and credentials < 2:
        found.append(f"KAFKA_SECURITY_PROTOCOL={security.protocol} needs both KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    if not security.uses_sasl and credentials:
        found.append("KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but unused: set KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT)")
    files = {"KAFKA_SSL_CA_FILE": security.ssl_ca_file, "KAFKA_SSL_CERT_FILE": security.ssl_cert_file, "KAFKA_SSL_KEY_FILE": security.ssl_key_file}
    for variable, path in files.items():
        if path and not Path(path).is_file():
            found.append(f"{variable}={path!r} is not a readable file: give the path of a PEM file")
    if any(files.values()) and not security.uses_ssl:
        found.append("KAFKA_SSL_* files are set but unused: set KAFKA_SECURITY_PROTOCOL=SSL (or SASL_SSL)")
    if bool(security.ssl_cert_file) != bool(security.ssl_key_file):
        found.append("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key): set both or neither")
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
            fingerprints=_env("NEWSINGEST_TOPIC_FINGERPRINTS", Topics.fingerprints),
        ),
        partitions=_env_number("NEWSINGEST_PARTITIONS", 3),
        replication_factor=_env_number("NEWSINGEST_REPLICATION_FACTOR", 1),
        group_prefix=_env("NEWSINGEST_GROUP_PREFIX", "newsingest"),
        max_message_bytes=_env_number("NEWSINGEST_MAX_MESSAGE_BYTES", 2 * 1024 * 1024),
        max_text_chars=_env_number("NEWSINGEST_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS),
        message_time_limit=_env_number("NEWSINGEST_MESSAGE_TIME_LIMIT", DEFAULT_MESSAGE_TIME_LIMIT),
        batch_size=_env_number("NEWSINGEST_BATCH_SIZE", 200),
        dedup_max_articles=_env_number("NEWSINGEST_DEDUP_MAX_ARTICLES", 200_000),
        metrics_host=_env("NEWSINGEST_METRICS_HOST", "0.0.0.0"),
        metrics_port=_env_number("NEWSINGEST_METRICS_PORT", 0) if port else None,
        log_level=_env("NEWSINGEST_LOG_LEVEL", "info").lower(),
        home=Path(_env("NEWSINGEST_HOME", str(Path.home() / ".cache" / "newsingest"))).expanduser(),
        kafka_version=_env("NEWSINGEST_KAFKA_VERSION", "4.1.1"),
        security=KafkaSecurity(
            protocol=_env("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper(),
            sasl_mechanism=_env("KAFKA_SASL_MECHANISM", "PLAIN").upper(),
            sasl_username=_env("KAFKA_SASL_USERNAME", ""),
            sasl_password=os.environ.get("KAFKA_SASL_PASSWORD", ""),
            ssl_ca_file=_env("KAFKA_SSL_CA_FILE", ""),
            ssl_cert_file=_env("KAFKA_SSL_CERT_FILE", ""),
            ssl_key_file=_env("KAFKA_SSL_KEY_FILE", ""),
            ssl_key_password=os.environ.get("KAFKA_SSL_KEY_PASSWORD", ""),
        ),
    ))
