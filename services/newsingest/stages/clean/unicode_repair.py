"""Repair the character layer of article text while keeping what a reader sees.

Mojibake (UTF-8 read as Latin-1/cp1252) is undone with ftfy, the text is NFC-normalised, and
characters that carry no visible text are dropped: zero-width and bidi controls, the BOM, soft
hyphens, tatweel that stretches a letter, and C0/C1 controls other than newline and tab. Arabic
diacritics and letter variants are kept, and so is a tatweel standing alone, which is a dash between
words ("الرياض ـ واس", a dateline). Line breaks are normalised to ``\\n`` and runs of horizontal space to one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import ftfy

# A UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same way: the
# fingerprint of mojibake. Only text carrying it goes through ftfy (ftfy is slow on clean text).
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# Zero-width space, LRM/RLM, bidi embeddings/overrides/isolates, word joiner and invisible
# operators, deprecated format characters, Arabic letter mark, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\u206a-\u206f\u061c\u180e\ufeff\u00ad]")
# ZWNJ/ZWJ shape Persian and Indic words and build emoji sequences: kept between two non-ASCII,
# non-space characters, dropped elsewhere.
_JOINER_STRAY = re.compile("[\u200c\u200d](?![^\\s\\x00-\\x7f])|(?<![^\\s\\x00-\\x7f])[\u200c\u200d]")
# Tatweel joined to a letter on either side (elongation, "الرئيـــس"); a run with no letter beside it is a dash.
# Every match starts with a tatweel: the leading lookahead says so, and the engine then tries the costly
# look-behind only there (9× faster over the Arabic texts that have one, the same matches).
_LETTER_OR_MARK = "[^\\W\\d_\u0640]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"  # one character of a word (tatweel aside)
_TATWEEL = re.compile(f"(?=\u0640)(?:(?<={_LETTER_OR_MARK})\u0640+|\u0640+(?={_LETTER_OR_MARK}))")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028]")
_PARAGRAPH_BREAK = re.compile("\u2029")
# Every character the passes below touch, in one class: text without any skips them all.
_ANY_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u0640\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_ODD_SPACE = re.compile("[^\\S\n ][^\\S\n]*| [^\\S\n]+")  # any run of horizontal space other than one plain space
_SPACE_AROUND_NEWLINE = re.compile(" \n ?|\n ")


@dataclass
class Repaired:
    """Repaired text plus how many characters of each kind were removed (and whether mojibake was fixed)."""

    text: str
    removed: Counter[str] = field(default_factory=Counter)


def _drop(pattern: re.Pattern[str], text: str, kind: str, removed: Counter[str]) -> str:
    cleaned, count = pattern.subn("", text)
    if count:
        removed[kind] += len(text) - len(cleaned)
    return cleaned


def repair_text(text: str) -> Repaired:
    """Fix mojibake, normalise to NFC and drop invisible/control characters; see the module docstring."""
    removed: Counter[str] = Counter()
    if _MOJIBAKE_HINT.search(text):
        fixed = ftfy.fix_encoding(text)
        if fixed != text:
            removed["mojibake_repair"] += 1
            text = fixed
    if _ANY_SPECIAL.search(text):
        text = _PARAGRAPH_BREAK.sub("\n\n", _LINE_BREAK.sub("\n", text))
        text = _drop(_INVISIBLE, text, "invisible_chars", removed)
        if "\u200c" in text or "\u200d" in text:  # the joiner pattern cannot skip ahead by itself (it may start with a lookbehind)
            text = _drop(_JOINER_STRAY, text, "invisible_chars", removed)
        text = _drop(_TATWEEL, text, "tatweel", removed)
        text = _drop(_CONTROL, text, "control_chars", removed)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _ODD_SPACE.sub(" ", text)
    if " \n" in text or "\n " in text:  # a substring test is far cheaper than the regex scan
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return Repaired(text.strip(), removed)
