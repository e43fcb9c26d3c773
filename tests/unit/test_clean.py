"""The clean stage: scraped text, HTML, Unicode, language, and the record contract."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest

from newsingest.runtime.deadletters import Rejected
from newsingest.stages import STAGES, run_stage
from newsingest.stages.clean import language

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "000_bc8eda6b5223bef9.txt"


def clean(body: str, **fields: Any) -> dict[str, Any]:
    return run_stage(STAGES["clean"], {"id": "t1", "body": body, **fields})


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    if not SEED.exists():
        pytest.skip("../shared corpus not present")
    return clean(SEED.read_text(encoding="utf-8"))


def test_seed_loses_its_scraping_residue(seed: dict[str, Any]) -> None:
    text = seed["text"]
    assert "[ad_" not in text
    assert not text.rstrip().endswith("المصدر")
    assert "نشرة ميدل إيست آي الإخبارية" not in text and "قم بالتسجيل" not in text
    assert "اقرأ المزيد" not in text
    assert "لماذا انهار الجيش السوري بهذه السرعة في شمال سوريا؟" not in text
    assert "pic.twitter.com" not in text and "jhaboush" not in text
    assert "المنطقة. ." not in text and "الرئيسي في المنطقة." in text
    assert text == "\n\n".join(seed["paragraphs"])


def test_seed_title_pull_quote_and_content(seed: dict[str, Any]) -> None:
    headline = "قوات الأسد تنسحب من درعا ودير الزور مع تقدم المتمردين السوريين نحو حمص"
    assert seed["title"] == headline
    assert headline not in seed["text"]
    assert seed["text"].count("كل من تحدثت معهم") == 1
    assert "– زاهر سحلول، طبيب وناشط" not in seed["paragraphs"]
    real = "ووفقا للمرصد السوري لحقوق الإنسان، فقد قُتل 727 شخصا – معظمهم من المقاتلين ولكن أيضا 111 مدنيا – في سوريا منذ بدء الهجوم."
    assert real in seed["paragraphs"]
    assert seed["paragraphs"][0].startswith("واصل مقاتلو المعارضة السورية")


def test_seed_social_language_and_counts(seed: dict[str, Any]) -> None:
    assert seed["language"] == "ar" and seed["language_confidence"] > 0.9
    (post,) = seed["social"]
    assert post["platform"] == "twitter" and post["handle"] == "jhaboush" and post["embedded"] is True
    assert post["url"] == "https://pic.twitter.com/ltrgotd222"
    assert post["author"] == "جوزيف حبوش" and post["date_text"] == "6 ديسمبر 2024"
    assert post["text"].endswith("دير الزور شرقي سوريا")
    removed = seed["provenance"]["removed"]
    for kind in ("ad_marker", "source_line", "newsletter_promo", "read_more_teaser", "social_embed", "repeated_title", "repeated_paragraph"):
        assert removed.get(kind, 0) >= 1, kind
    assert removed["ad_marker"] == 2
    assert seed["provenance"]["content_type"] == "text/plain"
    assert seed["schema"] == "newsingest.cleaned/1" and seed["article_id"] == "t1"


# --- scraped plain text, self-made --------------------------------------------------------------

ENGLISH_SCRAPE = """Storm floods coastal towns

Storm floods coastal towns

[ad_1]

Heavy rain flooded three coastal towns on Friday, forcing hundreds of residents to leave their homes.

Sign up for our Morning Briefing newsletter to get the latest news delivered to your inbox.

Emergency services said the water was receding by the evening, but warned of more rain overnight.

"We have never seen water rise this fast in this town, and we have lived here all our lives," one resident said.

Why are coastal floods getting worse?

Read more »

"We have never seen water rise this fast in this town - and we have lived here all our lives."

– Jane Doe, resident

The mayor said repairs would take weeks.

Watch the water reach the main square pic.twitter.com/AbCd123

— Local Reporter (@localreporter) March 3, 2024

Officials will publish a damage estimate on Monday.

