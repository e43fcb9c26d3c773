"""Detect an article's language (ISO 639-1) with lingua, offline, over a set of common news languages.

The detector is built once, on first use. Only a sample of the text is scored: the first
``SAMPLE_CHARS`` characters, widened to ``WIDE_SAMPLE_CHARS`` when the first answer is unsure.
When several scripts mix (an English article quoting Arabic), only the words of the dominant
script are sampled, so the dominant language wins. A sample written in one script is scored only
against the languages written in it (the same answer, 2–3× faster for Arabic). Texts with too few letters get a guess from
their script alone, with a low confidence, or no language at all (Latin script says too little).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

NEWS_LANGUAGES = (
    Language.ARABIC, Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH,
    Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH, Language.RUSSIAN, Language.UKRAINIAN,
    Language.TURKISH, Language.PERSIAN, Language.URDU, Language.HEBREW, Language.CHINESE,
    Language.JAPANESE, Language.KOREAN, Language.HINDI, Language.BENGALI, Language.INDONESIAN,
    Language.POLISH, Language.SWEDISH, Language.GREEK, Language.SWAHILI, Language.VIETNAMESE,
)  # fmt: skip
SAMPLE_CHARS = 400
WIDE_SAMPLE_CHARS = 2000
SURE = 0.8
MIN_LETTERS = 20
_MIXED = 0.9  # below this share of the letters, the dominant script's words are sampled alone


@dataclass(frozen=True)
class _Script:
    name: str
    letters: re.Pattern[str]
    guess: str | None  # language a short text in this script most likely is
    guess_confidence: float
    languages: tuple[Language, ...]  # those of NEWS_LANGUAGES written in this script


_SCRIPTS = (
    _Script("arabic", re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+"), "ar", 0.3,
            (Language.ARABIC, Language.PERSIAN, Language.URDU)),
    _Script("latin", re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+"), None, 0.0, (
        Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.ITALIAN, Language.PORTUGUESE,
        Language.DUTCH, Language.TURKISH, Language.INDONESIAN, Language.POLISH, Language.SWEDISH, Language.SWAHILI,
        Language.VIETNAMESE)),
    _Script("cyrillic", re.compile("[\u0400-\u052f]+"), "ru", 0.3, (Language.RUSSIAN, Language.UKRAINIAN)),
    _Script("han", re.compile("[\u4e00-\u9fff\u3400-\u4dbf]+"), "zh", 0.3, (Language.CHINESE, Language.JAPANESE)),
    _Script("kana", re.compile("[\u3040-\u30ff]+"), "ja", 0.5, (Language.JAPANESE,)),
    _Script("hangul", re.compile("[\uac00-\ud7af\u1100-\u11ff]+"), "ko", 0.5, (Language.KOREAN,)),
    _Script("hebrew", re.compile("[\u05d0-\u05ea\u05f0-\u05f2\ufb1d-\ufb4f]+"), "he", 0.5, (Language.HEBREW,)),
    _Script("greek", re.compile("[\u0370-\u03ff\u1f00-\u1fff]+"), "el", 0.5, (Language.GREEK,)),
    _Script("devanagari", re.compile("[\u0900-\u097f]+"), "hi", 0.3, (Language.HINDI,)),
    _Script("bengali", re.compile("[\u0980-\u09ff]+"), "bn", 0.3, (Language.BENGALI,)),
)
_DOMINANT = 0.6  # a script holding this share of a window's characters needs no further counting


@dataclass(frozen=True)
class Detected:
    """An ISO 639-1 code (None when undetermined) and a confidence in [0, 1]."""

    language: str | None
    confidence: float


@cache
def detector(languages: tuple[Language, ...] = NEWS_LANGUAGES) -> LanguageDetector:
    """The shared lingua detector over ``languages`` (models load lazily, per language)."""
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _script_counts(window: str) -> tuple[_Script, int, int]:
    """The dominant script of ``window``, its letter count and the letter count over all known scripts."""
    best, best_count, total = _SCRIPTS[0], 0, 0
    for script in _SCRIPTS:
        count = sum(map(len, script.letters.findall(window)))
        total += count
        if count > best_count:
            best, best_count = script, count
        if count >= _DOMINANT * len(window):
            break
    return best, best_count, total


def _sample(text: str, script: _Script, mixed: bool, limit: int) -> str:
    if mixed:
        return " ".join(script.letters.findall(text, 0, limit * 4))[:limit]
    return text[:limit]


def _candidates(sample: str, script: _Script) -> tuple[Language, ...]:
    """The languages of ``script`` when every letter of ``sample`` is in it, else all news languages."""
    return NEWS_LANGUAGES if any(map(str.isalpha, script.letters.sub("", sample))) else script.languages


def _score(sample: str, script: _Script) -> Detected:
    values = detector(_candidates(sample, script)).compute_language_confidence_values(sample)
    if not values or values[0].value <= 0:
        return Detected(None, 0.0)
    top = values[0]
    return Detected(top.language.iso_code_639_1.name.lower(), round(float(top.value), 4))


def detect_language(text: str) -> Detected:
    """Language of ``text``; see the module docstring for sampling and the short-text fallback."""
    window = text[:WIDE_SAMPLE_CHARS]
    script, letters, total = _script_counts(window)
    if letters < MIN_LETTERS:
        return Detected(script.guess, script.guess_confidence) if letters else Detected(None, 0.0)
    mixed = letters < _MIXED * total
    detected = _score(_sample(text, script, mixed, SAMPLE_CHARS), script)
    if detected.confidence < SURE and len(text) > SAMPLE_CHARS:
        detected = _score(_sample(text, script, mixed, WIDE_SAMPLE_CHARS), script)
    return detected
