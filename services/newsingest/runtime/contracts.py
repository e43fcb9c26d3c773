"""Load the topic contracts from ``schemas/`` and validate records against them.

The JSON Schema files are the single source of truth; nothing here restates them. Validation runs on
every message twice per stage, so it uses ``jsonschema-rs`` (compiled, Rust): tens of microseconds per
record where the pure-Python ``jsonschema`` took milliseconds on a full event record.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs
import orjson

from newsingest.runtime.paths import schema_dir

SCHEMA_NAMES = ("raw", "cleaned", "extracted", "event", "deadletter", "fingerprint")


class SchemaViolation(ValueError):
    """A record does not satisfy its topic contract."""


@cache
def _contracts() -> dict[str, dict[str, Any]]:
    """Every schema file by its ``$id``."""
    loaded = (orjson.loads(path.read_bytes()) for path in sorted(schema_dir().glob("*.schema.json")))
    return {contents["$id"]: contents for contents in loaded}


@cache
def validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """A compiled validator for one topic contract (one of :data:`SCHEMA_NAMES`)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    contracts = _contracts()
    registry = jsonschema_rs.Registry(list(contracts.items()))
    return jsonschema_rs.Draft202012Validator(contracts[f"urn:newsingest:schema:{name}"], registry=registry)


def record_schema(name: str) -> str:
    """The ``schema`` value records of contract ``name`` carry (``"newsingest.cleaned/1"``), as the contract fixes it."""
    return _contracts()[f"urn:newsingest:schema:{name}"]["properties"]["schema"]["const"]


def check_available() -> None:
    """Fail fast, with what to do, when the contracts cannot be loaded (e.g. an install without ``schemas/``)."""
    try:
        for name in SCHEMA_NAMES:
            validator(name)
    except Exception as exc:
        raise SystemExit(
            f"cannot load the topic contracts from {schema_dir()}: {type(exc).__name__}: {exc}. "
            "Run from a source checkout or set NEWSINGEST_SCHEMA_DIR to the project's schemas/ folder."
        ) from exc


def validate(name: str, record: Any) -> None:
    """Raise :class:`SchemaViolation` naming the first offending field when ``record`` breaks contract ``name``."""
    checker = validator(name)
    try:
        if checker.is_valid(record):
            return
        error = next(iter(checker.iter_errors(record)))
    except ValueError as exc:  # a value JSON cannot hold (e.g. a set or a datetime object)
        raise SchemaViolation(f"{name} schema: (record): not JSON data: {exc}") from exc
    where = "/".join(str(p) for p in error.instance_path) or "(record)"
    raise SchemaViolation(f"{name} schema: {where}: {error.message[:300]}")
