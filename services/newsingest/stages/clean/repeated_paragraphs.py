"""Drop repeated paragraphs and pull-quotes, keeping one copy of each.

Paragraphs are compared in matching form (see :mod:`newsingest.text.folding`) as word lists, so
copies that differ in punctuation, quote marks, diacritics or letter variants are found. Candidate
pairs come from an index of word 3-grams; a pair is a copy when the shorter paragraph's words are
found, in order, in the longer one, but for a word (or a tenth of them; difflib). Of two near-equal copies the later goes; of a
pull-quote and the paragraph it excerpts, the excerpt goes. An attribution line (``– Name,
title``) right after a dropped copy goes with it; one after a kept quote stays. A paragraph that is
several later ones run together (a page repeating its text in one block) goes and they stay. A
paragraph found three times or more is a recurring item (list entries, an interview's questions)
and stays every time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import chain

from newsingest.text.folding import matching_form
from newsingest.text.tokens import word_runs

#: :func:`matching_form`, memoised: the clean rules look at the same paragraph several times.
fold = lru_cache(maxsize=4096)(matching_form)

_ATTRIBUTION_LINE = re.compile(r"^[—–―-]\s*\w[^.!?؟\n]{0,100}$")
_SHINGLE = 3
_MIN_EXACT_WORDS = 8  # shorter paragraphs ("Yes.", "He declined.", a question) may legitimately repeat
_RECURRING = 3  # a paragraph found this many times is a recurring item: every copy stays
_MIN_MERGED_PARTS = 2  # a paragraph holding this many later ones, ...
_MERGED_COVER = 0.6  # ... making up this share of its words, is them run together: they stay, it goes
_MIN_NEAR_WORDS = 10
_MIN_EXCERPT_WORDS = 12  # a pull-quote excerpt is a sentence, not a name or a list entry
_CANDIDATE_OVERLAP = 0.5  # share of the shorter paragraph's 3-grams also in the other
_FEW_WORDS = 1  # words of the shorter paragraph that may differ in a copy ...
_FEW_WORDS_SHARE = 0.1  # ... or this share of them, when that is more
_SAME_LENGTH = 0.8  # word-count ratio above which two copies count as the same paragraph, not an excerpt


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(_SHINGLE))))


def _is_copy(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` or an excerpt of it (then at least a sentence long), but for a word.

    Either way a tenth of ``short``'s words may differ when that is more.
    """
    same_size = len(short) >= _SAME_LENGTH * len(long)
    if not same_size and len(short) < _MIN_EXCERPT_WORDS:
        return False
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    missing = len(short) - sum(block.size for block in blocks)
    return missing <= max(_FEW_WORDS, _FEW_WORDS_SHARE * len(short))


def _add_to_index(index: dict[tuple[str, ...], tuple[int, ...]], shingles: set[tuple[str, ...]], j: int) -> None:
    """File paragraph ``j`` under each of its 3-grams (set operations: most 3-grams are new)."""
    for shingle in shingles & index.keys():
        index[shingle] += (j,)
    index.update(dict.fromkeys(shingles.difference(index), (j,)))  # (not ``- index.keys()``: that walks the whole index)


def _copy_of(
    j: int, words: list[list[str]], index: dict[tuple[str, ...], tuple[int, ...]], shingles: set[tuple[str, ...]]
) -> int | None:
    """Index of an earlier paragraph that ``j`` copies or is copied by, or None."""
    shared = Counter(chain.from_iterable(index[shingle] for shingle in shingles & index.keys()))
    for i, count in shared.most_common():
        fewest = min(len(words[i]), len(words[j])) - _SHINGLE + 1
        if count < _CANDIDATE_OVERLAP * fewest:
            break
        short, long = sorted((words[i], words[j]), key=len)
        if _is_copy(short, long):
            return i
    return None


def _unmerge(dropped: list[bool], excerpts: dict[int, list[int]], words: list[list[str]]) -> None:
    """Where a paragraph is several later paragraphs run together, keep those and drop it instead."""
    for merged, parts in excerpts.items():
        if len(parts) >= _MIN_MERGED_PARTS and sum(len(words[j]) for j in parts) >= _MERGED_COVER * len(words[merged]):
            dropped[merged] = True
            for j in parts:
                dropped[j] = False


def drop_repeats(paragraphs: list[str], removed: Counter[str]) -> list[str]:
    """``paragraphs`` without repeated paragraphs and pull-quote copies (counted as ``repeated_paragraph``)."""
    words = [word_runs(fold(paragraph)) for paragraph in paragraphs]
    occurrences = Counter(tuple(tokens) for tokens in words)
    dropped = [False] * len(paragraphs)
    exact: dict[tuple[str, ...], int] = {}
    index: dict[tuple[str, ...], tuple[int, ...]] = {}  # 3-gram → paragraphs holding it
    excerpts: dict[int, list[int]] = defaultdict(list)  # a long paragraph → later excerpts of it
    for j, tokens in enumerate(words):
        key = tuple(tokens)
        if occurrences[key] >= _RECURRING:
            continue  # a recurring item (a list entry, an interview's question), not a copy
        if len(tokens) >= _MIN_EXACT_WORDS and key in exact:
            dropped[j] = True
            continue
        exact.setdefault(key, j)
        if len(tokens) < _MIN_NEAR_WORDS:
            continue
        shingles = _shingles(tokens)
        earlier = _copy_of(j, words, index, shingles)
        if earlier is None:
            _add_to_index(index, shingles, j)
        elif len(words[earlier]) < _SAME_LENGTH * len(tokens):
            dropped[earlier] = True  # the earlier paragraph was an excerpt (pull-quote) of this one
            _add_to_index(index, shingles, j)
        else:
            dropped[j] = True
            if len(tokens) < _SAME_LENGTH * len(words[earlier]):
                excerpts[earlier].append(j)
    _unmerge(dropped, excerpts, words)
    kept: list[str] = []
    for j, paragraph in enumerate(paragraphs):
        if dropped[j]:
            removed["repeated_paragraph"] += 1
        elif j and dropped[j - 1] and _ATTRIBUTION_LINE.match(paragraph) and len(words[j]) <= 12:
            dropped[j] = True
            removed["repeated_attribution"] += 1
        else:
            kept.append(paragraph)
    return kept
