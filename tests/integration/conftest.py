"""A real Apache Kafka broker for the session, and the three stage workers as subprocesses.

The broker runs on a free pair of 127.0.0.1 ports with fresh data (removed at the end), so several
test sessions can run side by side, unless NEWSINGEST_TEST_BOOTSTRAP names a broker to use instead.
Every test gets topics and consumer groups of its own, so tests do not see each other.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from newsingest.ops.broker import free_port, temporary_broker
from newsingest.runtime.config import Settings, Topics, load_settings, settings_env
from newsingest.stages import STAGE_ORDER


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in item.nodeid:
            item.add_marker(pytest.mark.broker)


@pytest.fixture(scope="session")
def bootstrap() -> Iterator[str]:
    """Bootstrap servers of a real broker: started for the session, stopped at its end."""
    external = os.environ.get("NEWSINGEST_TEST_BOOTSTRAP")
    if external:
        yield external
        return
    with temporary_broker(load_settings().home, load_settings().kafka_version) as broker:
        yield broker.bootstrap_servers


@pytest.fixture
def settings(bootstrap: str) -> Settings:
    """Settings with this test's own topics and groups."""
    run = uuid.uuid4().hex[:8]
    topics = Topics(**{f.name: f"t{run}.{f.default}" for f in dataclasses.fields(Topics)})
    return dataclasses.replace(load_settings(), bootstrap_servers=bootstrap, bootstrap_from_env=True, topics=topics, group_prefix=f"g{run}")


@dataclass
class WorkerProcess:
    stage: str
    port: int
    process: subprocess.Popen[bytes]
    log: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def alive(self) -> bool:
        return self.process.poll() is None


def start_worker(settings: Settings, stage: str, tmp_path_factory: pytest.TempPathFactory) -> WorkerProcess:
    port = free_port()
    log_path = tmp_path_factory.mktemp(stage) / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsingest", "worker", stage, "--metrics-port", str(port)],
        env=settings_env(settings), stdout=log_path.open("wb"), stderr=subprocess.STDOUT,
    )
    worker = WorkerProcess(stage, port, process, [str(log_path)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not worker.alive():
            raise AssertionError(f"{stage} worker exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if worker.get("/healthz")[0] == 200:
                return worker
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{stage} worker never became healthy:\n{log_path.read_text()[-3000:]}")


def stop_worker(worker: WorkerProcess, timeout: float = 30) -> int:
    if worker.alive():
        worker.process.terminate()
    return worker.process.wait(timeout)


def start_pipeline(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, WorkerProcess]:
    """One running worker per stage."""
    return {stage: start_worker(settings, stage, tmp_path_factory) for stage in STAGE_ORDER}


def stop_pipeline(running: dict[str, WorkerProcess]) -> dict[str, int]:
    """SIGTERM every worker still alive; each stage's exit code."""
    return {stage: stop_worker(worker) for stage, worker in running.items()}


@pytest.fixture
def workers(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, WorkerProcess]]:
    """The three stage workers, running; stopped with SIGTERM afterwards (and must exit cleanly)."""
    running = start_pipeline(settings, tmp_path_factory)
    try:
        yield running
    finally:
        codes = stop_pipeline(running)
        assert codes == dict.fromkeys(STAGE_ORDER, 0), f"workers did not stop cleanly: {codes}"
