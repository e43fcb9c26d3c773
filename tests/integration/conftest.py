"""A real Apache Kafka broker for the session, and the three stage workers as subprocesses.

The broker runs on 127.0.0.1:19092 (data wiped at start) unless NEWSINGEST_TEST_BOOTSTRAP names
another one. Every test gets topics and consumer groups of its own, so tests do not see each other.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from newsingest.broker import LocalBroker
from newsingest.config import Settings, Topics, load_settings
from newsingest.stages import STAGE_ORDER

TEST_BROKER_PORT = 19092


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
    broker = LocalBroker(load_settings().home, load_settings().kafka_version, port=TEST_BROKER_PORT)
    broker.stop(kill=True)
    shutil.rmtree(broker.data_dir, ignore_errors=True)
    broker.start()
    try:
        yield broker.bootstrap_servers
    finally:
        broker.stop()


@pytest.fixture
def settings(bootstrap: str) -> Settings:
    """Settings with this test's own topics and groups."""
    run = uuid.uuid4().hex[:8]
    topics = Topics(**{f.name: f"t{run}.{f.default}" for f in dataclasses.fields(Topics)})
    return dataclasses.replace(load_settings(), bootstrap_servers=bootstrap, bootstrap_from_env=True, topics=topics, group_prefix=f"g{run}")


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment variables that make a worker process use ``settings``."""
    t = settings.topics
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "NEWSINGEST_TOPIC_RAW": t.raw,
        "NEWSINGEST_TOPIC_CLEANED": t.cleaned,
        "NEWSINGEST_TOPIC_EXTRACTED": t.extracted,
        "NEWSINGEST_TOPIC_EVENTS": t.events,
        "NEWSINGEST_TOPIC_DEADLETTER": t.deadletter,
        "NEWSINGEST_GROUP_PREFIX": settings.group_prefix,
        "NEWSINGEST_MAX_MESSAGE_BYTES": str(settings.max_message_bytes),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@pytest.fixture
def workers(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, WorkerProcess]]:
    """The three stage workers, running; stopped with SIGTERM afterwards (and must exit cleanly)."""
    running = {stage: start_worker(settings, stage, tmp_path_factory) for stage in STAGE_ORDER}
    try:
        yield running
    finally:
        codes = {stage: stop_worker(worker) for stage, worker in running.items()}
        assert codes == dict.fromkeys(STAGE_ORDER, 0), f"workers did not stop cleanly: {codes}"