[ad_2]
Source: Reuters"""


def test_english_scrape_junk_kinds() -> None:
    out = clean(ENGLISH_SCRAPE)
    assert out["title"] == "Storm floods coastal towns"
    assert out["paragraphs"] == [
        "Heavy rain flooded three coastal towns on Friday, forcing hundreds of residents to leave their homes.",
        "Emergency services said the water was receding by the evening, but warned of more rain overnight.",
        '"We have never seen water rise this fast in this town, and we have lived here all our lives," one resident said.',
        "The mayor said repairs would take weeks.",
        "Officials will publish a damage estimate on Monday.",
    ]
    assert out["language"] == "en"
    assert out["metadata"]["source_credit"] == "Reuters"
    (post,) = out["social"]
    assert (post["handle"], post["author"], post["date_text"]) == ("localreporter", "Local Reporter", "March 3, 2024")
    assert post["url"] == "https://pic.twitter.com/AbCd123" and post["text"] == "Watch the water reach the main square"
    assert out["provenance"]["removed"]["repeated_attribution"] == 1


ARABIC_SCRAPE = """ارتفاع أسعار النفط في الأسواق العالمية

[ad_1]

ارتفعت أسعار النفط يوم الاثنين بعد أن أعلنت الدول المنتجة خفض الإنتاج خلال الأشهر المقبلة، وفق ما ذكرت مصادر في السوق.

اشترك في النشرة البريدية للحصول على أحدث الأخبار يومياً

وقال محلل في شركة استشارات للطاقة إن “الأسواق تتوقع مزيداً من الارتفاع في الأسعار خلال فصل الشتاء المقبل بسبب الطلب”.

اقرأ أيضاً: تراجع الطلب على الوقود في آسيا

“الأسواق تتوقع مزيداً من الارتفاع في الأسعار خلال فصل الشتاء المقبل بسبب الطلب.”

– محلل طاقة، شركة استشارات

وأضاف أن المخزونات التجارية انخفضت للأسبوع الثالث على التوالي.

