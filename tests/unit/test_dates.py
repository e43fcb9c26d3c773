"""Date mentions: absolute, relative to the publication date, Arabic (Gregorian, Levantine, Hijri) and English."""

from __future__ import annotations

from datetime import date

import pytest

from newsingest.text.dates import find_dates

FRIDAY = date(2024, 12, 6)


def resolved(text: str, published: date | None = FRIDAY) -> dict[str, tuple[str | None, str, bool]]:
    found = find_dates(text, published)
    for mention in found:
        assert text[mention.start:mention.end] == mention.text
    return {m.text: (m.date, m.granularity, m.relative) for m in found}


@pytest.mark.parametrize(("text", "mention", "expected"), [
    ("جرى ذلك في 6 ديسمبر 2024 مساء", "6 ديسمبر 2024", ("2024-12-06", "day", False)),
    ("On Dec. 6, 2024 the city fell", "Dec. 6, 2024", ("2024-12-06", "day", False)),
    ("filed 2024-12-06 in court", "2024-12-06", ("2024-12-06", "day", False)),
    ("في أيار/مايو 2014 بدأت", "أيار/مايو 2014", ("2014-05", "month", False)),
    ("وقع في مارس (اذار) 2014 في ولاية", "مارس (اذار) 2014", ("2014-03", "month", False)),
    ("في 3 تشرين الأول 2023 قصفت", "3 تشرين الأول 2023", ("2023-10-03", "day", False)),
    ("الموافق 1 رمضان 1436 هـ", "1 رمضان 1436 هـ", ("2015-06-18", "day", False)),
    # numeric dates (SaudiNewsNet style): Hijri by the Umm al-Qura calendar, Gregorian day first
    ("يوم الاثنين ٤-١٠-١٤٣٦ الموافق ٢٠-٧-٢٠١٥م في تمام", "٤-١٠-١٤٣٦", ("2015-07-20", "day", False)),
    ("يوم الاثنين ٤-١٠-١٤٣٦ الموافق ٢٠-٧-٢٠١٥م في تمام", "٢٠-٧-٢٠١٥م", ("2015-07-20", "day", False)),
    ("صدر القرار بتاريخ 1436/10/4هـ", "1436/10/4هـ", ("2015-07-20", "day", False)),
    ("the ruling of 20/07/2015 stands", "20/07/2015", ("2015-07-20", "day", False)),
    ("police said on 7/20/2015 that", "7/20/2015", ("2015-07-20", "day", False)),  # no month 20: month first
    ("حيث بدأت الاحتجاجات منذ عام 2011", "منذ عام 2011", ("2011", "year", False)),
    ("It was founded in 1999.", "1999", ("1999", "year", False)),
])
def test_absolute_dates(text: str, mention: str, expected: tuple[str, str, bool]) -> None:
    assert resolved(text)[mention] == expected
    assert resolved(text, None)[mention] == expected  # no publication date needed


@pytest.mark.parametrize(("text", "mention", "day"), [
    ("واصل المقاتلون هجومهم يوم الجمعة", "يوم الجمعة", "2024-12-06"),  # the publication day itself
    ("استولى المتمردون يوم الخميس على", "يوم الخميس", "2024-12-05"),
    ("وحثت روسيا مواطنيها، الجمعة، على المغادرة", "الجمعة", "2024-12-06"),
    ("حدد، اليوم (الاثنين)، ملامح", "اليوم (الاثنين)", "2024-12-02"),
    ("the army withdrew on Thursday", "Thursday", "2024-12-05"),
    ("talks resume next Monday", "next Monday", "2024-12-09"),
    ("he arrived last Friday", "last Friday", "2024-11-29"),
    ("وصل أمس إلى دمشق", "أمس", "2024-12-05"),
    ("وصل أول من أمس", "أول من أمس", "2024-12-04"),
    ("Yesterday the talks ended", "Yesterday", "2024-12-05"),
    ("on 5 December the rebels", "5 December", "2024-12-05"),
])
def test_relative_days(text: str, mention: str, day: str) -> None:
    assert resolved(text)[mention] == (day, "day", True)
    assert resolved(text, None)[mention] == (None, "day", True)  # never invented without a date


@pytest.mark.parametrize(("text", "mention", "expected"), [
    ("منذ شن هجوم مفاجئ الأسبوع الماضي", "الأسبوع الماضي", ("2024-11-25", "week", True)),
    ("it happened last week", "last week", ("2024-11-25", "week", True)),
    ("الشهر المقبل", "الشهر المقبل", ("2025-01", "month", True)),
    ("العام الماضي", "العام الماضي", ("2023", "year", True)),
    ("في ديسمبر (كانون الاول) الماضي", "ديسمبر (كانون الاول) الماضي", ("2023-12", "month", True)),
    ("the vote in March", "March", ("2024-03", "month", True)),
])
def test_relative_periods_and_months(text: str, mention: str, expected: tuple[str, str, bool]) -> None:
    assert resolved(text)[mention] == expected


def test_words_that_only_look_like_dates_are_left_alone() -> None:
    assert resolved("Theresa May said 45 people") == {}
    assert resolved("حتى الاثنين معا في اليوم التالي") == {}  # "the two", "the next day"


def test_numeric_strings_that_are_no_date_are_left_alone() -> None:
    assert resolved("call 12-34-5678 or 31/2/2015") == {}  # no month 34, no 31 February
    assert resolved("30/9/1436هـ") == {}  # Ramadan 1436 had 29 days (Umm al-Qura)
