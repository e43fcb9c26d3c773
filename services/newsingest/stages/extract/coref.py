"""Turn mentions into entities: make one article's mentions agree, find the other mentions of known
names, merge short forms, assign ids.

A person's later mention by last name ("الأسد", "Hewitt"), or in Latin script by first name ("Sonny"
after "Sonny Parker"), or an organisation's by its bare head
with the article ("المرصد" for "المرصد السوري لحقوق الإنسان") joins the full name when exactly one
entity of the article fits. Ids are ``TYPE:`` + a hash of the canonical name's matching form, so the
same name gets the same id in every article.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter
from typing import Any

from newsingest.stages.extract.mentions import Mention
from newsingest.text import lexicon as lx
from newsingest.text.folding import fold, matching_form
from newsingest.text.spans import Ranges
from newsingest.text.tokens import Token, proclitic_splits, surface_offset

_MIN_SHORT_NAME = 3  # letters a last name needs before it is looked for on its own
_KEY = attrgetter("key")


def entity_id(kind: str, name: str) -> str:
    """Stable id of an entity: its type and a hash of the matching form of its canonical name."""
    return f"{kind}:{hashlib.sha1(matching_form(name).encode()).hexdigest()[:16]}"


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A name's folded words, memoised: an article asks it of each mention's name two or three times."""
    return tuple(map(fold, name.split()))


def _short_forms(mentions: list[Mention]) -> dict[tuple[str, ...], tuple[str, str]]:
    """Word sequences that stand for one full name in this article → (type, full name); a name given
    two types takes the one it has most often (the first on a tie), the same in every run."""
    forms: dict[tuple[str, ...], Counter[tuple[str, str]]] = defaultdict(Counter)
    for mention in sorted(mentions, key=lambda m: -len(m.name.split())):
        words = _words(mention.name)
        owner = (mention.type, mention.name)
        if len(words) < 2:
            if not forms[words]:  # a short form of a longer name, or itself
                forms[words][owner] += 1
            continue
        forms[words][owner] += 1
        if mention.type == "PERSON" and len(words[-1]) >= _MIN_SHORT_NAME and words[-1] not in lx.AR_STOP \
                and words[-1] not in lx.EN_STOP_CAPS:
            forms[words[-1:]][owner] += 1
        if mention.type == "PERSON" and mention.name.isascii() and len(words[0]) >= _MIN_SHORT_NAME \
                and words[0] not in lx.EN_STOP_CAPS and words[0] not in lx.EN_TITLES:
            forms[words[:1]][owner] += 1  # a first name alone ("Sonny" after "Sonny Parker")
        head = words[0].removeprefix("ال")
        if mention.type == "ORG" and head in lx.AR_ORG_HEADS:
            forms[("ال" + head,)][owner] += 1
    return {words: owners.most_common(1)[0][0] for words, owners in forms.items() if len({o[1] for o in owners}) == 1}


_PROCLITIC_LETTERS = frozenset("وفبلك")
_FEW_SURFACES = 64  # an article with no more known surfaces tries them all on a span: cheaper than indexing them
_ALNUM_RUN = re.compile(r"[^\W_]+")  # a run of characters ``str.isalnum`` accepts: ``\w`` is them and "_"


def _known_surfaces(text: str, mentions: list[Mention]) -> dict[str, tuple[str, str, int]]:
    """Surface text of each mention → (its commonest type, its name, how many mentions have that surface)."""
    seen: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for mention in sorted(mentions, key=attrgetter("start")):
        seen[text[mention.start:mention.end]][mention.type, mention.name] += 1
    return {surface: (*owners.most_common(1)[0][0], owners.total()) for surface, owners in seen.items()}


def _whole_word_at(span: str, index: int, length: int) -> bool:
    """Whether ``span[index:index + length]`` is whole words (an Arabic proclitic letter may precede it)."""
    before = span[index - 1] if index else " "
    if before in _PROCLITIC_LETTERS and (index < 2 or span[index - 2].isspace()):
        before = " "
    after = span[index + length] if index + length < len(span) else " "
    return not before.isalnum() and not after.isalnum()