المصدر: وكالات"""


def test_arabic_scrape_junk_kinds() -> None:
    out = clean(ARABIC_SCRAPE, title="ارتفاع أسعار النفط في الأسواق العالمية")
    assert out["title"] == "ارتفاع أسعار النفط في الأسواق العالمية"
    assert len(out["paragraphs"]) == 3
    assert out["paragraphs"][0].startswith("ارتفعت أسعار النفط") and out["paragraphs"][2].startswith("وأضاف")
    assert out["text"].count("الأسواق تتوقع") == 1
    removed = out["provenance"]["removed"]
    assert removed["newsletter_promo"] == 1 and removed["read_more_teaser"] == 1 and removed["repeated_title"] == 1
    assert removed["source_line"] == 1 and out["metadata"]["source_credit"] == "وكالات"
    assert out["language"] == "ar"


def test_attribution_of_a_kept_quote_stays() -> None:
    body = (
        "The minister spoke to reporters outside parliament after the vote on the budget.\n\n"
        "“We will not raise taxes on working families this year, whatever the opposition claims.”\n\n"
        "– John Smith, finance minister\n\n"
        "The opposition called the budget a missed opportunity."
    )
    out = clean(body, title="Budget passes")
    assert "– John Smith, finance minister" in out["paragraphs"]
    assert len(out["paragraphs"]) == 4


def test_short_and_merely_similar_paragraphs_are_kept() -> None:
    body = "\n\n".join([
        "The court heard evidence from both sides during a long morning session.",
        "Yes.",
        "The judge asked whether the witness had seen the car.",
        "Yes.",
        "Arsenal, Chelsea, Liverpool, Everton, Leeds.",
        "Arsenal, Chelsea, Liverpool, Everton, Fulham.",
        "The first group of critics picked The Aviator as film and Clint Eastwood as director this year.",
        "The second group of critics picked Sideways as film and Alexander Payne as director this year.",
    ])  # fmt: skip
    out = clean(body, title="Court")
    assert len(out["paragraphs"]) == 8
    assert "repeated_paragraph" not in out["provenance"]["removed"]


def test_near_duplicate_differing_by_punctuation_and_a_word_is_dropped() -> None:
    quote = "Everyone I spoke with was happy after seeing what happened in the two cities, and I hope better days come"
    body = f"Intro paragraph about the events of the week in the region.\n\n“{quote}.”\n\nMiddle paragraph.\n\n{quote.replace('hope', 'wish')}!"
    out = clean(body, title="T")
    assert out["text"].count("Everyone I spoke with") == 1
    assert out["provenance"]["removed"]["repeated_paragraph"] == 1


def test_pull_quote_excerpt_of_a_longer_paragraph_is_dropped() -> None:
    body = (
        "The report, published on Monday, said the river had burst its banks in four places and that the "
        "damage to farmland would take years to repair, according to the regional agency.\n\n"
        "“The damage to farmland would take years to repair, according to the regional agency”\n\n"
        "Officials met on Tuesday."
    )
    out = clean(body, title="Floods")
    assert len(out["paragraphs"]) == 2 and out["paragraphs"][1] == "Officials met on Tuesday."


def test_lines_without_blank_lines_are_paragraphs() -> None:
    out = clean("First paragraph of the article here.\nSecond paragraph follows it.\nThird one ends it.", title="T")
    assert out["paragraphs"] == ["First paragraph of the article here.", "Second paragraph follows it.", "Third one ends it."]


def test_body_that_cleans_to_nothing_still_yields_a_record() -> None:
    out = clean("[ad_1]\n\n[ad_2]")
    assert out["paragraphs"] == [] and out["text"] == ""
    assert out["provenance"]["warnings"] and out["language"] is None


def test_empty_body_is_rejected_by_the_contract() -> None:
    with pytest.raises(Rejected) as caught:
        clean("   ")
    assert caught.value.reason == "schema_violation"


# --- fields -----------------------------------------------------------------------------------


def test_fields_timestamps_and_metadata() -> None:
    out = clean(
        "Body text of a short article that says something about the weather today.",
        title=" A  title ",
        url="https://example.com/a",
        source="example",
        published_at="Fri, 06 Dec 2024 14:03:00 +0300",
        ingested_at="2024-12-06T12:00:00Z",
        metadata={"byline": "Publisher Byline", "section": "world"},
    )
    assert out["title"] == "A title" and out["url"] == "https://example.com/a" and out["source"] == "example"
    assert out["published_at"] == "2024-12-06T11:03:00.000Z"
    assert out["ingested_at"] == "2024-12-06T12:00:00.000Z"
    assert out["metadata"] == {"byline": "Publisher Byline", "section": "world"}
    assert clean("Body.", published_at="2015-07-21 02:51:32")["published_at"] == "2015-07-21T02:51:32.000Z"


def test_unreadable_published_at_is_null_with_a_warning() -> None:
    out = clean("Some body text here.", published_at="last Tuesday")
    assert out["published_at"] is None
    assert any("published_at" in warning for warning in out["provenance"]["warnings"])


# --- Unicode ----------------------------------------------------------------------------------


def test_unicode_repair() -> None:
    out = clean("CafÃ© â€œcrÃ¨meâ€\x9d is open.\n\nZero\u200bwidth and \u202ebidi\u202c and soft\u00adhyphen.", title="T")
    assert out["paragraphs"] == ["Café “crème” is open.", "Zerowidth and bidi and softhyphen."]
    removed = out["provenance"]["removed"]
    assert removed["mojibake_repair"] == 1 and removed["invisible_chars"] == 4


def test_arabic_tatweel_removed_diacritics_and_letters_kept() -> None:
    out = clean("قالَ الرئيـــسُ إنّ الاقتصاد ينمو بسرعة كبيرة هذا العام في المملكة.", title="ع")
    assert out["text"] == "قالَ الرئيسُ إنّ الاقتصاد ينمو بسرعة كبيرة هذا العام في المملكة."
    assert out["provenance"]["removed"]["tatweel"] == 3


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("الرياض ـ واس: قال الوزير إن الاقتصاد ينمو.", "الرياض ـ واس: قال الوزير إن الاقتصاد ينمو.", 0),  # a dateline's dash
    ("مدير مركز المساعدية ـــ مستشفى الملك فهد بجدة.", "مدير مركز المساعدية ـــ مستشفى الملك فهد بجدة.", 0),
    ("وفي الوقت الذي تشــــهد فيه المحافظات أمطاراً.", "وفي الوقت الذي تشهد فيه المحافظات أمطاراً.", 4),
    ("قال الرئيسُـــ إن المحافظات تشهد أمطاراً.", "قال الرئيسُ إن المحافظات تشهد أمطاراً.", 3),  # after a diacritic
    ("ـالرياض: قال الوزير إن الاقتصاد ينمو.", "الرياض: قال الوزير إن الاقتصاد ينمو.", 1),
])
def test_tatweel_dropped_only_where_it_stretches_a_letter(text: str, expected: str, removed: int) -> None:
    """A lone tatweel is a dash between words, which the text keeps; elongation inside a word goes."""
    out = clean(text, title="ع")
    assert out["text"] == expected
    assert out["provenance"]["removed"].get("tatweel", 0) == removed


def test_persian_zwnj_kept_stray_one_dropped() -> None:
    out = clean("من می\u200cخواهم به خانه بروم و کتاب بخوانم چون امروز خیلی خسته هستم.\u200c", title="ت")
    assert "می\u200cخواهم" in out["text"] and not out["text"].endswith("\u200c")
    assert out["language"] == "fa"


# --- language -----------------------------------------------------------------------------------


def test_language_of_short_mixed_and_hinted_text() -> None:
    assert clean("OK", title="T")["language"] is None
    short_arabic = clean("مرحبا", title="ع")
    assert short_arabic["language"] == "ar" and short_arabic["language_confidence"] < 0.5
    hinted = clean("OK", title="T", language="de-DE")
    assert (hinted["language"], hinted["language_confidence"]) == ("de", 0.5)
    mixed = clean(
        "قال وزير الخارجية في مؤتمر صحفي عقده في العاصمة اليوم إن المفاوضات ستستمر الأسبوع المقبل "
        "رغم الخلافات القائمة بين الطرفين حول عدد من القضايا الأساسية. "
        "He said: talks will go on next week.",
        title="ع",
    )
    assert mixed["language"] == "ar"


@pytest.mark.parametrize(("sample", "one_script"), [
    ("قال وزير الخارجية في مؤتمر صحفي إن المفاوضات ستستمر الأسبوع المقبل رغم الخلافات بين الطرفين", True),
    ("وزیر امور خارجه گفت که مذاکرات هفته آینده ادامه خواهد یافت", True),
    ("The minister said the talks would go on next week despite the differences between the two sides", True),
    ("Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine", True),
    ("قال الوزير إن المحادثات ستستمر Reuters reported the talks would continue", False),
])
def test_a_sample_scored_against_its_script_languages_gets_the_full_detectors_answer(sample: str, one_script: bool) -> None:
    script = language._script_counts(sample)[0]
    candidates = language._candidates(sample, script)
    assert candidates == (script.languages if one_script else language.NEWS_LANGUAGES)

    def top(detector: Any) -> tuple[object, float]:
        best = detector.compute_language_confidence_values(sample)[0]
        return best.language, round(best.value, 4)

    assert top(language.detector(candidates)) == top(language.detector())


# --- HTML ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head>
<title>River bursts its banks | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-03-03T08:15:00+01:00">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="https://daily.example/river">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "River bursts its banks", "datePublished": "2024-03-03T07:15:00Z"}</script>
<style>p { color: red }</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main>
<article>
<h1>River bursts its banks</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>The river burst its banks on Sunday morning, flooding &amp; damaging dozens of homes in the old town.</p>
<p>Residents were moved to a school gym, where volunteers served hot meals<br>and blankets through the night.</p>
<h2>What happens next</h2>
<ul><li>Engineers will inspect the bridge on Monday.</li><li>Schools stay closed until Wednesday.</li></ul>
<blockquote class="twitter-tweet"><p lang="en">The water is still rising near the old bridge pic.twitter.com/Xy12</p>&mdash; City Council (@citycouncil) <a href="https://twitter.com/citycouncil/status/1">March 3, 2024</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js"></script>
<blockquote><p>“We have lost everything we had in the basement,” said one shop owner on the high street.</p></blockquote>
<div class="newsletter-signup"><p>Sign up to our newsletter for the latest news every morning.</p></div>
<!-- a comment that must not leak -->
<p>The council said the cost of the damage was not yet known, but insurers expect claims to run high.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm warning for the coast issued</a></li></ul></aside>
</main>
<footer><p>© 2024 The Daily Example. All rights reserved.</p></footer>
</body></html>"""


