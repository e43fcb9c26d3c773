"""Toponyms from entities (places inside other names, county lists, "Town, ST.") and document-level
disambiguation (co-occurring places, containers, source country, neighbours, alternate names)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from newsingest.geo import geocode
from newsingest.geo.gazetteer import Place
from newsingest.geo.geocode import resolve
from newsingest.geo.places import places_within, surname, whole_place
from newsingest.geo.toponyms import containers, county_lists, longer_place, toponyms


def entity(kind: str, text: str, body: str, entity_id: str = "e") -> dict:
    start = body.index(text)
    return {"id": entity_id, "type": kind, "text": text, "mentions": [{"start": start, "end": start + len(text), "text": text}]}


def where(names: list[str], text: str = "", **options: object) -> list[tuple[str | None, str | None]]:
    return [(p.country_code, p.admin1) if p else (None, None) for p in resolve(names, text, **options)]


@pytest.mark.parametrize(("surface", "kind", "places"), [
    ("Kansas Department of Health and Environment", "ORG", ["Kansas"]),
    ("Anderson County Sheriff’s Office", "ORG", ["Anderson County"]),
    ("U.S. Food and Drug Administration", "ORG", ["U.S."]),  # not "Drug", an alternate name of Durg
    ("Kris Goodman of Hudson", "PERSON", ["Hudson"]),
    ("Calgary MLA Sandra Jansen", "PERSON", ["Calgary"]),
    ("George Washington", "PERSON", []),
    ("Orient, Ohio", "LOC", ["Orient", "Ohio"]),
    ("Northeast Georgia", "LOC", ["Georgia"]),
    ("Bolingbrook, Ill.", "LOC", ["Bolingbrook", "Ill."]),
    ("Wichita Drive", "ORG", []),  # a street, not the city
    ("St. Patrick's Day", "ORG", []),
    # A feature named after a place is not the place: parks, islands, townships, lakes, gulfs.
    ("Griffith Park", "LOC", []),
    ("Plum Island Animal Disease Center", "ORG", []),
    ("Jackson Township", "LOC", []),
    ("Lake Ontario", "LOC", []),
    ("Mount Washington Hotel", "LOC", []),
    ("Gulf of Mexico", "LOC", []),
    ("West Africa", "LOC", []),  # a part of a continent, far from the continent's point
    ("South Los Angeles", "LOC", ["Los Angeles"]),  # a part of a city is near the city
])
def test_places_inside_names(surface: str, kind: str, places: list[str]) -> None:
    assert [surface[start:end] for start, end in places_within(surface, kind)] == places


def test_mistyped_whole_places_and_surnames() -> None:
    assert whole_place("Connecticut", "ORG") and whole_place("Hong Kong", "PERSON")
    assert not whole_place("Hamas", "ORG")  # only an alternate name of Hamm
    assert not whole_place("Jordan", "PERSON") and not whole_place("Bell", "PERSON")
    assert surname("Greg Taylor") == "taylor" and surname("Steven Sachs of Alexandria") == "sachs"
    assert surname("Rodeo Gainesville") is None and surname("Obama") is None


def test_toponyms_from_entities_of_every_kind() -> None:
    body = ("Kansas Department of Health officials met Greg Taylor in Topeka. Taylor said the Minnesota Vikings "
            "and residents of Swift and Wilkin counties were told. BISMARCK, N.D. -- Nowhereville Creek flooded.")
    entities = [entity("ORG", "Kansas Department of Health", body, "org-1"), entity("PERSON", "Greg Taylor", body, "per-1"),
                entity("LOC", "Topeka", body, "loc-1"), entity("LOC", "Taylor", body, "loc-2"),
                entity("ORG", "Minnesota Vikings", body, "org-2"), entity("LOC", "Swift", body, "loc-3"),
                entity("LOC", "BISMARCK", body, "loc-4"), entity("LOC", "Nowhereville Creek", body, "loc-5")]
    found = {t.name: t for t in toponyms(entities, body)}
    assert set(found) == {"Kansas", "Topeka", "Minnesota", "Swift County", "Wilkin County", "BISMARCK", "N.D.",
                          "Nowhereville Creek"}  # not "Taylor": the article's person; the unknown LOC stays, unresolved
    assert found["Topeka"].entity_id == "loc-1" and found["Kansas"].entity_id is None
    start = body.index("Kansas")
    assert found["Kansas"].mentions == [{"start": start, "end": start + 6, "text": "Kansas"}]
    assert [m["text"] for m in found["Swift County"].mentions] == ["Swift"]


def test_a_person_or_organisation_used_as_a_place() -> None:
    body = "A DeKalb man was shot in Ozark on Monday. Bell said DeKalb police came."
    entities = [entity("PERSON", "DeKalb", body, "per-1"), entity("PERSON", "Ozark", body, "per-2"), entity("PERSON", "Bell", body, "per-3")]
    assert {t.name for t in toponyms(entities, body)} == {"DeKalb", "Ozark"}  # "Bell" is no place here


def test_a_town_before_an_abbreviated_state() -> None:
    text = "SEVIERVILLE, Tenn. (AP) Police say he moved from Fort Knox, Ky., to Georgia. Smith, Ga. said so."
    assert {t.name for t in toponyms([], text)} == {"SEVIERVILLE", "Tenn.", "Fort Knox", "Ky."}  # no town Smith in Georgia


def test_an_abbreviated_region_whose_dot_the_entity_left_out() -> None:
    body = "The farm near Wichita, Kan. lost its barn. A crew from Brandon, Man. helped."
    entities = [entity("LOC", "Kan", body, "loc-1"), entity("LOC", "Man", body, "loc-2"), entity("LOC", "Wichita", body, "loc-3")]
    found = {t.name: t for t in toponyms(entities, body)}
    assert set(found) == {"Kan.", "Man.", "Wichita", "Brandon"}  # Kansas and Manitoba, not Kano or Man
    places = dict(zip(found, resolve(list(found), body), strict=True))
    assert {name: (p.country_code, p.admin1) for name, p in places.items()} == {
        "Kan.": ("US", "KS"), "Man.": ("CA", "03"), "Wichita": ("US", "KS"), "Brandon": ("CA", "03")}
    # Without the dot a short name stays as written.
    assert {t.name for t in toponyms([entity("LOC", "Man", "Man in the news")], "Man in the news")} == {"Man"}


def test_a_mention_cut_out_of_a_longer_place_name() -> None:
    body = "Flooding hit New Zealand and Rio Grande do Sul; Kansas City schools closed. Dr Jordan said so."
    for short, longer in (("Zealand", "New Zealand"), ("Grande", "Rio Grande do Sul"), ("Kansas", "Kansas City")):
        start = body.index(short)
        span = longer_place(body, start, start + len(short))
        assert span is not None and body[span[0]:span[1]] == longer
    start = body.index("Jordan")
    assert longer_place(body, start, start + 6) is None  # "Dr Jordan" is no place name
    entities = [entity("LOC", "Zealand", body, "loc-1"), entity("LOC", "Kansas", body, "loc-2")]
    assert {t.name for t in toponyms(entities, body)} == {"New Zealand", "Kansas City"}


def test_county_lists_and_containers() -> None:
    text = "In Dakota, Otoe and Washington counties. He lives in Paris, Texas, now."
    assert sorted(county for _, county in county_lists(text).values()) == ["Dakota County", "Otoe County", "Washington County"]
    paris, texas = text.index("Paris"), text.index("Texas")
    assert containers([[(paris, paris + 5)], [(texas, texas + 5)]], text) == [1, None]
    assert where(["Paris", "Texas"], text, within=[1, None]) == [("US", "TX"), ("US", "TX")]


def test_co_occurring_places_pick_one_region() -> None:
    assert where(["Paris"]) == [("FR", "11")]
    assert where(["Paris", "Henry County"]) == [("US", "TN"), ("US", "TN")]  # Paris is Henry County's seat
    assert where(["Gainesville", "Hall County"]) == [("US", "GA"), ("US", "GA")]
    assert where(["Paris", "Paris"]) == [("FR", "11"), ("FR", "11")]  # a name does not vote for itself twice


def test_source_country_neighbours_capitals_and_us() -> None:
    assert where(["Dublin"]) == [("IE", "L")] and where(["Dublin"], source_country="US")[0][0] == "US"
    assert where(["Gaza"])[0][0] == "PS" and where(["Gaza", "Maputo"])[0][0] == "MZ"  # Mozambique's province only in its context
    washington, new_york = resolve(["Washington", "New York"])
    assert washington.feature_code == "PPLC" and new_york.feature_code == "ADM1"  # New York City is "New York City"
    assert where(["US"]) == [("US", None)]


def test_named_country_demonyms_official_names_and_split_regions() -> None:
    # A country named in the story supports its places even among many other countries.
    assert where(["Gaza", "Palestinian", "Egypt", "Iran", "Syria", "Washington"])[0][0] == "PS"
    assert where(["Gaza", "Mozambique", "Egypt", "Iran", "Syria"])[0][0] == "MZ"  # the country named wins
    # A demonym means its country, not a small town that shares the word (Spanish, Ontario).
    assert where(["Spanish"]) == [("ES", None)] and where(["Canadian"]) == [("CA", None)]
    assert where(["People's Republic of China", "Russian Federation", "Democratic Republic of Congo"]) == [
        ("CN", None), ("RU", None), ("CD", None)]
    darfur, = resolve(["Darfur"])  # North, South, West, East and Central Darfur
    assert (darfur.country_code, darfur.feature_code) == ("SD", "RGN") and 11 < darfur.lat < 14 and 23 < darfur.lon < 26
    assert where(["Carolina"])[0] != ("US", None)  # two parts (North/South Carolina) do not make a region
    # Short and former names news still uses: either Congo (context decides), Zaire, Macedonia.
    assert where(["Congo"]) == [("CD", None)] and where(["Congo", "Gabon", "Brazzaville"])[0] == ("CG", None)
    assert where(["Zaire", "Macedonia", "East Timor"]) == [("CD", None), ("MK", None), ("TL", None)]


def test_resolution_accuracy_on_each_corpus_sample(shared: Path) -> None:
    from newsingest.devtools.eval.geoparse import score_resolution

    floors = {"lgl.xml": 0.75, "GeoVirus.xml": 0.7, "TR-News.xml": 0.75}  # whole corpora: 0.85, 0.80, 0.84 (0.74 before)
    for name, floor in floors.items():
        corpus = shared / "eval/geoparsing/corpora" / name
        if not corpus.is_file():
            pytest.skip(f"{name} is absent")
        score = score_resolution(corpus, limit=40)
        assert score.toponyms > 150 and score.accuracy_161 > floor, name


def test_end_to_end_recall_and_accuracy_on_each_corpus_sample(shared: Path) -> None:
    from newsingest.devtools.eval.geoparse import score_end_to_end

    # (recall, acc@161 of matched) floors; first 40 articles measured 0.74/0.87, 0.87/0.82, 0.79/0.91.
    floors = {"lgl.xml": (0.7, 0.83), "GeoVirus.xml": (0.8, 0.78), "TR-News.xml": (0.7, 0.86)}
    for name, (recall, accuracy) in floors.items():
        corpus = shared / "eval/geoparsing/corpora" / name
        if not corpus.is_file():
            pytest.skip(f"{name} is absent")
        score = score_end_to_end(corpus, limit=40)
        assert score.gold > 200 and score.failed == 0, name
        assert score.recall > recall and score.accuracy_161 > accuracy, (name, score)


def test_a_region_smaller_than_a_town_of_its_name_elsewhere_loses_its_region_bonus() -> None:
    gaza = resolve(["Gaza"], "The ceasefire in Gaza held on Monday.")[0]
    assert gaza is not None and gaza.country_code == "PS"  # the city (410,000), not Mozambique's province (385,000)
    victoria = resolve(["Victoria"], "Bushfires spread across Victoria.")[0]
    assert victoria is not None and victoria.feature_code == "ADM1" and victoria.country_code == "AU"  # bigger than any town Victoria


def _haversine_km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def test_distances_from_spots_are_the_haversine_and_a_far_latitude_is_far() -> None:
    rng = random.Random(8)
    places = [Place(None, "x", rng.uniform(-90, 90), rng.uniform(-180, 180), None, "P", None, 0, None) for _ in range(400)]
    places += [Place(None, "y", p.lat + rng.uniform(-4, 4), p.lon + rng.uniform(-4, 4), None, "P", None, 0, None) for p in places[:200]]
    pairs = [*zip(places, rng.sample(places, len(places)), strict=True), *zip(places[:200], places[400:], strict=True)]  # far and near
    for a, b in pairs:
        assert geocode.distance_km(a, b) == _haversine_km(a, b)  # to the bit: proximity scores compare them
        if abs(math.radians(a.lat) - math.radians(b.lat)) > geocode._FAR_LATITUDE:
            assert geocode.distance_km(a, b) > geocode._PROXIMITY_KM


def test_the_closest_other_pick_within_proximity_is_the_one_a_scan_finds() -> None:
    """Against a scan of every pick: the same distance, to the bit, when under _PROXIMITY_KM, else ``inf``; with
    few picks and with many (filed by cube), near the poles and across the date line too."""
    rng = random.Random(9)
    for trial in range(300):
        centre = rng.choice([(rng.uniform(-80, 80), rng.uniform(-180, 180)), (rng.uniform(85, 90), 0.0), (0.0, 179.5)])
        spread = rng.choice([1.0, 6.0])

        def spot(name: str) -> tuple[float, float, float]:
            lat = max(-90.0, min(90.0, centre[0] + rng.uniform(-spread, spread)))
            lon = (centre[1] + rng.uniform(-spread, spread) + 180) % 360 - 180
            return geocode._spot(Place(None, name, lat, lon, None, "P", None, 0, None))

        picks = [(f"k{i}", spot("p")) for i in range(rng.choice([rng.randint(0, 12), rng.randint(40, 120)]))]
        anchors = geocode._Anchors(picks)
        for key in ("k0", "k1", "other"):
            here = spot("c")
            scanned = min((geocode._spot_distance_km(here, there) for k, there in picks
                           if k != key and abs(there[0] - here[0]) <= geocode._FAR_LATITUDE), default=math.inf)
            assert anchors.closest_km(here, key) == (scanned if scanned < geocode._PROXIMITY_KM else math.inf), trial
            assert anchors.any_besides(key) == any(k != key for k, _ in picks)
