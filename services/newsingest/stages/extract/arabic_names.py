"""Arabic names around the model: whether a phrase reads as a personal name (a quote's speaker), fixed
organisation names ("الأمم المتحدة"), and the relative adjectives that close an organisation the model
found ("حزب العمال" → "حزب العمال البريطاني").

The Arabic model finds persons, places and organisations itself: the rules that added persons after
titles, places after prepositions and organisations by head noun each lowered its dev scores (see
``MODEL_CARD.md``) and are gone.
"""

from __future__ import annotations

from functools import lru_cache

from newsingest.geo.places import is_place
from newsingest.stages.extract.mentions import Scan
from newsingest.text import lexicon as lx
from newsingest.text.tokens import Token, key_test, keys_with_stem_in, proclitic_splits, where_key

MAX_NAME_WORDS = 4
_NOT_INITIAL = {"غير"}  # a name may open with it (Geir), but after a name it means "however"


def _stem_in(key: str, vocabulary: frozenset[str]) -> bool:
    """Whether some proclitic reading of ``key`` is in ``vocabulary`` ("وقال" → "قال")."""
    return any(stem in vocabulary for _, stem in proclitic_splits(key))


def _org_head_key(key: str) -> int | None:
    """The proclitic letters before an organisation head noun ("وزارة" → 0, "للمرصد" → 1), or None."""
    for stripped, stem in proclitic_splits(key):
        if stem in lx.AR_ORG_HEADS or (stem.startswith("ال") and stem[2:] in lx.AR_ORG_HEADS):
            return stripped
    return None


def _is_nisba(key: str) -> bool:
    """A definite adjective of relation: السوري، الديمقراطية، الدولي …"""
    return key.startswith("ال") and len(key) > 4 and key.endswith(("ي", "يه", "يين", "يون"))


@lru_cache(maxsize=65536)
def _breaks_name(key: str) -> bool:
    return key in lx.AR_STOP or _org_head_key(key) is not None or any(
        _stem_in(key, words) for words in (lx.AR_TITLES, lx.AR_VERBS, lx.AR_SAY))


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
    """Whether an organisation already found starts after the first word of ``first``..``last``: the
    longer name then describes that one rather than being one."""
    start, end = scan.tokens[first].end, scan.tokens[last].end
    return any(m.type == "ORG" and start <= m.start < end for m in scan.mentions)


# The keys that may open an organisation: a proclitic reading of them opens a fixed name (_fixed_starts) or is a
# head noun, bare or with the article (_org_head_key), found by one set lookup.
_ORG_OPENERS = keys_with_stem_in({*_FIXED_BY_FIRST, *lx.AR_ORG_HEADS, *(f"ال{head}" for head in lx.AR_ORG_HEADS)})
_MAY_OPEN_ORG = key_test(_ORG_OPENERS)


def find_arabic_orgs(scan: Scan) -> None:
    """Fixed organisation names ("الأمم المتحدة"), in place of any mentions they contain; and a model's
    organisation opened by a head noun runs on through the relative adjectives after it ("قوات سوريا"
    → "قوات سوريا الديمقراطية"). A head noun alone opens no organisation: that rule cost 2.4 points of
    ANERcorp dev F1 ("الجيش اللبناني", "مجلس الوزراء" are not names there; see ``MODEL_CARD.md``)."""
    tokens = scan.tokens
    for index in where_key(_MAY_OPEN_ORG, tokens):
        token = tokens[index]
        if not token.is_arabic:
            continue
        fixed = _fixed_org(tokens, index)
        if fixed:
            if index not in scan.taken and not _names_inner_org(scan, index, fixed[1]) and scan.absorb(index, fixed[1]):
                scan.add("ORG", index, fixed[1], fixed[0])
        elif index in scan.taken and (stripped := _org_head_key(token.key)) is not None:
            _add_adjectives(scan, index, stripped)


def _add_adjectives(scan: Scan, index: int, stripped: int) -> None:
    """Extend the model's organisation that starts in the head noun at ``index`` by the relative
    adjectives that follow it."""
    tokens = scan.tokens
    head = tokens[index]
    mention = next((m for m in scan.mentions if m.type == "ORG" and head.start <= m.start < head.end), None)
    if mention is None:
        return
    last = end = next(i for i in range(index, len(tokens)) if tokens[i].end >= mention.end)
    while end + 1 < len(tokens) and end + 1 not in scan.taken and end + 1 not in scan.breaks \
            and tokens[end + 1].is_arabic and _is_nisba(tokens[end + 1].key):
        end += 1
    if end > last and scan.absorb(index, end):
        scan.add("ORG", index, end, stripped)
