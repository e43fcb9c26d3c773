"""The three pipeline stages as pure transforms, and the one way to run any of them.

A stage is ``dict in → dict out``: no broker, no clock beyond timestamps, no I/O. The worker
shell (``newsingest.runtime.worker``) and the in-process chain (``newsingest.pipeline``) both go
through :func:`run_stage`, so validation and provenance happen the same way everywhere.
"""

from __future__ import annotations

import gc
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsingest import __version__
from newsingest.runtime.clock import now_iso
from newsingest.runtime.contracts import SchemaViolation, validate
from newsingest.runtime.deadletters import Rejected
from newsingest.runtime.time_limit import TimeLimitExceeded, cpu_time_limit

Record = dict[str, Any]


@dataclass(frozen=True)
class Stage:
    """One pipeline step: which contract it reads, which it writes, and the transform between."""

    name: str
    input_schema: str
    output_schema: str
    transform: Callable[[Record], Record]

    @property
    def reads_raw(self) -> bool:
        """Whether this stage reads the raw topic (the first stage): its input is what newsrooms publish,
        read leniently and always validated, where every later stage reads the record its upstream checked."""
        return self.input_schema == "raw"


def _imported_on_first_call(name: str) -> Callable[[Record], Record]:
    """The transform ``module:function``, imported when first called, so that a command or a worker
    loads only the NLP it runs: the clean worker never imports the NER model or the gazetteer."""
    module, _, function = name.partition(":")

    @cache
    def load() -> Callable[[Record], Record]:
        return getattr(importlib.import_module(module), function)

    def transform(record: Record) -> Record:
        return load()(record)

    transform.__qualname__ = transform.__name__ = name
    return transform


STAGES: dict[str, Stage] = {
    "clean": Stage("clean", "raw", "cleaned", _imported_on_first_call("newsingest.stages.clean.transform:clean")),
    "extract": Stage("extract", "cleaned", "extracted", _imported_on_first_call("newsingest.stages.extract.transform:extract")),
    "enrich": Stage("enrich", "extracted", "event", _imported_on_first_call("newsingest.stages.enrich.transform:enrich")),
}
STAGE_ORDER = tuple(STAGES)
# The same stages with the NLP switched off (``newsingest worker STAGE --identity``; see stages/identity.py).
IDENTITY_STAGES: dict[str, Stage] = {
    name: Stage(name, stage.input_schema, stage.output_schema, _imported_on_first_call(f"newsingest.stages.identity:identity_{name}"))
    for name, stage in STAGES.items()
}
PIPELINE_VERSION = __version__


def run_stage(stage: Stage, record: Record, *, time_limit: float | None = None, input_checked: bool = False) -> Record:
    """Validate ``record`` against the stage's input contract, transform it, stamp provenance, validate the output.

    ``input_checked``: ``record`` is what the previous stage produced, which that stage validated against
    this contract (its output contract) before handing it on, so it is not validated again.

    Raises :class:`Rejected` with reason ``schema_violation`` (bad input), ``transform_error``
    (the transform raised), ``time_limit_exceeded`` (the transform used more than ``time_limit``
    CPU seconds; see :mod:`newsingest.runtime.time_limit`) or ``invalid_output`` (a bug: the output breaks the contract).
    The checks run on every message, unsampled: with jsonschema-rs they cost ≈3 µs for a cleaned
    record, ≈40 µs for an extracted one and ≈60 µs for an event (``newsingest bench --offline``
    corpus), about 1% of the pipeline's CPU time.
    """
    if not input_checked:
        try:
            validate(stage.input_schema, record)
        except SchemaViolation as exc:
            raise Rejected("schema_violation", str(exc)) from exc
    started = time.perf_counter()
    try:
        with cpu_time_limit(time_limit):
            output = stage.transform(record)
    except TimeLimitExceeded as exc:
        raise Rejected(
            "time_limit_exceeded", f"{stage.name} gave up on this message after {time_limit:g} s of CPU time (NEWSINGEST_MESSAGE_TIME_LIMIT)"
        ) from exc
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


# (language, raw article) pairs that touch every one-time load: the NER model, the gazetteer index
# and the language detector's models (one-line texts load more of those than long ones).
WARM_UP_ARTICLES: tuple[tuple[str, Record], ...] = (
    ("en", {"id": "warm-up-en-line", "body": "Ministers met in Ankara on Thursday."}),
    ("ar", {"id": "warm-up-ar-line", "body": "التقى الوزراء في أنقرة يوم الخميس."}),
    ("en", {"id": "warm-up-en", "published_at": "2024-05-02T16:45:00Z",
            "body": "Foreign ministers of Turkey and Ukraine met in Ankara on Thursday.\n\n"
                    "\"We are closer than we were a month ago,\" Hakan Fidan told reporters in Istanbul, where 3 people were hurt."}),
    ("ar", {"id": "warm-up-ar", "published_at": "2024-05-02T16:45:00Z",
            "body": "قال محافظ حلب يوم الخميس إن ثلاثة أشخاص قتلوا في قصف على المدينة.\n\nوأضاف أن فرق الإنقاذ وصلت من دمشق."}),
)


GC_THRESHOLDS = (10_000, 20, 20)  # the cyclic collector's, set once the one-time loads are frozen


def warm_up(last: str, *, whole_chain: bool = False) -> list[Rejected]:
    """Run the warm-up articles through the stages up to ``last``, with no time limit; what they were rejected for.

    One-time loads (the gazetteer index takes ~10 s of CPU when its disk cache is cold, the language
    detector's models 3 s) then happen before the first message, instead of counting against its time
    limit. A worker runs one stage, so the stages before ``last`` run only as far as ``last`` needs:
    clean with its NLP off (its language models would be hundreds of MB in a process that never uses
    them). ``whole_chain``: this process runs every stage up to ``last`` and is measured from its first
    article (``bench --offline``, ``eval ner --process``), so all of them warm up in full. A rejection
    is returned, not raised: a transform that fails on some text must dead-letter messages, not stop
    the worker.
    """
    rejected = []
    for language, article in WARM_UP_ARTICLES:
        record = {**article, "ingested_at": now_iso()}
        try:
            for name in STAGE_ORDER[: STAGE_ORDER.index(last) + 1]:
                if name == "clean" and last != "clean" and not whole_chain:
                    record = {**run_stage(IDENTITY_STAGES["clean"], record), "language": language}
                else:
                    record = run_stage(STAGES[name], record)
        except Rejected as error:
            rejected.append(error)
    # The loads are here for good (~1M objects: gazetteer index, models); out of the cyclic collector's
    # sight, its full passes stop walking them (5–15% of a stage's CPU time, ``newsingest bench --offline``).
    gc.freeze()
    # An article allocates some 10^5 short-lived containers; at the default thresholds (700, 10, 10) the
    # collector ran a thousand passes per thousand Arabic articles, 0.6–0.8 ms of each article's CPU in
    # extract and in enrich. Collected ~15× less often, it takes 0.1–0.3 ms; a pass still comes every
    # 10,000 allocations, so garbage cycles live no longer than an article or two.
    gc.set_threshold(*GC_THRESHOLDS)
    return rejected