def test_html_page_main_text_and_metadata() -> None:
    out = clean(PAGE)
    assert out["provenance"]["content_type"] == "text/html"
    assert out["title"] == "River bursts its banks"
    assert out["paragraphs"] == [
        "The river burst its banks on Sunday morning, flooding & damaging dozens of homes in the old town.",
        "Residents were moved to a school gym, where volunteers served hot meals",
        "and blankets through the night.",
        "What happens next",
        "Engineers will inspect the bridge on Monday.",
        "Schools stay closed until Wednesday.",
        "“We have lost everything we had in the basement,” said one shop owner on the high street.",
        "The council said the cost of the damage was not yet known, but insurers expect claims to run high.",
    ]
    assert out["published_at"] == "2024-03-03T07:15:00.000Z"
    assert out["url"] == "https://daily.example/river" and out["source"] == "The Daily Example"
    meta = out["metadata"]
    assert meta["site_name"] == "The Daily Example" and meta["byline"] == "Jane Reporter" and meta["lang"] == "en-GB"
    (post,) = out["social"]
    assert post["handle"] == "citycouncil" and post["url"] == "https://pic.twitter.com/Xy12"
    assert post["text"] == "The water is still rising near the old bridge"
    assert out["language"] == "en" and out["provenance"]["removed"]["boilerplate_html"] >= 5
    assert "<" not in out["text"] and "cookies" not in out["text"]


