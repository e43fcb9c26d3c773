"""The three pipeline stages as pure transforms, and the one way to run any of them.

A stage is ``dict in → dict out``: no broker, no clock beyond timestamps, no I/O. The worker
shell (``newsingest.worker``) and the in-process chain (``newsingest.pipeline``) both go
through :func:`run_stage`, so validation and provenance happen the same way everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsingest import __version__
from newsingest.errors import Rejected
from newsingest.schemas import SchemaViolation, validate
from newsingest.stages.clean import clean
from newsingest.stages.enrich import enrich
from newsingest.stages.extract import extract
from newsingest.stages.identity import identity_clean, identity_enrich, identity_extract
from newsingest.timeutil import now_iso

Record = dict[str, Any]


@dataclass(frozen=True)
class Stage:
    """One pipeline step: which contract it reads, which it writes, and the transform between."""

    name: str
    input_schema: str
    output_schema: str
    transform: Callable[[Record], Record]


STAGES: dict[str, Stage] = {
    "clean": Stage("clean", "raw", "cleaned", clean),
    "extract": Stage("extract", "cleaned", "extracted", extract),
    "enrich": Stage("enrich", "extracted", "event", enrich),
}
STAGE_ORDER = tuple(STAGES)
# The same stages with the NLP switched off (``newsingest worker STAGE --identity``; see stages/identity.py).
IDENTITY_STAGES: dict[str, Stage] = {
    name: Stage(name, stage.input_schema, stage.output_schema, transform)
    for (name, stage), transform in zip(STAGES.items(), (identity_clean, identity_extract, identity_enrich), strict=True)
}
PIPELINE_VERSION = __version__


def run_stage(stage: Stage, record: Record) -> Record:
    """Validate ``record`` against the stage's input contract, transform it, stamp provenance, validate the output.

    Raises :class:`Rejected` with reason ``schema_violation`` (bad input), ``transform_error``
    (the transform raised) or ``invalid_output`` (a bug: the output breaks the contract).
    Both checks run on every message, unsampled: with jsonschema-rs they cost ≈3 µs for a cleaned
    record, ≈40 µs for an extracted one and ≈60 µs for an event (``newsingest bench --offline``
    corpus), about 1% of the pipeline's CPU time.
    """
    try:
        validate(stage.input_schema, record)
    except SchemaViolation as exc:
        raise Rejected("schema_violation", str(exc)) from exc
    started = time.perf_counter()
    try:
        output = stage.transform(record)
    except Rejected:
        raise
    except Exception as exc:  # a transform bug must dead-letter the message, not kill the worker
        raise Rejected("transform_error", f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__) from exc
    provenance = output.setdefault("provenance", {})
    provenance["pipeline_version"] = PIPELINE_VERSION
    provenance.setdefault("stages", {})[stage.name] = {
        "processed_at": now_iso(),
        "duration_seconds": round(time.perf_counter() - started, 6),
    }
    try:
        validate(stage.output_schema, output)
    except SchemaViolation as exc:
        raise Rejected("invalid_output", str(exc)) from exc
    return output
