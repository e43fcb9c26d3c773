"""Remove scraping residue from an article's paragraphs, in Arabic and English.

Each rule removes one kind of junk and counts it: ad-inserter markers and ad labels, embedded
social posts, "read more" teasers with their headline, newsletter promos, a headline or byline
repeated at the top, repeated paragraphs and pull-quotes, and a trailing source/credit line.
Cue phrases are matched on the matching form (alef variants, ta marbuta and alef maqsura folded,
lowercase; see :mod:`newsingest.text.folding`), so the Arabic patterns below are written in that
folded spelling. Only paragraphs short enough for a rule to apply are folded for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from newsingest.stages.clean.repeated_paragraphs import drop_repeats, fold
from newsingest.text.social import extract_posts
from newsingest.text.tokens import word_runs

_AD_MARKER = re.compile(r"\[\s*(?:ads?|advert|advertisement|adsense|sponsored)(?:[\s_-]*\d+)?\s*\]", re.IGNORECASE)
_SHORTCODES_ONLY = re.compile(r"^(?:\s*\[/?[a-z][\w-]*(?:\s[^\]]*)?\]\s*)+$", re.IGNORECASE)
_AD_LABEL = re.compile(
    r"^[\s*•·|–—-]*(?:advertisements?|advert|ad|sponsored(?: content)?|story continues below(?: this)? advertisement|"
    r"continue reading (?:the main story|below)|اعلان|مساحه اعلانيه)[\s*•·|–—-]*$"
)
_MAX_LABEL_CHARS = 60
_SPACES = re.compile(r"\s+")

# "Read more »" after a teaser headline; "Read also: <headline>" or "Read also" before one.
_MORE_MARKER = re.compile(r"^(?:read more|continue reading|read the full (?:story|article)|اقرا المزيد|اقرا اكثر|المزيد)\W*$")
_ALSO_MARKER = re.compile(
    r"^(?:(?:read also|also read|see also|اقرا ايضا|اقرا كذلك|شاهد ايضا|طالع ايضا)(?:\s*[:»›>→|–—-]+)?"
    r"|(?:related(?: articles?| stories| news)?|more on this(?: story)?|read more|اقرا المزيد|(?:مواضيع |اخبار )?ذات صله)"
    r"(?:\s*[:»›>→|–—-]+|$))\s*(?P<rest>.*)$"
)
_MAX_TEASER_WORDS = 25

_NEWSLETTER_CUES = (
    re.compile(r"\bnewsletters?\b|\bmailing list\b|\binbox\b|نشر(?:ه|ات)\b.{0,60}?\b(?:الاخباريه|البريديه)|القائمه البريديه"),
    re.compile(r"\bsign(?:ing)? up\b|\bsubscribe\b|\bsubscription\b|\bregister\b|اشترك|قم بالتسجيل|سجل الان|للاشتراك"),
    re.compile(
        r"\bget the latest\b|\blatest (?:news|stories|updates)\b|\bdelivered\b.{0,30}\binbox\b|\bdon'?t miss\b|"
        r"للحصول علي احدث|احدث الاخبار|احدث الافكار|لا تفوت"
    ),
    re.compile(r"\be-?mail address\b|\byour e-?mail\b|بريدك الالكتروني|البريد الالكتروني"),
)
# Substrings one of which every cue above contains: paragraphs without any skip the cue regexes.
_NEWSLETTER_HINTS = ("newsletter", "mailing", "inbox", "sign", "subscri", "regist", "latest", "miss", "mail", "نشر", "اشترك", "اشتراك", "تسجيل", "سجل", "احدث", "تفوت", "بريد")
_SIGNUP_OPENING = re.compile(r"^(?:sign up|subscribe|register|join our|اشترك|قم بالتسجيل|سجل)")
_MAX_PROMO_WORDS = 80
_MAX_IMPERATIVE_PROMO_WORDS = 30

_SOURCE_LINE = re.compile(
    r"^(?:(?:sources?|credits?|المصدر|مصدر|المصادر)\s*(?:[:：|–—-]\s*(?P<name>.*))?"
    r"|source link|(?:via|المصدر)\s+(?P<bare>[^.!?؟]*))$",
    re.IGNORECASE,
)
_MAX_SOURCE_WORDS = 8
_BYLINE = re.compile(r"^(?:by|written by|بقلم|كتب|كتبت|[اإ]عداد)\s*:?\s+(?P<name>\S.{0,80})$", re.IGNORECASE)
_MAX_BYLINE_WORDS = 8
_LEAD_IN_ENDS = (":", "：")
_LEADING_REGION = 3
_SENTENCE_END = (".", ",", ":", ";", "،", "؛")
_MAX_HEADLINE_WORDS = 25
_MAX_HEADLINE_CHARS = 200
_SAME_TITLE = 0.9
_STRAY_STOPS = re.compile(r"([.!?؟…])(?:\s+\.)+$")
_STRAY_STOP_ENDS = (".", ".\n")


@dataclass
class Stripped:
    """Paragraphs left after stripping, and what was learnt on the way."""

    paragraphs: list[str]
    title: str | None
    byline: str | None = None
    credit: str | None = None
    social: list[dict[str, Any]] = field(default_factory=list)


def _at_most_words(text: str, limit: int) -> bool:
    """Whether ``text`` has at most ``limit`` words (split at white space), splitting no further than needed:
    past ``limit`` splits the rest stays one piece, so a long paragraph is not cut into all its words."""
    return len(text.split(None, limit)) <= limit


def is_headline_like(text: str) -> bool:
    """Short and not ending like a sentence: reads as a headline or a teaser title."""
    return (
        _at_most_words(text, _MAX_HEADLINE_WORDS)
        and len(text) <= _MAX_HEADLINE_CHARS
        and (text.endswith(("...", "…")) or not text.rstrip("\"'”’»)").endswith(_SENTENCE_END))
    )


def same_text(a: str, b: str) -> bool:
    """Equal up to punctuation, letter variants and small edits (used for titles)."""
    folded_a, folded_b = (" ".join(word_runs(fold(x))) for x in (a, b))
    if folded_a == folded_b:
        return True
    if min(len(folded_a), len(folded_b)) < _SAME_TITLE * max(len(folded_a), len(folded_b)):
        return False
    return SequenceMatcher(None, folded_a, folded_b).ratio() >= _SAME_TITLE


def _drop_ad_markers(paragraphs: list[str], removed: Counter[str]) -> list[str]:
    kept = []
    for paragraph in paragraphs:
        text = paragraph
        if "[" in text:
            text, count = _AD_MARKER.subn(" ", text)
            removed["ad_marker"] += count
            text = _SPACES.sub(" ", text).strip() if count else text
        if text.startswith("[") and _SHORTCODES_ONLY.match(text):
            removed["markup_marker"] += 1
        elif text and len(text) <= _MAX_LABEL_CHARS and _AD_LABEL.match(fold(text)):
            removed["ad_marker"] += 1
        elif text:
            kept.append(text)
    return kept


def _drop_teasers(paragraphs: list[str], removed: Counter[str]) -> list[str]:
    kept: list[str] = []
    skip_next_headline = False
    for paragraph in paragraphs:
        if skip_next_headline and is_headline_like(paragraph):
            skip_next_headline = False
            removed["read_more_teaser"] += 1
            continue
        skip_next_headline = False
        short = _at_most_words(paragraph, _MAX_TEASER_WORDS)
        folded = fold(paragraph) if short else ""
        also = _ALSO_MARKER.match(folded) if short else None
        if short and _MORE_MARKER.match(folded):
            removed["read_more_teaser"] += 1
            if kept and is_headline_like(kept[-1]):
                kept.pop()
                removed["read_more_teaser"] += 1
        elif also is not None:
            removed["read_more_teaser"] += 1
            skip_next_headline = not also.group("rest")
        else:
            kept.append(paragraph)
    return kept


def _is_newsletter_promo(paragraph: str) -> bool:
    if not _at_most_words(paragraph, _MAX_PROMO_WORDS):
        return False
    folded = fold(paragraph)
    if not any(hint in folded for hint in _NEWSLETTER_HINTS):
        return False
    cues = sum(1 for cue in _NEWSLETTER_CUES if cue.search(folded))
    if cues >= 2:
        return True
    return cues >= 1 and _at_most_words(paragraph, _MAX_IMPERATIVE_PROMO_WORDS) and _SIGNUP_OPENING.match(folded) is not None


def _drop_promos(paragraphs: list[str], removed: Counter[str]) -> list[str]:
    kept = [paragraph for paragraph in paragraphs if not _is_newsletter_promo(paragraph)]
    removed["newsletter_promo"] += len(paragraphs) - len(kept)
    return kept


def _pull_lead(paragraphs: list[str], title: str | None, removed: Counter[str]) -> tuple[list[str], str | None, str | None]:
    """Take the title and byline off the top: a headline-like first paragraph becomes the title when none was given."""
    paragraphs = list(paragraphs)
    if (
        title is None
        and len(paragraphs) > 1
        and is_headline_like(paragraphs[0])
        and not _BYLINE.match(paragraphs[0])
        and (len(paragraphs[1]) > len(paragraphs[0]) or same_text(paragraphs[0], paragraphs[1]))
    ):
        title = paragraphs.pop(0)
        removed["title_paragraph"] += 1
    byline = None
    lead: list[str] = []
    for paragraph in paragraphs[:_LEADING_REGION]:
        match = _BYLINE.match(paragraph)
        if title is not None and same_text(paragraph, title):
            removed["repeated_title"] += 1
        elif byline is None and match is not None and _at_most_words(paragraph, _MAX_BYLINE_WORDS):
            byline = match.group("name").strip()
            removed["byline"] += 1
        else:
            lead.append(paragraph)
    return lead + paragraphs[_LEADING_REGION:], title, byline


def _drop_source_lines(paragraphs: list[str], removed: Counter[str]) -> tuple[list[str], str | None]:
    credit = None
    while len(paragraphs) > 1 and paragraphs[-1].endswith(_LEAD_IN_ENDS) and _at_most_words(paragraphs[-1], _MAX_TEASER_WORDS):
        paragraphs = paragraphs[:-1]  # a lead-in ("You may also like:") to a list that was removed
        removed["dangling_lead_in"] += 1
    while paragraphs:
        match = _SOURCE_LINE.match(paragraphs[-1])
        if match is None or not _at_most_words(paragraphs[-1], _MAX_SOURCE_WORDS):
            break
        credit = credit or (match.group("name") or match.group("bare") or "").strip() or None
        paragraphs = paragraphs[:-1]
        removed["source_line"] += 1
    return paragraphs, credit


def _fix_stray_stops(paragraphs: list[str], removed: Counter[str]) -> list[str]:
    fixed = []
    for paragraph in paragraphs:
        if not paragraph.endswith(_STRAY_STOP_ENDS):  # the pattern ends with a full stop (``$``: or one before a final line break)
            fixed.append(paragraph)
            continue
        text, count = _STRAY_STOPS.subn(r"\1", paragraph)
        removed["stray_punctuation"] += count
        fixed.append(text)
    return fixed


def strip_boilerplate(paragraphs: list[str], title: str | None, removed: Counter[str]) -> Stripped:
    """Run every rule over ``paragraphs`` (counting removals into ``removed``); ``title`` is the known title, if any."""
    paragraphs = _drop_ad_markers(paragraphs, removed)
    paragraphs, social = extract_posts(paragraphs, removed)
    paragraphs = _drop_teasers(paragraphs, removed)
    paragraphs = _drop_promos(paragraphs, removed)
    paragraphs, title, byline = _pull_lead(paragraphs, title, removed)
    paragraphs = drop_repeats(paragraphs, removed)
    paragraphs, credit = _drop_source_lines(paragraphs, removed)
    paragraphs = _fix_stray_stops(paragraphs, removed)
    return Stripped(paragraphs, title, byline, credit, social)
