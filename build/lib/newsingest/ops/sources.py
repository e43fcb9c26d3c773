"""Reading article files the way newsrooms export them, as raw-topic message values.

Accepted: JSON lines (``.jsonl``/``.ndjson``: one message per line), JSON (``.json``: one object or
an array of them), text and HTML files (``.txt``/``.html``/``.htm``: one article each, id from the
file's path), RSS and Atom feeds (``.rss``/``.atom``/``.xml``: one article per entry), directories of
those (recursively), and ``-`` for JSON lines on standard input.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import feedparser
import orjson

ARTICLE_SUFFIXES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUFFIXES = {*ARTICLE_SUFFIXES, *JSON_LINES_SUFFIXES, *FEED_SUFFIXES, ".json"}


def _lines(data: bytes) -> Iterator[bytes]:
    for line in data.splitlines():
        if line.strip():
            yield line.strip()


def _file_messages(path: Path, article_id: str) -> Iterator[bytes]:
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in JSON_LINES_SUFFIXES:
        yield from _lines(data)
    elif suffix in FEED_SUFFIXES:
        yield from feed_messages(data, path)
    elif suffix == ".json":
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            yield data  # the worker dead-letters it with the parse error and the payload
            return
        for item in parsed if isinstance(parsed, list) else [parsed]:
            yield orjson.dumps(item)
    else:
        try:
            body = data.decode("utf-8")
        except UnicodeDecodeError:
            yield data  # not UTF-8: sent as is so it reaches the dead-letter topic whole
            return
        yield orjson.dumps({"id": article_id, "body": body, "content_type": ARTICLE_SUFFIXES.get(suffix, "text/plain")})


def _feed_time(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def feed_messages(data: bytes, path: Path) -> Iterator[bytes]:
    """One raw message per entry of an RSS or Atom feed (feedparser), its fields mapped onto the raw contract.

    The body is the entry's full content (``content:encoded``, Atom ``content``), else its summary; the id
    is the entry's guid/id, else its link (the worker derives one from the url or body when both are missing).
    An entry with neither content nor summary is sent without a body and dead-lettered as ``missing_body``.
    """
    feed = feedparser.parse(data)
    if not feed.entries and feed.bozo:
        raise SystemExit(f"{path}: not an RSS or Atom feed ({feed.bozo_exception}); give .xml/.rss/.atom files that are feeds")
    channel = feed.feed
    for entry in feed.entries:
        content = (entry.get("content") or [None])[0] or entry.get("summary_detail")
        message = {
            "id": entry.get("id") or entry.get("link"),
            "title": entry.get("title"),
            "url": entry.get("link"),
            "source": channel.get("title"),
            "published_at": _feed_time(entry),
            "language": (content or {}).get("language") or channel.get("language"),
            "content_type": (content or {}).get("type"),
            "body": (content or {}).get("value"),
            "metadata": {
                "feed": channel.get("link") or path.name,
                "authors": [a["name"] for a in entry.get("authors", []) if a.get("name")],
                "tags": [t["term"] for t in entry.get("tags", []) if t.get("term")],
            },
        }
        yield orjson.dumps({key: value for key, value in message.items() if value not in (None, "")})


def iter_messages(paths: Sequence[str]) -> Iterator[bytes]:
    """Message values for every article in ``paths`` (files, directories, or ``-`` for stdin)."""
    for name in paths:
        if name == "-":
            yield from _lines(sys.stdin.buffer.read())
            continue
        path = Path(name)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
                yield from _file_messages(file, file.relative_to(path).with_suffix("").as_posix())
        elif path.is_file():
            yield from _file_messages(path, path.stem)
        else:
            raise SystemExit(f"{name}: no such file or directory (give .jsonl, .json, .txt, .html or .xml/.rss/.atom feed files, folders of them, or - for stdin)")
