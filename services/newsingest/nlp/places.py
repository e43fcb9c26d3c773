"""Places from the gazetteer: n-grams over tokens, Arabic proclitics stripped ("بحلب" → "حلب").

A one-word match must be a country/region/capital, a big place, or come after a preposition or a
place noun ("في نوى"); words that are far more often something else ("صور", "أمل") are never places.
"""

from __future__ import annotations

from functools import lru_cache

from newsingest.nlp import gazetteer
from newsingest.nlp import lexicon as lx
from newsingest.nlp.mentions import Scan
from newsingest.nlp.tokens import fold, proclitic_splits

_MAX_PLACE_WORDS = 3
BIG_PLACE = 50_000
_MIN_CUED_PLACE = 1_000
_AR_PLACE_CUES = {"في", "من", "الي", "مدينه", "بلده", "قريه", "محافظه", "منطقه", "ولايه", "اقليم", "شمال", "جنوب", "شرق",
                  "غرب", "قرب", "عاصمه", "حي", "بلدة", "مخيم"}
_AR_LOCATIVE = {fold(w) for w in "في قرب مدينة بلدة قرية محافظة منطقة ولاية إقليم مخيم حي عاصمة ريف".split()}
_EN_PLACE_CUES = {"in", "at", "from", "to", "near", "across", "into", "outside", "inside", "towards"}
# Words that are (also) names of places in the gazetteer but mostly mean something else in news prose,
# and place-type nouns that must not open a place name ("مدينة حمص" → "حمص").
_LOC_STOP = set(lx.AR_STOP) | {fold(w) for w in """
مدينة المدينة دولة الدولة الجزيرة اليوم مكانه الثاني جيزة أمل الأمل آمل صور الصور شمال جنوب شرق غرب الشمال الجنوب
الشرق الغرب الوسط فراغ الفراغ روس محافظة بلدة قرية ولاية منطقة إقليم مخيم حي سلام السلام عمر النصر الحكومة
الجديد الجديدة السوق معسكر الحي المركز الميناء المطار الساحل الخليج البلاد بلاد الوطن
""".split()} | set(lx.AR_THAT)


_PLACE_CACHE: dict[str, bool] = {}


def is_place(key: str) -> bool:
    """Whether the folded ``key`` names a place (and is neither a stop word nor a demonym)."""
    known = _PLACE_CACHE.get(key)
    if known is None:
        known = _PLACE_CACHE[key] = key not in _LOC_STOP and gazetteer.is_place_name(key) \
            and not gazetteer.demonym_country(key)
    return known


def single_place_ok(scan: Scan, index: int, stem: str, stripped: int = 0) -> bool:
    """A one-word place is taken when it is a country/region/capital or big, or smaller behind a
    preposition ("بنوى", "في نوى", "in Hama") — never a known person's name or a nameless hamlet."""
    token = scan.tokens[index]
    if token.key in scan.person_keys:
        return False
    best = gazetteer.candidates(stem)[0]
    big = BIG_PLACE if token.is_arabic else 2 * BIG_PLACE
    if best.feature_class in ("A", "L") or best.feature_code == "PPLC" or best.population >= big:
        return True
    cued = _cued(scan, index, stripped)
    if stripped and not cued:
        return False  # "ولاية" is not و + "لاية"
    return cued and best.population >= (_MIN_CUED_PLACE if token.is_arabic else BIG_PLACE // 2)


def _cued(scan: Scan, index: int, stripped: int) -> bool:
    """Whether the word at ``index`` follows or carries a preposition, or follows a place noun ("في نوى", "بحلب", "in Hama")."""
    previous = scan.tokens[index - 1].key if index else ""
    return previous in _AR_PLACE_CUES or previous in _EN_PLACE_CUES or any(c in scan.tokens[index].key[:stripped] for c in "بلك")


def _cue_fits(scan: Scan, index: int, stripped: int, name: str) -> bool:
    """A place noun or "في"/"قرب" before it cues any place; other prepositions only a major one ("بحلب"):
    after "من"/"إلى" or a clitic, most gazetteer matches are common words ("من كبار")."""
    previous = scan.tokens[index - 1].key if index else ""
    return previous in _AR_LOCATIVE or (_cued(scan, index, stripped) and is_major_place(name))


@lru_cache(maxsize=65536)
def _place_stems(key: str) -> tuple[tuple[int, str], ...]:
    """Proclitic readings of a word that may open a place name (the article is never stripped)."""
    return tuple((stripped, stem) for stripped, stem in proclitic_splits(key)
                 if stem not in _LOC_STOP and not key[:stripped].endswith("ال"))


def find_arabic_places(scan: Scan) -> None:
    """Places behind a preposition or place noun that no recogniser took yet ("وتقدموا بحلب", "في دير الزور").

    Uncued gazetteer matches are left out: in news prose most are common words ("كبيرا", "الغربية").
    """
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
                    if is_place(stem + tail) and _cue_fits(scan, index, stripped, stem + tail) \
                            and (size or single_place_ok(scan, index, stem, stripped)):
                        found = (stripped, index + size)
                        break
                if found:
                    break
        if found:
            scan.add("LOC", index, found[1], found[0])
            index = found[1] + 1
        else:
            index += 1


@lru_cache(maxsize=65536)
def is_major_place(key: str) -> bool:
    """A country, region, capital or big city ("اسرائيل", "دمشق") — a word that does not continue a name."""
    if not is_place(key):
        return False
    best = gazetteer.candidates(key)[0]
    return best.feature_class in ("A", "L") or best.feature_code == "PPLC" or best.population >= 2 * BIG_PLACE
