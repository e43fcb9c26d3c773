"""The per-message CPU-time limit: it interrupts CPU-bound Python, dead-letters the message and lets the next one through."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from newsingest.runtime.clock import now_iso
from newsingest.runtime.config import load_settings
from newsingest.runtime.contracts import validate
from newsingest.runtime.deadletters import Rejected
from newsingest.runtime.time_limit import TimeLimitExceeded, cpu_time_limit
from newsingest.stages import STAGES, Record, Stage, run_stage, warm_up
from newsingest.stages.clean.language import detector
from tests.articles import DEMO_ARTICLE, slow_article


def raw(body: str = "Ministers met in Ankara on Thursday.") -> Record:
    return {"id": "slow-1", "body": body, "ingested_at": now_iso()}


def spin_forever(record: Record) -> Record:
    """A transform stuck in a pure-Python loop that also swallows every ``Exception``."""
    while True:
        try:
            sum(range(100_000))
        except Exception:  # noqa: BLE001 — the limit must get through this
            pass


def backtrack(record: Record) -> Record:
    """A transform stuck in a catastrophically backtracking regular expression (2**40 steps)."""
    re.match(r"(a+)+$", "a" * 40 + "b")
    return STAGES["clean"].transform(record)


@pytest.fixture(scope="module")
def warm() -> None:
    """The one-time loads of clean (language profiles), which must not count against a tiny limit."""
    assert warm_up("clean") == []


@pytest.mark.parametrize("transform", [spin_forever, backtrack])
def test_a_stuck_transform_is_interrupted_and_rejected_as_time_limit_exceeded(transform, warm: None) -> None:
    stage = Stage("clean", "raw", "cleaned", transform)
    started = time.process_time()
    with pytest.raises(Rejected) as caught:
        run_stage(stage, raw(), time_limit=0.2)
    spent = time.process_time() - started
    assert caught.value.reason == "time_limit_exceeded"
    assert "0.2 s of CPU time" in str(caught.value) and "NEWSINGEST_MESSAGE_TIME_LIMIT" in str(caught.value)
    assert 0.1 <= spent < 5, spent  # CPU accounting of the interval timer is coarser than process_time()
    # the timer is disarmed and the previous handler back, so the next message runs normally
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL
    validate("cleaned", run_stage(STAGES["clean"], raw(), time_limit=0.2))


def test_no_limit_when_zero_or_none_and_the_previous_handler_is_restored() -> None:
    def burn(record: Record) -> Record:
        deadline = time.process_time() + 0.3
        while time.process_time() < deadline:
            pass
        return STAGES["clean"].transform(record)

    stage = Stage("clean", "raw", "cleaned", burn)
    for limit in (None, 0):
        validate("cleaned", run_stage(stage, raw(), time_limit=limit))
    seen: list[int] = []
    previous = signal.signal(signal.SIGPROF, lambda signum, frame: seen.append(signum))
    try:
        with cpu_time_limit(5):
            pass
        assert signal.getsignal(signal.SIGPROF) is not signal.SIG_DFL
        signal.raise_signal(signal.SIGPROF)
        assert seen == [signal.SIGPROF]
    finally:
        signal.signal(signal.SIGPROF, previous)


def test_the_limit_is_a_base_exception_so_except_exception_cannot_swallow_it() -> None:
    assert not issubclass(TimeLimitExceeded, Exception)


def test_message_time_limit_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().message_time_limit == 10.0
    monkeypatch.setenv("NEWSINGEST_MESSAGE_TIME_LIMIT", "2.5")
    assert load_settings().message_time_limit == 2.5
    for bad in ("-1", "4000", "soon", "nan"):
        monkeypatch.setenv("NEWSINGEST_MESSAGE_TIME_LIMIT", bad)
        with pytest.raises(SystemExit, match="NEWSINGEST_MESSAGE_TIME_LIMIT"):
            load_settings()


def test_newsingest_process_dead_letters_an_article_over_the_limit_and_goes_on(tmp_path: Path) -> None:
    slow = orjson.dumps(slow_article())
    good = orjson.dumps(orjson.loads(DEMO_ARTICLE.read_bytes()))
    path = tmp_path / "articles.jsonl"
    path.write_bytes(slow + b"\n" + good + b"\n")
    env = {**os.environ, "NEWSINGEST_MESSAGE_TIME_LIMIT": "0.3", "NEWSINGEST_MAX_TEXT_CHARS": "1000000"}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "newsingest", "process", str(path)], env=env, capture_output=True, timeout=300)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr.decode()[-2000:]
    events = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [e["article_id"] for e in events] == ["demo-ankara-talks"]
    dead = [orjson.loads(line) for line in result.stderr.splitlines() if line.startswith(b"{")]
    assert len(dead) == 1, result.stderr.decode()[-2000:]
    validate("deadletter", dead[0])
    assert dead[0]["reason"] == "time_limit_exceeded" and dead[0]["stage"] in STAGES
    assert dead[0]["payload"] == slow.decode() and dead[0]["article_id"] == "slow-article"
    assert took < 120, took  # without the limit the article alone takes seconds of CPU; a loaded machine needs slack


def test_the_warm_up_articles_still_pass_every_stage() -> None:
    """Warm-up inputs must keep up with the contracts: a rejection would leave one-time loads to the first message."""
    assert warm_up("extract") == [] and warm_up("enrich") == []


def test_a_worker_past_clean_skips_the_language_models_and_a_timed_whole_chain_loads_them() -> None:
    """An extract or enrich worker never detects a language; the offline bench times the whole chain from its
    first article, so its warm-up must load the detector's models instead of leaving them to the timed articles."""
    detector.cache_clear()
    assert warm_up("enrich") == []
    assert detector.cache_info().currsize == 0
    assert warm_up("enrich", whole_chain=True) == []
    assert detector.cache_info().currsize >= 2  # the Arabic-script and the Latin-script languages
