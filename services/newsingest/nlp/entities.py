"""Rule- and lexicon-based named entities for Arabic and English news: PERSON, ORG, LOC, NORP.

No statistical model: persons come from titles ("الرئيس بشار الأسد", "Ms Hewitt") and quote
speakers, organisations from head nouns ("وزارة الدفاع السورية", "Court of Appeals") and fixed
names, places from the gazetteer (n-grams, Arabic proclitics stripped so "بحلب" → "حلب"), and
English capitalised sequences are typed by what they contain. Mentions then merge into entities: a
later short mention that is a known person's last name ("الأسد", "Hewitt") or an organisation's
bare head ("المرصد") joins that entity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from newsingest.nlp import gazetteer
from newsingest.nlp import lexicon as lx
from newsingest.nlp.normalize import matching_form
from newsingest.nlp.tokens import Token, fold, proclitic_splits, surface_offset

_MAX_NAME_TOKENS = 4
_MAX_DESCRIPTOR = 6
_MAX_ORG_CHAIN = 3
_MAX_PLACE_WORDS = 3
_BIG_PLACE = 50_000
_NAME_JOINERS = {"عبد", "ابو", "بن", "ابن", "ام", "ال", "ذو", "al", "bin", "ibn", "abu", "de", "van", "von", "el", "da"}
_AR_PLACE_CUES = {"في", "من", "الي", "مدينه", "بلده", "قريه", "محافظه", "منطقه", "ولايه", "اقليم", "شمال", "جنوب", "شرق",
                  "غرب", "قرب", "عاصمه", "حي", "بلدة", "مخيم"}
_EN_PLACE_CUES = {"in", "at", "from", "to", "near", "across", "into", "outside", "inside", "towards"}
# Words that are (also) names of places in the gazetteer but mostly mean something else in news prose,
# and place-type nouns that must not open a place name ("مدينة حمص" → "حمص").
_LOC_STOP = set(lx.AR_STOP) | {fold(w) for w in """
مدينة المدينة دولة الدولة الجزيرة اليوم مكانه الثاني جيزة أمل الأمل آمل صور الصور شمال جنوب شرق غرب الشمال الجنوب
الشرق الغرب الوسط فراغ الفراغ روس محافظة بلدة قرية ولاية منطقة إقليم مخيم حي سلام السلام عمر النصر
""".split()}


@dataclass(slots=True)
class Mention:
    """A typed span of the text and the name it stands for (proclitics dropped, article restored)."""

    type: str
    start: int
    end: int
    name: str


@dataclass(slots=True)
class _Scan:
    text: str
    tokens: list[Token]
    mentions: list[Mention] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)  # token indices inside a mention
    person_keys: set[str] = field(default_factory=set)
    breaks: set[int] = field(default_factory=set)  # token indices that open a new paragraph

    def __post_init__(self) -> None:
        self.breaks = {i for i in range(1, len(self.tokens))
                       if "\n" in self.text[self.tokens[i - 1].end:self.tokens[i].start]}

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


@lru_cache(maxsize=65536)
def _stem_in(key: str, vocabulary: frozenset[str]) -> bool:
    """Whether some proclitic reading of ``key`` is in ``vocabulary`` ("وقال" → "قال")."""
    return any(stem in vocabulary for _, stem in proclitic_splits(key))


@lru_cache(maxsize=65536)
def _org_head_key(key: str) -> tuple[int, bool] | None:
    """(proclitic letters, has article) when ``key`` is an organisation head noun ("وزارة", "للمرصد")."""
    for stripped, stem in proclitic_splits(key):
        if stem in lx.AR_ORG_HEADS:
            return stripped, False
        if stem.startswith("ال") and stem[2:] in lx.AR_ORG_HEADS:
            return stripped, True
    return None


def _org_head(token: Token) -> tuple[int, bool] | None:
    return _org_head_key(token.key) if token.is_arabic else None


def _is_nisba(key: str) -> bool:
    """A definite adjective of relation: السوري، الديمقراطية، الدولي …"""
    return key.startswith("ال") and len(key) > 4 and key.endswith(("ي", "يه", "يين", "يون"))


def _stops_name(token: Token) -> bool:
    return not token.is_arabic or _breaks_name(token.key)


@lru_cache(maxsize=65536)
def _breaks_name(key: str) -> bool:
    return key in lx.AR_STOP or _org_head_key(key) is not None or any(
        _stem_in(key, words) for words in (lx.AR_TITLES, lx.AR_VERBS, lx.AR_SAY))


def _name_run(scan: _Scan, start: int, step: int = 1) -> list[int]:
    """Indices of an Arabic personal name read from ``start`` forwards (step 1) or backwards (step -1)."""
    tokens = scan.tokens
    run: list[int] = []
    index = start
    while 0 <= index < len(tokens) and len(run) < _MAX_NAME_TOKENS:
        token = tokens[index]
        if _stops_name(token) or (run and (index if step > 0 else index + 1) in scan.breaks):
            break
        definite = token.key.startswith("ال")
        if step > 0 and not run and definite:
            break
        run.append(index)
        index += step
        previous = tokens[index - 2 * step].key if len(run) > 1 else ""
        if step > 0 and definite and previous not in _NAME_JOINERS:
            break  # a family name with the article closes the name ("بشار الأسد")
    if step < 0:
        run.reverse()
        while run and tokens[run[0]].key.startswith("ال"):
            run.pop(0)
    return run


def _descriptor_end(scan: _Scan, index: int) -> int:
    """First index after a title's descriptor: adjectives, genitives, an organisation, "إلى سوريا" …"""
    tokens = scan.tokens
    limit = min(len(tokens), index + _MAX_DESCRIPTOR)
    while index < limit and tokens[index].is_arabic:
        key = tokens[index].key
        if _org_head(tokens[index]) and key not in lx.AR_STOP:
            index = max(index + 1, _org_end(scan, index, strict=False) + 1)
        elif key in lx.AR_TITLE_PREPOSITIONS:
            index += 2
        elif key in lx.AR_TITLE_NOUNS or key in lx.AR_TITLES or (key.startswith(("ال", "لل")) and key not in lx.AR_STOP):
            index += 1
        else:
            break
    return index


