"""Command-line argument checks that need no broker."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("rate", ["0", "-5", "fast"])
def test_publish_refuses_a_rate_that_is_not_positive_and_says_what_to_give(rate: str) -> None:
    result = subprocess.run([sys.executable, "-m", "newsingest", "publish", "-", "--rate", rate], capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"messages per second above 0" in result.stderr


@pytest.mark.parametrize("processes", ["0", "65", "two"])
def test_worker_refuses_a_concurrency_out_of_range_and_says_what_to_give(processes: str) -> None:
    result = subprocess.run([sys.executable, "-m", "newsingest", "worker", "extract", "--concurrency", processes], capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"whole number of processes from 1 to 64" in result.stderr


@pytest.mark.parametrize(("spec", "expected"), [
    ("3", {"clean": 3, "extract": 3, "enrich": 3}),
    ("extract=4, enrich=2", {"extract": 4, "enrich": 2}),
])
def test_bench_full_processes_take_one_count_or_one_per_stage(spec: str, expected: dict[str, int]) -> None:
    from newsingest.cli import build_parser

    assert build_parser(["bench"]).parse_args(["bench", "--full-processes", spec]).full_processes == expected


@pytest.mark.parametrize(("spec", "says"), [
    ("tokenize=2", b"'tokenize' is not a stage: give clean, extract, enrich"),
    ("extract=0", b"whole number of processes from 1 to 64"),
    ("many", b"whole number of processes from 1 to 64"),
])
def test_bench_refuses_a_bad_full_processes_and_says_what_to_give(spec: str, says: bytes) -> None:
    result = subprocess.run([sys.executable, "-m", "newsingest", "bench", "--full-processes", spec], capture_output=True, timeout=60)
    assert result.returncode == 2
    assert says in result.stderr


def test_bench_refuses_full_processes_with_scale() -> None:
    result = subprocess.run([sys.executable, "-m", "newsingest", "bench", "--scale", "--full-processes", "2"], capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"run it without --full-processes" in result.stderr
