"""Readers for the public corpora kept beside the project (``../shared/corpus``), as raw messages.

The data is never copied into the project: tests, evaluations and benchmarks read it by path and
skip when it is absent (``NEWSINGEST_SHARED_DIR`` points elsewhere).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any

import orjson

from newsingest.runtime.config import SHARED_DIR
from newsingest.runtime.paths import SOURCE_ROOT


def shared_dir() -> Path | None:
    """The shared data folder, or None when this checkout has none."""
    path = Path(SHARED_DIR.read() or SOURCE_ROOT.parent / "shared")
    return path if (path / "corpus").is_dir() else None


def seed_articles(shared: Path) -> Iterator[dict[str, Any]]:
    """The scraped seed article(s) as plain-text raw messages."""
    for path in sorted((shared / "corpus" / "seed").glob("*.txt")):
        yield {"id": f"seed-{path.stem}", "body": path.read_text(encoding="utf-8"), "content_type": "text/plain"}


def saudinewsnet_articles(shared: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Arabic articles from SaudiNewsNet (zips of JSON arrays), mapped onto the raw contract."""
    def articles() -> Iterator[dict[str, Any]]:
        for archive in sorted((shared / "corpus" / "saudinewsnet-ar" / "dataset").glob("*.zip")):
            with zipfile.ZipFile(archive) as bundle:
                for member in bundle.namelist():
                    for index, item in enumerate(orjson.loads(bundle.read(member))):
                        yield {
                            "id": f"snn-{archive.stem}-{index}",
                            "body": item.get("content") or "",
                            "title": item.get("title"),
                            "url": item.get("url"),
                            "source": item.get("source"),
                            "published_at": item.get("date_extracted"),
                            "metadata": {"author": item.get("author")},
                        }

    return islice((a for a in articles() if a["body"].strip()), limit)


def bbc_articles(shared: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """English BBC News articles (first line is the headline), the topic folders taken in turn; all 2,225."""
    folders = sorted(p for p in (shared / "corpus" / "bbc-news-en" / "bbc").iterdir() if p.is_dir())
    files = [sorted(folder.glob("*.txt")) for folder in folders]
    interleaved = (f for group in zip_longest(*files) for f in group if f is not None)

    def articles() -> Iterator[dict[str, Any]]:
        for path in interleaved:
            headline, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
            yield {"id": f"bbc-{path.parent.name}-{path.stem}", "title": headline.strip(), "body": body.strip(), "source": "BBC News"}

    return islice(articles(), limit)


@dataclass(frozen=True)
class GoldToponym:
    """A toponym of a geoparsing corpus: its phrase, character span and gold coordinates."""

    phrase: str
    start: int
    end: int
    lat: float
    lon: float


def geoparsing_articles(path: Path, limit: int | None = None) -> Iterator[tuple[str, list[GoldToponym], str | None]]:
    """(text, gold toponyms with coordinates, URL) per article of a geoparsing corpus: LGL/TR-News (``toponym``) and GeoVirus (``location``)."""
    for index, article in enumerate(ET.parse(path).getroot().iter("article")):
        if limit is not None and index >= limit:
            return
        gold = []
        for tag in article.iter("toponym"):
            if tag.findtext("gaztag/lat"):
                gold.append(GoldToponym(tag.findtext("phrase", ""), int(tag.findtext("start")), int(tag.findtext("end")),
                                 float(tag.findtext("gaztag/lat")), float(tag.findtext("gaztag/lon"))))
        for tag in article.iter("location"):
            gold.append(GoldToponym(tag.findtext("name", ""), int(tag.findtext("start")), int(tag.findtext("end")),
                             float(tag.findtext("lat")), float(tag.findtext("lon"))))
        url = article.findtext("url") or article.findtext("source") or None
        if url and "://" not in url:
            url = None
        yield article.findtext("text", ""), gold, url