def _arabic_persons(scan: _Scan) -> None:
    tokens = scan.tokens
    for index, token in enumerate(tokens):
        if index in scan.taken or not token.is_arabic or not _stem_in(token.key, lx.AR_TITLES):
            continue
        after = _descriptor_end(scan, index + 1)
        run = _name_run(scan, after) if after < len(tokens) else []
        if not run and after < len(tokens) - 1 and tokens[after].text in "،,":
            run = _appositive(scan, after + 1)  # "مدير المرصد …، رامي عبد الرحمن، إن"
        if not run and after > index + 1:  # "أبو محمد الجولاني، زعيم هيئة تحرير الشام"
            back = index - 1 - (index > 0 and tokens[index - 1].text in "،,")
            run = _name_run(scan, back, step=-1) if back >= 0 else []
            run = run if len(run) >= 2 else []
        if run and scan.free(run[0], run[-1]):
            scan.add("PERSON", run[0], run[-1])


def _appositive(scan: _Scan, start: int) -> list[int]:
    """A name set off by commas after a title's descriptor: at least two words, then "،" / "إن" / ":"."""
    run = _name_run(scan, start)
    end = run[-1] + 1 if run else start
    closed = end < len(scan.tokens) and (scan.tokens[end].text in "،,:" or scan.tokens[end].key in ("ان", "انه"))
    return run if len(run) >= 2 and closed else []


