"""Word tokens with character offsets, a cheap per-token matching key, and Arabic proclitics.

Tokens keep their exact span in the source text so every extractor can report offsets that
slice back to what it found. The key is the same folding as :func:`newsingest.text.folding.matching_form`
(marks dropped, alef/ya/ta-marbuta folded, lower case), done once over the whole text when it has no marks.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from itertools import islice
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar, cast

from newsingest.text.folding import MARKS, drop_marks, fold, fold_in_place, mark_positions

try:  # built from _tokens.c at install; without a C compiler, _scan, _key_bits and re do the same work
    from newsingest.text._tokens import key_bits as _compiled_key_bits
    from newsingest.text._tokens import scan as _compiled_scan
    from newsingest.text._tokens import words as _compiled_words
except ImportError:
    _compiled_scan = _compiled_words = _compiled_key_bits = None

#: The runs of word characters (``\w``: letters, digits, "_") of a text, as ``re.findall(r"\w+", text)`` finds
#: them: compiled (``_tokens.words``) when built, at about half re's cost.
word_runs: Callable[[str], list[str]] = _compiled_words or re.compile(r"\w+").findall

_WORD = rf"[^\W\d_]+(?:[{MARKS}]+[^\W\d_]*)*|[{MARKS}]+(?:[^\W\d_]+[{MARKS}]*)*"
_TOKEN = re.compile(rf"{_WORD}|\d+(?:[.,٫٬]\d+)*|[^\w\s]")
# Proclitic chains in the order they attach (conjunction, preposition, article), folded.
# "لل" is ل + ال with the alef dropped; it is handled in :func:`proclitic_splits`.
PROCLITICS = ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_PROCLITICS_BY_FIRST = {first: tuple(c for c in PROCLITICS if c[0] == first) for first in dict.fromkeys(c[0] for c in PROCLITICS)}


def opening_proclitics(key: str) -> tuple[str, ...]:
    """The proclitics that may open ``key``, those starting with its first letter, in :data:`PROCLITICS`' order
    (most words: none), so that a loop over them tries no proclitic that cannot match."""
    return _PROCLITICS_BY_FIRST.get(key[:1], ())


class Token(NamedTuple):
    """One word, number or punctuation mark: its text, span, matching key and script."""

    text: str
    start: int
    end: int
    key: str
    is_word: bool
    is_arabic: bool


@lru_cache(maxsize=32)
def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens that keep their character offsets.

    Several extractors tokenize the same article text; the last few results are cached, so the list
    returned is shared: read it, never change it.
    """
    folded = fold_in_place(text)  # None: a character that NFKC or casefold changes in length: each word folded alone
    if _compiled_scan is not None:
        tokens = _compiled_scan(text, folded, fold, Token, _MARK_RANGES)
    else:
        tokens = _scan(text, folded)
    if folded is not None:
        _refold_marked_words(tokens, mark_positions(text))
    return tokens


def _scan(text: str, folded: str | None) -> list[Token]:
    """The tokens of ``text``, keyed by ``folded`` (else each word folded alone): the reference for the
    compiled ``_tokens.scan``, which finds the same in C."""
    make = tuple.__new__
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = text[start:end]
        first = word[0]
        is_word = first.isalpha()
        key = folded[start:end] if folded is not None else fold(word)
        append(make(Token, (word, start, end, key, is_word, is_word and "\u0600" <= first <= "\u06ff")))
    return tokens


def class_ranges(body: str) -> tuple[tuple[int, int], ...]:
    """The (first, last) code points of a regular-expression class body of characters and ``a-b`` ranges,
    such as :data:`~newsingest.text.folding.MARKS`."""
    ranges: list[tuple[int, int]] = []
    at = 0
    while at < len(body):
        if at + 2 < len(body) and body[at + 1] == "-":
            ranges.append((ord(body[at]), ord(body[at + 2])))
            at += 3
        else:
            ranges.append((ord(body[at]), ord(body[at])))
            at += 1
    return tuple(ranges)


_MARK_RANGES = class_ranges(MARKS)


def _refold_marked_words(tokens: list[Token], marks: list[int]) -> None:
    """Give the words holding a mark (at offsets ``marks``) their key without it: folded in place, their
    slice still has it. Marks are word characters, so each lies inside a token."""
    if not marks:
        return
    starts = list(map(_START, tokens))
    for index in sorted({bisect.bisect_right(starts, offset) - 1 for offset in marks}):
        token = tokens[index]
        tokens[index] = token._replace(key=fold(token.text))


