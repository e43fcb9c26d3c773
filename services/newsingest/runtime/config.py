"""Every setting, declared once: its field, environment variable, default, check and meaning.

Each field of :class:`Settings` (and of its parts :class:`Topics` and :class:`KafkaSecurity`) is made by
:func:`setting`, which holds all there is to know about it. :func:`load_settings` reads the environment
through those declarations, :func:`problems` checks them, :func:`settings_env` hands them to a child
process, and :func:`markdown_table` writes the README's Configuration table from them
(``newsingest config --markdown``; a test keeps the README in step).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_METRICS_PORTS = {"clean": 9101, "extract": 9102, "enrich": 9103}
# Topics accept up to 16 MiB so that an oversized input can still be dead-lettered whole (base64 adds a third).
MAX_RECORD_BYTES = 16 * 1024 * 1024
TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
LOG_LEVELS = ("debug", "info", "warning", "error")
COMPRESSIONS = ("zstd", "lz4", "snappy", "gzip", "none")


@dataclass(frozen=True)
class Variable:
    """One environment variable: how it is read and checked, and what the README says of it."""

    name: str
    default: Any
    meaning: str
    low: float | None = None  # inclusive range of a number
    high: float | None = None
    choices: tuple[str, ...] = ()
    case: Callable[[str], str] | None = None  # str.upper / str.lower before checking
    secret: bool = False  # read unstripped, never echoed
    shown_default: str | None = None  # the README's default when the value is not a constant

    def parse(self, raw: str | None) -> Any:
        """The value of ``raw`` (``None``: unset), or exit saying what to give."""
        if raw is not None and not self.secret:
            raw = raw.strip()
        if not raw:
            return self.default
        if self.case is not None:
            raw = self.case(raw)
        kind = type(self.default)
        if kind in (int, float):
            try:
                return kind(raw)
            except ValueError:
                what = "a whole number" if kind is int else "a number"
                raise SystemExit(f"{self.name}={raw!r} is not {what}; unset it or give e.g. {self.name}={self.default}") from None
        if self.low is not None and self.default is None:  # an optional number (a port)
            try:
                return int(raw)
            except ValueError:
                raise SystemExit(f"{self.name}={raw!r} is not a whole number; unset it or give e.g. {self.name}=9101") from None
        return Path(raw).expanduser() if isinstance(self.default, Path) else raw

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value``, as one sentence naming the variable and what to set."""
        if self.choices and value not in self.choices:
            return f"{self.name}={value!r}: use one of {', '.join(self.choices)}"
        if self.low is not None and value is not None and not self.low <= value <= self.high:
            if isinstance(value, float):
                lowest = f"{self.low:g} (no limit)" if self.low == 0 else f"{self.low:g}"
                return f"{self.name}={value:g} is out of range: set seconds from {lowest} to {self.high:g}"
            return f"{self.name}={value} is out of range: set a whole number from {self.low:g} to {self.high:g}"
        return None

    def read(self) -> Any:
        """This variable's value in this process's environment."""
        return self.parse(os.environ.get(self.name))


def setting(name: str, default: Any, meaning: str, **details: Any) -> Any:
    """A dataclass field whose value comes from the environment variable ``name`` (see :class:`Variable`)."""
    variable = Variable(name, default, meaning, **details)
    return field(default=default, metadata={"variable": variable}, repr=not variable.secret)


@dataclass(frozen=True)
class Topics:
    """Topic names; a stage reads ``input_of(stage)`` and writes ``output_of(stage)``."""

    raw: str = setting("NEWSINGEST_TOPIC_RAW", "news.articles.raw", "input topic")
    cleaned: str = setting("NEWSINGEST_TOPIC_CLEANED", "news.articles.cleaned", "clean → extract")
    extracted: str = setting("NEWSINGEST_TOPIC_EXTRACTED", "news.articles.extracted", "extract → enrich")
    events: str = setting("NEWSINGEST_TOPIC_EVENTS", "news.events", "the sink")
    deadletter: str = setting("NEWSINGEST_TOPIC_DEADLETTER", "news.deadletter", "dead letters")
    fingerprints: str = setting(  # enrich's duplicate-detection state (compacted), not a pipeline hop
        "NEWSINGEST_TOPIC_FINGERPRINTS", "news.enrich.fingerprints",
        "enrich's duplicate-detection state: one fingerprint per first-seen article, compacted, 30 days "
        "(see [Duplicates](#duplicates-across-the-stream))")

    def input_of(self, stage: str) -> str:
        return {"clean": self.raw, "extract": self.cleaned, "enrich": self.extracted}[stage]

    def output_of(self, stage: str) -> str:
        return {"clean": self.cleaned, "extract": self.extracted, "enrich": self.events}[stage]

    def all(self) -> tuple[str, ...]:
        return (self.raw, self.cleaned, self.extracted, self.events, self.deadletter)


