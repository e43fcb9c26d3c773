"""Dead-letter records: what failed, where, why, and the untouched original payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsingest.runtime.clock import from_millis, now_iso
from newsingest.runtime.errors import Rejected
from newsingest.runtime.messages import payload_text


@dataclass(frozen=True)
class Origin:
    """Where a message came from."""

    topic: str
    partition: int
    offset: int
    key: bytes | None = None
    timestamp_ms: int | None = None


def dead_letter(stage: str, error: Rejected, origin: Origin, payload: bytes | None, article_id: str | None = None) -> dict[str, Any]:
    """The ``news.deadletter`` record for a message ``stage`` rejected (see ``schemas/deadletter.schema.json``)."""
    text, encoding = payload_text(payload)
    key, _ = payload_text(origin.key) if origin.key is not None else (None, None)
    return {
        "schema": "newsingest.deadletter/1",
        "stage": stage,
        "reason": error.reason,
        "error_type": error.error_type,
        "error_message": str(error)[:2000],
        "article_id": article_id,
        "source": {
            "topic": origin.topic,
            "partition": origin.partition,
            "offset": origin.offset,
            "key": key,
            "timestamp": from_millis(origin.timestamp_ms) if origin.timestamp_ms is not None else None,
        },
        "payload": text,
        "payload_encoding": encoding,
        "failed_at": now_iso(),
    }
