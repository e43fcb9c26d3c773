"""Numbers written in digits (Western or Arabic-Indic) or in English/Arabic words, over tokens.

``"12 مليون"`` → 12 000 000, ``"نصف مليون"`` → 500 000, ``"two dozen"`` → 24, ``"$280bn"`` → 2.8e11,
``"خمسة وعشرين"`` → 25. Vague plurals (dozens, hundreds, عشرات, مئات, آلاف …) read as two of their unit
and are flagged ``vague`` so callers can say "at least".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsingest.text.folding import fold
from newsingest.text.tokens import Token, key_test, tokenize, where_key

_UNIT, _HUNDRED, _SCALE, _VAGUE = "unit", "hundred", "scale", "vague"


def _lexicon() -> dict[str, tuple[float, str]]:
    words: dict[str, tuple[float, str]] = {}

    def add(kind: str, value: float, *forms: str) -> None:
        for form in forms:
            words[fold(form)] = (value, kind)

    english = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
              "sixteen seventeen eighteen nineteen".split()
    for value, word in enumerate(english):
        add(_UNIT, value, word)
    for value, word in zip(range(20, 100, 10), "twenty thirty forty fifty sixty seventy eighty ninety".split()):
        add(_UNIT, value, word)
    add(_HUNDRED, 12, "dozen")
    add(_UNIT, 0.5, "half")
    add(_HUNDRED, 100, "hundred")
    add(_SCALE, 1e3, "thousand", "k")
    add(_SCALE, 1e6, "million", "m", "mn")
    add(_SCALE, 1e9, "billion", "bn", "b")
    add(_VAGUE, 24, "dozens")
    add(_VAGUE, 200, "hundreds")
    add(_VAGUE, 2e3, "thousands")
    add(_VAGUE, 2e6, "millions")

    arabic_units = [("واحد", "واحدة", "واحدا", "أحد", "إحدى"), ("اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثنتا"),
                    ("ثلاث", "ثلاثة"), ("أربع", "أربعة"), ("خمس", "خمسة"), ("ست", "ستة"), ("سبع", "سبعة"),
                    ("ثمان", "ثماني", "ثمانية"), ("تسع", "تسعة"), ("عشر", "عشرة")]
    for value, forms in enumerate(arabic_units, start=1):
        add(_UNIT, value, *forms)
    for value, stem in zip(range(20, 100, 10), ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")):
        add(_UNIT, value, stem + "ون", stem + "ين")
    for value, stem in zip(range(3, 10), ("ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")):
        add(_UNIT, value * 100, stem + "مئة", stem + "مائة")
    add(_UNIT, 0.5, "نصف")
    add(_UNIT, 0.25, "ربع")
    add(_UNIT, 200, "مئتان", "مئتين", "مائتان", "مائتين")
    add(_HUNDRED, 100, "مئة", "مائة")
    add(_SCALE, 1e3, "ألف", "ألفا", "آلاف", "الآلاف", "الألوف")
    add(_UNIT, 2e3, "ألفان", "ألفين")
    add(_SCALE, 1e6, "مليون", "مليونا", "ملايين", "الملايين")
    add(_UNIT, 2e6, "مليونان", "مليونين")
    add(_SCALE, 1e9, "مليار", "مليارا", "مليارات", "بليون", "بلايين")
    add(_VAGUE, 20, "عشرات")
    add(_VAGUE, 200, "مئات", "مئات")
    return words


_WORDS = _lexicon()
_VAGUE_ARABIC_SCALES = {fold("آلاف"), fold("ملايين")}  # a plural scale opening a run means "thousands"
_CONNECTORS = {"and", "-", "a", "an", "of", "و"}
_GLUED_ONLY = {"k", "m", "mn", "b", "bn"}  # abbreviations count only when written right after digits
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,٬]\d{3})+$")


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number found in a token list: value, token index range [first, last] and whether it is vague."""

    value: float
    first: int
    last: int
    vague: bool


def parse_digits(text: str) -> float | None:
    """``"1,400"`` → 1400, ``"٤٫٥"`` → 4.5, ``"١٢"`` → 12; None when not a digit string."""
    if _THOUSANDS.match(text):
        text = re.sub("[,٬]", "", text)
    text = text.replace("٫", ".").replace(",", ".")
    try:
        return float("".join(str(int(c)) if c.isdigit() else c for c in text))
    except ValueError:
        return None


def _word_value(tokens: list[Token], index: int, in_run: bool) -> tuple[float, str] | None:
    token = tokens[index]
    key = token.key
    if key in _GLUED_ONLY:
        glued = index > 0 and tokens[index - 1].end == token.start and tokens[index - 1].text[0].isdigit()
        return _WORDS[key] if glued else None
    entry = _WORDS.get(key)
    if entry is None and in_run and key.startswith("و"):  # Arabic "and" glued to the next number word
        entry = _WORDS.get(key[1:])
    if entry is None:
        return None
    if not in_run and key in _VAGUE_ARABIC_SCALES:  # "آلاف" opening a run: thousands of …
        return entry[0] * 2, _VAGUE
    if in_run and entry[1] == _VAGUE and entry[0] >= 2e3:  # "hundreds of thousands": a scale
        return entry[0] / 2, _SCALE
    return entry


# The tokens that may start a number: digits, a number word, "و" + a number word.
_OPENS_NUMBER = key_test({*_WORDS, *(f"و{word}" for word in _WORDS)}, digits=True)


def find_numbers(tokens: list[Token]) -> list[NumberSpan]:
    """All maximal number expressions in ``tokens``."""
    spans: list[NumberSpan] = []
    after = 0  # the first index not inside the last number found
    for index in where_key(_OPENS_NUMBER, tokens):
        span = _read_number(tokens, index) if index >= after else None
        if span is not None:
            spans.append(span)
            after = span.last + 1
    return spans


def _read_number(tokens: list[Token], index: int) -> NumberSpan | None:
    total = current = 0.0
    vague = False
    last = -1
    position = index
    while position < len(tokens):
        token = tokens[position]
        in_run = last >= 0
        if token.text[0].isdigit():
            if in_run:
                break
            value, kind = parse_digits(token.text), _UNIT
        else:
            entry = _word_value(tokens, position, in_run)
            if entry is None:
                if in_run and token.key in _CONNECTORS and position + 1 < len(tokens) \
                        and _word_value(tokens, position + 1, True) is not None:
                    position += 1
                    continue
                break
            value, kind = entry
        if value is None:
            break
        if kind in (_UNIT, _VAGUE):
            current += value
            vague = vague or kind == _VAGUE
        elif kind == _HUNDRED:
            current = (current or 1) * value
        else:
            total += (current or 1) * value
            current = 0.0
        last = position
        position += 1
    if last < 0:
        return None
    return NumberSpan(total + current, index, last, vague)


def parse_number(text: str) -> float | None:
    """Value of ``text`` when it is one number expression, e.g. ``"نصف مليون"`` → 500000.0."""
    tokens = tokenize(text)
    spans = find_numbers(tokens)
    if len(spans) == 1 and spans[0].first == 0 and spans[0].last == len(tokens) - 1:
        return spans[0].value
    return None
