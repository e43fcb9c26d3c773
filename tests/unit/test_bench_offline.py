"""``newsingest bench --offline``: the in-process timing table, with untimed warm-up articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

_CLI = "import sys; from newsingest.cli import main; sys.exit(main(sys.argv[1:]))"


def test_offline_bench_times_the_first_articles_after_warming_on_others(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "--offline", "-n", "6", "--warm-articles", "4", "--profile-articles", "2", "--json", str(out)]
    done = subprocess.run([sys.executable, "-c", _CLI, *args], capture_output=True, text=True, timeout=300, check=True)
    assert "timed: the first 6; the other 4 ran first, untimed (caches warm)" in done.stdout
    results = orjson.loads(out.read_bytes())
    assert results["articles"] == 6 and results["offline"]["warmed_on"] == 4
    rows = results["offline"]["rows"]
    assert sum(row["articles"] for row in rows) == 6
    assert all(row["us_per_article"]["extract"] > 0 for row in rows)
