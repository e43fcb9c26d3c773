"""Event counts in the manner of GDELT's COUNTS: how many were killed, wounded, arrested, displaced …

A count is a number (digits or words, see :mod:`newsingest.stages.extract.numbers`) with a trigger word of its
kind nearby in the same sentence, the noun it counts right after it, and an optional qualifier
("أكثر من", "at least", "نحو" …). Amounts of money count when a currency is written next to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsingest.stages.extract.numbers import NumberSpan, find_numbers
from newsingest.text.folding import fold
from newsingest.text.spans import Ranges
from newsingest.text.tokens import Token, proclitic_splits

_WINDOW_BEFORE, _WINDOW_AFTER, _NEAR = 10, 6, 3

# Arabic trigger stems (matched as prefixes of the word without its proclitics) and English word forms.
_TRIGGERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "killed": (("قتل", "قتيل", "مقتل", "يقتل", "تقتل", "مصرع", "حتف", "استشهاد", "استشهد", "شهيد", "شهداء", "وفاة",
                "توفي", "ضحايا", "ضحية", "اعدام", "اعدم"),
               ("killed", "kill", "kills", "killing", "dead", "died", "die", "dying", "deaths", "death", "toll",
                "lives", "fatalities", "massacred", "executed", "slain", "perished")),
    "wounded": (("جرح", "جريح", "اصيب", "اصابه", "اصابات", "مصاب", "يصاب", "اصابت"),
                ("wounded", "wounding", "injured", "injuring", "injuries", "hurt", "casualties")),
    "arrested": (("اعتقال", "اعتقل", "معتقل", "يعتقل", "احتجاز", "احتجز", "محتجز", "توقيف", "اوقف", "القبض"),
                 ("arrested", "arrest", "arrests", "arresting", "detained", "detaining", "detention", "jailed",
                  "custody", "imprisoned")),
    "displaced": (("نزح", "نازح", "نزوح", "تهجير", "مهجر", "تشريد", "شرد", "مشرد"),
                  ("displaced", "fled", "flee", "fleeing", "homeless", "uprooted")),
    "missing": (("مفقود", "فقدان"), ("missing", "unaccounted")),
    "evacuated": (("اجلاء", "اجلي", "اخلاء"), ("evacuated", "evacuating", "evacuation", "evacuate")),
    "kidnapped": (("اختطاف", "اختطف", "مختطف", "خطف", "مخطوف", "رهينه", "رهاين"),
                  ("kidnapped", "kidnapping", "abducted", "abduction", "hostage", "hostages")),
    "refugees": (("لاجي", "لجوء"), ("refugees", "refugee", "asylum")),
}
# The counted noun: folded surface → (canonical subject or None, kind it implies or None).
_SUBJECTS: dict[str, tuple[str | None, str | None]] = {}


def _subjects(canonical: str | None, kind: str | None, *forms: str) -> None:
    for form in forms:
        _SUBJECTS[fold(form)] = (canonical, kind)


for _forms in (("شخص", "شخصا", "أشخاص", "الأشخاص"), ("مدني", "مدنيا", "مدنيين", "مدنيون", "المدنيين"),
               ("مقاتل", "مقاتلا", "مقاتلين", "مقاتلون", "المقاتلين"), ("جندي", "جنديا", "جنود", "الجنود"),
               ("عسكري", "عسكريا", "عسكريين", "عسكريون"), ("عنصر", "عنصرا", "عناصر"), ("شرطي", "شرطيا", "شرطيين"),
               ("طفل", "طفلا", "أطفال", "الأطفال"), ("امرأة", "نساء", "سيدة", "سيدات"), ("رجل", "رجلا", "رجال"),
               ("مسلح", "مسلحا", "مسلحين", "مسلحون"), ("متظاهر", "متظاهرا", "متظاهرين", "متظاهرون"),
               ("مهاجر", "مهاجرا", "مهاجرين", "مهاجرون"), ("صحفي", "صحفيا", "صحفيين", "صحافي", "صحافيين"),
               ("طالب", "طالبا", "طلاب"), ("عامل", "عاملا", "عمال"), ("مواطن", "مواطنا", "مواطنين", "مواطنون"),
               ("سجين", "سجينا", "سجناء"), ("عائلة", "عائلات", "أسرة", "أسر"), ("متمرد", "متمردا", "متمردين", "متمردون"),
               ("إرهابي", "إرهابيا", "إرهابيين")):
    _subjects(fold(_forms[0]), None, *_forms)
for _kind, _forms in (("killed", ("قتيل", "قتيلا", "قتلى", "ضحية", "ضحايا", "شهيد", "شهيدا", "شهداء")),
                      ("wounded", ("جريح", "جريحا", "جرحى", "مصاب", "مصابا", "مصابين")),
                      ("arrested", ("معتقل", "معتقلا", "معتقلين", "موقوفا", "موقوفين")),
                      ("displaced", ("نازح", "نازحا", "نازحين", "نازحون", "مهجر", "مهجرين")),
                      ("refugees", ("لاجئ", "لاجئا", "لاجئين", "لاجئون")), ("missing", ("مفقود", "مفقودا", "مفقودين")),
                      ("kidnapped", ("رهينة", "رهائن", "مختطفا", "مختطفين"))):
    _subjects(None, _kind, *_forms)
for _form in ("people", "civilians", "soldiers", "troops", "fighters", "militants", "rebels", "police", "policemen",
              "officers", "children", "women", "men", "protesters", "demonstrators", "migrants", "workers", "students",
              "journalists", "prisoners", "families", "residents", "villagers", "passengers", "staff", "employees",
              "patients", "members", "insurgents", "gunmen", "pilgrims"):
    _subjects(_form, None, _form)
_subjects("people", None, "persons", "person")
_subjects(None, "refugees", "refugees")
_subjects(None, "kidnapped", "hostages")
_subjects(None, "killed", "dead", "bodies")

_CURRENCY_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {fold(w): c for w, c in {
    "dollar": "USD", "dollars": "USD", "دولار": "USD", "دولارا": "USD", "دولارات": "USD", "pounds": "GBP",
    "sterling": "GBP", "euros": "EUR", "euro": "EUR", "يورو": "EUR", "ريال": "SAR", "ريالا": "SAR",
    "ريالات": "SAR", "درهم": "AED", "درهما": "AED", "جنيه": "EGP", "جنيها": "EGP", "دينار": "dinar",
    "دينارا": "dinar", "ليرة": "lira", "yen": "JPY", "yuan": "CNY", "rupees": "INR"}.items()}
# Words after a number that make it a measure, not a head count.
_UNITS = {fold(w) for w in (
    "%", "percent", "per", "بالمئة", "بالمائة", "المئة", "المائة", "km", "kilometres", "kilometers", "miles", "metres",
    "meters", "كيلومترا", "كيلومتر", "كلم", "كم", "مترا", "متر", "ميلا", "years", "year", "months", "weeks", "days",
    "hours", "minutes", "seconds", "عاما", "عام", "سنة", "سنوات", "أعوام", "شهرا", "أشهر", "أسابيع", "أسبوعا", "يوما",
    "أيام", "ساعة", "ساعات", "دقيقة", "دقائق", "ثانية", "tonnes", "tons", "طن", "طنا", "kg", ":", "-")}
_QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [(tuple(fold(w) for w in phrase.split()), q) for q, phrases in {
        "more_than": ("أكثر من", "أزيد من", "ما يزيد عن", "ما يزيد على", "يزيد عن", "more than", "over",
                      "upwards of", "in excess of"),
        "about": ("نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "ما يقرب من", "يقارب", "about", "around",
                  "approximately", "roughly", "some", "nearly", "almost", "an estimated", "estimated"),
        "at_least": ("على الأقل", "ما لا يقل عن", "لا يقل عن", "at least"),
        "up_to": ("up to", "as many as", "ما يصل إلى", "يصل إلى", "less than", "fewer than", "أقل من"),
    }.items() for phrase in phrases], key=lambda item: -len(item[0]))
_AT_LEAST_AFTER = (fold("على"), fold("الأقل"))
# Tokens that end a clause: a trigger beyond one reports on another number ("… killed and 40 were displaced").
_CLAUSE_BREAKS = frozenset({",", "،", ";", "؛", "and", "but", "while", "whereas", "و", "بينما", "فيما", "ثم"})


@dataclass(frozen=True, slots=True)
class Count:
    """One count: normalised number, kind, counted noun, qualifier and the span of the whole phrase."""

    number: float
    type: str
    subject: str | None
    qualifier: str | None
    text: str
    start: int
    end: int

    def as_dict(self) -> dict:
        number = int(self.number) if self.number == int(self.number) else self.number
        return {"number": number, "type": self.type, "subject": self.subject, "qualifier": self.qualifier,
                "text": self.text, "start": self.start, "end": self.end}


@lru_cache(maxsize=8192)
def _trigger_kind(key: str) -> str | None:
    """The kind of event a word reports ("قُتل", "مقتل", "killed" → killed), if any."""
    for kind, (_, english) in _TRIGGERS.items():
        if key in english:
            return kind
    for _, stem in proclitic_splits(key):
        for kind, (arabic, _) in _TRIGGERS.items():
            if stem.startswith(arabic):
                return kind
    return None


def _qualifier_before(tokens: list[Token], first: int) -> tuple[str | None, int]:
    """Qualifier ending right before token ``first``, and the index where it starts."""
    for phrase, qualifier in _QUALIFIERS:
        begin = first - len(phrase)
        if begin < 0:
            continue
        keys = [t.key for t in tokens[begin:first]]
        head = keys[0][1:] if keys[0][:1] in "وبلف" and keys[0][1:] == phrase[0] else keys[0]
        if [head, *keys[1:]] == list(phrase):
            return qualifier, begin
    return None, first


def _subject_after(tokens: list[Token], last: int, sentence: list[int]) -> tuple[str | None, str | None, int]:
    """(subject, implied kind, index of the subject token) among the few tokens after the number."""
    for index in range(last + 1, min(last + 4, len(tokens))):
        token = tokens[index]
        if sentence[index] != sentence[last] or not token.is_word:
            break
        for _, stem in proclitic_splits(token.key):
            if stem in _SUBJECTS:
                subject, kind = _SUBJECTS[stem]
                return subject, kind, index
        if token.key not in ("of", "من", "more", "other", "آخرين", "اخرين", "اخرون"):
            break
    return None, None, -1


def _nearest_trigger(tokens: list[Token], number: NumberSpan, sentence: list[int]) -> tuple[str | None, int]:
    """The kind of the trigger word nearest the number in its sentence, and its distance in tokens.

    A trigger in the number's own clause beats a nearer one across a clause boundary (a comma or a
    coordinating conjunction): in "12 people were killed and 40 families were displaced", 40 were displaced.
    """
    best: tuple[bool, int, str | None] = (True, 1 << 30, None)  # (across a boundary, distance, kind)
    low, high = max(0, number.first - _WINDOW_BEFORE), min(len(tokens), number.last + 1 + _WINDOW_AFTER)
    for index in range(low, high):
        if number.first <= index <= number.last or sentence[index] != sentence[number.first]:
            continue
        kind = _trigger_kind(tokens[index].key) if tokens[index].is_word else None
        if kind is None:
            continue
        before = index < number.first
        distance = number.first - index if before else index - number.last
        between = range(index + 1, number.first) if before else range(number.last + 1, index)
        candidate = (any(tokens[i].key in _CLAUSE_BREAKS for i in between), distance, kind)
        if candidate[:2] < best[:2]:
            best = candidate
    return best[2], best[1]


def _currency(tokens: list[Token], number: NumberSpan) -> tuple[str | None, int, int]:
    """(currency, first, last) token indices of a money amount around ``number``, or (None, …)."""
    before = tokens[number.first - 1] if number.first else None
    if before is not None and before.text in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[before.text], number.first - 1, number.last
    after = number.last + 1
    if after < len(tokens):
        for _, stem in proclitic_splits(tokens[after].key):
            if stem in _CURRENCY_WORDS:
                return _CURRENCY_WORDS[stem], number.first, after
    return None, number.first, number.last


def find_counts(text: str, tokens: list[Token], sentence: list[int], skip: list[tuple[int, int]]) -> list[Count]:
    """Counts in ``text``; numbers inside the character ranges ``skip`` (e.g. dates) are not counts."""
    counts: list[Count] = []
    skipped = Ranges(skip)
    for number in find_numbers(tokens):
        start, end = tokens[number.first].start, tokens[number.last].end
        if skipped.overlap(start, end):
            continue
        follower = tokens[number.last + 1] if number.last + 1 < len(tokens) else None
        currency, first, last = _currency(tokens, number)
        subject, kind, subject_index = _subject_after(tokens, number.last, sentence)
        if currency:
            kind, subject = "money", currency
        elif follower is not None and follower.key in _UNITS:
            continue
        else:
            trigger, distance = _nearest_trigger(tokens, number, sentence)
            kind = kind or trigger
            if kind is None or (subject is None and subject_index < 0 and distance > _NEAR):
                continue
            last = max(last, subject_index)
        qualifier, first = _qualifier_before(tokens, first)
        if last + 2 < len(tokens) and (tokens[last + 1].key, tokens[last + 2].key) == _AT_LEAST_AFTER:
            qualifier, last = qualifier or "at_least", last + 2
        qualifier = qualifier or ("at_least" if number.vague else None)
        span_start, span_end = tokens[first].start, tokens[last].end
        counts.append(Count(number.value, kind, subject, qualifier, text[span_start:span_end], span_start, span_end))
    return counts
