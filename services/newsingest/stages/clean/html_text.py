"""The article text of an HTML page or fragment, as paragraphs, with the page's metadata and embeds.

1. Embedded posts (Twitter/Instagram/TikTok/Facebook blockquotes, YouTube iframes) are lifted out.
2. Non-content is pruned: scripts, styles, forms, navigation, headers, footers, asides; elements
   whose ARIA role or class/id names navigation, sharing, comments, related links, cookie
   banners, newsletters, ads and the like; hidden elements. An element holding most of the page's
   text is never pruned, whatever its class says.
3. On a whole page the main container is chosen by text density: text blocks score their
   ancestors (more for long, comma-rich text), candidates lose what link text they carry, and
   ``article``/``main``/``[itemprop=articleBody]`` get a bonus; a winning data table gives way to the
   prose around it, an article cut into sections of one kind is read whole, else high-scoring siblings join in.
   The choice then widens to the ancestor below ``<body>`` whose text nets the most prose over
   boilerplate, when that is clearly more (an article cut into blocks of different kinds: intro,
   recipe card, steps): each text block weighs its characters outside links less a fixed cost, a
   block mostly of link text weighs minus several times its length, and text in elements marked
   as boilerplate counts against.
4. The container becomes paragraphs: one per block element (p, li, h1-h6, blockquote, …) or
   ``<br>``-separated line, whitespace collapsed, entities decoded; blocks made mostly of link text
   (teasers, link lists) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsingest.stages.clean.html_meta import PageMeta, read_page_meta
from newsingest.text.social import post_from_lines

_HTML_HINT = re.compile(r"<(?:p|div|br|span|a|h[1-6]|ul|ol|li|table|article|section|blockquote|strong|em|b|i|img)\b[^<>]*>", re.IGNORECASE)
# A whole page (not a CMS fragment) declares itself early, possibly after a crawler's wrapper line.
_PAGE_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_PAGE_HINT_WINDOW = 4096
_MIN_TAGS = 2

_ALWAYS_DROP = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "canvas", "object", "embed",
    "button", "input", "select", "textarea", "label", "figcaption", "head", "title", "meta", "link",
})  # fmt: skip
_STRUCTURAL_DROP = frozenset({"nav", "header", "footer", "aside", "form", "dialog", "menu"})
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog", "toolbar"})
# Class/id names are cut into tokens ("related-posts" → related, posts). A token from the first set
# marks boilerplate wherever it stands; one from the second only as the last token ("post-tags",
# not "tag-wework", which WordPress puts on the article itself). Layout words exempt a name
# ("content-with-sidebar", "has-comments").
_JUNK_TOKENS = frozenset({
    "ad", "ads", "adsense", "adslot", "banner", "breadcrumb", "breadcrumbs", "comment", "comments", "cookie",
    "cookies", "consent", "gdpr", "footer", "nav", "navbar", "navigation", "newsletter", "subscribe",
    "subscription", "signup", "share", "shares", "sharing", "sharebar", "social", "related", "recommended",
    "recommendations", "promo", "promoted", "sponsor", "sponsored", "sidebar", "sidebars", "popup",
    "modal", "overlay", "paywall", "outbrain", "taboola", "trending", "toolbar", "pagination", "pager",
    "skiplink", "sronly", "screen", "visually",
})  # fmt: skip
_JUNK_PREFIXES = ("comment", "advert", "newsletter", "subscri", "social", "related", "recommend", "sponsor", "cookie", "breadcrumb")
_JUNK_SUFFIXES = ("comments", "sidebar", "related", "sharing")  # run-together names: postcomments
_NOT_JUNK_PREFIXES = ("commentar",)  # "commentary" is an opinion article
_JUNK_LAST_TOKENS = frozenset({"tag", "tags", "meta", "date", "print", "popular", "menu", "caption", "credit", "credits", "byline", "bio"})
_LAYOUT_TOKENS = frozenset({"with", "has", "no", "without", "content", "main", "body", "page", "layout"})
_NAME_TOKENS = re.compile(r"[a-z0-9]+")
_VERBATIM = frozenset({"pre", "code"})  # class names inside are syntax highlighting ("comment"), never boilerplate
_NEVER_PRUNED = frozenset({"html", "body", "article", "main"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A flagged element is kept when it holds most of the page's text outside links, or most of its
# prose (paragraphs of _PROSE_CHARS or more) and some of that text: a cookie banner can hold most
# of the prose of an article written as tables and lists, but not much of its text.
_MOSTLY_CONTENT = 0.5
_SOME_CONTENT = 0.15
_PROSE_CHARS = 60

_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "thead", "tbody", "tr", "td", "th", "figure", "address", "hr", "br",
    "body", "center", "details", "summary", "header", "footer", "aside", "nav", "caption",
})  # fmt: skip
_SCORED_BLOCKS = "p, pre, blockquote, td, div, section"
_MIN_BLOCK_CHARS = 25
_CONTENT_TAGS = frozenset({"article", "main"})
_CONTENT_BONUS = 1.25
_TOP_CANDIDATES = 5
_SIBLING_SHARE = 0.2
_MIN_CONTAINER_CHARS = 140
_WIDEN_LEVELS = 5  # how far up the container may grow
_WIDEN_SHARE = 1.3  # sections of one kind join when together they hold this many times the points of the chosen one
_TABLE_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_LINKY_BLOCK = 0.6  # blocks with more link text than this share are navigation or teasers
_BLOCK_COST = 40  # characters a text block must outweigh to count for its container
_LINKY_COST = 4  # a link block weighs minus this many times its length
_WIDEN_GAIN = 1.5  # an ancestor replaces the chosen container when it weighs this many times more
_SPACES = re.compile(r"\s+")
_EMBEDS = (
    "blockquote.twitter-tweet, blockquote.twitter-video, blockquote.instagram-media, blockquote.tiktok-embed, "
    "blockquote.telegram-post, div.fb-post, .fb-video, iframe[src*='youtube.com/embed'], iframe[src*='youtube-nocookie']"
)


@dataclass
class HtmlArticle:
    """Paragraphs of the main text, what the page says about itself, lifted embeds, and counts of what was dropped."""

    paragraphs: list[str]
    page: PageMeta
    social: list[dict[str, Any]]
    removed: Counter[str] = field(default_factory=Counter)


def is_whole_page(html: str) -> bool:
    """Whether ``html`` is a whole page (doctype, ``<html>``, ``<head>`` or ``<body>`` near its start)."""
    return _PAGE_HINT.search(html, 0, _PAGE_HINT_WINDOW) is not None


def looks_like_html(text: str) -> bool:
    """Sniff whether a body is HTML (a page, or a fragment with at least a couple of tags)."""
    return is_whole_page(text) or len(_HTML_HINT.findall(text, 0, 20_000)[:_MIN_TAGS]) >= _MIN_TAGS


def _inside(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _lift_embeds(root: LexborNode) -> list[dict[str, Any]]:
    posts = []
    lifted: list[LexborNode] = []
    ids: set[int] = set()
    for node in root.css(_EMBEDS):
        if _inside(node, ids):
            continue  # an embed within one already lifted
        classes = node.attributes.get("class") or ""
        platform = next((p for p in ("twitter", "instagram", "tiktok", "telegram") if p in classes), "facebook")
        src = node.attributes.get("src") or ""
        lines = [src if src.startswith("http") else f"https:{src}"] if node.tag == "iframe" else _Blocks().collect([node])
        if lines:
            posts.append(post_from_lines(lines, platform))
        lifted.append(node)
        ids.add(node.mem_id)
    for node in lifted:
        node.decompose()
    return posts


def _junk_token(token: str) -> bool:
    return (
        token in _JUNK_TOKENS
        or (token.startswith(_JUNK_PREFIXES) and not token.startswith(_NOT_JUNK_PREFIXES))
        or token.endswith(_JUNK_SUFFIXES)
    )


@lru_cache(maxsize=8192)
def _junk_name(names: str) -> bool:
    for name in names.lower().split():
        tokens = _NAME_TOKENS.findall(name)
        if not tokens or any(token in _LAYOUT_TOKENS for token in tokens):
            continue
        if tokens[-1] in _JUNK_LAST_TOKENS or any(map(_junk_token, tokens)):
            return True
    return False


def _prose_chars(node: LexborNode) -> int:
    """Characters in the paragraphs under ``node`` long enough to be prose."""
    return sum(n for n in (len(p.text(deep=True)) for p in node.css("p")) if n >= _PROSE_CHARS)


def _plain_chars(node: LexborNode) -> int:
    """Characters of text under ``node`` outside links."""
    return len(node.text(deep=True)) - sum(len(a.text(deep=True)) for a in node.css("a"))


def _flagged(node: LexborNode) -> bool:
    """Whether ``node``'s tag, ARIA role, visibility or class/id names mark it as boilerplate."""
    if node.tag in _STRUCTURAL_DROP:
        return True
    attrs = node.attributes
    if not attrs:
        return False
    return (
        (attrs.get("role") or "").lower() in _DROP_ROLES
        or "hidden" in attrs
        or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))
        or _junk_name(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
    )


