"""CloudEvents 1.0 Kafka binary-mode headers for every record newsingest produces, and W3C trace context.

The value stays the plain JSON record; its CloudEvents attributes travel as ``ce_*`` headers. ``ce_type``
carries the contract's name and major version (``newsingest.event/1`` → ``newsingest.event.v1``), ``ce_id``
is the sink's ``event_id`` (elsewhere a hash of the input message's coordinates, so a reprocessed message
repeats its id), and ``traceparent`` keeps the trace id the newsroom producer sent — or one started at the
first stage — so one article can be followed across every topic.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import orjson

from newsingest.runtime.clock import now_iso

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
# CloudEvents type (without its version suffix) of each contract, by the name in the record's ``schema`` field.
TYPES = {
    "newsingest.raw": "newsingest.article.raw",
    "newsingest.cleaned": "newsingest.article.cleaned",
    "newsingest.extracted": "newsingest.article.extracted",
    "newsingest.event": "newsingest.event",
    "newsingest.deadletter": "newsingest.deadletter",
}
RAW_SCHEMA = "newsingest.raw/1"  # raw messages carry no ``schema`` field; this names their contract
# Headers every produced record carries (``ce_subject`` too whenever the article id is known).
REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_dataschema", "content-type", "traceparent")

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

Headers = list[tuple[str, bytes]]
_ZERO_TRACE, _ZERO_SPAN = "0" * 32, "0" * 16  # all-zero ids are invalid


def event_type(schema: str) -> str:
    """``newsingest.event/1`` → ``newsingest.event.v1``; raises ``ValueError`` for a name that is not a contract."""
    name, _, major = schema.partition("/")
    if name not in TYPES or not major.isdigit():
        raise ValueError(f"not a newsingest contract: {schema!r}")
    return f"{TYPES[name]}.v{major}"


def trace_id(traceparent: str | None) -> str | None:
    """The 32-hex trace id of a valid W3C ``traceparent``, else ``None``."""
    match = _TRACEPARENT.match(traceparent or "")
    if match is None or match[1] == "ff" or match[2] == _ZERO_TRACE or match[3] == _ZERO_SPAN:
        return None
    return match[2]


def next_traceparent(incoming: str | None) -> str:
    """The ``traceparent`` of a record produced from one carrying ``incoming``: same trace, a new span id.

    Without a valid incoming value a new trace starts (sampled flag set, so tracing tools keep it).
    """
    return _traceparent(incoming, trace_id(incoming))


def _traceparent(incoming: str | None, trace: str | None) -> str:
    # Ids need to be unique, not secret: the module's generator (as OpenTelemetry's SDK uses) costs a
    # fraction of the system one, and ``or 1`` keeps an id from being all zeros.
    flags = incoming[-2:] if trace and incoming else "01"
    return f"00-{trace or f'{random.getrandbits(128) or 1:032x}'}-{random.getrandbits(64) or 1:016x}-{flags}"


# The headers of an input message a stage reads: where it comes from, and the trace it carries on.
READ_HEADERS = frozenset({"ce_source", "ce_type", "traceparent", "ce_traceparent", "tracestate"})


def header_values(headers: Sequence[tuple[str, bytes | None]] | None) -> dict[str, str | None]:
    """A message's :data:`READ_HEADERS`, read once: lower-case name → its last value as text (``None`` when
    that value is not UTF-8; headers without a value are skipped)."""
    values: dict[str, str | None] = {}
    for key, value in headers or ():
        if value is not None and (name := key.lower()) in READ_HEADERS:
            try:
                values[name] = value.decode("utf-8")
            except UnicodeDecodeError:
                values[name] = None
    return values


def headers_for(
    record: dict[str, Any], *, source: str, fallback_id: str, incoming: Mapping[str, str | None] | None = None
) -> Headers:
    """Binary-mode headers for ``record`` (its ``schema`` field names the contract) produced by ``source``.

    ``fallback_id`` is the ``ce_id`` for records without an ``event_id``; ``incoming`` are the headers of the
    message the record was made from (as :func:`header_values` reads them): its ``traceparent`` (or CloudEvents' ``ce_traceparent``) and
    ``tracestate`` are carried forward.
    """
    schema = record.get("schema") or RAW_SCHEMA
    article_id = record.get("article_id", record.get("id"))
    incoming = incoming or {}
    parent = incoming.get("traceparent") or incoming.get("ce_traceparent")
    trace = trace_id(parent)
    specversion, source_header, type_header, dataschema, content_type = _fixed_headers(source, schema)
    headers = [
        specversion,
        ("ce_id", (record.get("event_id") or fallback_id).encode()),
        source_header,
        type_header,
        ("ce_time", now_iso().encode()),
        dataschema,
        content_type,
        ("traceparent", _traceparent(parent, trace).encode()),
    ]
    if isinstance(article_id, str) and article_id:
        headers.append(("ce_subject", article_id.encode()))
    state = incoming.get("tracestate") if trace else None
    if state:
        headers.append(("tracestate", state.encode()))
    return headers


@cache
def _fixed_headers(source: str, schema: str) -> tuple[tuple[str, bytes], ...]:
    """The headers that depend only on the producer and the contract, encoded once: specversion, source, type, dataschema, content type."""
    return (
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_source", source.encode()),
        ("ce_type", event_type(schema).encode()),
        ("ce_dataschema", f"urn:newsingest:schema:{schema.split('/')[0].removeprefix('newsingest.')}".encode()),
        ("content-type", CONTENT_TYPE.encode()),
    )


def stage_source(stage: str) -> str:
    """``ce_source`` of the records a stage worker produces."""
    return f"/newsingest/{stage}"


def stage_headers(
    stage: str, value: bytes | dict[str, Any], topic: str, partition: int, offset: int, incoming: Mapping[str, str | None] | None
) -> Headers:
    """Headers of a record a stage worker produces (``value``: its JSON, or the dict it is encoded from, which
    saves parsing it again) from the input message at topic/partition/offset."""
    record = orjson.loads(value) if isinstance(value, bytes) else value
    coordinates = f"{record.get('schema')}|{topic}|{partition}|{offset}"
    return headers_for(record, source=stage_source(stage), fallback_id=_digest(coordinates.encode()), incoming=incoming)


def raw_headers(value: bytes, article_id: str | None) -> Headers:
    """Headers for a raw message ``newsingest publish`` sends: a new trace, an id from the content."""
    headers = headers_for({"id": article_id}, source="/newsingest/publish", fallback_id=_digest(value))
    if not value.lstrip().startswith(b"{"):
        headers = [(name, b"text/plain; charset=utf-8" if name == "content-type" else v) for name, v in headers]
    return headers


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
