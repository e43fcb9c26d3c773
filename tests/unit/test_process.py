"""`newsingest process`: the three transforms chained in-process, files in, JSON lines out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from newsingest.devtools.corpora import seed_articles
from newsingest.ops.sources import iter_messages
from newsingest.pipeline import process_value
from newsingest.runtime.contracts import validate
from newsingest.runtime.deadletters import Origin
from newsingest.runtime.paths import DEMO_DIR


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "newsingest", "process", *args], input=stdin, capture_output=True, timeout=120)


def test_demo_folder_gives_one_valid_event_per_article() -> None:
    result = run_cli(str(DEMO_DIR))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    events = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == len(list(iter_messages([str(DEMO_DIR)])))
    for event in events:
        validate("event", event)
    assert {e["language"] for e in events} == {"ar", "en"}


def test_stdin_json_lines_and_a_dead_letter_with_exit_status_1() -> None:
    stdin = b'{"id": "ok", "body": "Rescue teams reached Mosul on Tuesday."}\n{"id": "bad"}\n'
    result = run_cli("-", stdin=stdin)
    assert result.returncode == 1
    (event,) = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert event["article_id"] == "ok"
    dead = [orjson.loads(line) for line in result.stderr.splitlines() if line.startswith(b"{")]
    assert [d["reason"] for d in dead] == ["missing_body"]
    assert b"1 records, 1 dead letters" in result.stderr


def test_seed_article_record(shared: Path) -> None:
    article = next(seed_articles(shared))
    ok, event = process_value(orjson.dumps({**article, "published_at": "2024-12-06T15:00:00Z"}), Origin("seed", 0, 0), max_bytes=1 << 21)
    assert ok, event
    validate("event", event)
    text = event["text"]
    assert "[ad_" not in text and "pic.twitter.com" not in text and not text.rstrip().endswith("المصدر")
    assert event["title"].startswith("قوات الأسد تنسحب من درعا ودير الزور")
    assert event["language"] == "ar"
    assert any(s.get("handle") == "jhaboush" for s in event["social"])
    assert any("الإطاحة بهذا النظام" in q["text"] for q in event["quotes"])
    assert {727, 111} <= {int(c["number"]) for c in event["counts"]}
    assert any(d["date"] == "2024-12-06" for d in event["dates"])
    # Homs, Aleppo and Hama, by their coordinates (within ~20 km) and country
    for lat, lon in [(34.73, 36.72), (36.20, 37.16), (35.13, 36.76)]:
        assert any(
            abs(loc["lat"] - lat) < 0.2 and abs(loc["lon"] - lon) < 0.2 and loc["country_code"] == "SY" for loc in event["locations"]
        ), (lat, lon, [(loc["name"], loc["lat"], loc["lon"]) for loc in event["locations"]])
