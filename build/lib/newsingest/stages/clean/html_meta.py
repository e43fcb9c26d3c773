"""Page metadata from an HTML document: title, byline, publication time, site name, canonical URL, language.

Sources, in order of trust: OpenGraph/article meta tags, JSON-LD (schema.org Article), microdata,
then visible markup (``<h1>``, ``<time datetime>``, ``<title>`` minus the site-name suffix).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

_SPACES = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:»«·•-]\s+|\s+::\s+")
_MAX_SUFFIX_WORDS = 5
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "opinionnewsarticle", "report"}
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "site_name": ("og:site_name", "application-name"),
    "canonical_url": ("og:url",),
    "byline": ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author"),
    "published_at": (
        "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
        "publish-date", "date", "dc.date.issued", "dc.date", "parsely-pub-date", "sailthru.date", "article.published",
    ),
    "description": ("og:description", "description", "twitter:description"),
}  # fmt: skip


def _clean(value: str | None) -> str | None:
    value = _SPACES.sub(" ", value or "").strip()
    return value or None


def _meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        key = node.attributes.get("property") or node.attributes.get("name") or node.attributes.get("itemprop")
        content = _clean(node.attributes.get("content"))
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _json_ld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = orjson.loads(node.text(deep=True).strip())
        except orjson.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
            elif isinstance(item, list):
                stack.extend(item)


def _names(value: Any) -> str | None:
    """Person/organisation names from a JSON-LD ``author``/``publisher`` value, comma-joined."""
    values = value if isinstance(value, list) else [value]
    names = [v.get("name") if isinstance(v, dict) else v for v in values]
    return _clean(", ".join(n for n in names if isinstance(n, str) and n.strip()))


def _from_json_ld(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in _json_ld_objects(tree):
        types = item.get("@type")
        types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
        if not types & _ARTICLE_TYPES:
            continue
        candidates = {
            "title": item.get("headline"),
            "published_at": item.get("datePublished"),
            "byline": _names(item.get("author")),
            "site_name": _names(item.get("publisher")),
            "canonical_url": item.get("url"),
        }
        for key, value in candidates.items():
            if isinstance(value, str) and _clean(value):
                found.setdefault(key, _clean(value))
    return found


def _attribute(tree: LexborHTMLParser, selector: str, name: str) -> str | None:
    node = tree.css_first(selector)
    return _clean(node.attributes.get(name)) if node is not None else None


def _text(node: LexborNode | None) -> str | None:
    return _clean(node.text(deep=True, separator=" ")) if node is not None else None


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """``"Headline | Site"`` → ``"Headline"``: drops a segment naming the site, else short trailing segments."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    site = (site_name or "").casefold()
    named = [p for p in parts if site and (p.casefold() in site or site in p.casefold())]
    if named:
        rest = [p for p in parts if p not in named]
        return " - ".join(rest) if rest else title
    longest = max(parts, key=len)
    others_short = all(len(p.split()) <= _MAX_SUFFIX_WORDS for p in parts if p is not longest)
    return longest if others_short else title


def read_page_meta(tree: LexborHTMLParser) -> dict[str, str]:
    """What the page says about itself; keys among title, byline, published_at, site_name, canonical_url, description, lang."""
    meta = _meta_tags(tree)
    found: dict[str, str] = {}
    for key, names in _META_KEYS.items():
        value = next((meta[name] for name in names if name in meta), None)
        if value and not (key == "byline" and value.startswith("http")):
            found[key] = value
    for key, value in _from_json_ld(tree).items():
        found.setdefault(key, value)
    fallbacks = {
        "canonical_url": _attribute(tree, 'link[rel="canonical"]', "href"),
        "published_at": _attribute(tree, "[itemprop=datePublished]", "datetime")
        or _attribute(tree, "[itemprop=datePublished]", "content")
        or _attribute(tree, "time[datetime]", "datetime"),
        "byline": _text(tree.css_first('[itemprop=author], [rel="author"], .byline, .author-name')),
        "title": _text(tree.css_first("h1")),
        "lang": _attribute(tree, "html", "lang") or meta.get("content-language") or meta.get("og:locale"),
    }
    for key, value in fallbacks.items():
        if value:
            found.setdefault(key, value)
    if "title" not in found:
        page_title = _text(tree.css_first("title"))
        if page_title:
            found["title"] = strip_site_suffix(page_title, found.get("site_name"))
    elif "site_name" in found:
        found["title"] = strip_site_suffix(found["title"], found["site_name"])
    return found