def _verdict(node: LexborNode, page: tuple[int, int]) -> str:
    """``drop`` for boilerplate, ``flagged`` for an element marked as boilerplate but kept for holding
    most of the page's text, else ``keep``; ``page`` holds the page's (prose, non-link text) character counts."""
    tag = node.tag or ""
    if tag in _ALWAYS_DROP:
        return "drop"
    if tag in _NEVER_PRUNED or not _flagged(node):
        return "keep"
    page_prose, page_plain = page
    plain = _plain_chars(node) / page_plain if page_plain else 0.0
    prose = _prose_chars(node) / page_prose if page_prose else 0.0
    return "drop" if plain < _MOSTLY_CONTENT and (prose < _MOSTLY_CONTENT or plain < _SOME_CONTENT) else "flagged"


def _prune(root: LexborNode) -> tuple[int, set[int]]:
    """Remove non-content elements under ``root``; returns how many subtrees went and the ids of the
    flagged elements kept (see :func:`_verdict`)."""
    root.strip_tags(list(_ALWAYS_DROP))
    page = (_prose_chars(root), _plain_chars(root))
    doomed: list[LexborNode] = []
    flagged: set[int] = set()
    stack = [root]
    while stack:
        for child in stack.pop().iter():
            if child.tag in _VERBATIM:
                continue
            verdict = _verdict(child, page)
            if verdict == "drop":
                doomed.append(child)
                continue
            if verdict == "flagged":
                flagged.add(child.mem_id)
            stack.append(child)
    for node in doomed:
        node.decompose()
    return len(doomed), flagged


