"""Page metadata from an HTML document: title, authors, publication time, site name, canonical URL, language.

Title, authors and publication time each come with where they were found (:attr:`PageMeta.sources`):

* **title**: the visible headline, the ``<h1>`` sharing most words with the title the page declares
  (OpenGraph, JSON-LD ``headline``, ``<title>``); else that declared title less its site-name suffix.
* **authors**: JSON-LD article authors (``@id`` references resolved, people before organisations),
  then author meta tags (incl. the "Written by" pair of ``twitter:label1``/``twitter:data1``), then a
  visible byline (``rel=author``, ``itemprop=author``, byline/author classes). A value naming the site,
  a URL, a user handle or markup is never an author.
* **published**: JSON-LD ``datePublished``, article/date meta tags, microdata, ``<time datetime>`` (a
  value that is no timestamp is read for the date written in it), a date in the canonical URL's
  path, then a date written in the page's date/byline elements or beside its headline or byline
  (English or Arabic month names, Hijri, numeric: the extract stage's date finder).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsingest.runtime.clock import parse_timestamp
from newsingest.text.dates import find_dates

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:»«·•-]\s+|\s+::\s+")
_MAX_SUFFIX_WORDS = 5
_MAX_HEADLINE_WORDS = 40
_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "opinionnewsarticle",
    "report", "techarticle", "scholarlyarticle", "liveblogposting", "socialmediaposting", "review", "recipe", "howto",
}  # fmt: skip
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "faqpage", "qapage", "collectionpage"}
_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "site_name": ("og:site_name", "application-name"),
    "canonical_url": ("og:url",),
    "published_at": (
        "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
        "publish-date", "date", "dc.date.issued", "dc.date", "dcterms.created", "parsely-pub-date", "sailthru.date",
        "article.published", "publication_date", "citation_publication_date",
    ),
    "description": ("og:description", "description", "twitter:description"),
}  # fmt: skip
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author", "citation_author")
_BYLINE_SELECTORS = (
    '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]', '[rel="author"]', 'a[href*="/author/"]',
    'a[href*="/authors/"]', '[class*="author"]', '[class*="Author"]', '[class*="byline"]', '[class*="Byline"]',
)  # fmt: skip
_MAX_BYLINE_NODES = 12
_MAX_BYLINE_WORDS = 8
_TITLE_BYLINE = re.compile(r"\|\s*by\s+([^|]{2,60}?)\s*(?:\||$)", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(?:(?:written|posted|reviewed|published)\s+by|by|author|authors|بقلم|كتب|كتبت|إعداد)\s*[:|-]?\s+", re.IGNORECASE)
_NOT_NAMES = {"undefined", "null", "none", "admin", "administrator", "author", "authors", "written by", "by", "unknown", "anonymous"}
_MAX_AUTHOR_WORDS = 12
_MAX_AUTHOR_CHARS = 120
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
_DATE_PLACES = (
    "time", '[class*="date"]', '[class*="time"]', '[class*="posted"]', '[class*="publish"]', '[class*="byline"]',
    '[class*="meta"]', '[id*="date"]',
)  # fmt: skip
_MAX_DATE_PLACES = 30
_WHOLE_PAGE = frozenset({"html", "body"})  # class names on these describe the page, not a byline or date
_MAX_DATE_TEXT = 200
_HEADLINE_REGION = 600
_MIN_REGION = 80


@dataclass
class PageMeta:
    """What a page says about itself: ``fields`` (title, byline, published_at, site_name, canonical_url,
    description, lang), its ``authors``, and where title, authors and published_at came from."""

    fields: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def _clean(value: Any) -> str | None:
    value = _SPACES.sub(" ", html.unescape(value) if isinstance(value, str) else "").strip()
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


def _types(item: dict[str, Any]) -> set[str]:
    types = item.get("@type")
    return {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}


def _people(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names in a JSON-LD ``author`` value (``@id`` references resolved); people before organisations."""
    persons, others = [], []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str):
            entry = by_id.get(entry["@id"], entry)
        name = _clean(entry.get("name") if isinstance(entry, dict) else entry)
        if name:
            (others if isinstance(entry, dict) and "person" not in _types(entry) and _types(entry) else persons).append(name)
    return persons or others


