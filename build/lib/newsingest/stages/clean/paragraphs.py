"""Split plain text into paragraphs.

Blank lines always separate paragraphs. A single line break is ambiguous: in hard-wrapped text
(the block's lines short, of even length, most stopping mid-sentence) it is a wrap and becomes a
space; otherwise (scraped text putting one paragraph per line, a subheading above its paragraph,
verse) it separates paragraphs too.
"""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_WRAP_WIDTH = 100
_MIN_WRAP_WIDTH = 50
_EVEN_LENGTH = 0.6  # wrapped lines (all but the last) fill at least this share of the longest
_SENTENCE_END = (".", "!", "?", "؟", "…", ":", "»", '"', "”", "’", ")")


def _is_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    longest = max(len(line) for line in lines)
    if not _MIN_WRAP_WIDTH <= longest <= _WRAP_WIDTH or any(len(line) < _EVEN_LENGTH * longest for line in lines[:-1]):
        return False
    open_ended = sum(1 for line in lines[:-1] if not line.endswith(_SENTENCE_END))
    return open_ended * 2 > len(lines) - 1


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text``, whitespace collapsed; see the module docstring for line breaks."""
    paragraphs: list[str] = []
    for block in _BLANK_LINE.split(text):
        lines = [stripped for line in block.split("\n") if (stripped := line.strip())]
        if _is_hard_wrapped(lines):
            lines = [" ".join(lines)]
        paragraphs.extend(" ".join(line.split()) for line in lines)  # whitespace runs → one space
    return paragraphs
