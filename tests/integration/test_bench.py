"""``newsingest bench`` end to end on the test broker, tiny: the three rows come out, printed and as JSON."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from newsingest.runtime.config import load_settings, settings_env


def test_bench_prints_and_writes_the_three_rows(bootstrap: str, tmp_path: Path) -> None:
    result_path = tmp_path / "bench.json"
    env = settings_env(load_settings(), KAFKA_BOOTSTRAP_SERVERS=bootstrap)
    command = [sys.executable, "-m", "newsingest", "bench", "-n", "40", "--rates", "half", "--latency-seconds", "1", "--json", str(result_path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for label in ("(1) baseline", "(2) pipeline, identity", "(3) pipeline, full NLP", "cores", "Python", "Kafka"):
        assert label in table, table
    results = orjson.loads(result_path.read_bytes())
    rows = {row["row"]: row for row in results["rows"]}
    assert list(rows) == ["baseline", "identity", "full"]
    for row in rows.values():
        assert row["arrived"] == 40 and row["articles_per_second"] > 0, row
        assert row["latency"] and row["latency"][0]["arrived"] > 0
        # CPU time comes from /proc in 10 ms ticks: 40 bare hops may not reach one tick, the NLP always does
        assert all(stage["cpu_ms_per_article"] >= 0 and stage["peak_rss_mb"] > 0 for stage in row["stages"])
    assert all(stage["cpu_ms_per_article"] > 0 for stage in rows["full"]["stages"])
    assert [s["stage"] for s in rows["full"]["stages"]] == ["clean", "extract", "enrich"]
    ratio = rows["full"]["articles_per_second"] / rows["identity"]["articles_per_second"]
    assert f"full over identity: {ratio:.2f}×" in table
