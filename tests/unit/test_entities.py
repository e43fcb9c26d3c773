"""Entities around the models: persons and organisations, fixed organisation names and the adjectives that
close an organisation, places with proclitics, merging, ids."""

from __future__ import annotations

import random

from newsingest.stages.extract import arabic_names
from newsingest.stages.extract.coref import _keys_ending_with, build_entities, entity_id, harmonise, propagate
from newsingest.stages.extract.entities import find_mentions, looks_like_name
from newsingest.stages.extract.mentions import Mention
from newsingest.text import lexicon as lx
from newsingest.text.tokens import proclitic_candidates, proclitic_splits, tokenize


def entities(text: str) -> dict[tuple[str, str], list[str]]:
    tokens = tokenize(text)
    found = build_entities(text, propagate(text, tokens, find_mentions(text, tokens)))
    for entity in found:
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    return {(e["type"], e["text"]): [m["text"] for m in e["mentions"]] for e in found}


def test_proclitic_readings() -> None:
    assert proclitic_splits("بحلب") == ((0, "بحلب"), (1, "حلب"))
    assert (2, "العراق") in proclitic_splits("للعراق")
    assert (1, "المرصد") in proclitic_splits("والمرصد")
    assert proclitic_splits("وبالمدينة") == ((0, "وبالمدينة"), (2, "المدينة"), (4, "مدينة"), (1, "بالمدينة"))
    assert proclitic_splits("حلب") == ((0, "حلب"),) and proclitic_splits("") == ((0, ""),)
    assert proclitic_splits("ول", 2) == ((0, "ول"),)  # a stem of two letters at least


def test_person_by_title_and_last_name_mentions() -> None:
    found = entities("انسحبت قوات الرئيس بشار الأسد من درعا. وسقوط حمص يجعل حكومة الأسد عرضة للخطر بعد هزيمة للأسد.")
    assert found["PERSON", "بشار الأسد"] == ["بشار الأسد", "الأسد", "أسد"]  # "للأسد": ل + الأسد
    assert ("ORG", "قوات الرئيس") not in found and ("PERSON", "الأسد") not in found


def test_persons_after_titles_and_organisations() -> None:
    found = entities("قال الأمين العام للأمم المتحدة أنطونيو غوتيريش، الخميس، إن. وقال مدير المرصد السوري لحقوق "
                     "الإنسان، رامي عبد الرحمن، إن القوات انسحبت. وقال أبو محمد الجولاني، زعيم هيئة تحرير الشام، إن.")
    # alone in one sentence the model reads "الشام" of "هيئة تحرير الشام" as a place; in the seed article it
    # finds the organisation (the head-noun rule that forced it cost 2.4 points of ANERcorp dev F1, MODEL_CARD.md).
    # "المرصد السوري لحقوق الإنسان" is found in the seed article but not in this sentence since the Arabic model
    # no longer trains on NewsFANE's copy of ANERcorp's test split (MODEL_CARD.md, "Test-split text")
    assert {("PERSON", "أنطونيو غوتيريش"), ("PERSON", "رامي عبد الرحمن"), ("PERSON", "أبو محمد الجولاني"),
            ("ORG", "الأمم المتحدة")} <= set(found)


def test_organisations_take_their_adjectives_and_need_a_name() -> None:
    found = entities("وقال متحدث باسم حزب العمال البريطاني إن الحزب سيصوت ضد القرار، ودعا الاتحاد الأوروبي إلى التهدئة.")
    assert {("ORG", "حزب العمال البريطاني"), ("ORG", "الاتحاد الأوروبي")} <= set(found)  # the model: "حزب العمال"
    found = entities("قصفت قوات النظام المناطق، وتقدمت قوات سوريا الديمقراطية، وانسحبت القوات الموالية للأسد. "
                     "ووفقا للمرصد السوري لحقوق الإنسان قتل 5، بحسب المرصد.")
    assert not any(name in ("قوات النظام", "القوات الموالية للأسد") for _, name in found)


def test_places_with_proclitics() -> None:
    found = entities("وقالت المعارضة السورية إن القوات انسحبت من حماة وحمص ودرعا.")
    assert {("LOC", "حماة"), ("LOC", "حمص"), ("LOC", "درعا")} <= set(found)
    assert found["LOC", "حمص"] == ["حمص"]  # "وحمص": the conjunction stays outside
    assert not any(kind == "LOC" and "سوري" in name for kind, name in found)  # a demonym is not a place


def test_english_sequences() -> None:
    found = entities("Trade Secretary Patricia Hewitt told GMTV that Ms Hewitt would meet the Bank of England in "
                     "New York. Chancellor Gordon Brown and the Court of Appeals agreed. Syrian rebels in Aleppo cheered.")
    assert found["PERSON", "Patricia Hewitt"] == ["Patricia Hewitt", "Hewitt"]
    assert {("ORG", "GMTV"), ("ORG", "Bank of England"), ("ORG", "Court of Appeals"), ("LOC", "New York"),
            ("PERSON", "Gordon Brown"), ("NORP", "Syrian"), ("LOC", "Aleppo")} <= set(found)


def test_ids_are_stable_across_spellings() -> None:
    assert entity_id("PERSON", "بشّار الأسد") == entity_id("PERSON", "بشار الاسد") != entity_id("ORG", "بشار الأسد")
    first = entities("قال الرئيس بشار الأسد إن.")
    second = entities("التقى الرئيس بشار الأسد وفدا.")
    assert first.keys() == second.keys()


