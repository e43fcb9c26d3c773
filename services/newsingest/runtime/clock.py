"""Timestamps in the one format every topic uses: ISO 8601, UTC, ``Z`` suffix."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime
from functools import lru_cache


def isoformat(moment: datetime) -> str:
    """``2024-12-06T14:03:00.123Z`` for an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def now_iso() -> str:
    """The current time to the millisecond."""
    return from_millis(time.time_ns() // 1_000_000)


@lru_cache(maxsize=8)  # a few recent milliseconds: a batch's records share them
def from_millis(millis: int) -> str:
    """Kafka record timestamp (ms since epoch) as an ISO string."""
    moment = datetime.fromtimestamp(millis // 1000, UTC).replace(microsecond=millis % 1000 * 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(value: str | None) -> datetime | None:
    """Read the date-time shapes newsroom systems send (ISO 8601, ``YYYY-MM-DD hh:mm:ss``, RFC 2822); None if unreadable."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
