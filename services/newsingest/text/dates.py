"""Date mentions in Arabic and English news, resolved against the publication time.

Absolute dates (``6 ديسمبر 2024``, ``Dec. 6, 2024``, ``2024-12-06``, ``٢٠-٧-٢٠١٥م``, ``20/07/2015``,
``أيار/مايو 2014``, ``عام 2011``, ``15 رمضان 1436 هـ``, ``1436/10/4هـ``) always resolve; Hijri dates by the
Umm al-Qura calendar. Relative ones (``يوم الجمعة``, ``on Thursday``, ``أمس``,
``last week``, ``الشهر الماضي``, ``6 December`` without a year) resolve only when the publication
date is known — a weekday means the latest such day on or before it, as news uses it — and
otherwise carry ``date: None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Hijri

from newsingest.text.folding import fold, matching_form
from newsingest.text.tokens import Token, key_test, keys_with_stem_in, proclitic_splits, tokenize, where_key

_ALEF = "[اأإآ]"
_FOLD_CLASSES = {"ا": _ALEF, "أ": _ALEF, "إ": _ALEF, "آ": _ALEF, "ة": "[ةه]", "ه": "[ةه]", "ي": "[يى]", "ى": "[يى]"}


def _ar(word: str) -> str:
    """Regex for a word that accepts the usual alef/ta-marbuta/ya variants, or a capital first letter.

    (Cheaper than ``re.IGNORECASE``, which slows every scan over the whole text.)
    """
    if word[:1].isascii() and word[:1].isalpha():
        word_re = re.escape(word).replace(r"\ ", r"\s+")
        return f"[{word[0].upper()}{word[0]}]{word_re[1:]}"
    return "".join(r"\s+" if c == " " else _FOLD_CLASSES.get(c, re.escape(c)) for c in word)


def _any(words: str) -> str:
    """Alternation of ``_ar`` words given as ``"a|b|c"``."""
    return "|".join(_ar(w) for w in words.split("|"))


def _alternation(names: dict[str, int]) -> tuple[str, dict[str, int]]:
    """A regex alternation over ``names`` (longest first) and a lookup by folded spelling."""
    pattern = "|".join(_ar(n) for n in sorted(names, key=len, reverse=True))
    return f"(?:{pattern})", {_fold(n): v for n, v in names.items()}


def _fold(text: str) -> str:
    """A month, weekday or period name's lookup key: its matching form, without a closing full stop ("Sept.")."""
    return matching_form(text.strip().rstrip("."))


_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]
_MONTH_NAMES: dict[str, int] = {name: i for i, name in enumerate(_EN_MONTHS, 1)}
_MONTH_NAMES.update({name[:3]: i for i, name in enumerate(_EN_MONTHS, 1)})
_MONTH_NAMES.update({"sept": 9})
for _i, _names in enumerate([
    ("يناير", "كانون الثاني"), ("فبراير", "شباط"), ("مارس", "آذار"), ("أبريل", "ابريل", "نيسان"),
    ("مايو", "أيار"), ("يونيو", "يونيه", "حزيران"), ("يوليو", "يوليه", "تموز"), ("أغسطس", "آب"),
    ("سبتمبر", "أيلول"), ("أكتوبر", "تشرين الأول"), ("نوفمبر", "تشرين الثاني"), ("ديسمبر", "كانون الأول"),
], 1):
    _MONTH_NAMES.update({name: _i for name in _names})