def test_html_fields_sent_by_the_publisher_win() -> None:
    out = clean(PAGE, title="Publisher title", url="https://x.example/1", published_at="2024-03-04T00:00:00Z", metadata={"byline": "Desk"})
    assert out["title"] == "Publisher title" and out["url"] == "https://x.example/1"
    assert out["published_at"] == "2024-03-04T00:00:00.000Z" and out["metadata"]["byline"] == "Desk"


def test_page_metadata_sources_are_recorded() -> None:
    out = clean(PAGE)
    assert out["authors"] == ["Jane Reporter"]
    assert out["provenance"]["metadata_sources"] == {"title": "h1", "authors": "meta", "published_at": "json_ld"}
    assert out["provenance"]["published_as_written"] == "2024-03-03T07:15:00Z"
    sent = clean(PAGE, published_at="2024-03-04T00:00:00Z", author="Desk Editor")
    assert sent["authors"] == ["Desk Editor"] and sent["provenance"]["metadata_sources"]["authors"] == "message"
    assert sent["provenance"]["metadata_sources"]["published_at"] == "message" and "published_as_written" not in sent["provenance"]


_LONG = "<p>The committee met again on Monday, and after a long debate it agreed to publish the full report next month.</p>" * 3


def _meta_page(head: str, body: str) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><main><article>{body}{_LONG}</article></main></body></html>"


def test_json_ld_authors_are_resolved_people_first_and_keep_the_page_offset() -> None:
    graph = {"@graph": [
        {"@type": "Article", "headline": "Budget passes", "datePublished": "2025-04-12T21:00:00-04:00",
         "author": [{"@id": "#ann"}, {"@type": "Organization", "name": "Example Times"}]},
        {"@type": "Person", "@id": "#ann", "name": "Ann Lee"},
    ]}
    head = f"<title>Budget passes in late vote | Example Times</title><script type='application/ld+json'>{json.dumps(graph)}</script>"
    out = clean(_meta_page(head, "<h1>Budget passes in late vote</h1>"))
    assert out["title"] == "Budget passes in late vote" and out["authors"] == ["Ann Lee"]
    assert out["published_at"] == "2025-04-13T01:00:00.000Z" and out["provenance"]["published_as_written"].startswith("2025-04-12")


def test_visible_byline_and_arabic_date_when_the_page_declares_none() -> None:
    body = "<h1>افتتاح المعرض</h1><div class='post-meta'><span class='author-name'>بقلم سارة أحمد</span> <span class='date'>نشر في 15 يوليو 2015</span></div>"
    out = clean(_meta_page("<title>افتتاح المعرض</title>", body))
    assert out["authors"] == ["سارة أحمد"] and out["published_at"] == "2015-07-15T00:00:00.000Z"
    assert out["provenance"]["metadata_sources"] == {"title": "h1", "authors": "byline", "published_at": "page_text"}


