"""A mention (typed span) and the scan state the recognisers share while reading one text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

from newsingest.text.folding import matching_form
from newsingest.text.tokens import Token, paragraph_breaks, per_token_list, proclitic_splits, surface_offset

_KEY = attrgetter("key")
_IS_ARABIC = attrgetter("is_arabic")
# over keys joined by spaces: what follows the article (the lookahead first: the engine tries the look-behind only there)
_DEFINITE = re.compile(r"(?=ال)(?<!\S)ال(\S*)")


@dataclass(slots=True)
class Mention:
    """A typed span of the text and the name it stands for (proclitics dropped, article restored)."""

    type: str
    start: int
    end: int
    name: str


@dataclass(slots=True)
class Scan:
    """Tokens of one text, the mentions found so far, and which tokens they cover."""

    text: str
    tokens: list[Token]
    mentions: list[Mention] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)  # token indices inside a mention
    person_keys: set[str] = field(default_factory=set)
    breaks: set[int] = field(default_factory=set)  # token indices that open a new paragraph
    common: set[str] = field(default_factory=set)  # Arabic words seen with the article: common nouns

    def __post_init__(self) -> None:
        self.breaks = set(paragraph_breaks(self.tokens, self.text)) - {0}
        self.common = definite_words(self.tokens)

    def add(self, kind: str, first: int, last: int, stripped: int = 0) -> Mention:
        """Record tokens first..last as one mention, skipping ``stripped`` proclitic letters of the first."""
        start = surface_offset(self.tokens[first], stripped)
        end = self.tokens[last].end
        surface = self.text[start:end]
        head = self.tokens[first]
        name = surface
        if stripped and not matching_form(surface).startswith("ال") and any(
                s == stripped and stem.startswith("ال") for s, stem in proclitic_splits(head.key)):
            name = "ال" + surface  # "للمرصد" → "المرصد"
        mention = Mention(kind, start, end, " ".join(name.split()))
        self.mentions.append(mention)
        self.taken.update(range(first, last + 1))
        if kind == "PERSON":
            self.person_keys.update(t.key for t in self.tokens[first:last + 1])
        return mention

    def free(self, first: int, last: int) -> bool:
        return not any(i in self.taken for i in range(first, last + 1))

    def absorb(self, first: int, last: int) -> bool:
        """Make tokens first..last free by dropping the mentions wholly inside them; False (nothing
        dropped) when a mention reaches outside."""
        start, end = self.tokens[first].start, self.tokens[last].end
        overlapping = [m for m in self.mentions if m.start < end and start < m.end]
        if any(m.start < start or m.end > end for m in overlapping):
            return False
        self.mentions = [m for m in self.mentions if m not in overlapping]
        self.taken.difference_update(range(first, last + 1))
        return True


@per_token_list
def definite_words(tokens: list[Token]) -> set[str]:
    """Keys of the Arabic words that occur with the article ("الفريق" → "فريق"): such words are nouns."""
    return set(_DEFINITE.findall(" ".join(compress(map(_KEY, tokens), map(_IS_ARABIC, tokens)))))
