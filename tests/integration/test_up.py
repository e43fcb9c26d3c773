"""`newsingest up --demo`, as a user runs it: workers start, demo articles come out, Ctrl-C stops all."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from newsingest.ops.sources import iter_messages
from newsingest.runtime.config import Settings
from newsingest.runtime.paths import DEMO_DIR

from .conftest import settings_env


def test_up_with_demo_prints_every_demo_article_and_stops_cleanly(settings: Settings) -> None:
    expected = len(list(iter_messages([str(DEMO_DIR)])))
    process = subprocess.Popen(
        [sys.executable, "-m", "newsingest", "up", "--demo"],
        env=settings_env(settings, NEWSINGEST_METRICS_PORT="0"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 180
    assert process.stdout is not None
    while len(lines) < expected and time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        if line.startswith(("✓", "✗")):
            lines.append(line)
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read() if process.stderr else ""
    assert len(lines) == expected, f"got {lines}\n{stderr[-3000:]}"
    assert all(line.startswith("✓") for line in lines), lines
    assert code == 0, stderr[-3000:]
    assert "stopping workers" in stderr