@dataclass(frozen=True)
class KafkaSecurity:
    """How every Kafka client encrypts and authenticates its connections; secrets are left out of ``repr``."""

    protocol: str = setting("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`, for every client (workers and tools)",
                            choices=SECURITY_PROTOCOLS, case=str.upper)
    sasl_mechanism: str = setting("KAFKA_SASL_MECHANISM", "PLAIN", "`PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`", choices=SASL_MECHANISMS, case=str.upper)
    sasl_username: str = setting("KAFKA_SASL_USERNAME", "", "SASL user; required with a `SASL_*` protocol", shown_default="(none)")
    sasl_password: str = setting("KAFKA_SASL_PASSWORD", "", "SASL password; required with a `SASL_*` protocol; never logged or exported",
                                 secret=True, shown_default="(none)")
    ssl_ca_file: str = setting("KAFKA_SSL_CA_FILE", "", "PEM file of the CA that signed the brokers' certificates", shown_default="system CAs")
    ssl_cert_file: str = setting("KAFKA_SSL_CERT_FILE", "", "client certificate (PEM) for mutual TLS; goes with `KAFKA_SSL_KEY_FILE`", shown_default="(none)")
    ssl_key_file: str = setting("KAFKA_SSL_KEY_FILE", "", "the client certificate's private key (PEM)", shown_default="(none)")
    ssl_key_password: str = setting("KAFKA_SSL_KEY_PASSWORD", "", "password of an encrypted `KAFKA_SSL_KEY_FILE`", secret=True, shown_default="(none)")

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.protocol.endswith("SSL")


