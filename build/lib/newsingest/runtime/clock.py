"""Timestamps in the one format every topic uses: ISO 8601, UTC, ``Z`` suffix."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """``2024-12-06T14:03:00.123Z`` for an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def now_iso() -> str:
    return isoformat(now())


def from_millis(millis: int) -> str:
    """Kafka record timestamp (ms since epoch) as an ISO string."""
    return isoformat(datetime.fromtimestamp(millis / 1000, UTC))


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
