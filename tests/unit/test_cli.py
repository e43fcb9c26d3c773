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
