"""Character ranges of a text asked whether a span overlaps any of them, in logarithmic time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate


class Ranges:
    """Character ranges ``(start, end)``, overlapping or not, asked of many spans whether any overlaps them
    (an article's dates asked of each of its numbers, its mentions of each candidate name: a scan of every
    range for every span grows with the square of the text)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._furthest_ends = list(accumulate((end for _, end in ordered), max))  # the furthest end so far

    def overlap(self, start: int, end: int) -> bool:
        """Whether some range (s, e) has ``s < end and start < e``."""
        opened = bisect.bisect_left(self._starts, end)  # the ranges that start before ``end``
        return opened > 0 and self._furthest_ends[opened - 1] > start
