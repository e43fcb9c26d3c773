"""Tokens: spans, keys and sentence boundaries, and the key-memo scan the extractors filter with."""

from __future__ import annotations

import random
import re

import pytest

from newsingest.geo import gazetteer
from newsingest.stages.extract.numbers import _OPENS_NUMBER
from newsingest.text import tokens as tokens_module
from newsingest.text.folding import MARKS, fold, fold_in_place, is_fold_fixed, matching_form, without_accents
from newsingest.text.sentences import sentence_ids, sentence_starts
from newsingest.text.tokens import (
    KeyMemo,
    Token,
    _KeyTests,
    keys_with_stem_in,
    per_token_list,
    proclitic_candidates,
    proclitic_splits,
    tokenize,
    where_key,
)

_ONE_CLASS_PER_CHARACTER = re.compile(
    r"(?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+|\d+(?:[.,٫٬]\d+)*|[^\w\s]")


def test_words_keep_their_marks_and_spans() -> None:
    text = "قالَ الرئيسُ: «سنعود» ـ\u064bوزارة F-16s 1,400 ٤٫٥\nNext."
    assert [(t.start, t.end) for t in tokenize(text)] == [m.span() for m in _ONE_CLASS_PER_CHARACTER.finditer(text)]
    said, president = tokenize(text)[:2]
    assert (said.key, said.is_arabic, president.key) == ("قال", True, "الرييس")


def test_sentences_end_at_marks_and_line_breaks() -> None:
    text = "One two. Three\n\nFour; five"
    tokens = tokenize(text)
    assert sentence_starts(tokens, text) == [0, 3, 4, 6]  # "One", "Three", "Four", "five"
    assert sentence_ids(tokens, text) == [0, 0, 0, 1, 2, 2, 3]
    assert sentence_starts([], "") == []


def test_key_tests_are_answered_together() -> None:
    tests = _KeyTests()
    is_number = tests.add({"one", "two"}, digits=True)
    is_a = tests.add({"a", "one"})
    tokens = tokenize("a 1 b two a ٣ One x² ½")
    answers = tests.bits(tokens)
    # "x²" is the word "x2"; "½" folds to "1⁄2", which starts with a digit
    assert [bool(byte & is_number) for byte in answers] == [False, True, False, True, False, True, True, False, True]
    assert [bool(byte & is_a) for byte in answers] == [True, False, False, False, True, False, True, False, False]


