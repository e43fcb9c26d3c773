"""Arabic persons and organisations.

Persons follow titles ("الرئيس بشار الأسد", "الأمين العام للأمم المتحدة أنطونيو غوتيريش") or stand
before one in apposition ("أبو محمد الجولاني، زعيم …"); a name starts with a common given name or,
for foreign names, carries no article. Organisations open with a head noun and run through their
idafa chain and adjectives ("وزارة الدفاع السورية", "المرصد السوري لحقوق الإنسان"); a weak head
("قوات", "جيش") needs a proper-noun complement, so "قوات النظام" is not a name.
"""

from __future__ import annotations

from functools import lru_cache

from newsingest.geo import gazetteer
from newsingest.geo.places import is_major_place, is_place
from newsingest.stages.extract.mentions import Scan
from newsingest.text import lexicon as lx
from newsingest.text.tokens import KeyMemo, Token, proclitic_splits, where_key

MAX_NAME_WORDS = 4
_MAX_DESCRIPTOR = 6
_MAX_ORG_CHAIN = 3
_NOT_INITIAL = {"غير"}  # a name may open with it (Geir), but after a name it means "however"
_NAME_JOINERS = {"عبد", "ابو", "بن", "ابن", "ام", "ال", "ذو"}


def _stem_in(key: str, vocabulary: frozenset[str]) -> bool:
    """Whether some proclitic reading of ``key`` is in ``vocabulary`` ("وقال" → "قال")."""
    return any(stem in vocabulary for _, stem in proclitic_splits(key))


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


def _name_run(scan: Scan, start: int, step: int = 1) -> list[int]:
    """Indices of an Arabic personal name read from ``start`` forwards (step 1) or backwards (step -1).

    Joiners (عبد، أبو، بن …) do not count towards the length; a word with the article closes the
    name ("بشار الأسد"); a conjunction-prefixed word ("وقادة") or a non-initial "غير" ends it.
    """
    tokens = scan.tokens
    run: list[int] = []
    index, words = start, 0
    while 0 <= index < len(tokens) and words < MAX_NAME_WORDS:
        token = tokens[index]
        key = token.key
        if _stops_name(token) or (run and (index if step > 0 else index + 1) in scan.breaks):
            break
        definite = key.startswith("ال")
        if step > 0 and ((not run and definite) or (run and (key in _NOT_INITIAL or is_major_place(key) or (
                key.startswith("و") and key not in lx.AR_GIVEN_NAMES)))):
            break  # "آشتون كارتر | إسرائيل", "أوباما | وقادة"
        if key[:1] in "لب" and is_place(key[1:]):
            break  # "محافظا لعدن"
        run.append(index)
        words += key not in _NAME_JOINERS
        index += step
        previous = tokens[index - 2 * step].key if len(run) > 1 else ""
        if step > 0 and definite and previous not in _NAME_JOINERS:
            break  # a family name with the article closes the name ("بشار الأسد")
    if step < 0:
        run.reverse()
    while run and tokens[run[-1]].key in _NAME_JOINERS:
        run.pop()
    return _plausible_name(tokens, run, scan.common)


def _plausible_name(tokens: list[Token], run: list[int], common: set[str]) -> list[int]:
    """``run`` from its first given name on ("دافع محمد جواد ظريف" → "محمد جواد ظريف"). A run with no
    given name (foreign names: "ديفيد كاميرون", "تسيبراس") must look like one: no article, no
    conjunction, no feminine ending, no word the text also uses as a noun; alone, not a place."""
    for position, index in enumerate(run):
        if is_given_name(tokens[index].key):
            return run[position:]
    for index in run:
        key = tokens[index].key
        if key.startswith(("ال", "و")) or key.endswith("ه") or key in common or key in _NOT_INITIAL \
                or key in lx.AR_GENERIC_SPEAKERS or (len(run) == 1 and is_place(key)):
            return []
    return run


def is_given_name(key: str) -> bool:
    """Whether the folded word ``key`` is a common given name or name opener (عبد…، أبو، John …)."""
    return key in lx.AR_GIVEN_NAMES or key in lx.EN_GIVEN_NAMES or (key.startswith("عبد") and len(key) > 4)


def is_name(tokens: list[Token], common: set[str]) -> bool:
    """Whether Arabic ``tokens`` read as a whole personal name ("زاهر سحلول", not "الوزير الأميركي")."""
    run = list(range(len(tokens)))
    return not any(_breaks_name(t.key) for t in tokens) and _plausible_name(tokens, run, common) == run


def _descriptor_end(scan: Scan, index: int) -> int:
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


@KeyMemo
def _opens_title(key: str) -> bool:
    return _stem_in(key, lx.AR_TITLES)


def find_arabic_persons(scan: Scan) -> None:
    tokens = scan.tokens
    for index in where_key(_opens_title, tokens):
        if index in scan.taken or not tokens[index].is_arabic:
            continue
        after = _descriptor_end(scan, index + 1)
        run = _name_run(scan, after) if after < len(tokens) else []
        if not run and after < len(tokens) - 1 and tokens[after].text in "،,":
            run = _appositive(scan, after + 1)  # "مدير المرصد …، رامي عبد الرحمن، إن"
        if not run and after > index + 1:  # "أبو محمد الجولاني، زعيم هيئة تحرير الشام"
            back = index - 1 - (index > 0 and tokens[index - 1].text in "،,")
            run = _name_run(scan, back, step=-1) if back >= 0 else []
            run = run if len(run) >= 2 else []
        if len(run) >= 2 and scan.free(run[0], run[-1]):  # one word after a title is mostly not a name
            scan.add("PERSON", run[0], run[-1])


def _appositive(scan: Scan, start: int) -> list[int]:
    """A name set off by commas after a title's descriptor: at least two words, then "،" / "إن" / ":"."""
    run = _name_run(scan, start)
    end = run[-1] + 1 if run else start
    closed = end < len(scan.tokens) and (scan.tokens[end].text in "،,:" or scan.tokens[end].key in ("ان", "انه"))
    return run if len(run) >= 2 and closed else []


def _org_end(scan: Scan, index: int, strict: bool = True) -> int:
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


def _names_inner_org(scan: Scan, first: int, last: int) -> bool:
    """Whether an organisation already found starts after the head at ``first`` ("موقع [ميدل إيست آي]"):
    the head then describes that name rather than opening a longer one."""
    start, end = scan.tokens[first].end, scan.tokens[last].end
    return any(m.type == "ORG" and start <= m.start < end for m in scan.mentions)


@KeyMemo
def _may_open_org(key: str) -> bool:
    return bool(_fixed_starts(key)) or _org_head_key(key) is not None


def find_arabic_orgs(scan: Scan) -> None:
    """Organisations opened by a head noun or fixed names, in place of any mentions they contain."""
    tokens = scan.tokens
    after = 0  # the first index not inside the last organisation found
    for index in where_key(_may_open_org, tokens):
        token = tokens[index]
        if index < after or index in scan.taken or not token.is_arabic:
            continue
        fixed = _fixed_org(tokens, index)
        head = _org_head(token)
        end = fixed[1] if fixed else _org_end(scan, index) if head else -1
        if end >= index and not _names_inner_org(scan, index, end) and scan.absorb(index, end):
            stripped = fixed[0] if fixed else head[0]
            scan.add("ORG", index, end, stripped)
            after = end + 1
