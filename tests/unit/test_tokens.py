"""Tokens: spans, keys and sentence boundaries, and the key-memo scan the extractors filter with."""

from __future__ import annotations

import re

from newsingest.text.sentences import sentence_ids, sentence_starts
from newsingest.text.tokens import KeyMemo, tokenize, where_key

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


def test_where_key_picks_the_tokens_whose_key_passes() -> None:
    seen: list[str] = []
    is_number = KeyMemo(lambda key: seen.append(key) or key.isdigit())
    tokens = tokenize("a 1 b 2 a 3")
    assert where_key(is_number, tokens) == [1, 3, 5]
    assert seen == ["a", "1", "b", "2", "3"]  # "a" once: memoised
    small = KeyMemo(str.isdigit, limit=3)
    assert where_key(small, tokens) == [1, 3, 5] and len(small) <= 3  # emptied when full, same answers


def test_initials_and_short_forms_do_not_end_a_sentence() -> None:
    text = "U.S. warplanes struck. Mr. Smith met J. R. Jones; he left.\nNext line"
    tokens = tokenize(text)
    firsts = [tokens[i].text for i in sentence_starts(tokens, text)]
    assert firsts == ["U", "Mr", "he", "Next"]