@dataclass(frozen=True)
class Settings:
    """What a command or worker runs with: :func:`load_settings` reads it from the environment."""

    bootstrap_servers: str = setting("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "brokers; when unset, `newsingest up` starts a local one")
    topics: Topics = field(default_factory=Topics)
    dedup_max_articles: int = setting(
        "NEWSINGEST_DEDUP_MAX_ARTICLES", 200_000,
        "most first-seen articles an enrich worker keeps in its duplicate index (the oldest go first; about 1 KB of memory each, in every enrich worker: 200 MB at the default)",
        low=1, high=100_000_000)
    partitions: int = setting("NEWSINGEST_PARTITIONS", 3, "partitions of the topics newsingest creates", low=1, high=10_000)
    replication_factor: int = setting("NEWSINGEST_REPLICATION_FACTOR", 1, "replicas of the topics newsingest creates (use 3 on a production cluster)", low=1, high=32)
    group_prefix: str = setting("NEWSINGEST_GROUP_PREFIX", "newsingest", "a stage's consumer group is `<prefix>-<stage>`")
    # Three quarters of the record limit, so that an input at the limit still fits in its dead letter (base64).
    max_message_bytes: int = setting("NEWSINGEST_MAX_MESSAGE_BYTES", 2 * 1024 * 1024, "larger input messages are dead-lettered as `too_large`",
                                     low=1024, high=MAX_RECORD_BYTES * 3 // 4)
    max_text_chars: int = setting(
        "NEWSINGEST_MAX_TEXT_CHARS", 50_000,
        "articles whose clean text is longer are dead-lettered as `too_large` by extract (bounds the time one message can take; see Reliability)",
        low=1000, high=10_000_000)
    message_time_limit: float = setting(
        "NEWSINGEST_MESSAGE_TIME_LIMIT", 10.0,
        "CPU seconds one stage may spend on one message; past it the message is dead-lettered as `time_limit_exceeded` and the worker goes on "
        "(`0`: no limit; see Reliability)", low=0.0, high=3600.0)
    batch_size: int = setting("NEWSINGEST_BATCH_SIZE", 200, "most messages a worker takes per poll", low=1, high=10_000)
    concurrency: int = setting(
        "NEWSINGEST_CONCURRENCY", 1,
        "processes a worker transforms messages in; above 1 they are forked after the models load (shared copy-on-write), "
        "and outputs and commits keep the input's order (see Scaling)", low=1, high=64)
    compression: str = setting(
        "KAFKA_COMPRESSION", "zstd",
        "compression of the record batches newsingest produces: `zstd`, `lz4`, `snappy`, `gzip` or `none`; any consumer since Kafka 2.1 "
        "reads `zstd`, which compresses best here at a fifth of the CPU of the client's `lz4` (see Performance)",
        choices=COMPRESSIONS, case=str.lower)
    session_timeout: float = setting(
        "NEWSINGEST_SESSION_TIMEOUT", 30.0,
        "seconds without a heartbeat before the group gives a worker's partitions to another (heartbeats every tenth of it, "
        "from their own thread); at least twice the time limit (see Reliability)", low=6.0, high=1800.0)
    max_poll_interval: float = setting(
        "NEWSINGEST_MAX_POLL_INTERVAL", 300.0,
        "seconds a worker may spend on one poll's batch before the group counts it as stuck; a worker commits what it has "
        "done after half of it and takes the rest again; at least four times the time limit (see Reliability)", low=10.0, high=3600.0)
    metrics_host: str = setting("NEWSINGEST_METRICS_HOST", "0.0.0.0", "address of `/metrics` and `/healthz`")
    metrics_port: int | None = setting("NEWSINGEST_METRICS_PORT", None, "metrics port (by stage when unset; 0 picks a free port)",
                                       low=0, high=65_535, shown_default="9101 / 9102 / 9103")
    log_level: str = setting("NEWSINGEST_LOG_LEVEL", "info", "`debug` logs every message outcome", choices=LOG_LEVELS, case=str.lower)
    home: Path = setting("NEWSINGEST_HOME", Path.home() / ".cache" / "newsingest", "Kafka jars, local broker data and the gazetteer cache",
                         shown_default="~/.cache/newsingest")
    kafka_version: str = setting("NEWSINGEST_KAFKA_VERSION", "4.1.1", "Apache Kafka version of the local broker")
    security: KafkaSecurity = field(default_factory=KafkaSecurity)
    bootstrap_from_env: bool = False  # whether KAFKA_BOOTSTRAP_SERVERS was given (else `up` starts a local broker)

    @property
    def heartbeat_interval(self) -> float:
        """Seconds between a worker's heartbeats: a tenth of the session timeout, so several may be lost in a row."""
        return self.session_timeout / 10

    @property
    def batch_seconds(self) -> float:
        """Wall seconds a worker spends on one batch before committing what it has done and polling again."""
        return self.max_poll_interval / 2

    def group_id(self, stage: str) -> str:
        return f"{self.group_prefix}-{stage}"

    def metrics_port_of(self, stage: str) -> int:
        return self.metrics_port if self.metrics_port is not None else DEFAULT_METRICS_PORTS[stage]


# Folders, read where they are used (newsingest.runtime.paths, newsingest.devtools.corpora), not per Settings.
SCHEMA_DIR = Variable("NEWSINGEST_SCHEMA_DIR", None, "where the topic contracts are read from", shown_default="the package's `contracts/`")
DEPLOY_DIR = Variable("NEWSINGEST_DEPLOY_DIR", None, "broker configuration templates", shown_default="`deploy/` of the checkout")
SHARED_DIR = Variable("NEWSINGEST_SHARED_DIR", None, "public corpora used by tests and evaluations (optional)", shown_default="`../shared`")
FOLDERS = (SCHEMA_DIR, DEPLOY_DIR, SHARED_DIR)
TOPIC_VARIABLES = {item.name: item.metadata["variable"].name for item in dataclasses.fields(Topics)}


def _declared(cls: type, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Variable]]:
    """(attribute path, variable) of every setting of ``cls``, parts included, in declaration order."""
    for item in dataclasses.fields(cls):
        if "variable" in item.metadata:
            yield (*path, item.name), item.metadata["variable"]
        elif dataclasses.is_dataclass(item.default_factory):
            yield from _declared(item.default_factory, (*path, item.name))


def variables() -> list[Variable]:
    """Every environment variable newsingest reads, in the README's order."""
    return [variable for _, variable in _declared(Settings)] + list(FOLDERS)


def _value(settings: Settings, path: tuple[str, ...]) -> Any:
    value: Any = settings
    for name in path:
        value = getattr(value, name)
    return value


def _build(cls: type, values: dict[tuple[str, ...], Any], path: tuple[str, ...] = ()) -> Any:
    arguments = {}
    for item in dataclasses.fields(cls):
        key = (*path, item.name)
        if "variable" in item.metadata:
            arguments[item.name] = values[key]
        elif dataclasses.is_dataclass(item.default_factory):
            arguments[item.name] = _build(item.default_factory, values, key)
    return cls(**arguments)


def load_settings() -> Settings:
    """Settings from the environment; exits listing every problem and what to set instead."""
    values = {path: variable.read() for path, variable in _declared(Settings)}
    settings = dataclasses.replace(_build(Settings, values), bootstrap_from_env=bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").strip()))
    return validated(settings)


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """This process's environment plus the variables that make a child ``newsingest`` process use ``settings``."""
    own = {variable.name: "" if (value := _value(settings, path)) is None else str(value) for path, variable in _declared(Settings)}
    return {**os.environ, **{name: text for name, text in own.items() if text or name in os.environ}, **extra}


def problems(settings: Settings) -> list[str]:
    """What is wrong with ``settings``, one sentence per problem naming the variable and what to set."""
    found = [problem for path, variable in _declared(Settings) if (problem := variable.problem(_value(settings, path)))]
    topics = {variable.name: _value(settings, path) for path, variable in _declared(Settings) if path[0] == "topics"}
    for name, topic in topics.items():
        if not TOPIC_NAME.match(topic) or topic in {".", ".."}:
            found.append(f"{name}={topic!r} is not a Kafka topic name: use 1-249 letters, digits, '.', '_' or '-'")
    for topic in sorted(set(topics.values())):
        same = sorted(name for name, value in topics.items() if value == topic)
        if len(same) > 1:
            found.append(f"{' and '.join(same)} name the same topic {topic!r}: give every topic its own name")
    for server in settings.bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            found.append(f"KAFKA_BOOTSTRAP_SERVERS={settings.bootstrap_servers!r}: give host:port entries separated by commas, e.g. kafka-1:9092,kafka-2:9092")
            break
    if not settings.group_prefix or any(c.isspace() for c in settings.group_prefix):
        found.append(f"NEWSINGEST_GROUP_PREFIX={settings.group_prefix!r}: use a name without spaces, e.g. newsingest")
    return found + liveness_problems(settings) + security_problems(settings.security)


def liveness_problems(settings: Settings) -> list[str]:
    """Whether one message within the time limit can cost a worker its group membership.

    Heartbeats go out from their own thread, but a transform stuck in one long C call (a regular
    expression, an HTML parse) holds the interpreter lock, so the session timeout must outlast the
    limit, twice over: the limit counts CPU seconds, and a loaded machine stretches them in wall time.
    A batch is cut after half the poll interval, so the other half must hold one more message, twice over.
    """
    limit = settings.message_time_limit
    found = []
    if limit and settings.session_timeout < 2 * limit:
        found.append(f"NEWSINGEST_SESSION_TIMEOUT={settings.session_timeout:g} is under twice NEWSINGEST_MESSAGE_TIME_LIMIT={limit:g}: "
                     f"set it to at least {2 * limit:g}, or lower the time limit")
    if limit and settings.max_poll_interval < 4 * limit:
        found.append(f"NEWSINGEST_MAX_POLL_INTERVAL={settings.max_poll_interval:g} is under four times NEWSINGEST_MESSAGE_TIME_LIMIT={limit:g}: "
                     f"set it to at least {4 * limit:g}, or lower the time limit")
    return found


def security_problems(security: KafkaSecurity) -> list[str]:
    """What is wrong with how the Kafka security variables go together (never quoting a secret)."""
    found = []
    credentials = bool(security.sasl_username) + bool(security.sasl_password)
    if security.uses_sasl and credentials < 2:
        found.append(f"KAFKA_SECURITY_PROTOCOL={security.protocol} needs both KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    if not security.uses_sasl and credentials:
        found.append("KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but unused: set KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT)")
    files = {"KAFKA_SSL_CA_FILE": security.ssl_ca_file, "KAFKA_SSL_CERT_FILE": security.ssl_cert_file, "KAFKA_SSL_KEY_FILE": security.ssl_key_file}
    for name, path in files.items():
        if path and not Path(path).is_file():
            found.append(f"{name}={path!r} is not a readable file: give the path of a PEM file")
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


def markdown_table() -> str:
    """The README's Configuration table, from the declarations."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for variable in variables():
        default = variable.shown_default or (f"`{variable.default:g}`" if isinstance(variable.default, float) else f"`{variable.default}`")
        rows.append(f"| `{variable.name}` | {default} | {variable.meaning} |")
    return "\n".join(rows) + "\n"
