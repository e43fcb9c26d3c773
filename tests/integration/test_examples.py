"""The examples a new user copies work against the real pipeline: a newsroom producer in, a de-duplicating subscriber out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson

from newsingest.runtime.config import Settings
from tests.paths import REPO_ROOT

from .kafka_helpers import collect

EXAMPLES = REPO_ROOT / "examples"
ARTICLES = [
    {"id": "desk-1", "title": "Floods in Mosul", "body": "Heavy rain flooded streets in Mosul on Monday, officials said.", "published_at": "2025-03-03T08:00:00Z"},
    {"id": "desk-2", "title": "Talks in Ankara", "body": "The Jordanian foreign minister met his Turkish counterpart in Ankara on Tuesday."},
]


def run_example(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, timeout=120)


def test_producer_to_pipeline_to_deduplicating_consumer(settings: Settings, workers: dict, tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    # the first article twice, as a newsroom system retrying a send would
    articles.write_text("\n".join(json.dumps(a) for a in [*ARTICLES, ARTICLES[0]]) + "\n", encoding="utf-8")
    produced = run_example("produce_articles.py", "--bootstrap", settings.bootstrap_servers, "--topic", settings.topics.raw, str(articles))
    assert produced.returncode == 0, produced.stderr
    assert "published 3 articles" in produced.stderr

    sink = collect(settings, settings.topics.events, lambda records: len(records) >= 3, timeout=120)
    assert len(sink) == 3 and len({r["event_id"] for r in sink}) == 2, "the repeat reaches the sink with the same event_id"

    consumer_args = ["--bootstrap", settings.bootstrap_servers, "--topic", settings.topics.events, "--group", f"{settings.group_prefix}-desk", "--idle-seconds", "4"]
    consumed = run_example("consume_events.py", *consumer_args)
    assert consumed.returncode == 0, consumed.stderr
    lines = [orjson.loads(line) for line in consumed.stdout.splitlines()]
    assert sorted(line["article_id"] for line in lines) == ["desk-1", "desk-2"]
    assert {line["event_id"] for line in lines} == {r["event_id"] for r in sink}
    assert all(len(line["trace_id"]) == 32 for line in lines)
    assert "2 events, 1 duplicates skipped" in consumed.stderr

    again = run_example("consume_events.py", *consumer_args)  # same group: offsets were committed
    assert again.returncode == 0 and again.stdout == "" and "0 events, 0 duplicates" in again.stderr, again.stderr