class _SurfaceIndex:
    """An article's known surfaces, longest first, found by the run of letters and digits they open with, so
    that a span is searched only for surfaces that could stand in it as whole words (trying all of them on
    every span grew with the square of the names)."""

    def __init__(self, known: dict[str, tuple[str, str, int]]) -> None:
        self.longest_first = sorted(known, key=len, reverse=True)
        self._by_opening_run: dict[str, list[int]] | None = None  # built when first asked: most articles never are

    def within(self, span: str) -> list[str]:
        """The surfaces, longest first, that may stand whole in ``span``: a surface that does opens with one
        of its runs of letters and digits, or with such a run less a proclitic letter (:func:`_whole_word_at`)."""
        if len(self.longest_first) <= _FEW_SURFACES:
            return self.longest_first
        if self._by_opening_run is None:
            self._by_opening_run = defaultdict(list)  # "" holds the surfaces that open with another character
            for place, surface in enumerate(self.longest_first):
                run = _ALNUM_RUN.match(surface)
                self._by_opening_run[run[0] if run else ""].append(place)
        places = set(self._by_opening_run.get("", ()))
        for run in _ALNUM_RUN.findall(span):
            places.update(self._by_opening_run.get(run, ()))
            if run[0] in _PROCLITIC_LETTERS:
                places.update(self._by_opening_run.get(run[1:], ()))
        return [self.longest_first[place] for place in sorted(places)]


def _strung_names(text: str, mention: Mention, known: dict[str, tuple[str, str, int]], surfaces: _SurfaceIndex) -> list[Mention]:
    """The other names a once-seen span strings together ("[لقوات سوريا الديمقراطية] وسط مدينة [دير الزور]"),
    when there are at least two of them and the span opens with one ("University of [California], [Los
    Angeles]" is one name); else no names."""
    span = text[mention.start:mention.end]
    if len(span.split()) < 3 or known[span][2] > 1:
        return []
    pieces: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for surface in surfaces.within(span):
        index = span.find(surface) if surface != span else -1
        if index < 0 or not _whole_word_at(span, index, len(surface)):
            continue
        if all(index >= end or index + len(surface) <= start for start, end in taken):
            kind, name, _ = known[surface]
            taken.append((index, index + len(surface)))
            pieces.append(Mention(kind, mention.start + index, mention.start + index + len(surface), name))
    opens_with_name = any(start <= 1 for start, _ in taken)  # after at most a proclitic letter
    return pieces if len(pieces) >= 2 and opens_with_name else []


def _without_medium(text: str, mention: Mention, known: dict[str, tuple[str, str, int]]) -> Mention:
    """An outlet's mention without the word for its medium before it, when the article also names it alone."""
    surface = text[mention.start:mention.end]
    first, _, rest = surface.partition(" ")
    if rest and fold(first) in lx.AR_MEDIA_DESCRIPTORS and known.get(rest, ("",))[0] == mention.type:
        start = mention.end - len(rest)
        return Mention(mention.type, start, mention.end, known[rest][1])
    return mention


def harmonise(text: str, mentions: list[Mention]) -> list[Mention]:
    """Make one article's mentions agree with each other: a once-seen span that strings two other names
    together becomes those names; a span followed by the rest of a longer name seen elsewhere in the
    article takes the whole of it ("[دير] الزور"); an outlet's name after a word for its medium is that
    name ("موقع [ميدل إيست آي]"); a name given two types takes the one most of its mentions have."""
    known = _known_surfaces(text, mentions)
    surfaces = _SurfaceIndex(known)
    longest_first = surfaces.longest_first
    pieces = [_strung_names(text, mention, known, surfaces) for mention in mentions]
    split = [part for mention, parts in zip(mentions, pieces) for part in (parts or [mention])]
    by_first_word: dict[str, list[str]] = defaultdict(list)
    for surface in longest_first:
        if " " in surface:
            by_first_word[surface.split(" ", 1)[0]].append(surface)
    starts = sorted(m.start for m in split)
    extended = []
    for mention in split:
        surface = text[mention.start:mention.end]
        for longer in by_first_word.get(surface.split(" ", 1)[0], ()):
            end = mention.start + len(longer)
            if len(longer) > len(surface) and longer.startswith(surface) and text.startswith(longer, mention.start) \
                    and (end == len(text) or not text[end].isalnum()) \
                    and bisect.bisect_left(starts, end) == bisect.bisect_right(starts, mention.start):
                kind, name, _ = known[longer]
                mention = Mention(kind, mention.start, end, name)
                break
        extended.append(_without_medium(text, mention, known))
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in extended:
        types[matching_form(mention.name)][mention.type] += 1
    harmonised = []
    for mention in extended:
        ranked = types[matching_form(mention.name)].most_common(2)
        if len(ranked) == 2 and ranked[0][1] > ranked[1][1] and mention.type != ranked[0][0]:
            mention = Mention(ranked[0][0], mention.start, mention.end, mention.name)
        harmonised.append(mention)
    return harmonised