def test_looks_like_name() -> None:
    assert looks_like_name(tokenize("زاهر سحلول"), set()) and looks_like_name(tokenize("John Smith"), set())
    assert looks_like_name(tokenize("آشتون كارتر"), set())  # a foreign name: no given-name list needed
    assert not looks_like_name(tokenize("المتحدث باسم قوات التحالف"), set())
    assert not looks_like_name(tokenize("الوزير الأميركي"), set())
    assert not looks_like_name(tokenize("مدينة عدن"), set())
    assert not looks_like_name(tokenize("فريق كبير"), {"فريق"})  # the text says "الفريق": a noun


def mention(text: str, kind: str, surface: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(kind, start, start + len(surface), surface)


def test_harmonise_makes_one_articles_mentions_agree() -> None:
    text = ("انسحبت القوات من دير الزور. وعززت قوات سوريا الديمقراطية مواقعها في دير الزور. "
            "وتم تقسيم دير الزور. وأظهرت لقطات مقاتلين تابعين لقوات سوريا الديمقراطية وسط مدينة دير الزور. "
            "وانسحبت القوات من شرق مدينة دير الزور.")
    strung = "لقوات سوريا الديمقراطية وسط مدينة دير الزور"
    found = harmonise(text, [
        mention(text, "LOC", "دير الزور"), mention(text, "ORG", "قوات سوريا الديمقراطية"),
        mention(text, "LOC", "دير الزور", 1), mention(text, "PERSON", "دير الزور", 2),
        mention(text, "ORG", strung),
        Mention("LOC", text.rindex("دير الزور"), text.rindex("دير الزور") + 3, "دير"),
    ])
    spans = [(m.type, text[m.start:m.end]) for m in found]
    assert ("ORG", strung) not in spans  # two names strung together become the two names
    assert spans.count(("ORG", "قوات سوريا الديمقراطية")) == 2
    assert ("LOC", "دير") not in spans  # "[دير] الزور" takes the name the article uses
    assert spans.count(("LOC", "دير الزور")) == 5 and all(kind != "PERSON" for kind, _ in spans)  # 4 LOC to 1 PERSON


def test_harmonise_drops_the_medium_before_an_outlet_the_article_names_alone() -> None:
    text = "وقال لموقع ميدل إيست آي إن الوضع صعب. وأضاف في حديث إلى ميدل إيست آي أنه قلق."
    found = harmonise(text, [mention(text, "ORG", "موقع ميدل إيست آي"), mention(text, "ORG", "ميدل إيست آي", 1)])
    assert [text[m.start:m.end] for m in found] == ["ميدل إيست آي", "ميدل إيست آي"]


def test_harmonise_leaves_names_that_agree_alone() -> None:
    text = "Jordan beat Iraq 2-1 in Amman. Michael Jordan watched. Jordan will play Syria next."
    mentions = [mention(text, "LOC", "Jordan"), mention(text, "LOC", "Iraq"), mention(text, "LOC", "Amman"),
                mention(text, "PERSON", "Michael Jordan"), mention(text, "PERSON", "Jordan", 2), mention(text, "LOC", "Syria")]
    assert harmonise(text, mentions) == mentions  # a tie between types changes nothing; no span is strung
    bank = "The Bank of England and the Bank of England Museum in London."
    museum = [mention(bank, "ORG", "Bank of England"), mention(bank, "ORG", "Bank of England Museum"), mention(bank, "LOC", "London")]
    assert harmonise(bank, museum) == museum  # one other name inside a longer one is part of it


def test_a_person_is_found_again_by_first_name_unless_the_text_uses_it_as_a_word() -> None:
    found = entities("Sonny Parker is fit again. Sonny trained on Monday.")
    assert found[("PERSON", "Sonny Parker")] == ["Sonny Parker", "Sonny"]
    text = "On Monday the minister Grant Shapps spoke. Grant aid rose by a grant of $5 million."
    assert entities(text)[("PERSON", "Grant Shapps")] == ["Grant Shapps"]  # "grant" is a word in this text


def test_a_span_that_does_not_open_with_a_known_name_is_not_split() -> None:
    text = "Students at the University of California, Los Angeles marched. California and Los Angeles officials met."
    ucla = "University of California, Los Angeles"
    mentions = [mention(text, "ORG", ucla), mention(text, "LOC", "California", 1), mention(text, "LOC", "Los Angeles", 1)]
    assert harmonise(text, mentions) == mentions


def test_keys_ending_with_a_name_word_are_those_str_endswith_finds() -> None:
    rng = random.Random(5)
    letters = "abcالمسو"
    for _ in range(20_000):
        keys = {"".join(rng.choices(letters, k=rng.randint(0, 4))) for _ in range(rng.randint(0, 12))}
        endings = {"".join(rng.choices(letters, k=rng.randint(0, 3))) for _ in range(rng.randint(1, 5))}
        assert _keys_ending_with(keys, endings) == {key for key in keys if key.endswith(tuple(endings))}


def test_the_organisation_openers_are_the_keys_that_open_a_fixed_name_or_have_a_head_noun() -> None:
    heads = {*arabic_names._FIXED_BY_FIRST, *lx.AR_ORG_HEADS, *(f"ال{head}" for head in lx.AR_ORG_HEADS)}
    keys = proclitic_candidates(heads) | {key for text in ("قالت وزارة الخارجية إن الأمم المتحدة وللمرصد", "حزب العمال") for key in (token.key for token in tokenize(text))}
    for key in keys:
        opens = bool(arabic_names._fixed_starts(key)) or arabic_names._org_head_key(key) is not None
        assert (key in arabic_names._ORG_OPENERS) == opens, key
