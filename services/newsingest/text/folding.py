"""The one folding of text for lookups and comparisons — never for display.

Everything: NFKC, casefold ("Straße" and "STRASSE" meet). Arabic: diacritics (harakat), tatweel and
Quranic marks dropped; alef variants (أ إ آ ٱ → ا), alef maqsura (ى → ي), ta marbuta (ة → ه) and the
hamza seats (ؤ → و, ئ → ي) folded. A token's key (:func:`fold`), a phrase's matching form
(:func:`matching_form`, spaces collapsed too) and every lexicon, gazetteer and date-name lookup use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"  # a regex class body: Arabic marks and tatweel
_MARKS = re.compile(f"[{MARKS}]")
# str.replace per letter: on Arabic text ~15x faster than str.translate with a dict table.
_LETTER_FOLDS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"))
_SHORT = 64  # names and phrases, looked up again and again: their forms are memoised
#: The Arabic letters that no step of folding changes (no mark, no decomposition, no letter fold, no case), a
#: regex class body.
FOLD_FIXED_LETTERS = "\u0621\u0627\u0628\u062a-\u063a\u0641-\u0648\u064a"
_FOLD_FIXED_WORD = re.compile(f"[{FOLD_FIXED_LETTERS}]+")


def drop_marks(text: str) -> str:
    """``text`` without Arabic diacritics, Quranic marks and tatweel (letters untouched)."""
    return _MARKS.sub("", text)


def fold_letters(text: str) -> str:
    """The Arabic letter folds alone (no marks dropped, no case change)."""
    for letter, folded_letter in _LETTER_FOLDS:
        text = text.replace(letter, folded_letter)
    return text


def fold_text(text: str) -> str:
    """:func:`matching_form` with its white space left as it is (a text's words, the runs of ``\\w``, are the
    same), not memoised: for whole texts read once."""
    return fold_letters(drop_marks(unicodedata.normalize("NFKC", text))).casefold()


#: The matching key of one token (no spaces inside), memoised: articles repeat their words.
fold = lru_cache(maxsize=1 << 16)(fold_text)


def fold_in_place(text: str) -> str | None:
    """``text`` folded character for character with its marks left where they are, so a word without
    marks has its key as its slice; ``None`` when NFKC or casefold would change the text's length."""
    if not unicodedata.is_normalized("NFKC", text):
        return None
    folded = fold_letters(text).casefold()
    return folded if len(folded) == len(text) else None


def mark_positions(text: str) -> list[int]:
    """Offsets of the Arabic marks and tatweels in ``text`` (what :func:`drop_marks` removes)."""
    return [match.start() for match in _MARKS.finditer(text)]


def matching_form(text: str) -> str:
    """Fold ``text`` for matching: ``"الرئيسُ بشّار"`` and ``"الرئيس بشار"`` give the same key."""
    return _short_form(text) if len(text) <= _SHORT else _phrase(text)


def _phrase(text: str) -> str:
    return " ".join(fold_text(text).split())


_short_form = lru_cache(maxsize=1 << 16)(_phrase)


def is_fold_fixed(text: str) -> bool:
    """Whether ``text`` is one word of Arabic letters that :func:`fold`, :func:`matching_form` and
    :func:`without_accents` all return unchanged (most folded Arabic keys): a cheap test that spares them."""
    return _FOLD_FIXED_WORD.fullmatch(text) is not None


def without_accents(text: str) -> str:
    """Latin accents dropped ("São Paulo" → "Sao Paulo"); Arabic marks are left to :func:`fold`."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
