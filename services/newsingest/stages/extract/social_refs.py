"""Social-media references written in an article body: post/profile links and ``@handles``.

Embedded posts are lifted out by clean (``newsingest.text.social``); this finds what stays in the
prose and skips anything already listed, by link or by handle.
"""

from __future__ import annotations

import re
from typing import Any

from newsingest.text.social import platform_of

_LINK = re.compile(
    r"(?:https?://)?(?:(?:www|mobile|m|vm)\.)?"
    r"(?:pic\.twitter\.com|twitter\.com|x\.com|facebook\.com|fb\.watch|instagram\.com|youtube\.com|youtu\.be"
    r"|t\.me|telegram\.me|tiktok\.com)/[^\s()\[\]{}<>\"'«»“”،]+",
    re.IGNORECASE,
)
# A link's host must not continue a word ("netflix.com"), except pic.twitter.com, which Twitter glues on.
_HOST_START = re.compile(r"(?<![\w.@/-])|(?=pic\.twitter\.com)", re.IGNORECASE)
_HANDLE = re.compile(r"(?=@)(?<![\w@.])@([A-Za-z0-9_]{1,30})(?![\w@])")  # "@" looked for first, the look-behind only there
_PROFILE = re.compile(r"^(?:twitter\.com|x\.com|instagram\.com|tiktok\.com/@?|t\.me)/@?([A-Za-z0-9_.]{1,30})(?:/|$)")
_NOT_PROFILES = {"status", "i", "p", "reel", "hashtag", "search", "share", "intent", "home", "explore", "watch"}
_TRAILING = ".,;:!?…)"
_HINTS = ("twitter.", "x.com", "facebook.", "fb.watch", "instagram.", "youtu", "t.me", "telegram.", "tiktok.")


def _link_key(url: str) -> str:
    """Scheme-, www- and slash-insensitive key of a link."""
    url = re.sub(r"^(?:https?://)?(?:(?:www|mobile|m|vm)\.)?", "", url.lower())
    return url.rstrip("/")


def _handle_of(url: str) -> str | None:
    match = _PROFILE.match(_link_key(url))
    if match and match.group(1).lower() not in _NOT_PROFILES:
        return match.group(1)
    return None


def find_social_refs(text: str) -> list[dict[str, Any]]:
    """Links to social platforms and @handles in ``text``, in order, each once."""
    refs: list[dict[str, Any]] = []
    lowered = text.lower()
    links = _LINK.finditer(text) if any(hint in lowered for hint in _HINTS) else ()
    for match in links:
        if not _HOST_START.match(text, match.start()):
            continue
        url = match.group().rstrip(_TRAILING)
        url = url if url.lower().startswith("http") else f"https://{url}"
        refs.append({"platform": platform_of(url), "url": url, "handle": _handle_of(url), "embedded": False})
    for match in _HANDLE.finditer(text) if "@" in text else ():
        refs.append({"platform": "twitter", "url": None, "handle": match.group(1), "embedded": False})
    return merge_social(refs, [])


def merge_social(found: list[dict[str, Any]], existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of ``found`` not already in ``existing`` (nor earlier in ``found``), by link or handle."""
    links = {_link_key(e["url"]) for e in existing if e.get("url")}
    handles = {e["handle"].lower() for e in existing if e.get("handle")}
    new: list[dict[str, Any]] = []
    for ref in found:
        link = _link_key(ref["url"]) if ref.get("url") else None
        handle = ref["handle"].lower() if ref.get("handle") else None
        if (link and link in links) or (not link and handle in handles):
            continue
        new.append(ref)
        if link:
            links.add(link)
        if handle:
            handles.add(handle)
    return new
