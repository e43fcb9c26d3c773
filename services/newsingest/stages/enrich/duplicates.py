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
import bisect
import hashlib
import math
import mmap
import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from newsingest.text.folding import fold_text
from newsingest.text.tokens import word_runs

try:  # built from _sketch.c at install; without a C compiler, _python_sketch does the same work
    from newsingest.stages.enrich._sketch import sketch as _compiled_sketch
except ImportError:  # pragma: no cover - depends on the install
    _compiled_sketch = None


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
HASH_BYTES = 16  # content_hash: 32 hex digits


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
        """The inverse of :meth:`as_json`; ``ValueError`` for a sketch longer than ``SKETCH_SIZE`` (no fingerprint of ours)."""
        packed = base64.b64decode(data["sketch"])
        sketch = struct.unpack(f">{len(packed) // 4}I", packed)
        if len(sketch) > SKETCH_SIZE:
            raise ValueError(f"sketch of {len(sketch)} values, more than {SKETCH_SIZE}")
        return cls(str(data["content_hash"]), int(data["shingles"]), sketch, frozenset(int(n) for n in data.get("names", ())))


def fingerprint(text: str, names: Iterable[str] = ()) -> Fingerprint:
    """The fingerprint of an article's clean ``text`` and the surface names of its entities."""
    joined, shingles, sketch = (_compiled_sketch or _python_sketch)(fold_text(text), SHINGLE_WORDS, SKETCH_SIZE)
    digest = hashlib.blake2b(joined, digest_size=16).hexdigest()
    name_keys = frozenset(map(zlib.crc32, map(str.encode, word_runs(fold_text("\n".join(names))))))
    return Fingerprint(digest, shingles, sketch, name_keys)


def _python_sketch(folded: str, shingle_words: int, size: int) -> tuple[bytes, int, tuple[int, ...]]:
    """(the words of ``folded`` joined by spaces as UTF-8, how many distinct CRC-32 values its shingles of
    ``shingle_words`` words have, the ``size`` smallest of them ascending): the reference for the compiled
    ``_sketch.sketch``, which does the same in C."""
    runs = word_runs(folded)
    shingles = set(map(zlib.crc32, map(str.encode, map(" ".join, _shingles(runs, shingle_words)))))
    return " ".join(runs).encode("utf-8"), len(shingles), tuple(sorted(shingles)[:size])


