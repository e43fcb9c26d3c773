"""Turning Kafka message values into records, leniently for the raw topic and strictly after it."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson

from newsingest.runtime.deadletters import Rejected

# Field names newsroom systems use for the same thing, mapped onto the raw contract.
_ALIASES: dict[str, tuple[str, ...]] = {
    "body": ("body", "content", "text", "html", "article_body", "articleBody"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "source": ("source", "site", "outlet", "publisher"),
    "published_at": ("published_at", "published", "date_published", "datePublished", "pubDate", "date", "date_extracted"),
    "language": ("language", "lang"),
    "content_type": ("content_type", "contentType", "mime_type"),
}
_TEXT_FIELDS = ("title", "url", "source", "published_at", "language", "content_type")
# HTML parsing is quadratic in nesting depth (200,000 unclosed <div>s take minutes), so bodies with more tags
# than any real page are refused; a heavy whole news page has a few thousand.
MAX_HTML_TAGS = 50_000
_TAG = re.compile(r"</?[A-Za-z!]")


def stable_id(url: str | None, body: str) -> str:
    """An article id derived from its url, else from its body, the same every time."""
    basis = f"url:{url}" if url else f"body:{body}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _utf8(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("not_utf8", f"message is not valid UTF-8 ({exc.reason} at byte {exc.start}); send UTF-8 text or JSON") from exc


def decode_raw(value: bytes | None, *, max_bytes: int) -> dict[str, Any]:
    """Read a raw-topic message: a JSON object, or bare UTF-8 text taken as a plain-text body.

    Known aliases (``content``, ``headline``, ``link``, ``date``…) are mapped onto the raw contract,
    unknown fields are kept under ``metadata``, and a missing ``id`` is derived from url or body.
    The result still has to pass the raw schema (``run_stage`` checks it). Bodies with more than
    :data:`MAX_HTML_TAGS` tags are rejected as ``too_large``.
    """
    record = _read_raw(value, max_bytes)
    body = record["body"]
    if isinstance(body, str) and len(body) > MAX_HTML_TAGS * 3 and len(_TAG.findall(body)) > MAX_HTML_TAGS:
        raise Rejected("too_large", f"body has more than {MAX_HTML_TAGS} HTML tags; no real article page has that many")
    return record


def _read_raw(value: bytes | None, max_bytes: int) -> dict[str, Any]:
    if not value:
        raise Rejected("missing_body", "empty message: expected a JSON object with a 'body' or plain text")
    if len(value) > max_bytes:
        raise Rejected("too_large", f"message of {len(value)} bytes exceeds the limit of {max_bytes} (NEWSINGEST_MAX_MESSAGE_BYTES)")
    text = _utf8(value).lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return {"id": stable_id(None, text), "body": text, "content_type": None, "metadata": {}}
    try:
        parsed = orjson.loads(stripped)
    except orjson.JSONDecodeError as exc:
        if stripped.startswith("["):  # scraped text may begin with a marker such as "[ad_1]"
            return {"id": stable_id(None, text), "body": text, "content_type": None, "metadata": {}}
        raise Rejected("bad_json", f"message looks like JSON but does not parse: {exc}") from exc
    if not isinstance(parsed, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got a JSON {type(parsed).__name__}")
    return _normalise_fields(parsed)


def _normalise_fields(obj: dict[str, Any]) -> dict[str, Any]:
    fields = dict(obj)
    record: dict[str, Any] = {}
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in fields:
                record[name] = fields.pop(alias)
                break
    if "body" not in record or record["body"] is None:
        raise Rejected("missing_body", "JSON message has no 'body' (nor 'content'/'text'/'html'); put the article text in 'body'")
    article_id = fields.pop("id", None)
    metadata = fields.pop("metadata", {})
    # unknown top-level fields are kept, not dropped; a non-object metadata fails the schema with a clear path
    record["metadata"] = {**fields, **metadata} if isinstance(metadata, dict) else metadata
    if isinstance(article_id, int | float) and not isinstance(article_id, bool):
        article_id = str(article_id)
    body = record["body"]
    record["id"] = article_id if article_id not in (None, "") else stable_id(
        record.get("url") if isinstance(record.get("url"), str) else None, body if isinstance(body, str) else repr(body)
    )
    for name in _TEXT_FIELDS:
        record.setdefault(name, None)
    return record


def decode_record(value: bytes | None) -> dict[str, Any]:
    """Read a message of an inner topic: it must be a UTF-8 JSON object."""
    if not value:
        raise Rejected("missing_body", "empty message where a JSON record was expected")
    try:
        parsed = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        # orjson also rejects invalid UTF-8 here; tell the two apart for the reason label
        _utf8(value)
        raise Rejected("bad_json", f"record does not parse as JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got a JSON {type(parsed).__name__}")
    return parsed


def check_text_length(record: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """``record`` itself, unless its article ``text`` is longer than ``max_chars`` (the cap that bounds extraction time)."""
    text = record.get("text")
    if isinstance(text, str) and len(text) > max_chars:
        raise Rejected("too_large", f"article text of {len(text)} characters exceeds the limit of {max_chars} (NEWSINGEST_MAX_TEXT_CHARS)")
    return record
