"""The extract stage end to end: the seed article, English examples, spans, and corpus samples."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from newsingest.stages import STAGES, run_stage

SEED_NAME = "000_bc8eda6b5223bef9.txt"
# What clean removes from the scraped seed (see the clean stage); stripped here by hand so these
# tests do not depend on it.
SEED_JUNK = ("[ad_", "المصدر", "نشرة ميدل إيست آي", "اقرأ المزيد", "pic.twitter.com", "– جوزيف حبوش", "– زاهر سحلول")


def cleaned(paragraphs: list[str], published_at: str | None = "2024-12-06T12:00:00Z", **fields: Any) -> dict[str, Any]:
    """A schema-valid cleaned record made of ``paragraphs``."""
    record = {
        "schema": "newsingest.cleaned/1", "article_id": "a1", "url": None, "source": "test",
        "published_at": published_at, "ingested_at": "2024-12-06T12:30:00Z", "language": "ar",
        "language_confidence": 0.99, "title": "عنوان", "text": "\n\n".join(paragraphs), "paragraphs": paragraphs,
        "metadata": {}, "social": [], "provenance": {"pipeline_version": "0.1.0", "stages": {}},
    }
    return {**record, **fields}


def extract(paragraphs: list[str], **fields: Any) -> dict[str, Any]:
    return run_stage(STAGES["extract"], cleaned(paragraphs, **fields))


def assert_spans(record: dict[str, Any]) -> None:
    """Every reported span slices back to its text."""
    text = record["text"]
    spans = [m for e in record["entities"] for m in e["mentions"]] + record["quotes"] + record["counts"] + record["dates"]
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"], span


def seed_paragraphs(shared: Path) -> list[str]:
    path = shared / "corpus" / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip("seed article absent")
    raw = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body: list[str] = []
    for paragraph in raw[2:]:  # the title and its repeat
        if any(junk in paragraph for junk in SEED_JUNK) or any(paragraph[:25] == kept[:25] for kept in body):
            continue
        body.append(paragraph)
    teaser = next(i for i, p in enumerate(raw) if p.startswith("اقرأ المزيد")) - 1
    return [p for p in body if p != raw[teaser]]


@pytest.fixture(scope="module")
def seed(shared: Path) -> dict[str, Any]:
    return extract(seed_paragraphs(shared))


def by_text(entities: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {e["text"]: e for e in entities if e["type"] == kind}


def test_seed_quotes_have_their_speakers(seed: dict[str, Any]) -> None:
    speaker_of = {q["text"]: q["speaker"] for q in seed["quotes"]}
    assert speaker_of["الإطاحة بهذا النظام"] == "أبو محمد الجولاني"
    assert speaker_of["كاذبة"] == "وزارة الدفاع السورية"
    assert speaker_of["يوماً تاريخياً"] == "زاهر سحلول"
    continued = next(q for q in seed["quotes"] if q["text"].startswith("كل من تحدثت معهم"))
    assert continued["speaker"] == "زاهر سحلول"  # a paragraph that is only a quote keeps the speaker
    follow_up = next(q for q in seed["quotes"] if q["text"].startswith("أشعر بالابتهاج"))
    assert follow_up["speaker"] == "زاهر سحلول"  # "وقال لموقع ميدل إيست آي:" has no named subject
    assert speaker_of["المذبحة"] == "أنطونيو غوتيريش"
    ids = {q["speaker_entity_id"] for q in seed["quotes"] if q["speaker"] == "زاهر سحلول"}
    assert len(ids) == 1 and ids != {None}
    assert any(q["kind"] == "reported" and q["speaker"] == "جهاد يازجي" for q in seed["quotes"])


def test_seed_entities(seed: dict[str, Any]) -> None:
    persons, orgs, places = (by_text(seed["entities"], kind) for kind in ("PERSON", "ORG", "LOC"))
    assessed = persons["بشار الأسد"]
    assert len(assessed["mentions"]) >= 3 and {"الأسد", "بشار الأسد"} <= {m["text"] for m in assessed["mentions"]}
    assert "الأسد" not in persons  # the short mentions joined the full name
    # the people and organisations issue 4 names
    # "غير بيدرسن" (Geir Pedersen) is missed since the Arabic model no longer trains on NewsFANE's copy of
    # ANERcorp's test split (MODEL_CARD.md, "Test-split text"): a foreign name, the known weak spot
    assert {"بشار الأسد", "أبو محمد الجولاني", "زاهر سحلول", "جهاد يازجي", "رامي عبد الرحمن",
            "أنطونيو غوتيريش"} <= set(persons)
    # "CNN", "ميدل إيست آي" and "الجيش الوطني السوري" inside Arabic text are known misses of the Arabic model
    # (MODEL_CARD.md: ANERcorp does not annotate "الجيش اللبناني" and the like, so the head-noun rule is gone);
    # so is "هيئة تحرير الشام" (its "الشام" comes out a place) since the model no longer trains on the test split
    assert {"المرصد السوري لحقوق الإنسان", "وزارة الدفاع السورية", "قوات سوريا الديمقراطية", "الأمم المتحدة"} <= set(orgs)
    assert {"حمص", "حلب", "حماة", "درعا", "دمشق", "دير الزور", "بصرى الشام"} <= set(places)
    assert "السوري" not in places and "السورية" not in places  # demonyms are not places
    assert persons["بشار الأسد"]["id"].startswith("PERSON:")


def test_seed_proclitics_stay_outside_mentions(seed: dict[str, Any]) -> None:
    assert_spans(seed)
    text = seed["text"]
    aleppo = by_text(seed["entities"], "LOC")["حماة"]
    assert all(m["text"] == "حماة" for m in aleppo["mentions"])  # "وحماة" → "حماة"
    glued = {m["text"] for e in seed["entities"] for m in e["mentions"] if text[m["start"] - 1] in "وبل"}
    assert {"حماة", "دير الزور", "الأسد"} <= glued  # "ودير الزور", "للأسد": each span starts after the clitic


def test_seed_counts(seed: dict[str, Any]) -> None:
    counts = {(c["number"], c["type"]): c for c in seed["counts"]}
    assert counts[727, "killed"]["subject"] == "شخص"
    assert counts[111, "killed"]["subject"] == "مدني"
    assert counts[500000, "killed"]["qualifier"] == "more_than"
    assert counts[12000000, "displaced"]["qualifier"] == "about"
    assert not any(c["number"] == 45 for c in seed["counts"])  # 45 kilometres is a distance


def test_seed_dates_resolve_against_publication(seed: dict[str, Any]) -> None:
    dates = {d["text"]: d for d in seed["dates"]}
    assert dates["يوم الجمعة"]["date"] == "2024-12-06"
    assert dates["يوم الخميس"]["date"] == "2024-12-05"
    assert dates["يوم الأربعاء"]["date"] == "2024-12-04"
    assert dates["منذ عام 2011"] == {**dates["منذ عام 2011"], "date": "2011", "granularity": "year", "relative": False}
    assert dates["الأسبوع الماضي"]["granularity"] == "week"


def test_seed_without_publication_date_leaves_relative_dates_open(shared: Path) -> None:
    record = extract(seed_paragraphs(shared), published_at=None)
    relative = [d for d in record["dates"] if d["relative"]]
    assert relative and all(d["date"] is None for d in relative)
    assert any(d["date"] == "2011" for d in record["dates"])  # absolute ones still resolve


ENGLISH = [
    "Maternity pay for new mothers is to rise by £1,400, Trade and Industry Secretary Patricia Hewitt said on Sunday.",
    'Ms Hewitt said: "We have already doubled the length of maternity pay." She spoke in London on 6 December 2024.',
    '"It will not be easy," she said. At least 20 people were killed and two dozen injured in Aleppo last week.',
    "The Bank of England said that interest rates would stay on hold until the end of next year.",
    "Follow @BBCBreaking or see https://twitter.com/bbc/status/123 and https://www.youtube.com/watch?v=abc.",
]


def test_english_article() -> None:
    record = extract(ENGLISH, language="en")
    assert_spans(record)
    persons, orgs, places = (by_text(record["entities"], kind) for kind in ("PERSON", "ORG", "LOC"))
    assert len(persons["Patricia Hewitt"]["mentions"]) == 2  # "Ms Hewitt" joins the full name
    assert "Bank of England" in orgs and {"London", "Aleppo"} <= set(places)
    speakers = [(q["kind"], q["speaker"]) for q in record["quotes"]]
    assert speakers[:2] == [("direct", "Patricia Hewitt"), ("direct", "Patricia Hewitt")]  # "she said" → last speaker
    assert ("reported", "Bank of England") in speakers
    counts = {(c["number"], c["type"], c["qualifier"]) for c in record["counts"]}
    assert {(1400, "money", None), (20, "killed", "at_least"), (24, "wounded", None)} <= counts
    dates = {d["text"]: d["date"] for d in record["dates"]}
    assert dates["Sunday"] == "2024-12-01" and dates["6 December 2024"] == "2024-12-06"
    assert dates["last week"] == "2024-11-25"


def test_social_references_are_appended_without_duplicates() -> None:
    embedded = {"platform": "twitter", "url": "https://twitter.com/bbc/status/123", "handle": "bbc", "embedded": True}
    record = extract(ENGLISH, language="en", social=[embedded])
    assert record["social"][0] == embedded
    added = record["social"][1:]
    assert {(r["platform"], r["url"], r["handle"]) for r in added} == {
        ("twitter", None, "BBCBreaking"), ("youtube", "https://www.youtube.com/watch?v=abc", None)}
    assert all(r["embedded"] is False for r in added)


def test_title_taken_from_a_headline_paragraph_only() -> None:
    headline = extract(["Rebels advance on Homs", "The army withdrew on Friday."], title=None, language="en")
    assert headline["title"] == "Rebels advance on Homs"
    assert any("title" in w for w in headline["provenance"]["warnings"])
    sentence = extract(["The army withdrew from the city on Friday.", "More later."], title=None, language="en")
    assert sentence["title"] is None
    assert extract(["x y"], title="Given")["title"] == "Given"


@pytest.mark.parametrize("record", [
    cleaned(["قال الرئيس بشار الأسد إن “الحرب انتهت”."]),
    # a title taken from the first paragraph adds a warning to provenance: the input's list stays as it was
    cleaned(["Rebels advance on Homs", "The army withdrew on Friday."], title=None, language="en",
            provenance={"pipeline_version": "0.1.0", "stages": {"clean": {"processed_at": "2024-12-06T12:30:00.000Z",
                        "duration_seconds": 0.01}}, "warnings": ["clean: a warning"]}),
])
def test_input_record_is_not_modified(record: dict[str, Any]) -> None:
    snapshot = json.dumps(record, sort_keys=True)
    output = run_stage(STAGES["extract"], record)
    assert output["schema"] == "newsingest.extracted/1" and json.dumps(record, sort_keys=True) == snapshot
    assert output["provenance"]["stages"].keys() == record["provenance"]["stages"].keys() | {"extract"}
    assert len(output["provenance"].get("warnings", [])) == len(record["provenance"].get("warnings", [])) + (record["title"] is None)


def test_empty_body() -> None:
    record = run_stage(STAGES["extract"], cleaned([]))
    assert (record["entities"], record["quotes"], record["counts"], record["dates"]) == ([], [], [], [])


def _saudinewsnet(shared: Path, limit: int) -> list[dict[str, Any]]:
    archives = sorted((shared / "corpus" / "saudinewsnet-ar" / "dataset").glob("*.zip"))
    records = []
    for archive in archives[:3]:
        with zipfile.ZipFile(archive) as bundle:
            articles = json.loads(bundle.read(bundle.namelist()[0]))
        for article in articles[: limit // 3 + 1]:
            paragraphs = [p.strip() for p in article["content"].split("\n") if p.strip()]
            stamp = article["date_extracted"].replace(" ", "T") + "Z"
            records.append(cleaned(paragraphs, published_at=stamp, title=article.get("title") or None))
    return records[:limit]


def _bbc(shared: Path, limit: int) -> list[dict[str, Any]]:
    files = sorted((shared / "corpus" / "bbc-news-en" / "bbc").glob("*/*.txt"))[::20][:limit]
    records = []
    for path in files:
        lines = [p.strip() for p in path.read_text(encoding="utf-8", errors="replace").split("\n") if p.strip()]
        records.append(cleaned(lines[1:], published_at=None, title=lines[0], language="en"))
    return records


def test_corpus_samples_extract_and_validate(shared: Path) -> None:
    records = _saudinewsnet(shared, 200) + _bbc(shared, 100)
    if len(records) < 300:
        pytest.skip("corpora absent")
    found = {"entities": 0, "quotes": 0, "counts": 0, "dates": 0}
    for record in records:
        output = run_stage(STAGES["extract"], record)  # validates the output contract
        assert_spans(output)
        for field in found:
            found[field] += bool(output[field])
    assert found["entities"] > 280 and found["quotes"] > 100 and found["dates"] > 150 and found["counts"] > 30


def test_seed_through_the_real_clean_stage(shared: Path) -> None:
    path = shared / "corpus" / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip("seed article absent")
    try:
        record = run_stage(STAGES["clean"], {"id": "seed", "body": path.read_text(encoding="utf-8"),
                                             "published_at": "2024-12-06T12:00:00Z"})
    except Exception as exc:  # the clean stage is developed separately; this chain check is optional
        pytest.skip(f"clean stage unavailable: {exc}")
    output = run_stage(STAGES["extract"], record)
    assert_spans(output)
    speakers = {q["text"]: q["speaker"] for q in output["quotes"]}
    assert speakers["الإطاحة بهذا النظام"] == "أبو محمد الجولاني" and speakers["يوماً تاريخياً"] == "زاهر سحلول"
    assert {(c["number"], c["type"]) for c in output["counts"]} >= {(727, "killed"), (12000000, "displaced")}
    embedded = [s for s in output["social"] if s.get("embedded")]
    assert len(embedded) == len([s for s in record["social"] if s.get("embedded")])  # nothing duplicated


def test_seed_acceptance_through_clean(shared: Path) -> None:
    """Issue 4's "done when" on the seed: people, organisations, places, quotes, counts, dates, the tweet."""
    path = shared / "corpus" / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip("seed article absent")
    record = run_stage(STAGES["clean"], {"id": "seed", "body": path.read_text(encoding="utf-8"),
                                         "published_at": "2024-12-06T12:00:00Z"})
    output = run_stage(STAGES["extract"], record)
    persons, orgs, places = (by_text(output["entities"], kind) for kind in ("PERSON", "ORG", "LOC"))
    # "غير بيدرسن" (Geir Pedersen) is missed since the Arabic model no longer trains on NewsFANE's copy of
    # ANERcorp's test split (MODEL_CARD.md, "Test-split text"): a foreign name, the known weak spot
    assert {"بشار الأسد", "أبو محمد الجولاني", "زاهر سحلول", "جهاد يازجي", "رامي عبد الرحمن",
            "أنطونيو غوتيريش"} <= set(persons)
    assert {"المرصد السوري لحقوق الإنسان", "قوات سوريا الديمقراطية", "وزارة الدفاع السورية",
            "الأمم المتحدة"} <= set(orgs)  # "الجيش الوطني السوري" is missed (see test_seed_entities)
    assert {"حمص", "حلب", "دمشق", "درعا", "سوريا"} <= set(places)
    speakers = {q["speaker"] for q in output["quotes"]}
    assert {"أبو محمد الجولاني", "زاهر سحلول", "جهاد يازجي", "أنطونيو غوتيريش"} <= speakers
    counts = {(c["number"], c["type"], c["subject"]) for c in output["counts"]}
    assert {(727, "killed", "شخص"), (111, "killed", "مدني")} <= counts
    assert {d["text"]: d["date"] for d in output["dates"]}["يوم الخميس"] == "2024-12-05"
    assert any(s["handle"] == "jhaboush" and s["platform"] == "twitter" for s in output["social"])
