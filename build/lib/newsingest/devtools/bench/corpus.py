"""The benchmark's articles: the shared Arabic and English corpora, else the bundled demo articles repeated."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any

import orjson

from newsingest.devtools.corpora import bbc_articles, saudinewsnet_articles, shared_dir
from newsingest.ops.sources import iter_messages
from newsingest.runtime.messages import decode_raw
from newsingest.runtime.paths import DEMO_DIR


@dataclass(frozen=True)
class Article:
    """A raw-topic record and the corpus it came from (``ar``, ``en`` or ``demo``)."""

    corpus: str
    record: dict[str, Any]


def bench_corpus(count: int, shared: Path | None = None) -> tuple[list[Article], str]:
    """``count`` articles, half Arabic (SaudiNewsNet) and half English (BBC), interleaved; English is capped at
    the BBC set's size and Arabic fills the rest. Without the shared data: the demo articles repeated, said so."""
    shared = shared or shared_dir()
    if shared is None:
        demo = [decode_raw(value, max_bytes=1 << 30) for value in iter_messages([str(DEMO_DIR)])]
        articles = [Article("demo", {**demo[i % len(demo)], "id": f"{demo[i % len(demo)]['id']}-{i}"}) for i in range(count)]
        return articles, f"{count} articles: the {len(demo)} bundled demo articles repeated with distinct ids (shared corpora absent)"
    english = [Article("en", record) for record in bbc_articles(shared, count // 2)]
    arabic = [Article("ar", record) for record in saudinewsnet_articles(shared, count - len(english))]
    mixed = [a for a in chain.from_iterable(zip_longest(arabic, english)) if a is not None]
    return mixed, f"{count} articles: {len(arabic)} SaudiNewsNet (Arabic) + {len(english)} BBC News (English), interleaved"


def keyed_messages(articles: list[Article], namespace: str, count: int) -> list[tuple[bytes, bytes]]:
    """``count`` raw messages cycling through ``articles``, each with an id (and key) unique to ``namespace``."""
    messages = []
    for index in range(count):
        record = articles[index % len(articles)].record
        article_id = f"{record['id']}~{namespace}{index}"
        messages.append((article_id.encode(), orjson.dumps({**record, "id": article_id})))
    return messages