def _org_end(scan: _Scan, index: int, strict: bool = True) -> int:
    """Last index of an organisation name opened by the head at ``index``; -1 when it is generic."""
    tokens = scan.tokens
    stripped, definite = _org_head(tokens[index]) or (0, False)
    stem = next(k for s, k in proclitic_splits(tokens[index].key) if s == stripped).removeprefix("ال")
    chain_open, chain, used_lam, proper = not definite, 0, False, False
    complements: list[str] = []
    position = index + 1
    while position < len(tokens) and position not in scan.breaks:
        token = tokens[position]
        key = token.key
        if not token.is_arabic or key in lx.AR_STOP or key in lx.AR_TITLES or key in lx.AR_VERBS \
                or key in lx.AR_SAY or key in scan.person_keys or key.startswith("و"):
            break
        if _is_nisba(key):
            chain_open = False
            proper = proper or gazetteer.demonym_country(key) is not None
        elif chain_open and key.startswith("ال"):
            chain_open = False
        elif chain_open and chain < _MAX_ORG_CHAIN and not key.startswith("لل"):
            chain += 1
            proper = True
        elif key.startswith("ل") and not used_lam:
            chain_open, used_lam = False, True
            nxt = tokens[position + 1] if position + 1 < len(tokens) else None
            if nxt is not None and nxt.is_arabic and nxt.key.startswith("ال") and nxt.key not in lx.AR_STOP:
                complements.append(key)
                position += 1
        else:
            break
        complements.append(tokens[position].key)
        position += 1
    if not complements:
        return -1
    if strict and stem in lx.AR_WEAK_ORG_HEADS and not proper:
        return -1  # "قوات النظام", "القوات الموالية للأسد": generic, not a name
    return position - 1


_FIXED_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(lx.AR_FIXED_ORGS, key=len, reverse=True):
    _FIXED_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


