"""Places from the gazetteer: whether a folded word names a place (words that are far more often
something else, "صور", "أمل", never do).

For the enrich stage: the place names inside a Latin-script entity's name (:func:`places_within`:
"Kansas Department of Health" → Kansas), whether a mistyped entity is wholly a place
(:func:`whole_place`), one-word names that mean something else in the article (:func:`other_than_place`),
and the gazetteer candidates of a place name as written (:func:`lookup`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsingest.geo import gazetteer
from newsingest.geo.gazetteer import Place
from newsingest.text import lexicon as lx
from newsingest.text.folding import fold
from newsingest.text.tokens import KeyMemo, proclitic_splits

_MAX_PLACE_WORDS = 3
BIG_PLACE = 50_000
# Words that are (also) names of places in the gazetteer but mostly mean something else in news prose,
# and place-type nouns that must not open a place name ("مدينة حمص" → "حمص").
_LOC_STOP = set(lx.AR_STOP) | {fold(w) for w in """
مدينة المدينة دولة الدولة الجزيرة اليوم مكانه الثاني جيزة أمل الأمل آمل صور الصور شمال جنوب شرق غرب الشمال الجنوب
الشرق الغرب الوسط فراغ الفراغ روس محافظة بلدة قرية ولاية منطقة إقليم مخيم حي سلام السلام عمر النصر الحكومة
الجديد الجديدة السوق معسكر الحي المركز الميناء المطار الساحل الخليج البلاد بلاد الوطن
""".split()} | set(lx.AR_THAT)


@KeyMemo
def _names_a_place(key: str) -> bool:
    if gazetteer.is_own_key(key) and not gazetteer.names_place_or_people(key):  # most words: two lookups, no folding
        return False
    return key not in _LOC_STOP and gazetteer.is_place_name(key) and not gazetteer.demonym_country(key)


def is_place(key: str) -> bool:
    """Whether the folded ``key`` names a place (and is neither a stop word nor a demonym)."""
    return _names_a_place[key]


# Latin-script words of a name, keeping inner dots and hyphens ("U.S.", "W.Va.", "Hyland-Croy") and a final dot.
_LATIN_WORD = re.compile(r"[^\W\d_](?:[\w&]|['’.-](?=\w))*\.?")
_POSSESSIVE = ("'s", "’s")
# Lower-case words that may sit inside a place name ("Stratford upon Avon", "Isle of Wight").
_NAME_JOINERS = frozenset("of the and upon on de du la le del des di da y".split())
# Words that are names of some place but, alone inside a longer name, mean a direction, a part or a thing.
_NOT_ALONE = frozenset("""
north south east west northeast northwest southeast southwest midwest northern southern eastern western central upper lower greater new old great little mount
city county state river lake island islands bay park street road valley beach centre center hall church school college
university hospital police fire court house home office union national international american act metro town
jan feb mar apr jun jul aug sep sept oct nov dec rep sen sens gov atty dist pct earth olympic olympics gulf arab
passover christmas easter jesus christ god
""".split())
# A place name followed by one of these names a street, building, law, day or a feature named after it
# that is often far from it ("Wichita Drive", "Superior Court", "St. Patrick's Day", "Griffith Park", "Plum
# Island", "Jackson Township"); one after a given name or "St." is a surname or a saint, one after "Lake" or
# "Mount" a lake or mountain ("Lake Ontario", "Mount Washington").
_NAME_PARTS_AFTER = frozenset("""
street st road rd drive dr avenue ave boulevard blvd lane ln parkway pkwy way place circle trail
court day act bridge park island islands township twp colony grove reservoir
""".split())
_NAME_PARTS_BEFORE = lx.EN_GIVEN_NAMES | frozenset("st st. saint san santa united lake mount mt mt.".split())
_COMPASS = frozenset("""
north south east west northern southern eastern western central northeast northwest southeast southwest
northeastern northwestern southeastern southwestern
""".split())
# "Gulf of Mexico", "Bay of Bengal": a water body named after the place, not the place.
_WATER_OF = frozenset("gulf bay sea".split())
_TITLE_WORDS = lx.EN_TITLES | frozenset("rep sen ranger trooper mla mp official officials native resident".split())
_FROM_WORDS = frozenset("of from in".split())
# A place inside an organisation's or person's name is taken when it is at least this notable.
_NOTABLE_POPULATION = 20_000
BIG_TOWN = 100_000


def _notable(name: str) -> bool:
    """A country, region or continent of that name, or a capital or sizeable town whose main name it is
    (not one of GeoNames' alternate names: "Drug" for Durg, "Sun" for an airport's code)."""
    key = gazetteer.name_key(name)
    return any(p.feature_class in ("A", "L") or (
        (p.feature_code == "PPLC" or p.population >= _NOTABLE_POPULATION) and gazetteer.name_key(p.name) == key)
        for p in gazetteer.candidates(name))


def _place_name(name: str) -> bool:
    """A capitalised gazetteer name that is not a demonym ("Syrian") nor a word that means something else alone."""
    words = name.split()
    if not words or not name[0].isupper() or not words[-1][0].isupper() or any(not w[0].isupper() and w not in _NAME_JOINERS for w in words):
        return False
    if len(words) == 1 and (name.lower().rstrip(".") in _NOT_ALONE or name.lower() in lx.EN_STOP_CAPS
                            or name.lower() in lx.EN_TITLES or name.lower() in lx.EN_NON_NAME):
        return False
    return is_place(name)


def surname(name: str) -> str | None:
    """The last word of a personal name ("Greg Taylor" → "taylor"; "Steven Sachs of Alexandria" → "sachs"),
    else ``None``; a notable place's name only after a common given name ("Rodeo Gainesville" is no person)."""
    words = []
    for word in name.split():
        if not word[0].isupper():
            break
        words.append(word.strip(",.;:'’"))
    if len(words) < 2 or not words[-1]:
        return None
    last = words[-1]
    return last.lower() if words[0].lower() in lx.EN_GIVEN_NAMES or not (is_place(last) and _notable(last)) else None


