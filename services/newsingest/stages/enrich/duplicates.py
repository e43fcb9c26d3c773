"""Content fingerprints of articles, and an in-memory index that finds the first copy of an article.

A :class:`Fingerprint` is computed from an article's clean text in matching form (see
:mod:`newsingest.text.folding`), never its headline, so a story republished under another headline
still matches:

* ``content_hash`` — a hash of the words: texts differing only in spacing, punctuation, diacritics or
  letter variants are *exact* duplicates;
* ``sketch`` — a bottom-k MinHash sketch: the ``SKETCH_SIZE`` smallest CRC-32 values of the text's word
  4-grams (shingles). Two sketches estimate the Jaccard similarity of the two shingle sets;
* ``names`` — hashes of the words of the article's named entities (people, places, organisations), which tell a
  story from another one written on the same template ("the King congratulates the president of X").

:class:`DuplicateIndex` answers "which earlier article is this one a copy of": the exact hash first,
then near copies — articles sharing one of the ``PROBES`` smallest sketch values are candidates, and a
candidate is a near copy when the estimated Jaccard similarity is high enough and their names agree. Everything is deterministic (no random seeds, no
Python ``hash``) so fingerprints can be stored and compared across processes.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
import zlib
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from heapq import nsmallest
from typing import Any

from newsingest.text.folding import matching_form


def event_id(record: dict[str, Any]) -> str:
    """The sink record's ``event_id``: 32 hex digits from ``article_id``, ``title`` and ``text``, so a
    reprocessed article repeats it and consumers de-duplicate exact repeats on it."""
    parts = (record["article_id"], record.get("title") or "", record["text"])
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


SHINGLE_WORDS = 4
SKETCH_SIZE = 128
PROBES = 16  # smallest sketch values indexed for candidate lookup
MAX_POSTING = 100  # a probe value shared by more articles is boilerplate ("the King received..."): not looked up
MIN_NEAR_SHINGLES = 20  # shorter texts are matched exactly only
NEAR_JACCARD = 0.25  # estimated Jaccard similarity of the shingle sets
NAME_AGREEMENT = 0.6  # weighted share of name words in common (see name_overlap)
DEFAULT_MAX_ARTICLES = 200_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of one article: exact hash, shingle count, MinHash sketch (ascending), name hashes."""

    content_hash: str
    shingles: int
    sketch: tuple[int, ...]
    names: frozenset[int] = frozenset()

    def as_json(self) -> dict[str, Any]:
        """A compact JSON form (the sketch as base64 of big-endian 32-bit values)."""
        return {
            "content_hash": self.content_hash,
            "shingles": self.shingles,
            "sketch": base64.b64encode(struct.pack(f">{len(self.sketch)}I", *self.sketch)).decode("ascii"),
            "names": sorted(self.names),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        """The inverse of :meth:`as_json`."""
        packed = base64.b64decode(data["sketch"])
        sketch = struct.unpack(f">{len(packed) // 4}I", packed)
        return cls(str(data["content_hash"]), int(data["shingles"]), sketch, frozenset(int(n) for n in data.get("names", ())))


def fingerprint(text: str, names: Iterable[str] = ()) -> Fingerprint:
    """The fingerprint of an article's clean ``text`` and the surface names of its entities."""
    words = _WORD.findall(matching_form(text))
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    count = max(1, len(words) - SHINGLE_WORDS + 1)
    crc = zlib.crc32
    shingles = {crc(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(count)}
    name_keys = frozenset(crc(word.encode()) for word in _WORD.findall(matching_form("\n".join(names))))
    return Fingerprint(digest, len(shingles), tuple(sorted(nsmallest(SKETCH_SIZE, shingles))), name_keys)


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    """Bottom-k estimate of the Jaccard similarity of two texts' shingle sets.

    The ``SKETCH_SIZE`` smallest values of the union of the two sketches are a sample of the union of
    the shingle sets; the share of that sample found in both sketches estimates the similarity.
    """
    union = sorted(set(a.sketch).union(b.sketch))[:SKETCH_SIZE]
    if not union:
        return 0.0
    cutoff = union[-1]
    return sum(1 for value in set(a.sketch).intersection(b.sketch) if value <= cutoff) / len(union)


def name_overlap(a: Fingerprint, b: Fingerprint, weight: Callable[[int], float] = lambda _: 1.0) -> float:
    """Weighted share of one article's name words found in the other's, on the side where it is higher.

    1 when either has no names. A story written on another's template names other people and places,
    so each side has names the other lacks; a republication keeps them, adding or dropping a few on one
    side. ``weight`` should make names common to many articles count less (see :class:`DuplicateIndex`).
    """
    if not a.names or not b.names:
        return 1.0
    shared = sum(weight(name) for name in a.names & b.names)
    smaller = min(sum(weight(name) for name in a.names), sum(weight(name) for name in b.names))
    return shared / smaller if smaller > 0 else 1.0


def is_near_copy(a: Fingerprint, b: Fingerprint, weight: Callable[[int], float] = lambda _: 1.0) -> bool:
    """Whether ``a`` and ``b`` are the same story with small edits: shingles alike, and the same names."""
    if min(a.shingles, b.shingles) < MIN_NEAR_SHINGLES:
        return False
    return jaccard(a, b) >= NEAR_JACCARD and name_overlap(a, b, weight) >= NAME_AGREEMENT


@dataclass(frozen=True)
class Match:
    """The first article an article copies, and how: ``exact`` or ``near``."""

    article_id: str
    kind: str


class DuplicateIndex:
    """Fingerprints of first-seen articles, oldest first; holds at most ``max_articles`` (the oldest go first)."""

    def __init__(self, max_articles: int = DEFAULT_MAX_ARTICLES) -> None:
        self.max_articles = max_articles
        self._entries: OrderedDict[str, tuple[int, Fingerprint]] = OrderedDict()
        self._exact: dict[str, str] = {}
        self._postings: defaultdict[int, list[str]] = defaultdict(list)
        self._name_counts: Counter[int] = Counter()  # articles indexed per name word
        self._added = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def find(self, print_: Fingerprint) -> Match | None:
        """The earliest indexed article that ``print_`` copies exactly (checked first) or nearly, or None."""
        first = self._exact.get(print_.content_hash)
        if first is not None:
            return Match(first, "exact")
        if print_.shingles < MIN_NEAR_SHINGLES:
            return None
        postings = (self._postings.get(value, ()) for value in print_.sketch[:PROBES])
        candidates = {article_id for posting in postings if len(posting) <= MAX_POSTING for article_id in posting}
        for _, candidate in sorted((self._entries[c][0], c) for c in candidates):
            if is_near_copy(print_, self._entries[candidate][1], self.name_weight):
                return Match(candidate, "near")
        return None

    def name_weight(self, name: int) -> float:
        """Inverse document frequency of a name word among the indexed articles: the leaders every story names count little."""
        return math.log((len(self._entries) + 1) / (self._name_counts[name] + 1)) + 1e-3

    def add(self, article_id: str, print_: Fingerprint) -> None:
        """Index ``article_id`` as first seen; an id already indexed keeps its first fingerprint."""
        if article_id in self._entries:
            return
        self._entries[article_id] = (self._added, print_)
        self._added += 1
        self._exact.setdefault(print_.content_hash, article_id)
        for value in print_.sketch[:PROBES]:
            self._postings[value].append(article_id)
        self._name_counts.update(print_.names)
        while len(self._entries) > self.max_articles:
            self._evict()

    def _evict(self) -> None:
        article_id, (_, print_) = self._entries.popitem(last=False)
        if self._exact.get(print_.content_hash) == article_id:
            del self._exact[print_.content_hash]
        for name in print_.names:
            self._name_counts[name] -= 1
            if not self._name_counts[name]:
                del self._name_counts[name]
        for value in print_.sketch[:PROBES]:
            posting = self._postings[value]
            posting.remove(article_id)
            if not posting:
                del self._postings[value]


def flag_duplicate(event: dict[str, Any], index: DuplicateIndex) -> Fingerprint | None:
    """Set ``duplicate_of``/``duplicate_kind`` on a sink record from ``index``; the fingerprint when the article is first seen.

    A first-seen article is added to ``index`` (the caller keeps its fingerprint, e.g. on the state
    topic). An article already indexed under its own id (re-processed) is first seen, not its own copy.
    """
    print_ = fingerprint(event["text"], (entity["text"] for entity in event.get("entities", ())))
    match = index.find(print_)
    if match is not None and match.article_id != event["article_id"]:
        event["duplicate_of"], event["duplicate_kind"] = match.article_id, match.kind
        return None
    event["duplicate_of"] = event["duplicate_kind"] = None
    index.add(event["article_id"], print_)
    return print_
