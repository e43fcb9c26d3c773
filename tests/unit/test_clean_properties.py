"""Properties of the clean stage on arbitrary input: it never raises, and never adds text.

"Text content" of an input is what a reader could see of it: for plain text the body itself, for
HTML the text of its nodes (entities decoded). The cleaned ``text`` joins paragraphs with blank
lines, so the comparison counts non-space characters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsingest.stages.clean.boilerplate import _at_most_words
from newsingest.stages.clean.transform import clean

_JUNK_LINES = [
    "[ad_1]", "[ad_2]", "Advertisement", "إعلان", "المصدر", "Source: Reuters", "Read more »", "اقرأ المزيد",
    "pic.twitter.com/abc123", "— Jane Doe (@jdoe) December 6, 2024", "Sign up for our newsletter",
    "اشترك في نشرتنا الإخبارية", "\u200b\u200f", "ـــ", "Ã©tÃ©", "&amp; &#8217;", "قوات الأسد تنسحب من درعا",
]  # fmt: skip
_TAGS = ["p", "div", "span", "a", "li", "ul", "h1", "h2", "blockquote", "nav", "footer", "article", "script", "br", "table", "td"]

_line = st.one_of(st.sampled_from(_JUNK_LINES), st.text(max_size=120))
plain_bodies = st.lists(_line, min_size=1, max_size=12).map(lambda lines: "\n\n".join(lines))


@st.composite
def html_bodies(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.sampled_from(["", ' class="share-bar"', ' class="content"', ' id="comments"', ' hidden', ' class="article-body"']))
        parts.append(f"<{tag}{attrs}>{draw(_line)}</{tag}>")
    page = "".join(parts)
    return f"<!doctype html><html><head><title>{draw(_line)}</title></head><body>{page}</body></html>" if draw(st.booleans()) else page


def _visible_chars(text: str) -> int:
    # C1 controls count: mojibake repair may turn them into the cp1252 characters they stood for
    # (U+0085 into "…"), though Python calls U+0085 white space. Counted in NFC, as clean writes it:
    # NFC splits a few precomposed characters ("\ufb1d" → "\u05d9\u05b4") without adding text.
    return sum(1 for char in unicodedata.normalize("NFC", text) if not char.isspace() or "\x80" <= char <= "\x9f")


def _record(body: str, content_type: str) -> dict[str, Any]:
    return clean({"id": "p1", "body": body, "content_type": content_type})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_bodies)
def test_plain_text_never_raises_nor_grows(body: str) -> None:
    record = _record(body, "text/plain")
    assert _visible_chars(record["text"]) <= _visible_chars(body)
    assert record["text"] == "\n\n".join(record["paragraphs"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_bodies())
def test_html_never_raises_nor_exceeds_its_text_content(body: str) -> None:
    record = _record(body, "text/html")
    tree = LexborHTMLParser(body)
    content = tree.body.text(deep=True) if tree.body is not None else ""
    assert _visible_chars(record["text"]) <= _visible_chars(content)
    assert record["text"] == "\n\n".join(record["paragraphs"])


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_string_sniffed_never_raises(body: str) -> None:
    record = clean({"id": "p2", "body": body})
    assert _visible_chars(record["text"]) <= _visible_chars(body)


@given(st.text(alphabet="abج \n\t\u00a0\u2003\u3000"), st.integers(0, 30))
def test_at_most_words_counts_as_a_full_split_does(text: str, limit: int) -> None:
    assert _at_most_words(text, limit) == (len(text.split()) <= limit)
