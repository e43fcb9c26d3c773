"""The one exception a stage raises for input it will not process; the shell dead-letters it."""

from __future__ import annotations

from typing import Literal

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