def _from_json_ld(tree: LexborHTMLParser) -> tuple[dict[str, str], list[str]]:
    """Fields and authors of the page's JSON-LD article (else its web page) object."""
    items = list(_json_ld_objects(tree))
    by_id = {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}
    found: dict[str, str] = {}
    authors: list[str] = []
    for kinds in (_ARTICLE_TYPES, _PAGE_TYPES):
        for item in items:
            if not _types(item) & kinds:
                continue
            candidates = {
                "title": item.get("headline") if kinds is _ARTICLE_TYPES else None,
                "published_at": item.get("datePublished") or item.get("dateCreated"),
                "site_name": ", ".join(_people(item.get("publisher"), by_id)) or None,
                "canonical_url": item.get("url") if kinds is _ARTICLE_TYPES else None,
            }
            for key, value in candidates.items():
                if _clean(value):
                    found.setdefault(key, _clean(value))
            authors = authors or _people(item.get("author") or item.get("creator"), by_id)
    return found, authors


def _author(value: str | None, max_words: int = _MAX_AUTHOR_WORDS) -> str | None:
    """``value`` as an author's name, or None when it is no name (a URL, a machine handle, markup)."""
    name = _clean(_BYLINE_PREFIX.sub("", _clean(value) or ""))
    if not name or len(name) > _MAX_AUTHOR_CHARS or len(name.split()) > max_words:
        return None
    if name.casefold() in _NOT_NAMES or any(c in name for c in "{}<>@=/\\") or not _WORDS.search(name):
        return None
    if " " not in name and sum(c.isdigit() for c in name) > 1:
        return None  # a generated handle ("mdelatorreq6vkpg2ma0ci")
    return name


def _visible_byline(tree: LexborHTMLParser) -> tuple[str, LexborNode] | None:
    for selector in _BYLINE_SELECTORS:
        for node in tree.css(selector)[:_MAX_BYLINE_NODES]:
            if node.tag in _WHOLE_PAGE:
                continue
            name = _author(node.text(deep=True, separator=" "), _MAX_BYLINE_WORDS)
            if name:
                return name, node
    return None


def _authors(meta: dict[str, str], ld_authors: list[str], byline: str | None, title: str | None, site: set[str]) -> tuple[list[str], str | None]:
    """The first source's names that are not just the site's own name, else the first source's."""
    candidates: list[tuple[list[str], str]] = []
    named = list(dict.fromkeys(name for name in map(_author, ld_authors) if name))
    if named:
        candidates.append((named, "json_ld"))
    if meta.get("twitter:label1", "").lower().startswith("written by") and (name := _author(meta.get("twitter:data1"))):
        candidates.append(([name], "meta"))
    candidates.extend(([name], "meta") for name in (_author(meta.get(key)) for key in _AUTHOR_META) if name)
    if byline:
        candidates.append(([byline], "byline"))
    in_title = _TITLE_BYLINE.search(title or "")
    if in_title and (name := _author(in_title.group(1))):
        candidates.append(([name], "title_element"))
    for names, source in candidates:
        if not all(name.casefold() in site for name in names):
            return names, source
    return candidates[0] if candidates else ([], None)


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


def _word_set(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold()))


def _headline(tree: LexborHTMLParser, declared: str | None) -> LexborNode | None:
    """The ``<h1>`` sharing most words with the declared title, else the first one."""
    headlines = [(node, text) for node in tree.css("h1") if (text := _text(node)) and len(text.split()) <= _MAX_HEADLINE_WORDS]
    if not headlines:
        return None
    words = _word_set(declared or "")

    def overlap(entry: tuple[LexborNode, str]) -> float:
        mine = _word_set(entry[1])
        return len(mine & words) / len(mine | words) if mine | words else 0.0

    best = max(headlines, key=overlap)
    return best[0] if overlap(best) > 0 else headlines[0][0]


