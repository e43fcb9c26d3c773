"""A real single-node Apache Kafka (KRaft) on 127.0.0.1 for development and tests.

The broker's jars come from Maven Central (``deploy/kafka/pom.xml``), resolved once into
``$NEWSINGEST_HOME/kafka-<version>``; its data lives in ``$NEWSINGEST_HOME/broker-<port>``.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from newsingest.runtime.paths import deploy_dir

HEAP = "512m"


class BrokerError(RuntimeError):
    """The local broker could not be set up or started; the message says what to do."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_pair() -> int:
    """A free port whose successor is free too (a local broker's client and controller ports)."""
    while True:
        port = free_port()
        if port < 65535 and not port_open(port + 1):
            return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass(frozen=True)
class LocalBroker:
    home: Path
    version: str
    port: int = 9092
    # another server.properties template (same placeholders), and extra `StorageTool format` arguments (e.g. --add-scram)
    config_template: Path | None = None
    format_args: tuple[str, ...] = field(default=())

    @property
    def controller_port(self) -> int:
        return self.port + 1

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def jar_dir(self) -> Path:
        return self.home / f"kafka-{self.version}"

    @property
    def data_dir(self) -> Path:
        return self.home / f"broker-{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "broker.log"

    @property
    def _pid_file(self) -> Path:
        return self.data_dir / "broker.pid"

    def ensure_jars(self) -> Path:
        """Resolve the broker's jars with Maven unless they are already cached."""
        if (self.jar_dir / f"kafka_2.13-{self.version}.jar").exists():
            return self.jar_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise BrokerError("Maven (mvn) is not on PATH: install Maven (e.g. `apt-get install maven`) to fetch the Kafka jars")
        print(f"Fetching Apache Kafka {self.version} jars from Maven Central into {self.jar_dir} (first run only)…", file=sys.stderr)
        self.home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="kafka-jars-", dir=self.home))
        command = [mvn, "-B", "-q", "-f", str(deploy_dir() / "kafka" / "pom.xml"), "dependency:copy-dependencies",
                   f"-Dkafka.version={self.version}", f"-DoutputDirectory={staging}", "-DincludeScope=runtime"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise BrokerError(f"Maven could not resolve Kafka {self.version}:\n{(result.stdout + result.stderr)[-3000:]}")
        if self.jar_dir.exists():
            shutil.rmtree(self.jar_dir)
        staging.rename(self.jar_dir)
        return self.jar_dir

    def pid(self) -> int | None:
        """PID of our running broker process, if any."""
        try:
            pid = int(self._pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if b"kafka.Kafka" in cmdline else None

    def is_running(self) -> bool:
        return self.pid() is not None and port_open(self.port)

    def start(self, timeout: float = 120.0) -> None:
        """Start the broker (format its storage the first time) and wait until it accepts connections."""
        if self.is_running():
            return
        if port_open(self.port):
            raise BrokerError(f"port {self.port} is taken by another process; stop it, or use another broker port")
        java = shutil.which("java")
        if java is None:
            raise BrokerError("Java is not on PATH: install a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`)")
        jars = self.ensure_jars()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "server.properties"
        template = Template((self.config_template or deploy_dir() / "kafka" / "server.properties").read_text())
        config.write_text(template.substitute(port=self.port, controller_port=self.controller_port, data_dir=self.data_dir / "data"))
        base = [java, f"-Xmx{HEAP}", f"-Xms{HEAP}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={deploy_dir() / 'kafka' / 'log4j2.properties'}", "-cp", f"{jars}/*"]
        if not (self.data_dir / "data" / "meta.properties").exists():
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            formatted = subprocess.run([*base, "kafka.tools.StorageTool", "format", "--standalone", f"--cluster-id={cluster_id}", "-c", str(config), *self.format_args],
                                       capture_output=True, text=True)
            if formatted.returncode != 0:
                raise BrokerError(f"formatting the broker storage failed:\n{formatted.stdout}{formatted.stderr}")
        with self.log_file.open("ab") as log:
            process = subprocess.Popen([*base, "kafka.Kafka", str(config)], stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self._pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if process.poll() is not None:
                raise BrokerError(f"the Kafka broker exited with code {process.returncode}; last log lines:\n{self._log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerError(f"the Kafka broker did not open port {self.port} within {timeout:.0f}s; log: {self.log_file}")
            time.sleep(0.25)

    def stop(self, timeout: float = 60.0, *, kill: bool = False) -> bool:
        """SIGTERM the broker (SIGKILL with ``kill`` or after ``timeout``); False if it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)
            _reap(pid)
        self._pid_file.unlink(missing_ok=True)
        return True

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _reap(pid: int) -> None:
    """Collect the exit status when the broker is our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


@contextmanager
def temporary_broker(home: Path, version: str, **options: object) -> Iterator[LocalBroker]:
    """A fresh broker on a free pair of ports for one session (tests, benchmarks): stopped and its data removed on exit.

    ``options`` are further ``LocalBroker`` fields (``config_template``, ``format_args``).
    """
    broker = LocalBroker(home, version, port=free_port_pair(), **options)  # type: ignore[arg-type]
    shutil.rmtree(broker.data_dir, ignore_errors=True)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(broker.data_dir, ignore_errors=True)
