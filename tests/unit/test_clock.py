"""Timestamps: every topic's one format, to the millisecond."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from newsingest.runtime.clock import from_millis, isoformat, now_iso, parse_timestamp


@pytest.mark.parametrize(("millis", "text"), [
    (1733493780123, "2024-12-06T14:03:00.123Z"),
    (0, "1970-01-01T00:00:00.000Z"),
    (-1, "1969-12-31T23:59:59.999Z"),  # a record without a timestamp (Kafka's -1)
    (1733493780999, "2024-12-06T14:03:00.999Z"),
])
def test_kafka_timestamps_keep_their_milliseconds(millis: int, text: str) -> None:
    assert from_millis(millis) == text
    assert parse_timestamp(text) == datetime.fromtimestamp(millis / 1000, UTC)


def test_now_is_read_to_the_millisecond_between_two_clock_readings() -> None:
    before = isoformat(datetime.now(UTC))
    found = now_iso()
    after = isoformat(datetime.now(UTC))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", found)
    assert before <= found <= after  # one format, so the strings order as the times do