@pytest.mark.parametrize("compiled", [True, False])
def test_digit_keys_are_those_str_isdigit_takes(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not compiled:
        monkeypatch.setattr(tokens_module, "_compiled_key_bits", None)  # as installed without a C compiler
    elif tokens_module._compiled_key_bits is None:
        pytest.skip("the C scan was not built (no C compiler at install)")
    tests = _KeyTests()
    digit = tests.add((), digits=True)
    characters = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    tokens = [Token(c + "a", 0, 2, c + "a", True, False) for c in characters]
    assert tests.passing(digit, tests.bits(tokens)) == [i for i, c in enumerate(characters) if c.isdigit()]


@pytest.mark.skipif(tokens_module._compiled_key_bits is None, reason="the C scan was not built (no C compiler at install)")
def test_the_compiled_key_bits_are_the_python_ones() -> None:
    rng = random.Random(13)
    tokens = tokenize(" ".join(rng.choice(["قال", "وقال", "7", "٣", "x²", "½", "said", "a", "-", "b"]) for _ in range(2_000)))
    table = {"قال": 1, "وقال": 3, "said": 1, "a": 4, "٣": 8}
    for digit_bits in (0, 2, 16):
        assert tokens_module._compiled_key_bits(tokens, table, digit_bits) == tokens_module._key_bits(tokens, table, digit_bits)
    with pytest.raises(TypeError, match="str key"):
        tokens_module._compiled_key_bits([("no", "key")], table, 0)


def test_each_tests_tokens_are_those_with_its_bit_and_a_ninth_test_is_refused() -> None:
    tests = _KeyTests()
    rng = random.Random(3)
    words = ["".join(rng.sample("abcdefghxyz", 3)) for _ in range(300)]
    sets = [set(rng.sample(words, 40)) for _ in range(8)]
    bits = [tests.add(keys) for keys in sets]
    tokens = tokenize(" ".join(words))
    answers = tests.bits(tokens)
    for bit, keys in zip(bits, sets, strict=True):
        assert tests.passing(bit, answers) == [index for index, token in enumerate(tokens) if token.key in keys]
    with pytest.raises(RuntimeError, match="at most 8"):
        tests.add({"a"})


def test_where_key_picks_the_tokens_whose_key_passes() -> None:
    tokens = tokenize("two killed , 3 wounded and وثلاثة missing")
    assert where_key(_OPENS_NUMBER, tokens) == [0, 3, 6]
    assert where_key(_OPENS_NUMBER, tokenize("no numbers here")) == []


def test_a_full_key_memo_keeps_its_newer_half() -> None:
    small = KeyMemo(str.isdigit, limit=4)
    assert [small[key] for key in "a 1 b 2 a 3".split()] == [False, True, False, True, False, True]
    assert list(small) == ["b", "2", "3"]  # full at "3": "a" and "1", the older half, went


def test_initials_and_short_forms_do_not_end_a_sentence() -> None:
    text = "U.S. warplanes struck. Mr. Smith met J. R. Jones; he left.\nNext line"
    tokens = tokenize(text)
    firsts = [tokens[i].text for i in sentence_starts(tokens, text)]
    assert firsts == ["U", "Mr", "he", "Next"]


def test_per_token_list_answers_again_only_for_another_list_or_argument() -> None:
    calls: list[int] = []

    @per_token_list
    def words(tokens: list[Token], minimum: int) -> list[str]:
        calls.append(minimum)
        return [t.text for t in tokens if len(t.text) >= minimum]

    tokens = tokenize("a bb ccc")
    assert words(tokens, 2) == ["bb", "ccc"] and words(tokens, 2) is words(tokens, 2)
    assert words(tokens, 3) == ["ccc"]
    assert words(list(tokens), 3) == ["ccc"]  # an equal list is another list: asked again
    assert calls == [2, 3, 3]


def test_fold_fixed_words_are_their_own_folds() -> None:
    letters = [chr(code) for code in range(0x621, 0x64B)]
    rng = random.Random(7)
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    fixed = [word for word in words if is_fold_fixed(word)]
    assert 3_000 < len(fixed) < len(words)  # most random words hold a letter that folds (أ, ة, ى, …)
    for word in fixed:
        assert fold(word) == matching_form(word) == without_accents(word) == gazetteer._key(word) == word
    assert not any(map(is_fold_fixed, ["الأمم", "سورية", "مستشفى", "بشّار", "حلب حمص", "Aleppo", ""]))


def test_every_key_is_its_word_folded_alone() -> None:
    # marked words among unmarked ones, a lone tatweel, a mark after a digit, and characters NFKC or casefold widen
    texts = ["قالَ الرئيسُ بشّار إنّ ـ الحرب ٥ً انتهت", "Straße ﻻ café e\u0301 İstanbul", "لا علامات هنا", ""]
    for text in texts:
        assert [token.key for token in tokenize(text)] == [fold(token.text) for token in tokenize(text)]


def test_the_mark_ranges_are_the_marks_class() -> None:
    ranges = tokens_module.class_ranges(MARKS)
    marks = re.compile(f"[{MARKS}]")
    inside = [code for code in range(0x110000) if any(first <= code <= last for first, last in ranges)]
    assert inside == [code for code in range(0x110000) if marks.match(chr(code))]


@pytest.mark.skipif(tokens_module._compiled_scan is None, reason="the C scan was not built (no C compiler at install)")
def test_the_compiled_scan_finds_the_python_scans_tokens() -> None:
    """Random strings over letters, marks, digits and separators, punctuation, spaces, "_", astral and lone
    surrogate characters, each keyed by its text folded in place and word by word."""
    pool = ([chr(code) for code in range(0x3000) if not 0xD800 <= code <= 0xDFFF] + [chr(code) for code in range(0xFB50, 0xFF00)]
            + list("0123456789.,\u066b\u066c _-\n\t\u200c") * 40 + ["\U0001f600", "\U00010400", "\ud800"])
    rng = random.Random(23)
    texts = ["", "12.5,3 ٫٤ 1. 2,", "قالَ الرئيسُ بشّار إنّ ـ الحرب ٥ً", *("".join(rng.choices(pool, k=rng.randint(1, 40))) for _ in range(20_000))]
    scan = tokens_module._compiled_scan
    for text in texts:
        for folded in (fold_in_place(text), None):
            found = scan(text, folded, fold, Token, tokens_module._MARK_RANGES)
            assert found == tokens_module._scan(text, folded), text
            assert all(type(token) is Token for token in found)


@pytest.mark.skipif(tokens_module._compiled_words is None, reason="the C scan was not built (no C compiler at install)")
def test_the_compiled_word_runs_are_those_re_finds() -> None:
    """Every code point alone and between letters, then random strings over the same pool as the scan's test."""
    runs, pattern = tokens_module._compiled_words, re.compile(r"\w+")
    assert runs("") == [] and runs("قالَ الرئيسُ بشّار، 12_a b") == ["قال", "الرئيس", "بش", "ار", "12_a", "b"]
    for code in range(0x110000):
        text = f"a{chr(code)}b {chr(code)}"
        assert runs(text) == pattern.findall(text), hex(code)
    pool = [chr(code) for code in range(0x3000) if not 0xD800 <= code <= 0xDFFF] + list("0123456789_ \n\u200c") * 40 + ["\U0001f600", "\U00010400"]
    rng = random.Random(29)
    for text in ("".join(rng.choices(pool, k=rng.randint(1, 40))) for _ in range(20_000)):
        assert runs(text) == pattern.findall(text), text


def test_without_the_compiled_scan_tokenize_gives_the_same_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["قالَ الرئيسُ بشّار إنّ ـ الحرب ٥ً انتهت", "Straße ﻻ café 3,5 e\u0301 İstanbul", "U.S. troops, 1.5 km."]
    expected = [tokenize.__wrapped__(text) for text in texts]
    monkeypatch.setattr(tokens_module, "_compiled_scan", None)  # as installed without a C compiler
    assert [tokenize.__wrapped__(text) for text in texts] == expected


@pytest.mark.parametrize("min_stem", [2, 3])
def test_keys_with_a_stem_in_a_vocabulary_are_those_proclitic_splits_reads_so(min_stem: int) -> None:
    """Made-up vocabularies (words with and without the article) against every candidate key and random keys."""
    rng = random.Random(min_stem)
    letters = "ابتسعلمنوفكه"
    for _ in range(200):
        vocabulary = {rng.choice(("", "ال")) + "".join(rng.choices(letters, k=rng.randint(1, 5))) for _ in range(rng.randint(1, 8))}
        keys = proclitic_candidates(vocabulary) | {"".join(rng.choices(letters, k=rng.randint(1, 8))) for _ in range(300)}
        found = keys_with_stem_in(vocabulary, min_stem)
        assert found <= proclitic_candidates(vocabulary)
        for key in keys:
            assert (key in found) == any(stem in vocabulary for _, stem in proclitic_splits(key, min_stem)), (key, vocabulary)