def _link_share(node: LexborNode, chars: int) -> float:
    return sum(len(a.text(deep=True)) for a in node.css("a")) / chars if chars else 1.0


def _densest(root: LexborNode) -> list[LexborNode]:
    """The element(s) holding the article text, by text density; ``[root]`` when nothing stands out."""
    declared = root.css_first("[itemprop=articleBody]")
    if declared is not None and len(declared.text(deep=True).strip()) >= _MIN_CONTAINER_CHARS:
        return [declared]
    scores: Counter[int] = Counter()
    totals: Counter[int] = Counter()  # points of every scored block beneath, however deep
    nodes: dict[int, LexborNode] = {}
    for block in root.css(_SCORED_BLOCKS):
        text = block.text(deep=block.tag != "div" and block.tag != "section").strip()
        if len(text) < _MIN_BLOCK_CHARS:
            continue
        points = 1 + text.count(",") + text.count("،") + min(len(text) // 100, 3)
        ancestor = block.parent
        for share in (1.0, 0.5, 1 / 3):
            if ancestor is None or ancestor.tag == "html":
                break
            nodes[ancestor.mem_id] = ancestor
            scores[ancestor.mem_id] += points * share
            ancestor = ancestor.parent
        ancestor = block.parent
        while ancestor is not None and ancestor.tag not in ("html", "body"):
            totals[ancestor.mem_id] += points
            ancestor = ancestor.parent
    best, best_score = None, 0.0
    for key, score in scores.most_common(_TOP_CANDIDATES):
        node = nodes[key]
        chars = len(node.text(deep=True))
        score *= 1 - _link_share(node, chars)
        if node.tag in _CONTENT_TAGS or node.attributes.get("role") == "main":
            score *= _CONTENT_BONUS
        if score > best_score:
            best, best_score = node, score
    if best is None or best.tag == "body":
        return [root]
    sections = _widen(best, totals)
    if len(sections) > 1 or sections[0] is not best:
        return sections
    parent = best.parent
    if parent is None:
        return [best]
    threshold = _SIBLING_SHARE * best_score
    return [node for node in parent.iter() if node.mem_id == best.mem_id or scores[node.mem_id] >= threshold]


def _widen(best: LexborNode, totals: Counter[int]) -> list[LexborNode]:
    """``best`` grown to the whole article: out of a data table into the prose around it, and, when
    ``best`` (or a near ancestor) is one of several sections of the same kind, all of those sections."""
    if best.tag in _TABLE_TAGS:
        ancestor = best.parent
        for _ in range(_WIDEN_LEVELS):
            if ancestor is None or ancestor.tag in ("html", "body"):
                break
            if ancestor.tag not in _TABLE_TAGS and totals[ancestor.mem_id] > totals[best.mem_id]:
                best = ancestor
                break
            ancestor = ancestor.parent
    node = best
    for _ in range(_WIDEN_LEVELS):
        parent = node.parent
        if parent is None or parent.tag in ("html", "body"):
            break
        kind = (node.tag, node.attributes.get("class"))
        kin = [n for n in parent.iter() if (n.tag, n.attributes.get("class")) == kind and totals[n.mem_id] > 0]
        if len(kin) > 1 and sum(totals[n.mem_id] for n in kin) >= _WIDEN_SHARE * totals[node.mem_id]:
            return kin
        node = parent
    return [best]


def _block_weight(chars: int, link_chars: int) -> float:
    """Positive for prose (long, few links), negative for short labels and link lists."""
    if link_chars > _LINKY_BLOCK * chars:
        return -_LINKY_COST * chars
    return chars - link_chars - _BLOCK_COST


def _subtree_weights(root: LexborNode, flagged: set[int]) -> dict[int, float]:
    """Each element's summed block weight beneath it; blocks inside an element in ``flagged`` count
    against, whatever their length."""
    weights: dict[int, float] = {}
    owners: list[LexborNode] = [root]  # the innermost open block element
    chars = links = 0
    against = False  # the text in hand lies in a flagged element

    def flush() -> None:
        nonlocal chars, links
        if chars:
            weight = _block_weight(chars, links)
            if against:
                weight = -abs(weight)
            node: LexborNode | None = owners[-1]
            while node is not None:
                weights[node.mem_id] = weights.get(node.mem_id, 0.0) + weight
                node = node.parent
        chars = links = 0

    stack: list[tuple[LexborNode | None, int, bool]] = [(root, 0, False)]  # (node, depth in links, in a flagged element)
    while stack:
        node, in_link, in_flagged = stack.pop()
        if node is None:
            flush()
            owners.pop()
        elif node.is_text_node:
            length = len((node.text_content or "").strip())
            if length:
                against = in_flagged
                chars += length + 1
                links += (length + 1) if in_link else 0
        elif node.is_element_node:
            tag = node.tag
            if tag in _BLOCK_TAGS:
                flush()
                owners.append(node)
                stack.append((None, in_link, in_flagged))
            inner = in_flagged or node.mem_id in flagged
            depth = in_link + (tag == "a")
            stack.extend((child, depth, inner) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return weights


def _main_containers(root: LexborNode, flagged: set[int]) -> list[LexborNode]:
    """The densest element(s), or the ancestor that weighs clearly more (see the module docstring);
    ``flagged``: elements marked as boilerplate that pruning kept."""
    chosen = _densest(root)
    if chosen == [root]:
        return chosen
    trusted: set[int] = set()  # the chosen container and its ancestors are never boilerplate
    for node in chosen:
        ancestor: LexborNode | None = node
        while ancestor is not None:
            trusted.add(ancestor.mem_id)
            ancestor = ancestor.parent
    weights = _subtree_weights(root, flagged - trusted)
    best, best_weight = chosen, sum(weights.get(node.mem_id, 0.0) for node in chosen)
    ancestor = chosen[0].parent
    while ancestor is not None and ancestor.tag not in ("html", "body"):  # the whole page is no widening
        weight = weights.get(ancestor.mem_id, 0.0)
        if weight > _WIDEN_GAIN * best_weight:
            best, best_weight = [ancestor], weight
        ancestor = ancestor.parent
    return best


class _Blocks:
    """Walks element trees and cuts their text into paragraphs at block boundaries."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.dropped = 0
        self._parts: list[str] = []
        self._link_chars = 0

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._parts)).strip()
        if text and self._link_chars > _LINKY_BLOCK * len(text):
            self.dropped += 1
        elif text:
            self.paragraphs.append(text)
        self._parts, self._link_chars = [], 0

    def collect(self, roots: list[LexborNode]) -> list[str]:
        """Paragraphs of the text under ``roots``, in document order."""
        for root in roots:
            self._walk(root)
        self._flush()
        return self.paragraphs

    def _walk(self, root: LexborNode) -> None:
        stack: list[tuple[LexborNode | None, int]] = [(root, 0)]  # (node, depth inside links); None closes a block
        while stack:
            node, in_link = stack.pop()
            if node is None:
                self._flush()
            elif node.is_text_node:
                text = node.text_content or ""
                self._parts.append(text)
                if in_link:
                    self._link_chars += len(text.strip())
            elif node.is_element_node:
                tag = node.tag
                block = tag in _BLOCK_TAGS
                if block:
                    self._flush()
                    stack.append((None, in_link))
                depth = in_link + (tag == "a")
                stack.extend((child, depth) for child in reversed(list(node.iter(include_text=True))))


def html_to_article(html: str) -> HtmlArticle:
    """Main text, metadata and embeds of an HTML page or fragment (see the module docstring)."""
    tree = LexborHTMLParser(html)
    page = read_page_meta(tree)
    root = tree.body or tree.root
    removed: Counter[str] = Counter()
    if root is None:
        return HtmlArticle([], page, [], removed)
    social = _lift_embeds(root)
    pruned, flagged = _prune(root)
    removed["boilerplate_html"] += pruned
    containers = _main_containers(root, flagged) if is_whole_page(html) else [root]
    blocks = _Blocks()
    paragraphs = blocks.collect(containers)
    removed["link_block"] += blocks.dropped
    return HtmlArticle(paragraphs, page, social, removed)
