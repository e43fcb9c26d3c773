"""``newsingest bench --offline`` and ``--codecs``: the in-process tables (transforms with untimed warm-up articles; compressions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from newsingest.devtools.bench.codecs import producer_batches

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


def test_codecs_bench_times_every_producer_compression_on_raw_and_cleaned_records(tmp_path: Path) -> None:
    out = tmp_path / "codecs.json"
    done = subprocess.run([sys.executable, "-c", _CLI, "bench", "--codecs", "-n", "6", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, check=True)
    rows = orjson.loads(out.read_bytes())["codecs"]
    assert {(row["records"], row["codec"]) for row in rows} == {
        (kind, codec) for kind in ("raw message", "cleaned record") for codec in ("zstd", "lz4", "snappy", "gzip")}
    assert all(row["count"] == 6 and row["compress_us"] > 0 and 0 < row["ratio"] < 1 for row in rows)
    assert "cleaned record   zstd" in done.stdout


def test_codec_batches_fill_up_to_the_producer_batch_size_in_order() -> None:
    assert producer_batches([b"aa", b"bbb", b"c", b"dddddd", b"e"], limit=5) == [b"aabbb", b"c", b"dddddd", b"e"]
    assert producer_batches([]) == []
