"""Article tone, after GDELT's V2TONE: (positive words − negative words) per 100 words.

The lexicons are short lists written for this project (English and Arabic news vocabulary, Arabic in
folded form: ا for أإآ, ه for ة, ي for ى) and matched on word keys, Arabic ones also after the
proclitics (و، ف، ب، ل، ال) are stripped. Like GDELT, ``tone`` runs from −100 to +100 and most news
lands between −10 and +10; ``positive`` and ``negative`` are the shares (per 100 words) behind it,
``polarity`` their sum.
"""

from __future__ import annotations

from itertools import compress, repeat
from typing import Any

from newsingest.text.tokens import proclitic_candidates, proclitic_splits, word_counts

_POSITIVE = frozenset(["agree", "agreed", "agreement", "aid", "benefit", "best", "better", "boost", "calm", "celebrate", "celebrated", "celebration", "ceasefire", "confident", "cooperation", "deal", "democracy", "elated", "encouraging", "freed", "gain", "gained", "gains", "good", "great", "growth", "happy", "help", "helped", "hope", "hopeful", "improve", "improved", "improvement", "joy", "liberated", "peace", "peaceful", "praise", "praised", "progress", "prosperity", "protect", "protected", "recovery", "relief", "rescue", "rescued", "safe", "safety", "secure", "stability", "stable", "success", "successful", "support", "supported", "truce", "victory", "welcome", "welcomed", "win", "won", "اتفاق", "اتفاقيه", "امل", "ابتهاج", "امن", "امان", "انتصار", "انجاز", "تحسن", "تعاون", "تقدم", "تهدئه", "حريه", "حمايه", "دعم", "ازدهار", "سعداء", "سعيد", "سلام", "سلميه", "فرح", "فوز", "مساعده", "نجاح", "هدنه", "استقرار", "احتفال", "يحتفلون", "انقاذ", "افضل", "جيد", "جيده", "ترحيب", "رحب", "نمو"])

_NEGATIVE = frozenset(["abuse", "accused", "afraid", "anger", "angry", "arrest", "arrested", "assault", "attack", "attacked", "attacks", "bad", "bomb", "bombing", "catastrophe", "clash", "clashes", "collapse", "collapsed", "conflict", "crisis", "damage", "danger", "dangerous", "dead", "death", "deaths", "defeat", "destroyed", "destruction", "died", "disaster", "displaced", "fail", "failed", "failure", "fear", "fears", "feared", "fight", "fighting", "flee", "fled", "hostage", "injured", "kill", "killed", "killing", "loss", "losses", "massacre", "militants", "murder", "panic", "poverty", "protest", "refugees", "shelling", "shot", "strike", "strikes", "suffer", "terror", "terrorist", "threat", "threatened", "torture", "victims", "violence", "war", "worse", "worst", "wounded", "اعتقال", "ازمه", "اشتباكات", "انهيار", "انهار", "تدمير", "تهديد", "تهديدا", "جرحي", "حرب", "خسائر", "خساره", "خطر", "خطير", "خوف", "خائفون", "ضحايا", "عنف", "فشل", "قتل", "قتلي", "قصف", "كارثه", "مجزره", "مذبحه", "مقتل", "موت", "نازحين", "هجوم", "هجمات", "ارهاب", "ارهابي", "دمار", "قلق", "سقوط", "انتقام", "قمع", "معاناه", "ضربات", "غارات", "كابوس"])


def _polarity(key: str, is_arabic: bool) -> int:
    """1 for a positive word, -1 for a negative one, else 0."""
    stems = [stem for _, stem in proclitic_splits(key, min_stem=3)] if is_arabic else [key]
    if any(stem in _POSITIVE for stem in stems):
        return 1
    return -1 if any(stem in _NEGATIVE for stem in stems) else 0


def _signs() -> dict[tuple[str, bool], int]:
    """(key, is Arabic) → :func:`_polarity` of every word that has one: a lexicon word, or an Arabic one with
    proclitics written on it (the candidates: each chain before a lexicon word, or before it without its
    article, which "لل" and "ال" chains take off). A word of an article is then scored by one dict lookup."""
    words = _POSITIVE | _NEGATIVE
    candidates = [(word, False) for word in words] + [(key, True) for key in proclitic_candidates(words)]
    return {word: sign for word in candidates if (sign := _polarity(*word))}


_SIGNS = _signs()


def tone(text: str) -> dict[str, Any]:
    """``{tone, positive, negative, polarity, word_count}`` of ``text`` (scores per 100 words, 3 decimals)."""
    words = word_counts(text)  # each distinct word scored once, all in C: a table lookup, then sums
    signs = list(map(_SIGNS.get, words, repeat(0)))
    count = words.total()
    positive = 100 * sum(compress(words.values(), map((1).__eq__, signs))) / count if count else 0.0
    negative = 100 * sum(compress(words.values(), map((-1).__eq__, signs))) / count if count else 0.0
    return {"tone": round(positive - negative, 3), "positive": round(positive, 3), "negative": round(negative, 3),
            "polarity": round(positive + negative, 3), "word_count": count}
