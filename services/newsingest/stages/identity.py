"""Identity transforms: each stage with its NLP switched off, for measuring the framework alone.

``newsingest worker STAGE --identity`` runs one of these instead of the real transform. Everything
around the transform stays as in production: decoding, contract validation (as a worker does it),
provenance stamping, JSON encoding, CloudEvents headers, metrics, produce, acknowledgement and commit.
What is switched off is only the language work: the body passes through as one paragraph, nothing is
detected, extracted or geocoded (empty lists), so each record still satisfies its topic's contract and
the next stage reads it like a real one. ``newsingest bench`` compares this against a bare aiokafka chain.
"""

from __future__ import annotations

from typing import Any

from newsingest.runtime.clock import isoformat, now_iso, parse_timestamp
from newsingest.stages.enrich.duplicates import event_id

NOTE = "identity transform: NLP switched off"


def identity_clean(raw: dict[str, Any]) -> dict[str, Any]:
    """A raw record re-enveloped as a ``newsingest.cleaned/1`` record, body untouched."""
    published = parse_timestamp(raw.get("published_at"))
    body: str = raw["body"]
    return {
        "schema": "newsingest.cleaned/1",
        "article_id": raw["id"],
        "url": raw.get("url"),
        "source": raw.get("source"),
        "published_at": isoformat(published) if published else None,
        "ingested_at": raw.get("ingested_at") or now_iso(),
        "language": None,
        "language_confidence": 0.0,
        "title": raw.get("title"),
        "text": body,
        "paragraphs": [body],
        "metadata": dict(raw.get("metadata") or {}),
        "social": [],
        "provenance": {"removed": {}, "warnings": [NOTE], "stages": {}},
    }


def identity_extract(record: dict[str, Any]) -> dict[str, Any]:
    """A cleaned record as a ``newsingest.extracted/1`` record with nothing found."""
    return {**record, "schema": "newsingest.extracted/1", "entities": [], "quotes": [], "counts": [], "dates": []}


def identity_enrich(record: dict[str, Any]) -> dict[str, Any]:
    """An extracted record as a ``newsingest.event/1`` record: no places, the real deterministic ``event_id``."""
    return {**record, "schema": "newsingest.event/1", "locations": [], "event_id": event_id(record), "processed_at": now_iso()}
