"""``newsingest up``: the whole pipeline on one machine — broker, topics, three workers, optional demo."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

from newsingest.ops import publish, tail
from newsingest.ops.broker import LocalBroker
from newsingest.ops.sources import iter_messages
from newsingest.runtime import kafka
from newsingest.runtime.config import DEFAULT_METRICS_PORTS, Settings
from newsingest.runtime.paths import DEMO_DIR, deploy_dir
from newsingest.stages import STAGE_ORDER


def say(text: str) -> None:
    print(f"newsingest: {text}", file=sys.stderr, flush=True)


def metrics_ports(settings: Settings) -> dict[str, int]:
    """Metrics port of each stage: the defaults, any free port for 0, else consecutive ports from the one set."""
    if settings.metrics_port is None:
        return dict(DEFAULT_METRICS_PORTS)
    return {stage: settings.metrics_port and settings.metrics_port + index for index, stage in enumerate(STAGE_ORDER)}


def metrics_locations(settings: Settings) -> list[str]:
    """Where a local user finds the workers' metrics, and the Prometheus and Grafana configuration."""
    host = "127.0.0.1" if settings.metrics_host in {"0.0.0.0", "::", ""} else settings.metrics_host
    ports = metrics_ports(settings)
    if all(ports.values()):
        where = ", ".join(f"{stage} http://{host}:{port}/metrics" for stage, port in ports.items())
    else:
        where = "on free ports (each worker's metrics_serving log line names its port)"
    deploy = deploy_dir()
    return [
        f"metrics: {where}; health at /healthz",
        f"Prometheus scrape config and alert rules: {deploy / 'prometheus'} (point its targets at the ports above);"
        f" Grafana dashboard: {deploy / 'grafana'}; `docker compose up` runs the whole stack with both (:9090, :3000)",
    ]


def start_workers(settings: Settings) -> list[subprocess.Popen[bytes]]:
    """One process per stage, each its own consumer group member, sharing this process's environment."""
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers}
    return [
        subprocess.Popen([sys.executable, "-m", "newsingest", "worker", stage, "--metrics-port", str(port)], env=env, start_new_session=True)
        for stage, port in metrics_ports(settings).items()
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]], timeout: float = 30.0) -> None:
    """SIGTERM every worker (they finish their batch and commit), SIGKILL any that hang."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_up(settings: Settings, *, demo: bool, paths: Sequence[str]) -> int:
    """Start what is needed, publish ``paths`` (and the demo articles), print sink records until Ctrl-C."""
    broker = None
    if not settings.bootstrap_from_env:
        broker = LocalBroker(settings.home, settings.kafka_version)
        if not broker.is_running():
            say(f"starting Apache Kafka {settings.kafka_version} (KRaft) on {broker.bootstrap_servers} …")
            broker.start()
        else:
            broker = None  # someone else's broker: leave it running on exit
    workers: list[subprocess.Popen[bytes]] = []
    try:
        asyncio.run(kafka.ensure_topics(settings))
        workers = start_workers(settings)
        say("workers running; Ctrl-C stops everything this command started")
        for line in metrics_locations(settings):
            say(line)
        inputs = [*([str(DEMO_DIR)] if demo else []), *paths]
        asyncio.run(_publish_and_follow(settings, inputs))
    except KeyboardInterrupt:
        pass
    finally:
        say("stopping workers …")
        stop_workers(workers)
        if broker is not None:
            say("stopping the Kafka broker …")
            broker.stop()
    return 0


async def _publish_and_follow(settings: Settings, inputs: list[str]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGINT, stop.set)
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    ready = asyncio.Event()
    follower = asyncio.create_task(
        tail.tail(
            settings,
            settings.topics.events,
            on_record=lambda value: print(tail.summary_line(value), flush=True),
            from_beginning=False,
            stop=stop,
            ready=ready,
        )
    )
    await asyncio.wait({follower, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
    if follower.done():  # it could not start: surface its error
        follower.result()
        return
    if inputs:
        count = await publish.publish(settings, iter_messages(inputs))
        say(f"published {count} articles to {settings.topics.raw}; sink records follow")
    await follower