@lru_cache(maxsize=8)
def word_counts(text: str) -> Counter[tuple[str, bool]]:
    """How often each word of ``text`` occurs, by (key, is Arabic); cached like :func:`tokenize`, so the
    Counter is shared: read it, never change it."""
    return Counter(map(_KEY_AND_SCRIPT, filter(_IS_WORD, tokenize(text))))


@lru_cache(maxsize=65536)
def proclitic_splits(key: str, min_stem: int = 2) -> tuple[tuple[int, str], ...]:
    """Ways to read an Arabic key as proclitics + stem: ``(letters stripped, stem key)``, longest stem first.

    ``"بحلب"`` → ``((0, "بحلب"), (1, "حلب"))``; ``"للعراق"`` → ``((0, …), (2, "العراق"), (1, …))`` — the
    stem after ``لل`` gets its article back, so the count says how many letters of the surface to skip.
    """
    clitics = opening_proclitics(key)
    if not clitics:
        return ((0, key),)
    splits = [(0, key)]
    for clitic in clitics:
        if key.startswith(clitic) and len(key) - len(clitic) >= min_stem:
            stem = key[len(clitic):]
            if clitic.endswith("لل"):
                splits.append((len(clitic), "ال" + stem))
            elif clitic.endswith("ال"):
                splits.append((len(clitic) - 2, "ال" + stem))
                splits.append((len(clitic), stem))
            else:
                splits.append((len(clitic), stem))
    seen: set[str] = set()
    return tuple(s for s in splits if not (s[1] in seen or seen.add(s[1])))


def proclitic_candidates(words: Iterable[str]) -> set[str]:
    """Every key that a proclitic reading could turn into one of ``words``: each word behind each proclitic
    chain, and, for a word with the article, behind the chains that swallow its alef ("لل" + "عراق" for
    "العراق"). A superset: :func:`keys_with_stem_in` keeps the true ones."""
    words = set(words)
    return {clitic + word for clitic in ("", *PROCLITICS) for word in words} | {
        clitic + word.removeprefix("ال") for clitic in PROCLITICS for word in words if word.startswith("ال")}


def keys_with_stem_in(vocabulary: Iterable[str], min_stem: int = 2) -> frozenset[str]:
    """The keys that some proclitic reading (:func:`proclitic_splits`) turns into a word of ``vocabulary``, so
    that ``key in keys_with_stem_in(V)`` answers ``any(stem in V for _, stem in proclitic_splits(key))`` with
    one set lookup (built without filling ``proclitic_splits``' cache)."""
    words = set(vocabulary)
    splits = proclitic_splits.__wrapped__
    return frozenset(key for key in proclitic_candidates(words) if any(stem in words for _, stem in splits(key, min_stem)))


def surface_offset(token: Token, stripped: int) -> int:
    """Character offset in the source where the stem starts after ``stripped`` folded letters.

    Folding drops marks, so letters of the key are counted against letters of the surface.
    """
    if stripped == 0:
        return token.start
    seen = 0
    for index, char in enumerate(token.text):
        if drop_marks(char):
            if seen == stripped:
                return token.start + index
            seen += 1
    return token.end


_KEY = attrgetter("key")
_TEXT = attrgetter("text")
_IS_WORD = attrgetter("is_word")
_KEY_AND_SCRIPT = attrgetter("key", "is_arabic")
_START = attrgetter("start")
_NEWLINE = re.compile("\n")