@lru_cache(maxsize=65536)
def _fixed_starts(key: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(proclitic letters, phrase) for the fixed organisation names ``key`` may open."""
    return tuple((stripped, phrase) for stripped, stem in proclitic_splits(key) for phrase in _FIXED_BY_FIRST.get(stem, ()))


def _fixed_org(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """(proclitic letters, last index) when a fixed organisation name ("الأمم المتحدة") starts at ``index``."""
    for stripped, phrase in _fixed_starts(tokens[index].key):
        end = index + len(phrase) - 1
        if end < len(tokens) and all(tokens[index + k].key == phrase[k] for k in range(1, len(phrase))):
            return stripped, end
    return None


def _arabic_orgs(scan: _Scan) -> None:
    tokens = scan.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index in scan.taken or not token.is_arabic:
            index += 1
            continue
        fixed = _fixed_org(tokens, index)
        head = _org_head(token)
        end = fixed[1] if fixed else _org_end(scan, index) if head else -1
        if end >= index and scan.free(index, end):
            stripped = fixed[0] if fixed else head[0]
            scan.add("ORG", index, end, stripped)
            index = end + 1
        else:
            index += 1


def _latin_runs(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Runs of capitalised Latin words, joined by lower-case connectors or glued hyphens."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not (token.is_word and not token.is_arabic and token.text[0].isupper()):
            index += 1
            continue
        last = index
        probe = index + 1
        while probe < len(tokens):
            nxt = tokens[probe]
            if nxt.is_word and not nxt.is_arabic and nxt.text[0].isupper():
                last = probe
                probe += 1
            elif (nxt.key in ("of", "for", "the", "and", "de", "al", "bin", "el", "-")
                  and (nxt.text != "-" or nxt.start == tokens[probe - 1].end)):
                probe += 1
            else:
                break
        yield index, last
        index = last + 1


def _latin_type(words: list[str], titled: bool) -> str | None:
    keys = [w.lower() for w in words]
    if any(k in lx.EN_ORG_HEADS for k in keys) or " ".join(keys) in lx.EN_FIXED_ORGS:
        return "ORG"
    if len(words) == 1:
        word = words[0]
        if gazetteer.demonym_country(word):
            return "NORP"
        if titled:
            return "PERSON"
        if word.isupper() and 2 <= len(word) <= 6:
            places = gazetteer.candidates(word)
            return "LOC" if places and places[0].feature_class in ("A", "L") else "ORG"
        return None
    if titled or (len(words) <= _MAX_NAME_TOKENS and not any(k in lx.EN_NON_NAME for k in keys)
                  and not any(gazetteer.demonym_country(w) for w in words)):
        return "PERSON"
    return None


def _latin_entities(scan: _Scan) -> None:
    tokens = scan.tokens
    for first, last in _latin_runs(tokens):
        while first <= last and (tokens[first].key in lx.EN_STOP_CAPS or tokens[first].key in lx.EN_NON_NAME):
            first += 1  # sentence-initial "The", "But", month and day names …
        while last >= first and not tokens[last].text[0].isupper():
            last -= 1
        if first > last:
            continue
        titles = [i for i in range(first, last + 1) if tokens[i].key in lx.EN_TITLES]
        titled = bool(titles) or (first > 0 and tokens[first - 1].key in lx.EN_TITLES)
        if titles and not any(tokens[i].key in lx.EN_ORG_HEADS for i in range(first, last + 1)):
            first = titles[-1] + 1
            while first <= last and (tokens[first].key in lx.EN_NON_NAME or not tokens[first].text[0].isupper()):
                first += 1
            if first > last:
                continue
        words = [t.text for t in tokens[first:last + 1] if t.is_word]
        key = " ".join(w.lower() for w in words)
        if not titled and not (len(words) == 1 and key in lx.EN_FIXED_ORGS) and _place(key):
            kind = "LOC" if len(words) > 1 or _single_place_ok(scan, first, key) else None
        else:
            kind = _latin_type(words, titled)
        if kind and scan.free(first, last):
            scan.add(kind, first, last)


_PLACE_CACHE: dict[str, bool] = {}


def _place(key: str) -> bool:
    known = _PLACE_CACHE.get(key)
    if known is None:
        known = _PLACE_CACHE[key] = key not in _LOC_STOP and gazetteer.is_place_name(key) \
            and not gazetteer.demonym_country(key)
    return known


def _single_place_ok(scan: _Scan, index: int, stem: str, stripped: int = 0) -> bool:
    """A one-word place is taken when big, a country/region, behind a proclitic ("بحلب") or a cue ("في نوى")."""
    if scan.tokens[index].key in scan.person_keys:
        return False
    best = gazetteer.candidates(stem)[0]
    if best.feature_class in ("A", "L") or best.population >= _BIG_PLACE:
        return True
    if any(c in scan.tokens[index].key[:stripped] for c in "بلك"):
        return True  # "بنوى", "لحمص": a preposition glued on
    previous = scan.tokens[index - 1].key if index else ""
    return previous in _AR_PLACE_CUES or previous in _EN_PLACE_CUES


@lru_cache(maxsize=65536)
def _place_stems(key: str) -> tuple[tuple[int, str], ...]:
    """Proclitic readings of a word that may open a place name (the article is never stripped)."""
    return tuple((stripped, stem) for stripped, stem in proclitic_splits(key)
                 if stem not in _LOC_STOP and not key[:stripped].endswith("ال"))


def _arabic_places(scan: _Scan) -> None:
    tokens = scan.tokens
    longest = min(_MAX_PLACE_WORDS, gazetteer.max_name_words())
    taken = scan.taken
    index = 0
    while index < len(tokens):
        token = tokens[index]
        stems = _place_stems(token.key) if token.is_arabic and index not in taken else ()
        found = None
        if stems:
            tail = ""
            tails = [(0, "")]
            for size in range(1, longest):
                nxt = index + size
                if nxt >= len(tokens) or not tokens[nxt].is_arabic or nxt in taken or nxt in scan.breaks \
                        or tokens[nxt].key in lx.AR_STOP:
                    break
                tail += " " + tokens[nxt].key
                tails.append((size, tail))
            for size, tail in reversed(tails):
                for stripped, stem in stems:
                    if _place(stem + tail) and (size or _single_place_ok(scan, index, stem, stripped)):
                        found = (stripped, index + size)
                        break
                if found:
                    break
        if found:
            scan.add("LOC", index, found[1], found[0])
            index = found[1] + 1
        else:
            index += 1


def find_mentions(text: str, tokens: list[Token]) -> list[Mention]:
    """Typed mentions in ``text`` (non-overlapping): persons by title, organisations, then places."""
    scan = _Scan(text, tokens)
    _arabic_persons(scan)
    _latin_entities(scan)
    _arabic_orgs(scan)
    _arabic_places(scan)
    return scan.mentions