_MONTH_RE, _MONTHS = _alternation(_MONTH_NAMES)
_HIJRI_RE, _HIJRI_MONTHS = _alternation({
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الثاني": 4, "ربيع الآخر": 4, "جمادى الأولى": 5,
    "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الثاني": 6, "رجب": 7, "شعبان": 8,
    "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12})
_WEEKDAY_RE, _WEEKDAYS = _alternation({
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5, "الأحد": 6})

# Month written twice, as in "أيار/مايو" or "مارس (آذار)": the first name decides.
_MONTH_PAIR = rf"(?P<month>{_MONTH_RE})(?:\.(?=\s*\d))?(?:\s*/\s*{_MONTH_RE}|\s*\(\s*{_MONTH_RE}\s*\))?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_L, _R = r"(?<!\w)", r"(?!\w)"
_PAST = f"(?:{_any('الماضي|الماضية|last')})"
_NEXT = f"(?:{_any('المقبل|المقبلة|القادم|القادمة|next')})"
_MONTH_CUE = f"(?:{_any('in|since|until|by|from|during|early|late|في|منذ|خلال|حتى|شهر|مطلع|أوائل|أواخر|منتصف|نهاية|بداية')}|[Mm]id-?)"


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression: its span, resolved ISO date (or None), granularity and whether it was relative."""

    text: str
    date: str | None
    granularity: str
    relative: bool
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"text": self.text, "date": self.date, "granularity": self.granularity,
                "relative": self.relative, "start": self.start, "end": self.end}


Resolved = tuple[str | None, str, bool]  # (date, granularity, relative)
Handler = Callable[[re.Match[str], date | None], Resolved | None]


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_of(match: re.Match[str]) -> int:
    return _MONTHS[_fold(match.group("month"))]


def _iso_date(match: re.Match[str], _: date | None) -> Resolved | None:
    value = _day(int(match.group("year")), int(match.group("m")), int(match.group("d")))
    return (value, "day", False) if value else None


def _day_month(match: re.Match[str], published: date | None) -> Resolved | None:
    day, month = int(match.group("d")), _month_of(match)
    if match.group("year"):
        value = _day(int(match.group("year")), month, day)
        return (value, "day", False) if value else None
    if not 1 <= day <= 31:
        return None
    if published is None:
        return None, "day", True
    year = published.year + (1 if month - published.month > 6 else -1 if published.month - month > 6 else 0)
    return _day(year, month, day), "day", True


def _month_year(match: re.Match[str], _: date | None) -> Resolved:
    return f"{match.group('year')}-{_month_of(match):02d}", "month", False


def _direction(match: re.Match[str]) -> int:
    """-1 for "last …"/"… الماضي", +1 for "next …"/"… المقبل", 0 otherwise."""
    words = " ".join(g for g in (match.groupdict().get("dir"), match.groupdict().get("after")) if g)
    return -1 if re.search(_PAST, words, re.I) else 1 if re.search(_NEXT, words, re.I) else 0


def _bare_month(match: re.Match[str], published: date | None) -> Resolved:
    if published is None:
        return None, "month", True
    month, direction = _month_of(match), _direction(match)
    if direction > 0:
        year = published.year + (month <= published.month)
    else:
        year = published.year - (month > published.month or (direction < 0 and month == published.month))
    return f"{year}-{month:02d}", "month", True


_UMM_AL_QURA_YEARS = (1343, 1500)


def _from_hijri(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of a Hijri one: by the Umm al-Qura calendar Saudi Arabia uses (``hijridate``,
    1343–1500 AH), else by the tabular Islamic calendar (1 Muharram 1 AH is 19 July 622, proleptic
    Gregorian); ``None`` for a month or day that does not exist."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    if _UMM_AL_QURA_YEARS[0] <= year <= _UMM_AL_QURA_YEARS[1]:
        try:
            return Hijri(year, month, day).to_gregorian()
        except ValueError:  # day 30 of a 29-day month
            return None
    elapsed = (year - 1) * 354 + (3 + 11 * year) // 30 + int(29.5 * (month - 1) + 0.5) + day - 1
    return date(622, 7, 19) + timedelta(days=elapsed)


def _hijri(match: re.Match[str], _: date | None) -> Resolved | None:
    gregorian = _from_hijri(int(match.group("year")), _HIJRI_MONTHS[_fold(match.group("hmonth"))], int(match.group("d") or 1))
    if gregorian is None:
        return None
    if match.group("d"):
        return gregorian.isoformat(), "day", False
    return gregorian.strftime("%Y-%m"), "month", False


def _numeric_date(match: re.Match[str], _: date | None) -> Resolved | None:
    """"20/7/2015", "٢٠-٧-٢٠١٥م", "2015/07/20": day first, as Arabic and most English outside the US
    write it, unless the day cannot be one ("7/20/2015"); a year of 13xx/14xx is Hijri ("٤-١٠-١٤٣٦")."""
    year, first, second = int(match.group("year")), int(match.group("a")), int(match.group("b"))
    year_first = match.groupdict().get("yearfirst") is not None
    month, day = (first, second) if year_first else (second, first)
    if not year_first and month > 12 >= day:
        month, day = day, month
    if 1300 <= year < 1500:
        gregorian = _from_hijri(year, month, day)
        return (gregorian.isoformat(), "day", False) if gregorian else None
    value = _day(year, month, day) if 1900 <= year < 2100 else None
    return (value, "day", False) if value else None


def _year(match: re.Match[str], _: date | None) -> Resolved:
    return match.group("year"), "year", False


def _weekday(match: re.Match[str], published: date | None) -> Resolved:
    if published is None:
        return None, "day", True
    weekday = _WEEKDAYS[_fold(match.group("wd"))]
    direction = _direction(match)
    if direction > 0:
        delta = -((weekday - published.weekday()) % 7 or 7)
    else:
        delta = (published.weekday() - weekday) % 7 or (7 if direction < 0 else 0)
    return (published - timedelta(days=delta)).isoformat(), "day", True


_DAY_SHIFTS_SOURCE = {"today": 0, "اليوم": 0, "yesterday": -1, "أمس": -1, "البارحة": -1, "tomorrow": 1,
                      "غدا": 1, "the day before yesterday": -2, "أول أمس": -2, "أول من أمس": -2}
_DAY_SHIFTS = {_fold(w): d for w, d in _DAY_SHIFTS_SOURCE.items()}


def _shifted_day(match: re.Match[str], published: date | None) -> Resolved:
    if published is None:
        return None, "day", True
    shift = _DAY_SHIFTS[_fold(match.group("shift"))]
    return (published + timedelta(days=shift)).isoformat(), "day", True


_PERIODS = {_fold(w): g for w, g in {"week": "week", "الأسبوع": "week", "month": "month", "الشهر": "month",
                                     "year": "year", "العام": "year", "السنة": "year"}.items()}


def _period(match: re.Match[str], published: date | None) -> Resolved:
    granularity = _PERIODS[_fold(match.group("period"))]
    if published is None:
        return None, granularity, True
    step = _direction(match)
    if granularity == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        return monday.isoformat(), "week", True
    if granularity == "month":
        index = published.year * 12 + published.month - 1 + step
        return f"{index // 12}-{index % 12 + 1:02d}", "month", True
    return str(published.year + step), "year", True


_DAY_NUMBER = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_HIJRI_MONTH = _HIJRI_RE.replace("(?:", "(?P<hmonth>", 1)
_HIJRI_YEAR = r"(?P<year>1[34]\d\d)(?!\d)"
_HIJRI_MARK = rf"(?:\s*{_ar('هـ')}|\s*{_ar('ه')}{_R})"
_NUMERIC_MARK = r"\s?(?:هـ|ه|م)"  # the calendar written after a numeric date: Hijri, Gregorian
_DIR_AFTER = rf"(?:\s+(?P<after>{_PAST}|{_NEXT}|{_ar('الحالي')}|{_ar('الحالية')}|{_ar('الجاري')}|{_ar('الجارية')}))"
_SHIFT = _any("|".join(sorted(_DAY_SHIFTS_SOURCE, key=len, reverse=True)))
_MONTH, _HIJRI, _WEEKDAY, _SHIFTED, _PERIOD, _NUMBER = "month", "hijri", "weekday", "shift", "period", "number"
# (pattern, handler, the kind of word it needs). The mention is group "core" when the pattern has one.
_PATTERNS: list[tuple[re.Pattern[str], Handler, str]] = [(re.compile(p), h, k) for p, h, k in [
    (rf"{_L}(?P<year>\d{{4}})-(?P<m>[01]\d)-(?P<d>[0-3]\d){_R}", _iso_date, _NUMBER),
    (rf"{_L}(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<year>\d{{4}})(?!\d)(?:{_NUMERIC_MARK})?{_R}",
     _numeric_date, _NUMBER),
    (rf"{_L}(?P<yearfirst>(?P<year>\d{{4}}))(?P<sep>[/.])(?P<a>\d{{1,2}})(?P=sep)(?P<b>\d{{1,2}})(?!\d)(?:{_NUMERIC_MARK})?{_R}",
     _numeric_date, _NUMBER),
    (rf"{_L}{_DAY_NUMBER}\s+(?:{_ar('من')}\s+)?{_HIJRI_MONTH}\s+{_HIJRI_YEAR}{_HIJRI_MARK}?", _hijri, _HIJRI),
    (rf"{_L}(?P<d>){_HIJRI_MONTH}\s+{_HIJRI_YEAR}{_HIJRI_MARK}", _hijri, _HIJRI),
    (rf"{_L}{_DAY_NUMBER}\s+(?:of\s+|{_ar('من')}\s+)?{_MONTH_PAIR}(?:,?\s+(?:{_ar('عام')}\s+)?{_YEAR})?{_R}",
     _day_month, _MONTH),
    (rf"{_L}{_MONTH_PAIR}\s+{_DAY_NUMBER}(?:,\s*{_YEAR})?{_R}", _day_month, _MONTH),
    (rf"{_L}{_MONTH_PAIR},?\s+(?:{_ar('من')}\s+)?(?:{_ar('عام')}\s+)?{_YEAR}", _month_year, _MONTH),
    (rf"{_L}{_MONTH_CUE}\s+(?P<core>{_MONTH_PAIR}{_DIR_AFTER}?){_R}", _bare_month, _MONTH),
    (rf"{_L}{_MONTH_PAIR}{_DIR_AFTER}{_R}", _bare_month, _MONTH),
    (rf"{_L}(?:(?:{_any('منذ|since')})\s+)?[وفبل]?(?:{_any('عام|العام|سنة|year')})\s+{_YEAR}", _year, _NUMBER),
    (rf"{_L}(?:{_any('in|since|by|until|during|before|after|منذ|في|حتى')})\s+(?P<core>{_YEAR})", _year, _NUMBER),
    (rf"{_L}[وفب]?(?P<core>{_ar('اليوم')}\s*\(?\s*(?P<wd>{_WEEKDAY_RE})\s*\)?)", _weekday, _WEEKDAY),
    (rf"{_L}(?:[Oo]n\s+)?[وفب]?(?P<core>(?:(?P<dir>{_any('last|next|this')})\s+)?(?:{_ar('يوم')}\s+)?"
     rf"(?P<wd>{_WEEKDAY_RE}){_DIR_AFTER}?){_R}", _weekday, _WEEKDAY),
    (rf"{_L}[وف]?(?P<core>(?P<shift>{_SHIFT})){_R}(?!\s+ال)", _shifted_day, _SHIFTED),
    (rf"{_L}(?P<dir>{_any('last|next|this|past')})\s+(?P<period>week|month|year){_R}", _period, _PERIOD),
    (rf"{_L}(?:{_any('هذا|هذه')})\s+(?P<period>{_any('الأسبوع|الشهر|العام|السنة')}){_R}", _period, _PERIOD),
    (rf"{_L}[وفبل]?(?P<core>(?P<period>{_any('الأسبوع|الشهر|العام|السنة')}){_DIR_AFTER}){_R}", _period, _PERIOD),
]]
# The words each kind of pattern needs (folded, proclitics stripped): patterns run only near them.
_ANCHORS: dict[str, str] = {}
for _names, _kind in ((_MONTH_NAMES, _MONTH), (_HIJRI_MONTHS, _HIJRI), (_WEEKDAYS, _WEEKDAY),
                      (_DAY_SHIFTS_SOURCE, _SHIFTED), (_PERIODS, _PERIOD)):
    for _name in _names:
        _ANCHORS.setdefault(fold(_name.split()[-1 if _kind == _SHIFTED else 0]), _kind)
_ANCHOR_KEYS = keys_with_stem_in(_ANCHORS)  # the keys some proclitic reading of which is an anchor word
_BEFORE, _AFTER = 30, 50  # characters of context searched around an anchor word


def _anchor(key: str) -> str | None:
    """The kind of pattern a token with this key may anchor: a number, or a month, weekday … word."""
    if key[:1].isdigit():
        return _NUMBER
    if key not in _ANCHOR_KEYS:  # most keys: no reading of theirs is an anchor word
        return None
    return next((_ANCHORS[stem] for _, stem in proclitic_splits(key) if stem in _ANCHORS), None)


_IS_ANCHOR = key_test(_ANCHOR_KEYS, digits=True)  # the tokens _anchor gives a kind


def _windows(tokens: list[Token], text_length: int) -> dict[str, list[tuple[int, int]]]:
    """Merged character windows around the anchor words of each kind."""
    windows: dict[str, list[tuple[int, int]]] = {}
    for index in where_key(_IS_ANCHOR, tokens):
        token = tokens[index]
        kind = _anchor(token.key)
        if not token.is_word and kind != _NUMBER:
            continue
        low, high = max(0, token.start - _BEFORE), min(text_length, token.end + _AFTER)
        spans = windows.setdefault(kind, [])
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    return windows


_AMBIGUOUS_WEEKDAYS = {_fold("الاثنين"), _fold("الأحد")}  # also "the two" / "the one"


def _plausible(match: re.Match[str], text: str) -> bool:
    """Reject bare الاثنين/الأحد unless framed as a day (يوم …, parentheses, commas)."""
    weekday = match.groupdict().get("wd")
    if not weekday or _fold(weekday) not in _AMBIGUOUS_WEEKDAYS or re.search(_ar("يوم"), match.group()):
        return True
    before = text[max(0, match.start("wd") - 2):match.start("wd")].strip()
    after = text[match.end("wd"):match.end("wd") + 2].strip()
    return before[-1:] in ("(", "،", ",") or after[:1] in (")", "،", ",", ".")


def find_dates(text: str, published: date | None, tokens: list[Token] | None = None) -> list[DateMention]:
    """Date mentions in ``text``, non-overlapping (longest wins), resolved against ``published``.

    ``tokens`` (from :func:`tokenize`) may be passed when the caller already has them.
    """
    windows = _windows(tokenize(text) if tokens is None else tokens, len(text))
    found: list[tuple[int, int, Resolved]] = []
    for pattern, handler, kind in _PATTERNS:
        for low, high in windows.get(kind, ()):
            for match in pattern.finditer(text, low, high):
                resolved = handler(match, published) if _plausible(match, text) else None
                if resolved is not None:
                    core = "core" if match.groupdict().get("core") is not None else 0
                    found.append((match.start(core), match.end(core), resolved))
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    mentions: list[DateMention] = []
    for start, end, (value, granularity, relative) in found:
        if mentions and start < mentions[-1].end:
            continue
        mentions.append(DateMention(text[start:end], value, granularity, relative, start, end))
    return mentions
