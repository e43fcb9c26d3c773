"""Load the topic contracts from ``schemas/`` and validate records against them.

The JSON Schema files are the single source of truth; nothing here restates them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from newsingest.paths import schema_dir

SCHEMA_NAMES = ("raw", "cleaned", "extracted", "event", "deadletter")


class SchemaViolation(ValueError):
    """A record does not satisfy its topic contract."""


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(schema_dir().glob("*.schema.json")):
        contents = orjson.loads(path.read_bytes())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator for one topic contract (``raw``, ``cleaned``, ``extracted``, ``event``, ``deadletter``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    contents = _registry().contents(f"urn:newsingest:schema:{name}")
    return Draft202012Validator(contents, registry=_registry())


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
    error = next(iter(validator(name).iter_errors(record)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(record)"
        raise SchemaViolation(f"{name} schema: {where}: {error.message[:300]}")