class KeyMemo(dict[str, Any]):
    """A function of a token key, memoised in a plain dict: a hit is a dict lookup, cheaper than an
    ``lru_cache`` call when every token of a text is looked up. When it holds ``limit`` keys, the older
    half is dropped: a stream's common words, met again since, are mostly in the newer half.

    Use as a decorator; look up with ``memo[key]``.
    """

    def __init__(self, function: Callable[[str], Any], limit: int = 1 << 16) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: str) -> Any:
        if len(self) >= self.limit:
            for old in list(islice(self, self.limit // 2)):  # a dict keeps insertion order: the oldest first
                del self[old]
        value = self[key] = self.function(key)
        return value


F = TypeVar("F", bound=Callable[..., Any])


def per_token_list(function: F) -> F:
    """Memoise ``function(tokens, *rest)`` for the last token list it was called with, by identity: an
    article's extractors ask the same question of the same tokenisation (tokens and the other arguments
    must not change). The result is shared: read it, never change it."""
    slot: list[tuple[list[Token], tuple[Any, ...], Any] | None] = [None]

    @wraps(function)
    def memoised(tokens: list[Token], *rest: Any) -> Any:
        cached = slot[0]  # read once: another thread may replace it
        if cached is not None and cached[0] is tokens and cached[1] == rest:
            return cached[2]
        result = function(tokens, *rest)
        slot[0] = (tokens, rest, result)
        return result

    return cast(F, memoised)


class _KeyTests:
    """Yes/no tests of a token key, answered together: a test is a set of keys, and optionally "starts with a
    digit". One table maps each key of any test's set to a bit per test, a byte a token (so at most eight
    tests). The extractors that each look for a few words in every article (numbers, date words, verbs of
    saying …) then share one pass over its tokens in C: a lookup a token in a table of a few thousand keys,
    with no memo to fill for the words the stream has not met yet."""

    MAX_TESTS = 8

    def __init__(self) -> None:
        self._count = 0
        self._table: dict[str, int] = {}  # key → the bits of the tests whose set holds it
        self._digit_bits = 0  # the bits of the tests that also take every key starting with a digit
        self._passing: dict[int, bytes] = {}  # a test's bit → a byte table: 1 for the bytes with that bit set, else 0

    def add(self, keys: Iterable[str], *, digits: bool = False) -> int:
        """A test that passes the keys in ``keys`` and, with ``digits``, every key whose first character is a digit."""
        if self._count == self.MAX_TESTS:
            raise RuntimeError(f"at most {self.MAX_TESTS} key tests: each token's answers are one byte")
        bit = 1 << self._count
        self._count += 1
        for key in keys:
            self._table[key] = self._table.get(key, 0) | bit
        if digits:
            self._digit_bits |= bit
        self._passing[bit] = bytes(1 if value & bit else 0 for value in range(256))
        return bit

    def bits(self, tokens: list[Token], registered: int | None = None) -> bytes:
        """The bits of each token, a byte a token; ``registered`` (how many tests there are) only keys a memo of this."""
        return (_compiled_key_bits or _key_bits)(tokens, self._table, self._digit_bits)

    def passing(self, test: int, bits: bytes) -> list[int]:
        """The indices of ``bits`` (:meth:`bits`) where ``test``'s bit is set: the bytes mapped to 0 or 1 by one
        table, then the 1s found, all in C."""
        return [found.start() for found in _ONE.finditer(bits.translate(self._passing[test]))]

    def __len__(self) -> int:
        return self._count


def _key_bits(tokens: list[Token], table: dict[str, int], digit_bits: int) -> bytes:
    """A byte a token: ``table.get(key, 0)``, with ``digit_bits`` set when the key starts with a digit (the
    reference of the compiled ``_tokens.key_bits``)."""
    return bytes(table.get(token.key, 0) | (digit_bits if token.key[:1].isdigit() else 0) for token in tokens)


_ONE = re.compile(b"\x01")
_KEY_TESTS = _KeyTests()
_token_bits = per_token_list(_KEY_TESTS.bits)  # an article's extractors all scan the same token list


def key_test(keys: Iterable[str], *, digits: bool = False) -> int:
    """Register a test that passes a token whose key is in ``keys`` or, with ``digits``, starts with a digit;
    the bit :func:`where_key` takes for it. Register at import time."""
    return _KEY_TESTS.add(keys, digits=digits)


def where_key(test: int, tokens: list[Token]) -> list[int]:
    """Indices of the tokens whose key passes the test registered as ``test`` (:func:`key_test`), found
    at C speed: an extractor then loops in Python only over the few tokens that can matter to it."""
    return _KEY_TESTS.passing(test, _token_bits(tokens, len(_KEY_TESTS)))


@per_token_list
def paragraph_breaks(tokens: list[Token], text: str) -> list[int]:
    """Indices of the tokens with a line break between them and the token before (or the text's start)."""
    starts = list(map(_START, tokens))
    found = {bisect.bisect_right(starts, match.start()) for match in _NEWLINE.finditer(text)}
    return sorted(index for index in found if index < len(tokens))