def _day(text: str | None) -> str | None:
    """The first full date written in ``text``, as YYYY-MM-DD."""
    for mention in find_dates(text or "", None):
        if mention.granularity == "day" and not mention.relative and mention.date:
            return mention.date
    return None


def _near(node: LexborNode | None) -> str | None:
    """The text around ``node``: its nearest ancestor with some text beside it (up to three levels)."""
    for _ in range(3):
        if node is None or node.parent is None:
            return None
        node = node.parent
        text = _text(node) or ""
        if len(text) >= _MIN_REGION:
            return text[:_HEADLINE_REGION]
    return _text(node)


def _written_date(tree: LexborHTMLParser, beside: list[LexborNode | None]) -> str | None:
    """The first full date written in the page's date/byline elements or beside its headline or byline."""
    places = [node for node in tree.css(", ".join(_DATE_PLACES)) if node.tag not in _WHOLE_PAGE][:_MAX_DATE_PLACES]
    texts = [text for node in places if (text := _text(node)) and len(text) <= _MAX_DATE_TEXT]
    texts.extend(text for node in beside if (text := _near(node)))
    return next((day for text in texts if (day := _day(text))), None)


def _readable(value: str | None) -> str | None:
    """``value`` when it reads as a timestamp, else the date written in it (``Oct 31, 2025``), else None."""
    if not value:
        return None
    return value if parse_timestamp(value) is not None else _day(value)


def _published(tree: LexborHTMLParser, meta_value: str | None, ld_value: str | None, canonical: str | None, beside: list[LexborNode | None]) -> tuple[str | None, str | None]:
    candidates = (
        (ld_value, "json_ld"),
        (meta_value, "meta"),
        (_attribute(tree, "[itemprop=datePublished]", "datetime") or _attribute(tree, "[itemprop=datePublished]", "content"), "microdata"),
        (_attribute(tree, "time[datetime]", "datetime"), "time_element"),
    )
    for value, source in candidates:
        if readable := _readable(value):
            return readable, source
    match = _URL_DATE.search(canonical or "")
    if match:
        year, month, day = (int(part) for part in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}", "url"
    written = _written_date(tree, beside)
    return (written, "page_text") if written else (None, None)


def read_page_meta(tree: LexborHTMLParser) -> PageMeta:
    """What the page says about itself (see the module docstring)."""
    meta = _meta_tags(tree)
    page = PageMeta()
    found = page.fields
    for key, names in _META_KEYS.items():
        value = next((meta[name] for name in names if name in meta), None)
        if value:
            found[key] = value
    ld_fields, ld_authors = _from_json_ld(tree)
    meta_published = found.pop("published_at", None)
    for key, value in ld_fields.items():
        if key != "published_at":
            found.setdefault(key, value)
    canonical = found.get("canonical_url") or _attribute(tree, 'link[rel="canonical"]', "href")
    if canonical:
        found["canonical_url"] = canonical
    lang = _attribute(tree, "html", "lang") or meta.get("content-language") or meta.get("og:locale")
    if lang:
        found["lang"] = lang

    declared, source = found.get("title"), "meta"
    if not declared:
        declared, source = _text(tree.css_first("title")), "title_element"
    headline = _headline(tree, declared)
    if headline is not None:
        found["title"], page.sources["title"] = _text(headline) or "", "h1"
    elif declared:
        found["title"], page.sources["title"] = strip_site_suffix(declared, found.get("site_name")), source

    site = {name.casefold() for name in (found.get("site_name"), meta.get("og:site_name")) if name}
    byline = _visible_byline(tree)
    page.authors, source = _authors(meta, ld_authors, byline[0] if byline else None, _text(tree.css_first("title")), site)
    if page.authors:
        found["byline"], page.sources["authors"] = ", ".join(page.authors), source or ""

    published, source = _published(tree, meta_published, ld_fields.get("published_at"), canonical, [headline, byline[1] if byline else None])
    if published and source:
        found["published_at"], page.sources["published_at"] = published, source
    return page
