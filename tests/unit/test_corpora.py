"""Readers of the shared corpora: every article once, in a stable order."""

from __future__ import annotations

from pathlib import Path

from newsingest.devtools.corpora import bbc_articles


def test_bbc_articles_yields_every_article_once_taking_the_topic_folders_in_turn(shared: Path) -> None:
    files = sorted((shared / "corpus" / "bbc-news-en" / "bbc").glob("*/*.txt"))
    ids = [article["id"] for article in bbc_articles(shared)]
    assert len(ids) == len(set(ids)) == len(files) == 2225  # folders of unequal size: none cut short
    assert [i.split("-")[1] for i in ids[:5]] == ["business", "entertainment", "politics", "sport", "tech"]
