"""Reading article files the way newsrooms export them, as raw-topic message values.

Accepted: JSON lines (``.jsonl``/``.ndjson``: one message per line), JSON (``.json``: one object or
an array of them), text and HTML files (``.txt``/``.html``/``.htm``: one article each, id from the
file's path), directories of those (recursively), and ``-`` for JSON lines on standard input.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

ARTICLE_SUFFIXES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = {*ARTICLE_SUFFIXES, *JSON_LINES_SUFFIXES, ".json"}


def _lines(data: bytes) -> Iterator[bytes]:
    for line in data.splitlines():
        if line.strip():
            yield line.strip()


def _file_messages(path: Path, article_id: str) -> Iterator[bytes]:
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in JSON_LINES_SUFFIXES:
        yield from _lines(data)
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
            raise SystemExit(f"{name}: no such file or directory (give .jsonl, .json, .txt or .html files, folders of them, or - for stdin)")