def _shingles(words: list[str], size: int) -> Iterable[tuple[str, ...]]:
    """The runs of ``size`` words; a shorter text is one shingle of all its words (none: one empty shingle)."""
    if len(words) < size:
        return [tuple(words)]
    return zip(*(words[i:] for i in range(size)))


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    """Bottom-k estimate of the Jaccard similarity of two texts' shingle sets.

    The ``SKETCH_SIZE`` smallest values of the union of the two sketches are a sample of the union of
    the shingle sets; the share of that sample found in both sketches estimates the similarity.
    """
    # each sketch ascending and without repeats: dict.fromkeys keeps them as two ascending runs, which sorted merges
    union = sorted(dict.fromkeys(a.sketch + b.sketch))[:SKETCH_SIZE]
    if not union:
        return 0.0
    below = a.sketch[:bisect.bisect_right(a.sketch, union[-1])]
    return len(set(below).intersection(b.sketch)) / len(union)


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
    """Fingerprints of first-seen articles, oldest first; holds at most ``max_articles`` (the oldest go first).

    Kept in flat arrays, not Python objects: a ring of ``max_articles`` slots, each with its sketch
    (128 × 4 bytes), shingle count and content hash, and an open-addressing table of the probe values
    (4 bytes an entry, two thirds full at most) for candidate lookup. The arrays live in anonymous memory
    that the system commits page by page as slots fill, so an index far from full costs little.
    About 1 KB per article in all (README, Duplicates across the stream).
    """

    def __init__(self, max_articles: int = DEFAULT_MAX_ARTICLES) -> None:
        self.max_articles = max_articles
        self._sketches = _zeros(max_articles * SKETCH_SIZE, "I")  # slot s holds its sketch at [s * SKETCH_SIZE:]
        self._lengths = _zeros(max_articles, "B")  # sketch lengths (texts of few shingles have short sketches)
        self._shingles = _zeros(max_articles, "I")
        self._hashes = _zeros(max_articles * HASH_BYTES, "B")
        # Probe table: 0 is empty, else 1 + slot * PROBES + k for the k-th smallest value of a slot's sketch.
        self._table_size = 3 * max_articles * PROBES // 2 + 1
        self._table = _zeros(self._table_size, "I")
        self._ids: list[str] = []  # by slot
        self._names: list[bytes] = []  # by slot: the name hashes as packed 32-bit values
        self._present: set[str] = set()
        self._exact: dict[int, str] = {}  # content hash → first article with it
        self._name_counts: Counter[int] = Counter()  # articles indexed per name word
        self._oldest = 0  # slot of the oldest article once the ring is full

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._present

    def find(self, print_: Fingerprint) -> Match | None:
        """The earliest indexed article that ``print_`` copies exactly (checked first) or nearly, or None."""
        first = self._exact.get(int(print_.content_hash, 16))
        if first is not None:
            return Match(first, "exact")
        if print_.shingles < MIN_NEAR_SHINGLES:
            return None
        candidates: set[int] = set()
        for value in print_.sketch[:PROBES]:
            posting = self._posting(value)
            if len(posting) <= MAX_POSTING:
                candidates.update(posting)
        for slot in sorted(candidates, key=self._age):
            if is_near_copy(print_, self._fingerprint(slot), self.name_weight):
                return Match(self._ids[slot], "near")
        return None

    def fingerprint_of(self, article_id: str) -> Fingerprint:
        """The fingerprint indexed for ``article_id`` (``KeyError`` when it is not indexed)."""
        if article_id not in self._present:
            raise KeyError(article_id)
        return self._fingerprint(self._ids.index(article_id))

    def name_weight(self, name: int) -> float:
        """Inverse document frequency of a name word among the indexed articles: the leaders every story names count little."""
        return math.log((len(self) + 1) / (self._name_counts[name] + 1)) + 1e-3

    def add(self, article_id: str, print_: Fingerprint) -> None:
        """Index ``article_id`` as first seen; an id already indexed keeps its first fingerprint."""
        if article_id in self._present:
            return
        if len(self._ids) < self.max_articles:
            slot = len(self._ids)
            self._ids.append(article_id)
            self._names.append(b"")
        else:
            slot = self._oldest
            self._evict(slot)
            self._oldest = (slot + 1) % self.max_articles
            self._ids[slot] = article_id
        self._present.add(article_id)
        start = slot * SKETCH_SIZE
        self._sketches[start : start + len(print_.sketch)] = array("I", print_.sketch)
        self._lengths[slot] = len(print_.sketch)
        self._shingles[slot] = print_.shingles
        self._hashes[slot * HASH_BYTES : (slot + 1) * HASH_BYTES] = bytes.fromhex(print_.content_hash)
        self._names[slot] = array("I", sorted(print_.names)).tobytes()
        self._exact.setdefault(int(print_.content_hash, 16), article_id)
        for k, value in enumerate(print_.sketch[:PROBES]):
            self._post(value, 1 + slot * PROBES + k)
        self._name_counts.update(print_.names)

    def _fingerprint(self, slot: int) -> Fingerprint:
        start = slot * SKETCH_SIZE
        content_hash = bytes(self._hashes[slot * HASH_BYTES : (slot + 1) * HASH_BYTES]).hex()
        names = frozenset(array("I", self._names[slot]))
        return Fingerprint(content_hash, self._shingles[slot], tuple(self._sketches[start : start + self._lengths[slot]]), names)

    def _age(self, slot: int) -> int:
        """Rank of ``slot`` from the oldest article (0) to the newest."""
        return (slot - self._oldest) % self.max_articles

    def _home(self, value: int) -> int:
        return (value * 2654435761) % self._table_size  # Fibonacci hashing spreads the small values bottom-k sketches keep

    def _value(self, entry: int) -> int:
        slot, k = divmod(entry - 1, PROBES)
        return self._sketches[slot * SKETCH_SIZE + k]

    def _posting(self, value: int) -> list[int]:
        """Slots whose probes include ``value`` (linear probing from its home to the first empty entry)."""
        table, size = self._table, self._table_size
        slots = []
        position = self._home(value)
        while entry := table[position]:
            if self._value(entry) == value:
                slots.append((entry - 1) // PROBES)
            position = (position + 1) % size
        return slots

    def _post(self, value: int, entry: int) -> None:
        table, size = self._table, self._table_size
        position = self._home(value)
        while table[position]:
            position = (position + 1) % size
        table[position] = entry

    def _unpost(self, value: int, entry: int) -> None:
        """Remove ``entry`` and shift the entries after it back, so that no lookup stops early (no tombstones)."""
        table, size = self._table, self._table_size
        hole = self._home(value)
        while table[hole] != entry:
            hole = (hole + 1) % size
        later = (hole + 1) % size
        while moved := table[later]:
            home = self._home(self._value(moved))
            # ``moved`` may fill the hole unless its home lies cyclically in (hole, later]
            if (home <= hole or home > later) if hole < later else (home <= hole and home > later):
                table[hole] = moved
                hole = later
            later = (later + 1) % size
        table[hole] = 0

    def _evict(self, slot: int) -> None:
        article_id = self._ids[slot]
        self._present.discard(article_id)
        content_hash = int.from_bytes(self._hashes[slot * HASH_BYTES : (slot + 1) * HASH_BYTES], "big")
        if self._exact.get(content_hash) == article_id:
            del self._exact[content_hash]
        for name in array("I", self._names[slot]):
            self._name_counts[name] -= 1
            if not self._name_counts[name]:
                del self._name_counts[name]
        start = slot * SKETCH_SIZE
        for k in range(min(PROBES, self._lengths[slot])):
            self._unpost(self._sketches[start + k], 1 + slot * PROBES + k)


def _zeros(count: int, code: str) -> memoryview:
    """``count`` zeroed values of array type ``code`` in anonymous memory, committed page by page as they are written."""
    return memoryview(mmap.mmap(-1, count * array(code).itemsize)).cast(code)


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
