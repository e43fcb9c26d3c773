"""Numbers in digits and words, and the event counts built on them."""

from __future__ import annotations

import pytest

from newsingest.stages.extract.counts import find_counts
from newsingest.stages.extract.numbers import parse_number
from newsingest.text.sentences import sentence_ids
from newsingest.text.tokens import tokenize


@pytest.mark.parametrize(("text", "value"), [
    ("12 مليون", 12_000_000), ("نصف مليون", 500_000), ("twelve", 12), ("12 million", 12_000_000),
    ("two dozen", 24), ("1,400", 1400), ("١٢", 12), ("٤٫٥", 4.5), ("خمسة وعشرين", 25), ("مئة وخمسين", 150),
    ("ثلاثة آلاف", 3000), ("ثلاثمائة", 300), ("أحد عشر", 11), ("one hundred and twenty", 120),
    ("half a million", 500_000), ("twenty-five", 25), ("280bn", 280e9), ("hundreds of thousands", 200_000),
    ("عشرات الآلاف", 20_000),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_non_numbers() -> None:
    assert parse_number("people") is None and parse_number("12 people") is None


def counts(text: str) -> list[dict]:
    tokens = tokenize(text)
    found = [c.as_dict() for c in find_counts(text, tokens, sentence_ids(tokens, text), [])]
    for count in found:
        assert text[count["start"]:count["end"]] == count["text"]
    return found


def test_arabic_casualties_and_displacement() -> None:
    text = ("فقد قُتل 727 شخصا – معظمهم من المقاتلين ولكن أيضا 111 مدنيا – في سوريا. وأسفرت الحرب عن مقتل أكثر من "
            "نصف مليون شخص. ولا يزال نحو 12 مليون شخص نازحين. على بعد 45 كيلومترا شمال حمص.")
    assert [(c["number"], c["type"], c["subject"], c["qualifier"]) for c in counts(text)] == [
        (727, "killed", "شخص", None), (111, "killed", "مدني", None), (500_000, "killed", "شخص", "more_than"),
        (12_000_000, "displaced", "شخص", "about")]


def test_trigger_after_the_number_and_implied_kinds() -> None:
    found = counts("قال مسؤولون إن 14 جنديا أفغانيا قتلوا. وأصيب ثمانية آخرون، واعتقل 30 شخصا على الأقل.")
    assert [(c["number"], c["type"], c["qualifier"]) for c in found] == [
        (14, "killed", None), (8, "wounded", None), (30, "arrested", "at_least")]
    assert found[-1]["text"] == "30 شخصا على الأقل"
    assert counts("وصل عدد الجرحى إلى 40 جريحا")[0]["type"] == "wounded"


def test_english_counts_and_money() -> None:
    found = counts("At least 20 people were killed and two dozen injured. Police arrested 12 protesters. "
                   "Hundreds of people fled. The claim for $280bn (£155bn) failed; 280 مليون دولار. Shares rose 5%.")
    assert [(c["number"], c["type"], c["subject"], c["qualifier"]) for c in found] == [
        (20, "killed", "people", "at_least"), (24, "wounded", None, None), (12, "arrested", "protesters", None),
        (200, "displaced", "people", "at_least"), (280e9, "money", "USD", None), (155e9, "money", "GBP", None),
        (280e6, "money", "USD", None)]


def test_numbers_without_an_event_are_not_counts() -> None:
    assert counts("The council has 15 members and met in 2011 for 3 hours.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Twelve people were killed and 40 families were displaced by the fighting.",
     [(12, "killed", "people"), (40, "displaced", "families")]),
    ("At least 40 families were displaced, while three people were killed when the dam burst.",
     [(40, "displaced", "families"), (3, "killed", "people")]),
    ("Five soldiers died and 200 residents fled their homes after the shelling.",
     [(5, "killed", "soldiers"), (200, "displaced", "residents")]),
    ("قتل 12 شخصا في القصف، بينما نزحت 40 عائلة من القرية.", [(12, "killed", "شخص"), (40, "displaced", "عايله")]),
])
def test_trigger_in_the_numbers_own_clause_wins(text: str, expected: list[tuple]) -> None:
    """A nearer trigger across "and"/","/"while" belongs to the other number, not to this one."""
    assert [(c["number"], c["type"], c["subject"]) for c in counts(text)] == expected
