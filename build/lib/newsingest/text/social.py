"""Find social-media posts embedded in an article body and lift them out as references.

A Twitter/X embed scraped to text reads ``<post text> pic.twitter.com/abc`` followed by the
attribution ``— Name (@handle) 6 December 2024``; Instagram's reads ``A post shared by Name
(@handle) on <date>``. Such paragraphs leave the body and come back as ``social`` entries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_DOMAINS = (
    r"(?:pic\.twitter\.com|t\.co|(?:mobile\.)?twitter\.com|x\.com|instagram\.com|instagr\.am|"
    r"(?:[mw]\.)?facebook\.com|fb\.watch|(?:m\.)?youtube\.com|youtu\.be|t\.me|(?:vm\.)?tiktok\.com)"
)
_PATH = r"/[^\s()\[\]{}<>\"'«»“”]+"
# With a scheme, or pic.twitter.com (which Twitter glues to the post's last word), a link may
# follow a letter directly; a bare domain needs a boundary so "chat.co/x" is not read as t.co.
_POST_LINK = re.compile(
    rf"(?:https?://(?:www\.)?{_DOMAINS}|pic\.twitter\.com|(?<![\w.@/]){_DOMAINS}){_PATH}", re.IGNORECASE
)
_PLATFORMS = (
    ("twitter", ("twitter.com", "t.co/", "x.com")),
    ("instagram", ("instagram.com", "instagr.am")),
    ("facebook", ("facebook.com", "fb.watch")),
    ("youtube", ("youtube.com", "youtu.be")),
    ("telegram", ("t.me/",)),
    ("tiktok", ("tiktok.com",)),
)
# "— Name (@handle) date": Twitter's attribution line, at the end of a paragraph or on its own. The
# name may hold hyphens (Jean-Pierre) but not a spaced dash, which is where the attribution starts.
_TWEET_ATTRIBUTION = re.compile(
    r"(?:^|(?<=\s)|(?<=\w))(?P<dash>(?:[—–―]|-(?=\s))\s*)?(?P<author>(?:(?!\s-\s)[^\n()@—–―]){0,80}?)\s*"
    r"\(@(?P<handle>\w{1,50})\)\s*(?P<date>[^\n()]{0,60})$"
)
_INSTAGRAM_ATTRIBUTION = re.compile(
    r"^(?:A post shared by|تمت مشاركة منشور بواسطة)\s*(?P<author>[^()]{0,80}?)\s*"
    r"\(@(?P<handle>[\w.]{1,50})\)\s*(?:on\s+)?(?P<date>.{0,60})$",
    re.IGNORECASE,
)
_EMBED_CHROME = re.compile(
    r"^(?:View this post on Instagram|عرض هذا المنشور على Instagram|Watch on YouTube|"
    r"A post shared by .{1,80}|Posted by .{1,80} on .{1,60})$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_TRAILING_PUNCT = ".,;:!?…"
_MAX_POST_CHARS = 400


def platform_of(url: str) -> str:
    """``twitter``, ``instagram``, ``facebook``, ``youtube``, ``telegram``, ``tiktok`` or ``web`` for a link."""
    lowered = url.lower()
    for platform, markers in _PLATFORMS:
        if any(marker in lowered for marker in markers):
            return platform
    return "web"


def _post_link(text: str) -> str | None:
    match = _POST_LINK.search(text) if "/" in text else None
    if match is None:
        return None
    url = match.group(0).rstrip(_TRAILING_PUNCT)
    return url if url.lower().startswith("http") else f"https://{url}"


def _strip_links(text: str) -> str | None:
    stripped = _POST_LINK.sub(" ", text).strip()
    return " ".join(stripped.split()) or None


def _ends_with_link(text: str) -> bool:
    if "/" not in text:
        return False
    match = None
    for match in _POST_LINK.finditer(text):
        pass
    return match is not None and not text[match.end() :].strip(_TRAILING_PUNCT + " ")


def _attribution(paragraph: str) -> re.Match[str] | None:
    """The Twitter or Instagram attribution ending ``paragraph``, if it has one."""
    if "(@" not in paragraph:
        return None
    match = _INSTAGRAM_ATTRIBUTION.search(paragraph)
    if match is not None:
        return match
    match = _TWEET_ATTRIBUTION.search(paragraph)
    if match is None:
        return None
    if match.start() > 0 and not match.group("dash"):
        return None
    if not match.group("dash") and not _DIGIT.search(match.group("date")):
        return None
    return match


def _may_be_post_text(paragraph: str) -> bool:
    """Whether the paragraph before an attribution line reads as the post itself, not the article's lead-in."""
    if _post_link(paragraph):
        return True
    return len(paragraph) <= _MAX_POST_CHARS and not paragraph.rstrip().endswith((":", "："))


def _entry(text: str, match: re.Match[str] | None, default_platform: str) -> dict[str, Any]:
    """A social reference from the post text and its attribution match (either may be missing)."""

    def group(name: str) -> str | None:
        value = match.group(name).strip(" ,") if match is not None else ""
        return value or None

    url = _post_link(f"{text} {match.group(0) if match is not None else ''}")
    return {
        "platform": platform_of(url) if url else default_platform,
        "url": url,
        "handle": group("handle"),
        "author": group("author"),
        "date_text": group("date"),
        "text": _strip_links(text),
        "embedded": True,
    }


def post_from_lines(lines: list[str], platform: str) -> dict[str, Any]:
    """One social entry from the text lines of an embed block (e.g. an HTML ``blockquote.twitter-tweet``)."""
    lines = [line for line in lines if not _EMBED_CHROME.match(line) or _attribution(line)]
    match = _attribution(lines[-1]) if lines else None
    body = lines[:-1] if match is not None else lines
    if match is not None and match.start() > 0:
        body.append(lines[-1][: match.start()])
    return _entry(" ".join(line.strip() for line in body), match, platform)


def extract_posts(paragraphs: list[str], removed: Counter[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """Remove embedded posts (text + attribution, or a short paragraph ending in a post link) from ``paragraphs``."""
    kept: list[str] = []
    posts: list[dict[str, Any]] = []
    linked: list[str] = []  # a short paragraph ending in a post link, waiting for a possible attribution

    def close_linked() -> None:
        if linked:
            posts.append(_entry(linked.pop(), None, "web"))

    for paragraph in paragraphs:
        match = _attribution(paragraph)
        if match is None:
            close_linked()
            if len(paragraph) <= _MAX_POST_CHARS and _ends_with_link(paragraph):
                linked.append(paragraph)
                removed["social_embed"] += 1
            elif _EMBED_CHROME.match(paragraph):
                removed["social_embed"] += 1
            else:
                kept.append(paragraph)
            continue
        removed["social_embed"] += 1
        text = paragraph[: match.start()].strip()
        if not text and linked:
            text = linked.pop()
        elif not text and kept and _may_be_post_text(kept[-1]):
            text = kept.pop()
            removed["social_embed"] += 1
        close_linked()
        posts.append(_entry(text, match, "instagram" if match.re is _INSTAGRAM_ATTRIBUTION else "twitter"))
    close_linked()
    return kept, posts
