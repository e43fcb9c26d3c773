"""The moving parts of ``newsingest bench``: stage processes, their CPU and memory, and the load driver.

The driver publishes keyed messages to a chain's input topic (at full speed or at a fixed rate) and
watches its output and dead-letter topics without a consumer group; a message's latency is the time
from its send to its key arriving at the end of the chain.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsingest.runtime import kafka
from newsingest.runtime.config import Settings

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class StageProcess:
    """One process of a chain: a worker (``port`` serves /healthz) or a baseline hop."""

    stage: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    def pids(self) -> list[int]:
        """The process and its children (a worker's transform pool, ``--concurrency``)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [pid, *map(int, children.read_text().split())] if children.exists() else [pid]

    def cpu_seconds(self) -> float:
        """User + system CPU time so far of the process and its children, from /proc/PID/stat."""
        return sum(map(_cpu_ticks, (Path(f"/proc/{pid}/stat") for pid in self.pids()))) / CLOCK_TICKS

    def thread_cpu_seconds(self, name: str) -> float | None:
        """CPU time so far of the process's threads the OS names ``name`` (a worker's Kafka thread); ``None``
        when it has none."""
        ticks = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:  # a short-lived thread (one serving a /healthz request) may end while it is read
                if (task / "comm").read_text().strip() == name:
                    ticks.append(_cpu_ticks(task / "stat"))
            except (FileNotFoundError, ProcessLookupError):
                continue
        return sum(ticks) / CLOCK_TICKS if ticks else None

    def peak_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) in MiB of the largest of the process and its children."""
        peaks = [0]
        for pid in self.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
        return max(peaks) / 1024

    def health(self) -> dict[str, object]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
            return orjson.loads(response.read())

    def failure(self) -> str:
        return f"{self.stage} process exited with {self.process.returncode}; last log lines:\n{self.log.read_text(errors='replace')[-2000:]}"


def _cpu_ticks(stat: Path) -> int:
    """User + system clock ticks of a process or thread, from its ``stat`` file."""
    fields = stat.read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def start_process(stage: str, command: Sequence[str], env: dict[str, str], log_dir: Path, port: int | None = None) -> StageProcess:
    """Start ``python -m newsingest…`` ``command`` with its output in ``log_dir``."""
    log = log_dir / f"{stage}-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", *command], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return StageProcess(stage, process, log, port)


def wait_assigned(processes: Sequence[StageProcess], partitions: int, timeout: float = 120.0) -> None:
    """Wait until every worker answers /healthz and each stage's copies own all ``partitions`` between them."""
    deadline = time.monotonic() + timeout
    while True:
        owned: dict[str, int] = {}
        ready = True
        for proc in processes:
            if proc.process.poll() is not None:
                raise RuntimeError(proc.failure())
            try:
                report = proc.health()
            except OSError:
                ready = False
                continue
            assigned = int(report.get("assigned_partitions") or 0)  # type: ignore[call-overload]
            ready = ready and assigned > 0
            owned[proc.stage] = owned.get(proc.stage, 0) + assigned
        if ready and all(count == partitions for count in owned.values()):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"workers did not get their partitions within {timeout:.0f}s: {owned}")
        time.sleep(0.3)


def stop_processes(processes: Sequence[StageProcess], timeout: float = 30.0) -> None:
    """SIGTERM each process (workers finish their batch and commit), SIGKILL any that hang."""
    for proc in processes:
        if proc.process.poll() is None:
            proc.process.send_signal(signal.SIGTERM)
    for proc in processes:
        try:
            proc.process.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.process.kill()
            proc.process.wait()


@dataclass
class Delivery:
    """What one load run saw: send and arrival times by key, and how many arrived as dead letters."""

    sent: dict[bytes, float] = field(default_factory=dict)
    arrived: dict[bytes, float] = field(default_factory=dict)
    dead_letters: int = 0

    def missing(self) -> int:
        return len(self.sent) - len(self.arrived)

    def sustained_rate(self) -> float:
        """Articles per second between the 10th and 90th percentile of arrivals (ramp-up and tail left out).

        A small run arrives in a few bursts, which leaves that window empty or near zero; when it spans
        under a tenth of the run, the rate is taken over the whole run (first send to last arrival).
        """
        times = sorted(self.arrived.values())
        if not times:
            return 0.0
        whole = max(1e-3, times[-1] - min(self.sent.values()))
        if len(times) >= 10:
            low, high = times[len(times) // 10], times[(len(times) * 9) // 10]
            if high - low >= whole / 10:
                return ((len(times) * 9) // 10 - len(times) // 10) / (high - low)
        return len(times) / whole

    def latencies(self) -> list[float]:
        return sorted(self.arrived[key] - self.sent[key] for key in self.arrived)


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


async def drive(
    settings: Settings,
    source: str,
    outputs: Sequence[str],
    messages: Sequence[tuple[bytes, bytes]],
    *,
    rate: float | None = None,
    idle_timeout: float = 120.0,
    progress: Callable[[int, int], None] | None = None,
) -> Delivery:
    """Publish ``(key, value)`` messages to ``source`` (at ``rate`` per second, else as fast as possible) and
    wait until each key has arrived on one of ``outputs`` or nothing arrived for ``idle_timeout`` seconds."""
    delivery = Delivery()
    deadletter = settings.topics.deadletter
    watcher = kafka.consumer(settings, *outputs, group_id=None)
    await watcher.start()
    await watcher.seek_to_end(*watcher.assignment())
    for tp in watcher.assignment():
        await watcher.position(tp)  # resolve the end offsets now, before anything is sent
    producer = kafka.producer(settings)
    await producer.start()
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            batch = await watcher.getmany(timeout_ms=200)
            now = time.time()
            for tp, records in batch.items():
                for record in records:
                    if record.key in delivery.sent and record.key not in delivery.arrived:
                        delivery.arrived[record.key] = now
                        delivery.dead_letters += tp.topic == deadletter
            if len(delivery.arrived) == len(messages):
                done.set()

    async def publish() -> None:
        started = time.monotonic()
        acks = []
        for index, (key, value) in enumerate(messages):
            if rate:
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            delivery.sent[key] = time.time()
            acks.append(await producer.send(source, value, key=key))
        await asyncio.gather(*acks)

    watching = asyncio.create_task(watch())
    try:
        await publish()
        last_count, last_change, last_report = -1, time.monotonic(), 0.0
        while not done.is_set():
            await asyncio.sleep(0.2)
            now = time.monotonic()
            if len(delivery.arrived) != last_count:
                last_count, last_change = len(delivery.arrived), now
            elif now - last_change > idle_timeout:
                break
            if progress and now - last_report > 5:
                progress(len(delivery.arrived), len(messages))
                last_report = now
    finally:
        done.set()
        await watching
        await producer.stop()
        await watcher.stop()
    return delivery
