"""The clean stage: a raw article (plain text or HTML) → its faithful clean text and metadata.

The work happens in the modules beside this one: ``html_text`` (HTML → paragraphs) with
``html_meta`` (the page's title, authors, publication time…), ``unicode_repair``, ``paragraphs``,
``boilerplate`` (scraping residue, social embeds, repeats) and ``language``. This module wires them
together and fills the cleaned record. What the message says wins over what the page says; where
the title, authors and publication time came from is kept in ``provenance.metadata_sources``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from newsingest.runtime.clock import isoformat, now_iso, parse_timestamp
from newsingest.stages.clean.boilerplate import strip_boilerplate
from newsingest.stages.clean.html_meta import PageMeta
from newsingest.stages.clean.html_text import html_to_article, looks_like_html
from newsingest.stages.clean.language import detect_language
from newsingest.stages.clean.paragraphs import split_paragraphs
from newsingest.stages.clean.unicode_repair import repair_text

SCHEMA = "newsingest.cleaned/1"
HINT_CONFIDENCE = 0.5  # a publisher/page language tag beats detections less sure than this, and gets this confidence
_CONFIDENT = 0.9
_CONTENT_TYPES = {"text/plain": "text/plain", "text/html": "text/html", "application/xhtml+xml": "text/html"}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,7});", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^\s*([a-z]{2})(?:[-_][a-z0-9]+)*\s*$", re.IGNORECASE)
_PAGE_METADATA = ("site_name", "canonical_url", "byline", "description", "lang")


def _content_type(raw: dict[str, Any], warnings: list[str]) -> str:
    declared = (raw.get("content_type") or "").split(";")[0].strip().lower()
    if declared in _CONTENT_TYPES:
        return _CONTENT_TYPES[declared]
    if declared:
        warnings.append(f"unknown content_type {declared!r}; sniffed the body")
    return "text/html" if looks_like_html(raw["body"]) else "text/plain"


def _repaired(value: Any, removed: Counter[str] | None = None) -> str | None:
    if not isinstance(value, str):
        return None
    repaired = repair_text(value)
    if removed is not None:
        removed.update(repaired.removed)
    return " ".join(repaired.text.split()) or None


def _timestamp(value: Any, field: str, warnings: list[str]) -> str | None:
    if value is None or value == "":
        return None
    moment = parse_timestamp(value) if isinstance(value, str) else None
    if moment is None:
        warnings.append(f"unreadable {field} {str(value)[:80]!r}")
        return None
    return isoformat(moment)


def _language_tag(value: Any) -> str | None:
    match = _LANGUAGE_TAG.match(value) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def _language(text: str, hint: str | None, warnings: list[str]) -> tuple[str | None, float]:
    detected = detect_language(text)
    if hint and detected.confidence < HINT_CONFIDENCE:
        return hint, HINT_CONFIDENCE
    if detected.language is None:
        return None, 0.0
    if hint and hint != detected.language and detected.confidence >= _CONFIDENT:
        warnings.append(f"language tag {hint!r} disagrees with detected {detected.language!r}")
    return detected.language, detected.confidence


def _authors(raw: dict[str, Any], page: PageMeta, byline: str | None) -> tuple[list[str], str]:
    """The article's authors and where they came from: the message's ``authors``/``author`` (or its
    metadata's), the page's, else a byline line taken off the top of the text."""
    metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    for value in (raw.get("authors"), raw.get("author"), metadata.get("authors"), metadata.get("author")):
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        cleaned = [name for name in (_repaired(n) for n in names) if name]
        if cleaned:
            return cleaned, "message"
    cleaned = [name for name in (_repaired(n) for n in page.authors) if name]
    if cleaned:
        return cleaned, page.sources.get("authors", "page")
    return ([byline], "text") if byline else ([], "")


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """Clean one raw article into a ``newsingest.cleaned/1`` record (provenance timing is added by ``run_stage``)."""
    removed: Counter[str] = Counter()
    warnings: list[str] = []
    content_type = _content_type(raw, warnings)
    page: dict[str, str] = {}
    page_meta = PageMeta()
    social: list[dict[str, Any]] = []
    if content_type == "text/html":
        article = html_to_article(raw["body"])
        removed.update(article.removed)
        page_meta = article.page
        page = {key: fixed for key, value in page_meta.fields.items() if (fixed := _repaired(value))}
        social.extend(article.social)
        body = "\n\n".join(article.paragraphs)
    else:
        body = html.unescape(raw["body"]) if _ENTITY.search(raw["body"]) else raw["body"]
    repaired = repair_text(body)
    removed.update(repaired.removed)
    title, title_source = _repaired(raw.get("title"), removed), "message"
    if not title and page.get("title"):
        title, title_source = page["title"], page_meta.sources.get("title", "page")
    stripped = strip_boilerplate(split_paragraphs(repaired.text), title, removed)
    social.extend(stripped.social)
    if not stripped.paragraphs:
        warnings.append("nothing left of the body after cleaning")

    metadata = dict(raw.get("metadata") or {})
    found = {key: page.get(key) for key in _PAGE_METADATA}
    found.update(byline=found["byline"] or stripped.byline, source_credit=stripped.credit)
    for key, value in found.items():
        if value:
            metadata.setdefault(key, value)

    text = "\n\n".join(stripped.paragraphs)
    hint = _language_tag(raw.get("language")) or _language_tag(page.get("lang"))
    language, confidence = _language(text or stripped.title or "", hint, warnings)
    sources: dict[str, str] = {}
    published_at = _timestamp(raw.get("published_at"), "published_at", warnings)
    if published_at is not None:
        sources["published_at"] = "message"
    elif page.get("published_at"):
        published_at = _timestamp(page["published_at"], "page published time", warnings)
        if published_at is not None:
            sources["published_at"] = page_meta.sources["published_at"]
    if stripped.title:
        sources["title"] = title_source if title else "text"  # else strip_boilerplate took a headline-like first paragraph
    authors, sources_of_authors = _authors(raw, page_meta, stripped.byline)
    if authors:
        sources["authors"] = sources_of_authors
    provenance: dict[str, Any] = {"metadata_sources": sources}
    if sources.get("published_at", "message") != "message":
        provenance["published_as_written"] = page["published_at"]
    ingested_at = _timestamp(raw.get("ingested_at"), "ingested_at", warnings) or now_iso()
    return {
        "schema": SCHEMA,
        "article_id": raw["id"],
        "url": raw.get("url") or page.get("canonical_url"),
        "source": raw.get("source") or page.get("site_name"),
        "published_at": published_at,
        "ingested_at": ingested_at,
        "language": language,
        "language_confidence": confidence,
        "title": stripped.title,
        "authors": authors,
        "text": text,
        "paragraphs": stripped.paragraphs,
        "metadata": metadata,
        "social": social,
        "provenance": {
            "content_type": content_type,
            "removed": {kind: count for kind, count in sorted(removed.items()) if count > 0},
            "warnings": warnings,
            "stages": {},
            **provenance,
        },
    }
