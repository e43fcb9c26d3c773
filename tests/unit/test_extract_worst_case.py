"""Adversarial inputs: quote-dense, date-dense and name-dense texts must cost work linear in their length."""

from __future__ import annotations

import random
from datetime import date

import pytest

from newsingest.stages.extract import coref, quotes
from newsingest.stages.extract.entities import recognise
from newsingest.text import dates
from newsingest.text.spans import Ranges
from newsingest.text.tokens import tokenize
from tests.articles import slow_article


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls = [0]
    original = getattr(module, name)

    def counted(*args: object) -> object:
        calls[0] += 1
        return original(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


def _verb_checks(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    checks = _counting(monkeypatch, quotes, "_is_according")
    found, _ = quotes.find_quotes(text, tokenize(text), recognise(text))
    assert all(text[q.start:q.end] == q.text for q in found)
    return checks[0]


@pytest.mark.parametrize("unit", ['"He said" ', '"a b" x ', '"one two three." ', "« قال » "])
def test_quote_dense_text_costs_work_linear_in_its_length(monkeypatch, unit):
    half = _verb_checks(monkeypatch, (unit * 10_000)[:25_000])
    full = _verb_checks(monkeypatch, (unit * 10_000)[:50_000])
    # Tokens tested as verbs of saying grow with the text (they grew with its square before).
    assert full <= 2.2 * half


def test_date_dense_text_is_matched_once_per_date(monkeypatch):
    unit = "On 6 December 2024 and 7 ديسمبر 2024, last week, يوم الجمعة الماضي. "
    text = unit * 2_000
    matches = _counting(monkeypatch, dates, "_plausible")
    found = dates.find_dates(text, date(2025, 1, 1))
    assert [m.text for m in found[:4]] == ["6 December 2024", "7 ديسمبر 2024", "last week", "يوم الجمعة الماضي"]
    assert len(found) == 4 * 2_000
    assert matches[0] <= 5 * len(found)  # regex matches tried, bounded by the dates found


def _surfaces_tried(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    tried = [0]
    original = coref._SurfaceIndex.within

    def counted(self: coref._SurfaceIndex, span: str) -> list[str]:
        found = original(self, span)
        tried[0] += len(found)
        return found

    monkeypatch.setattr(coref._SurfaceIndex, "within", counted)
    recognise(text)
    return tried[0]


def test_a_text_of_many_names_tries_each_span_on_few_of_them(monkeypatch):
    half = _surfaces_tried(monkeypatch, slow_article(100_000)["body"])
    full = _surfaces_tried(monkeypatch, slow_article(200_000)["body"])
    # Surfaces looked for in once-seen spans grow with the text: 248 and 509 here. Every span was tried on every
    # surface before, 356,128 and 1,413,516 times.
    assert 0 < half and full <= 2.5 * half


def test_surface_index_offers_every_surface_that_stands_whole_in_a_span(monkeypatch):
    """Against trying every surface: the index leaves out none that the whole-word test would accept."""
    monkeypatch.setattr(coref, "_FEW_SURFACES", 0)  # the index even for a few surfaces, as past 64 of them
    rng = random.Random(3)
    words = ["Los", "Angeles", "California", "دير", "الزور", "قوات", "سوريا", "بحلب", "حلب", "لقوات", "a-b", "(AP)", "x_y"]
    for _ in range(2_000):
        surfaces = {" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(rng.randint(1, 8))}
        index = coref._SurfaceIndex(dict.fromkeys(surfaces, ("LOC", "", 1)))
        span = rng.choice([" ", ", ", " و", "-"]).join(rng.choices(words + ["و" + w for w in words], k=rng.randint(1, 6)))
        whole = [s for s in index.longest_first if (at := span.find(s)) >= 0 and coref._whole_word_at(span, at, len(s))]
        offered = index.within(span)
        assert set(whole) <= set(offered), (span, whole, offered)
        assert offered == [s for s in index.longest_first if s in offered]  # longest first, as before


def test_ranges_overlap_as_a_scan_of_them_all():
    rng = random.Random(5)
    for _ in range(500):
        ranges = [(start, start + rng.randint(1, 30)) for start in rng.choices(range(200), k=rng.randint(0, 12))]
        skipped = Ranges(ranges)
        for start in range(0, 220, 3):
            end = start + rng.randint(1, 10)
            assert skipped.overlap(start, end) == any(s < end and start < e for s, e in ranges)
