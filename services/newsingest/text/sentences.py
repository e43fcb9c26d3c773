"""Sentences: the one splitter every extractor, the NER model and its training data share.

A sentence ends at a line break and after ``. ! ? ؟ ; ؛``, except a full stop that closes an
abbreviation: a single capital letter ("U.S. warplanes", "J. R. Jones") or a short form news writes
before a name or a number ("Mr.", "Gen.", "St.", "No.", "Jan.").
"""

from __future__ import annotations

from itertools import accumulate, compress, count
from operator import attrgetter

from newsingest.text.tokens import Token, paragraph_breaks, per_token_list

_ENDS = frozenset({".", "!", "?", "؟", "؛", ";"})
_TEXT = attrgetter("text")
ABBREVIATIONS = frozenset("""
Mr Mrs Ms Dr St Jr Sr Mt Ft No Nos Co Corp Inc Ltd Bros vs Gen Lt Col Sgt Capt Maj Cmdr Adm Rep Sen Gov Prof Rev Hon Pres
Jan Feb Mar Apr Aug Sep Sept Oct Nov Dec
""".split())


def _closes_abbreviation(tokens: list[Token], dot: int) -> bool:
    """Whether the full stop at ``dot`` belongs to the word before it rather than ending the sentence."""
    if dot == 0 or tokens[dot].text != ".":
        return False
    word = tokens[dot - 1].text
    return (len(word) == 1 and word.isupper()) or word in ABBREVIATIONS


@per_token_list
def sentence_starts(tokens: list[Token], text: str) -> list[int]:
    """Index of the first token of each sentence, from 0 (see the module docstring)."""
    if not tokens:
        return []
    marks = compress(count(), map(_ENDS.__contains__, map(_TEXT, tokens[:-1])))  # a C-speed scan: few match
    ends = (index + 1 for index in marks if not _closes_abbreviation(tokens, index))
    return sorted({0, *paragraph_breaks(tokens, text), *ends})


def sentence_ids(tokens: list[Token], text: str) -> list[int]:
    """A sentence number per token (see :func:`sentence_starts`)."""
    steps = [0] * len(tokens)
    for index in sentence_starts(tokens, text)[1:]:
        steps[index] = 1
    return list(accumulate(steps))
