"""``newsingest bench --offline``: the in-process timing table, with and without untimed warm-up articles."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsingest.cli import main


def test_offline_bench_times_the_first_articles_after_warming_on_others(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert main(["bench", "--offline", "-n", "6", "--warm-articles", "4", "--profile-articles", "2", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "timed: the first 6; the other 4 ran first, untimed (caches warm)" in printed
    results = orjson.loads(out.read_bytes())
    assert results["articles"] == 6 and results["offline"]["warmed_on"] == 4
    rows = results["offline"]["rows"]
    assert sum(row["articles"] for row in rows) == 6
    assert all(row["us_per_article"]["extract"] > 0 for row in rows)