def _keys_ending_with(keys: set[str], endings: set[str]) -> set[str]:
    """Those of ``keys`` that end with one of ``endings``; each key is tried only against the endings that
    share its last letter (an article's few dozen endings, a handful a letter)."""
    if "" in endings:
        return keys
    by_last: dict[str, tuple[str, ...]] = {}
    for ending in endings:
        by_last[ending[-1]] = (*by_last.get(ending[-1], ()), ending)
    return {key for key in keys if key.endswith(by_last.get(key[-1:], ()))}


def propagate(text: str, tokens: list[Token], mentions: list[Mention], names: list[Mention] | None = None) -> list[Mention]:
    """``mentions`` plus every other occurrence of a name (or short form) that ``names`` (default: the
    mentions themselves) established."""
    forms = _short_forms(mentions if names is None else names)
    if not forms:
        return list(mentions)
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = defaultdict(list)
    for words, owner in sorted(forms.items(), key=lambda item: -len(item[0])):
        by_first[words[0]].append((words[1:], owner))
    covered = Ranges((m.start, m.end) for m in mentions)
    found = list(mentions)
    # Every proclitic reading of a key ends with its stem (bar an article put back): keys that end with
    # no first word of a form cannot open one.
    firsts = _keys_ending_with(set(map(_KEY, tokens)), {word.removeprefix("ال") for word in by_first})
    # A one-word Latin form the text also writes in lower case is a common word there ("Will", "Bill").
    common = {t.key for t in tokens if t.is_word and not t.is_arabic and t.text.islower()}
    after = 0  # the first index not inside the last occurrence found
    for index in compress(count(), map(firsts.__contains__, map(_KEY, tokens))):
        if index < after:
            continue
        token = tokens[index]
        match = None
        if token.is_word and (token.is_arabic or token.text[0].isupper()):
            for stripped, stem in proclitic_splits(token.key) if token.is_arabic else ((0, token.key),):
                if stem not in by_first or token.key[:stripped].endswith("ال"):
                    continue
                for rest, owner in by_first[stem]:
                    if not rest and not token.is_arabic and stem in common:
                        continue
                    last = index + len(rest)
                    if last < len(tokens) and all(tokens[index + 1 + k].key == word for k, word in enumerate(rest)):
                        match = (owner, stripped, last)
                        break
                if match:
                    break
        if match:
            (kind, name), stripped, last = match
            start, end = surface_offset(token, stripped), tokens[last].end
            if not covered.overlap(start, end):
                found.append(Mention(kind, start, end, name))
            after = last + 1
    return found


def build_entities(text: str, mentions: list[Mention]) -> list[dict[str, Any]]:
    """Group mentions into entities (one per type and canonical name), ordered by first mention."""
    forms = _short_forms(mentions)
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda m: m.start):
        owner = forms.get(_words(mention.name))
        name = owner[1] if owner and owner[0] == mention.type else mention.name
        groups[mention.type, matching_form(name)].append(Mention(mention.type, mention.start, mention.end, name))
    entities = []
    for (kind, _), members in groups.items():
        name = max((m.name for m in members), key=len)
        entities.append({
            "id": entity_id(kind, name),
            "text": name,
            "type": kind,
            "mentions": [{"start": m.start, "end": m.end, "text": text[m.start:m.end]} for m in members],
        })
    entities.sort(key=lambda e: e["mentions"][0]["start"])
    return entities
