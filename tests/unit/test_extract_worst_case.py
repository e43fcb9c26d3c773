"""Adversarial inputs: quote-dense and date-dense texts must cost work linear in their length."""

from __future__ import annotations

from datetime import date

import pytest

from newsingest.stages.extract import quotes
from newsingest.stages.extract.entities import recognise
from newsingest.text import dates
from newsingest.text.tokens import tokenize


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
