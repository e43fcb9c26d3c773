"""Duplicates across the stream: real corpus articles republished with small edits are flagged,
before and after a restart of the enrich worker, and by a second copy of the stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from newsingest.devtools.corpora import bbc_articles, saudinewsnet_articles
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import validate
from tests.integration.conftest import WorkerProcess, start_worker, stop_worker
from tests.integration.kafka_helpers import collect, publish


def _republished(article: dict[str, Any], n: int) -> dict[str, Any]:
    """Another outlet's copy: its own id and headline, a dateline, the last paragraph cut."""
    paragraphs = [p for p in article["body"].split("\n") if p.strip()]
    body = "\n".join(paragraphs[:-1] if len(paragraphs) > 2 else paragraphs)
    return {**article, "id": f"{article['id']}-copy{n}", "title": f"Copy {n}: {article.get('title') or ''}", "body": f"(Wire) {body}"}


def _sink(settings: Settings, count: int) -> dict[str, dict[str, Any]]:
    records = collect(settings, settings.topics.events, lambda rs: len({r["article_id"] for r in rs}) >= count, timeout=60)
    by_id = {r["article_id"]: r for r in records}
    assert len(by_id) >= count, f"{len(by_id)} of {count} articles reached the sink"
    return by_id


def test_republications_are_flagged_across_a_restart_and_by_a_second_copy(
    settings: Settings, workers: dict[str, WorkerProcess], shared: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    originals = [a for a in saudinewsnet_articles(shared, 60) if len(a["body"].split()) >= 80][:2] + list(bbc_articles(shared, 2))
    publish(settings, (orjson.dumps(a) for a in originals))
    _sink(settings, len(originals))
    publish(settings, (orjson.dumps(_republished(a, 1)) for a in originals[:2]))
    _sink(settings, len(originals) + 2)

    assert stop_worker(workers["enrich"]) == 0
    workers["enrich"] = start_worker(settings, "enrich", tmp_path_factory)
    second = start_worker(settings, "enrich", tmp_path_factory)
    try:
        later = [_republished(a, 2) for a in originals] + [{**originals[0], "id": "exact-copy", "title": "Same words"}]
        publish(settings, (orjson.dumps(a) for a in later))
        sink = _sink(settings, len(originals) + 2 + len(later))
    finally:
        assert stop_worker(second) == 0

    for record in sink.values():
        validate("event", record)
    for original in originals:
        assert sink[original["id"]]["duplicate_of"] is None, original["id"]
    for copy in [f"{a['id']}-copy1" for a in originals[:2]] + [f"{a['id']}-copy2" for a in originals]:
        original_id = copy.rsplit("-copy", 1)[0]
        assert (sink[copy]["duplicate_of"], sink[copy]["duplicate_kind"]) == (original_id, "near"), copy
    assert (sink["exact-copy"]["duplicate_of"], sink["exact-copy"]["duplicate_kind"]) == (originals[0]["id"], "exact")
