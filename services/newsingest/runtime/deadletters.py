"""Dead letters: why a stage refuses a message (:class:`Rejected`), and the record that carries the refusal,
its stage and the untouched original payload to ``news.deadletter``.

Every stage raises :class:`Rejected` for input it will not process; the worker shell (and ``newsingest
process``) turns it into :func:`dead_letter`; ``newsingest replay`` (:mod:`newsingest.ops.replay`) sends
dead letters back to the topic they came from.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Literal

from newsingest.runtime.clock import from_millis, now_iso

DeadLetterReason = Literal[
    "not_utf8",
    "bad_json",
    "not_an_object",
    "missing_body",
    "too_large",
    "schema_violation",
    "transform_error",
    "time_limit_exceeded",
    "invalid_output",
]


class Rejected(Exception):
    """Input a stage cannot handle; ``reason`` is a bounded label (see ``schemas/deadletter.schema.json``)."""

    def __init__(self, reason: DeadLetterReason, message: str, *, error_type: str | None = None) -> None:
        super().__init__(message)
        self.reason: DeadLetterReason = reason
        self.error_type = error_type or type(self).__name__


def payload_text(value: bytes | None) -> tuple[str, str]:
    """The original payload for a dead letter: ``(text, "utf-8")`` or ``(base64, "base64")``."""
    if value is None:
        return "", "utf-8"
    try:
        return value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(value).decode("ascii"), "base64"


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