def other_than_place(name: str, surnames: set[str]) -> bool:
    """Whether a one-word name means something else here: the surname of a person the article names
    ("Greg Taylor" … "Taylor"), an organisation ("Hamas"), a word that alone names no place ("Jan", "Act"),
    or an acronym that is only some town's code ("KBR", "DUI")."""
    if " " in name.strip():
        return False
    key = name.lower().rstrip(".")
    found = gazetteer.candidates(name) if name.isupper() and name.isalpha() and len(name) <= 3 else ()
    acronym = bool(found) and all(p.feature_class == "P" for p in found)
    return acronym or key in surnames or key in lx.EN_FIXED_ORGS or key in _NOT_ALONE


def whole_place(name: str, kind: str) -> bool:
    """Whether an entity of type ``kind`` whose whole name is ``name`` is a place the model mistyped
    ("Connecticut", "U.S." as ORG; "Hong Kong", "Bicester" as PERSON): a notable place, for a person
    not also a given name."""
    if not name or not _place_name(name) or not _notable(name):
        return False
    if kind != "PERSON" or " " in name:
        return True
    best = gazetteer.candidates(name)[0]  # one word: a surname ("Bell") unless a country, region or city
    return name.lower() not in lx.EN_GIVEN_NAMES and (best.feature_class != "P" or best.population >= BIG_TOWN)


@lru_cache(maxsize=1 << 15)
def places_within(surface: str, kind: str) -> tuple[tuple[int, int], ...]:
    """Spans of the place names inside a Latin-script entity name, longest first from the left:
    "Orient, Ohio" → Orient, Ohio; "Kansas Department of Health" → Kansas; "Kris Goodman of Hudson" → Hudson.

    A place counts when notable (a country, region, capital or town of ≥20,000 under its main name), in a
    LOC name also a lesser one in a list ("Orient, Ohio"); in a person's name only one after
    "of"/"from"/"in" or before a title ("Calgary MLA Sandra Jansen"); never one followed by a street word
    or after a given name or "St." ("Wichita Drive", "Greg Taylor", "St. Patrick")."""
    words = []
    for match in _LATIN_WORD.finditer(surface):
        start, end = match.span()
        if surface.endswith(_POSSESSIVE, start, end):
            end -= 2
        words.append((start, end))
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        for size in range(min(_MAX_PLACE_WORDS + 2, len(words) - index), 0, -1):
            end = _place_end(surface, words, index, size, kind)
            if end:
                found.append((words[index][0], end))
                index += size
                break
        else:
            index += 1
    return tuple(found)


def _place_end(surface: str, words: list[tuple[int, int]], index: int, size: int, kind: str) -> int | None:
    """The end of the place name of ``size`` words at ``index`` (its final dot left out unless the name
    has it: "Ky."), or ``None`` when those words are no place name an entity of type ``kind`` may hold."""
    start, end = words[index][0], words[index + size - 1][1]
    if not _place_name(surface[start:end]):
        if not surface.endswith(".", start, end) or end - start < 3 or not _place_name(surface[start:end - 1]):
            return None
        end -= 1
    before = surface[words[index - 1][0]:words[index - 1][1]].lower() if index else ""
    after = surface[words[index + size][0]:words[index + size][1]].lower().rstrip(".") if index + size < len(words) else ""
    if after in _NAME_PARTS_AFTER or before in _NAME_PARTS_BEFORE:
        return None
    if before == "of" and index > 1 and surface[words[index - 2][0]:words[index - 2][1]].lower() in _WATER_OF:
        return None
    if before in _COMPASS and any(p.feature_code == "CONT" for p in gazetteer.candidates(surface[start:end])):
        return None  # "West Africa", "Northern Europe": a part far from the continent's point
    if not _notable(surface[start:end]):  # in a LOC name a lesser place only in a list ("Orient, Ohio")
        return end if kind in ("LOC", "GPE") and ("," in surface or " and " in surface) else None
    if kind != "PERSON":
        return end
    return end if before in _FROM_WORDS or (index == 0 and after in _TITLE_WORDS) else None


_MAX_CANDIDATES = 40
_CASED_COUNTRY_NAMES = {"US": "US"}  # names matched only as written


def lookup(name: str) -> tuple[Place, ...]:
    """Gazetteer candidates for ``name``, also without Arabic proclitics (وحمص → حمص); a demonym
    ("Syrian", "السورية", "Spanish") means its country, before any small town of that name (Spanish,
    Ontario); an abbreviation whose dot the tokenizer left out ("Okla") means its region."""
    if name.strip() in _CASED_COUNTRY_NAMES:  # "US" (never the pronoun "us")
        return (gazetteer.country(_CASED_COUNTRY_NAMES[name.strip()]),)
    code = gazetteer.demonym_country(name)  # a demonym only where no region or big town has the name
    if code and (place := gazetteer.country(code)):
        return (place,)
    if name.istitle() and name.isalpha() and len(name) <= 5 and not gazetteer.is_place_name(name):
        dotted = gazetteer.candidates(name + ".")
        if dotted and dotted[0].feature_code == "ADM1":
            return dotted
    for _, stem in proclitic_splits(fold(name.strip()), min_stem=3):
        found = gazetteer.candidates(stem)
        if found:
            return found[:_MAX_CANDIDATES]
    return ()
