"""The benchmark's helpers: percentiles, rates, corpus, messages, process readings, identity stages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from newsingest.devtools.bench.corpus import bench_corpus, keyed_messages
from newsingest.devtools.bench.pipelines import Delivery, StageProcess, percentile
from newsingest.devtools.bench.run import latency_rates, print_online, round_ratios, stage_cells
from newsingest.runtime.contracts import SchemaViolation, validate
from newsingest.runtime.messages import decode_raw
from newsingest.runtime.worker import KAFKA_THREAD
from newsingest.stages import IDENTITY_STAGES, STAGES, run_stage


def test_percentile_is_nearest_rank() -> None:
    ordered = [float(v) for v in range(1, 101)]
    assert [percentile(ordered, p) for p in (0.5, 0.95, 0.99, 1.0)] == [50.0, 95.0, 99.0, 100.0]
    assert percentile([7.0], 0.99) == 7.0


def test_sustained_rate_leaves_out_ramp_and_tail() -> None:
    delivery = Delivery()
    for index in range(100):
        key = str(index).encode()
        delivery.sent[key] = 0.0
        delivery.arrived[key] = 5.0 + index * 0.01  # 100 per second after a 5 s start-up
    assert delivery.sustained_rate() == pytest.approx(100.0, rel=0.02)
    assert delivery.missing() == 0
    assert delivery.latencies()[0] == pytest.approx(5.0)


def test_sustained_rate_of_a_run_that_arrives_in_one_burst_is_taken_over_the_whole_run() -> None:
    delivery = Delivery()
    for index in range(40):
        key = str(index).encode()
        delivery.sent[key] = 0.0
        delivery.arrived[key] = 2.0 if index < 38 else 2.5  # one fetch brings nearly all of them
    assert delivery.sustained_rate() == pytest.approx(40 / 2.5)


def test_latency_rates_take_half_of_max_and_skip_rates_near_it() -> None:
    assert latency_rates("half,50", 400.0) == [200.0, 50.0]
    assert latency_rates("half,50", 40.0) == [20.0]


def test_without_shared_data_the_demo_articles_repeat_as_distinct_messages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSINGEST_SHARED_DIR", str(tmp_path))
    corpus, note = bench_corpus(5)
    assert "demo" in note and len(corpus) == 5
    messages = keyed_messages(corpus, "run", 12)
    assert len({key for key, _ in messages}) == 12
    assert all(orjson.loads(value)["id"].encode() == key for key, value in messages)


def test_shared_corpus_mixes_arabic_and_english(shared: Path) -> None:
    corpus, note = bench_corpus(10, shared)
    assert [a.corpus for a in corpus[:4]] == ["ar", "en", "ar", "en"]
    assert "Arabic" in note and "English" in note


def test_identity_stages_pass_the_body_through_as_valid_records() -> None:
    record = decode_raw(b'{"id": "a1", "body": "Floods hit Mosul.", "published_at": "2015-01-02 03:04:05"}', max_bytes=1 << 20)
    record["ingested_at"] = "2025-01-01T00:00:00.000Z"
    for stage in IDENTITY_STAGES.values():
        record = run_stage(stage, record)  # validates input and output against the contracts
    assert record["text"] == "Floods hit Mosul." and record["entities"] == record["locations"] == []
    assert record["published_at"] == "2015-01-02T03:04:05.000Z" and len(record["event_id"]) == 32
    assert [IDENTITY_STAGES[n].output_schema for n in STAGES] == [STAGES[n].output_schema for n in STAGES]


def test_values_json_cannot_hold_are_schema_violations() -> None:
    with pytest.raises(SchemaViolation, match="raw schema"):
        validate("raw", {"id": object(), "body": "b"})


def test_process_readings_come_from_proc(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; x = bytearray(50 << 20); sum(range(3_000_000)); sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        proc = StageProcess("probe", child, tmp_path / "log")
        while proc.peak_rss_mb() < 50:  # until the allocation has happened
            assert child.poll() is None
        assert proc.cpu_seconds() >= 0.0
    finally:
        child.communicate(b"")


def test_a_workers_kafka_thread_is_read_apart_from_its_process(tmp_path: Path) -> None:
    # a worker's KafkaThread spends ≈ 0.6 s of CPU on its loop while the main thread idles
    script = ("import asyncio, sys, time\n"
              "from newsingest.runtime.worker import KafkaThread\n"
              "async def burn():\n"
              "    end = time.process_time() + 0.6\n"
              "    while time.process_time() < end: pass\n"
              "KafkaThread().run(burn())\n"
              "print('burnt', flush=True)\n"
              "sys.stdin.read()")
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"burnt\n"
        proc = StageProcess("probe", child, tmp_path / "log")
        kafka, total = proc.thread_cpu_seconds(KAFKA_THREAD), proc.cpu_seconds()
        assert kafka is not None and 0.5 <= kafka <= total
        assert proc.thread_cpu_seconds("no-such-thread") is None
    finally:
        child.communicate(b"")


def test_stage_cells_show_the_kafka_threads_share_when_measured() -> None:
    worker = {"stage": "extract", "copies": 1, "cpu_ms_per_article": 4.312, "kafka_thread_cpu_ms_per_article": 0.114, "peak_rss_mb": 457.2}
    hop = {"stage": "hop1", "copies": 2, "cpu_ms_per_article": 0.08, "kafka_thread_cpu_ms_per_article": None, "peak_rss_mb": 38.0}
    assert stage_cells(worker) == "extract 4.31 [0.11] (457)"
    assert stage_cells(hop) == "hop1×2 0.08 (38)"


def _row(name: str, rate: float, round_: int) -> dict[str, object]:
    stage = {"stage": "s", "copies": 1, "cpu_ms_per_article": 0.1, "kafka_thread_cpu_ms_per_article": None, "peak_rss_mb": 40.0}
    return {"row": name, "articles": 10, "arrived": 10, "dead_letters": 0, "articles_per_second": rate,
            "stages": [stage], "latency": [], "round": round_}


def test_repeated_rounds_are_each_over_their_own_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    """``--repeat``: a ratio compares rows of one round, as the machine drifts between rounds."""
    rows = [_row("baseline", 1000, 0), _row("identity", 600, 0), _row("full", 60, 0),
            _row("baseline", 2000, 1), _row("identity", 1600, 1), _row("full", 480, 1)]
    assert round_ratios(rows, "identity", "baseline") == [0.6, 0.8]
    assert round_ratios(rows, "full", "identity") == [0.1, 0.3]
    assert round_ratios(rows[:5], "full", "identity") == [0.1]  # a round without the row gives no ratio
    machine = {"cores": 2, "cpu": "test", "python": "3.11", "load_average": (0.0, 0.0, 0.0)}
    print_online({"machine": machine, "kafka": "test", "corpus": "test", "rows": rows})
    table = capsys.readouterr().out
    assert "round 1" in table and "round 2" in table
    assert "identity over baseline: 0.60×, 0.80× (median 0.70×)" in table
    assert "full over identity: 0.10×, 0.30× (median 0.20×)" in table
    assert " 1600   0.80 " in table  # ×base over round 2's baseline, not round 1's


def test_a_workers_pool_processes_count_in_its_cpu_and_memory(tmp_path: Path) -> None:
    # the parent idles; its forked child spends ≈ 0.6 s of CPU and holds 80 MB, as a pool process would
    script = ("import os, sys, time\n"
              "if os.fork() == 0:\n"
              "    x = bytearray(80 << 20); end = time.process_time() + 0.6\n"
              "    while time.process_time() < end: pass\n"
              "    time.sleep(60)\n"
              "sys.stdin.read()")
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE)
    proc = StageProcess("probe", parent, tmp_path / "log")
    deadline = time.monotonic() + 30
    while len(proc.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    [child] = proc.pids()[1:]
    try:
        while proc.cpu_seconds() < 0.5 and time.monotonic() < deadline:
            time.sleep(0.05)
        own = Path(f"/proc/{parent.pid}/stat").read_text().rpartition(")")[2].split()
        assert (int(own[11]) + int(own[12])) / os.sysconf("SC_CLK_TCK") < 0.3  # the CPU counted is the child's
        assert proc.cpu_seconds() >= 0.5 and proc.peak_rss_mb() >= 80
    finally:
        os.kill(child, signal.SIGKILL)
        parent.communicate(b"")


def test_a_full_row_in_several_processes_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """``--full-processes``: the stage's cell and the header tell its workers' transform processes."""
    pooled = {"stage": "extract", "copies": 1, "processes": 3, "cpu_ms_per_article": 2.5, "kafka_thread_cpu_ms_per_article": 0.09, "peak_rss_mb": 430.0}
    assert stage_cells(pooled) == "extract/3p 2.50 [0.09] (430)"
    assert stage_cells({**pooled, "copies": 2, "processes": 1}) == "extract×2 2.50 [0.09] (430)"
    machine = {"cores": 16, "cpu": "test", "python": "3.11", "load_average": (0.0, 0.0, 0.0)}
    rows = [_row("identity", 600, 0), {**_row("full", 60, 0), "stages": [pooled]}]
    print_online({"machine": machine, "kafka": "test", "corpus": "test", "rows": rows})
    table = capsys.readouterr().out
    assert "per stage (/Np: in N processes)" in table and "extract/3p 2.50" in table
    print_online({"machine": machine, "kafka": "test", "corpus": "test", "rows": rows[:1]})
    assert "/Np" not in capsys.readouterr().out