def test_a_date_in_the_canonical_url_and_no_handle_for_an_author() -> None:
    head = "<link rel='canonical' href='https://blog.example/2023/6/8/notes/'><meta name='author' content='x7k2p9q4'>"
    out = clean(_meta_page(head, "<h1>Notes</h1>"))
    assert out["published_at"] == "2023-06-08T00:00:00.000Z" and out["provenance"]["metadata_sources"]["published_at"] == "url"
    assert out["authors"] == []


def test_a_date_written_out_in_json_ld_or_beside_the_byline_is_read() -> None:
    head = """<script type="application/ld+json">{"@type": "Article", "datePublished": "Oct 31, 2025"}</script>"""
    out = clean(_meta_page(head, "<h1>Rates</h1>"))
    assert out["published_at"] == "2025-10-31T00:00:00.000Z" and out["provenance"]["metadata_sources"]["published_at"] == "json_ld"
    body = "<div><h1>Rates</h1></div><div class='card'><span class='author-name'>By Bo Chan</span> - Mar 27, 2024 · 4 min read</div>"
    assert clean(_meta_page("", body))["published_at"] == "2024-03-27T00:00:00.000Z"


def test_the_site_itself_is_the_author_only_when_no_person_is_named() -> None:
    head = "<meta property='og:site_name' content='Acme'><meta name='author' content='Acme'>"
    assert clean(_meta_page(head, "<h1>Launch</h1><p class='byline'>By Bo Chan</p>"))["authors"] == ["Bo Chan"]
    assert clean(_meta_page(head, "<h1>Launch</h1>"))["authors"] == ["Acme"]


def test_html_fragment_sniffed_and_converted() -> None:
    fragment = "<p>Prices rose by 3% in May, the statistics office said.</p><p>Food &amp; energy led the rise.</p><div class='social-share'><a>Tweet</a></div>"
    out = clean(fragment, title="Prices")
    assert out["provenance"]["content_type"] == "text/html"
    assert out["paragraphs"] == ["Prices rose by 3% in May, the statistics office said.", "Food & energy led the rise."]
    assert clean("Use a <b> tag for bold text in the example.", title="T")["provenance"]["content_type"] == "text/plain"


def test_plain_text_entities_decoded() -> None:
    assert clean("&#163;1.8m fine for AT&amp;T", title="T")["text"] == "£1.8m fine for AT&T"


# --- corpora ----------------------------------------------------------------------------------


def test_bbc_articles_keep_every_paragraph() -> None:
    files = sorted((SHARED / "corpus" / "bbc-news-en" / "bbc").glob("*/*.txt"))
    if not files:
        pytest.skip("../shared corpus not present")
    for path in files[::45]:
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        out = clean(text)
        assert out["language"] == "en", path
        assert out["title"] == " ".join(paragraphs[0].split()), path
        assert " ".join(out["paragraphs"]).split() == " ".join(paragraphs[1:]).split(), path  # nothing lost
        assert len(out["paragraphs"]) >= len(paragraphs) - 1, path  # one-item-per-line lists may split further


def test_saudinewsnet_sample_cleans_as_arabic() -> None:
    zips = sorted((SHARED / "corpus" / "saudinewsnet-ar" / "dataset").glob("*.zip"))
    if not zips:
        pytest.skip("../shared corpus not present")
    articles = []
    for path in zips[:3]:
        with zipfile.ZipFile(path) as archive:
            articles += json.loads(archive.read(archive.namelist()[0]))
    sample = [a for a in random.Random(11).sample(articles, 230) if a["content"].strip()][:200]
    arabic = 0
    for i, article in enumerate(sample):
        raw = {"id": f"snn-{i}", "body": article["content"], "title": article["title"] or None,
               "url": article["url"], "source": article["source"], "published_at": article["date_extracted"]}  # fmt: skip
        out = run_stage(STAGES["clean"], raw)
        arabic += out["language"] == "ar"
        assert out["paragraphs"] and out["published_at"].startswith(article["date_extracted"][:10])
    assert arabic >= 0.97 * len(sample)
