"""Benchmark: how fast newsingest runs on Kafka here, next to a bare aiokafka chain in the same run.

Rows: (1) baseline — three bare consume → decode → encode → produce hops (``bench_hop``); (2) the three
real workers with identity transforms (``--identity``: NLP off, everything else on); (3) the three real
workers on real articles (with ``--full-processes``, each transforming in several processes). A baseline
pass first warms the broker, unreported. Each row gets fresh topics, warms up, then takes N articles as
fast as they come (sustained articles/s, CPU per article and peak RSS per process), then a fixed offered
rate for latency.
``--offline`` times the transforms in-process instead (see ``offline``), ``--codecs`` the producer's compression (``codecs``).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import shutil
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from newsingest.devtools.bench.corpus import Article, bench_corpus, keyed_messages
from newsingest.devtools.bench.pipelines import Delivery, StageProcess, drive, percentile, start_process, stop_processes, wait_assigned
from newsingest.ops.broker import free_port, temporary_broker
from newsingest.runtime import kafka
from newsingest.runtime.config import Settings, Topics, settings_env
from newsingest.runtime.worker import KAFKA_THREAD
from newsingest.stages import STAGE_ORDER

WARM_UP_ARTICLES = 20
HOPS = ("hop1", "hop2", "hop3")


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    """Cores, CPU model, Python and load: the context every figure needs."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(), "platform": platform.platform(), "load_average": os.getloadavg()}


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    """``newsingest bench``: print (and with ``--json`` write) the results; see the module docstring."""
    warm = args.warm_articles if args.offline else 0
    articles, corpus_note = bench_corpus(args.articles + warm)
    articles, warm_articles = articles[:args.articles], articles[args.articles:]  # the first n are bench_corpus(n)'s
    say(f"corpus: {corpus_note}")
    results: dict[str, Any] = {"machine": machine(), "corpus": corpus_note, "articles": len(articles)}
    if args.offline:
        from newsingest.devtools.bench.offline import print_offline, run_offline

        results["offline"] = run_offline(articles, warm_articles, profile_articles=args.profile_articles, progress=say)
        print_offline(results)
    elif args.codecs:
        from newsingest.devtools.bench.codecs import print_codecs, run_codecs

        results["codecs"] = run_codecs(articles, progress=say)
        print_codecs(results)
    else:
        with broker(settings) as bootstrap:
            settings = dataclasses.replace(settings, bootstrap_servers=bootstrap, bootstrap_from_env=True)
            results["kafka"] = kafka_description(settings)
            results.update(run_online(settings, articles, args))
        print_online(results)
    results["machine"]["load_average_after"] = os.getloadavg()
    if args.json:
        args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY))
        say(f"results written to {args.json}")
    return 0


@contextmanager
def broker(settings: Settings) -> Iterator[str]:
    """KAFKA_BOOTSTRAP_SERVERS when set, else a fresh local broker on free ports (removed afterwards)."""
    if settings.bootstrap_from_env:
        yield settings.bootstrap_servers
        return
    say(f"starting Apache Kafka {settings.kafka_version} on free local ports …")
    with temporary_broker(settings.home, settings.kafka_version) as local:
        yield local.bootstrap_servers


def kafka_description(settings: Settings) -> str:
    where = "external broker" if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") else f"local KRaft broker {settings.kafka_version}"
    return f"{where} at {settings.bootstrap_servers}, {settings.partitions} partitions, acks=all, idempotent, {settings.compression}, batch {settings.batch_size}"


def row_settings(settings: Settings, run: str, row: str) -> Settings:
    """Fresh topic names and consumer groups for one row."""
    topics = Topics(**{f.name: f"bench{run}.{row}.{f.default}" for f in dataclasses.fields(Topics)})
    return dataclasses.replace(settings, topics=topics, group_prefix=f"bench{run}-{row}")


def run_online(settings: Settings, articles: list[Article], args: argparse.Namespace) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    rows: list[dict[str, Any]] = []
    log_dir = Path(tempfile.mkdtemp(prefix="newsingest-bench-"))
    names = [name.strip() for name in args.rows.split(",") if name.strip()]
    # The broker's JVM compiles its hot paths in the first seconds of load: without this pass the first round's
    # rows ran on a slower broker than the later rounds' (README, Performance).
    say(f"broker warm-up: a baseline pass of {len(articles)} articles, not reported …")
    run_row(row_settings(settings, run, "warm"), "baseline", articles, args, log_dir, latency=False)
    for round_ in range(args.repeat):  # the rows in turn, round after round: a drift of the machine hits them all
        for row in names:
            say(f"row {row}{f' (round {round_ + 1} of {args.repeat})' if args.repeat > 1 else ''}: {len(articles)} articles …")
            processes = args.full_processes if row == "full" else None
            rows.append({**run_row(row_settings(settings, run, f"{row}{round_}"), row, articles, args, log_dir, concurrency=processes),
                         "round": round_})
    scaling = []
    full = next((r for r in rows if r["row"] == "full"), None)  # the first round's
    if args.scale and full:
        slowest = max(full["stages"], key=lambda s: s["cpu_ms_per_article"])["stage"]
        scaling.append({"stage": slowest, "copies": 1, "articles_per_second": full["articles_per_second"]})
        for copies in (2, 3):
            say(f"scaling: {copies} copies of {slowest} …")
            scaled = run_row(row_settings(settings, run, f"scale{copies}"), "full", articles, args, log_dir, copies={slowest: copies}, latency=False)
            scaling.append({"stage": slowest, "copies": copies, "articles_per_second": scaled["articles_per_second"]})
        say(f"scaling: one {slowest} worker in 2 processes …")
        pooled = run_row(row_settings(settings, run, "pool2"), "full", articles, args, log_dir, concurrency={slowest: 2}, latency=False)
        scaling.append({"stage": slowest, "copies": 1, "processes": 2, "articles_per_second": pooled["articles_per_second"]})
    shutil.rmtree(log_dir, ignore_errors=True)
    return {"rows": rows, "scaling": scaling}


def run_row(
    settings: Settings, row: str, articles: list[Article], args: argparse.Namespace, log_dir: Path,
    *, copies: dict[str, int] | None = None, concurrency: dict[str, int] | None = None, latency: bool = True,
) -> dict[str, Any]:
    """Start the row's processes (``copies`` workers of a stage, each transforming in ``concurrency`` processes),
    warm up, measure throughput then latency, stop them."""
    baseline = row == "baseline"
    chain = [f"{settings.topics.raw}", f"{settings.topics.raw}.t1", f"{settings.topics.raw}.t2", settings.topics.events]
    topics = tuple(chain) if baseline else settings.topics.all()
    asyncio.run(kafka.ensure_topics(settings, topics))
    env = settings_env(settings, NEWSINGEST_LOG_LEVEL="warning")
    processes: list[StageProcess] = []
    try:
        if baseline:
            for hop, (source, target) in zip(HOPS, zip(chain, chain[1:]), strict=True):
                processes.append(start_process(hop, ["newsingest.devtools.bench.hop", source, target, f"{settings.group_prefix}-{hop}"], env, log_dir))
        else:
            for stage in STAGE_ORDER:
                for _ in range((copies or {}).get(stage, 1)):
                    port = free_port()
                    command = ["newsingest", "worker", stage, "--metrics-port", str(port), *([] if row == "full" else ["--identity"]),
                               "--concurrency", str((concurrency or {}).get(stage, 1))]
                    processes.append(start_process(stage, command, env, log_dir, port))
            wait_assigned(processes, settings.partitions)
        outputs = (settings.topics.events,) if baseline else (settings.topics.events, settings.topics.deadletter)

        def load(namespace: str, batch: list[tuple[bytes, bytes]], rate: float | None = None) -> Delivery:
            delivery = asyncio.run(drive(settings, chain[0], outputs, batch, rate=rate, progress=lambda done, total: say(f"{row} {namespace}: {done}/{total} through")))
            for proc in processes:
                if proc.process.poll() is not None:
                    raise RuntimeError(proc.failure())
            if delivery.missing():
                say(f"{row} {namespace}: {delivery.missing()} of {len(batch)} messages never came out")
            return delivery

        load("warm-up", keyed_messages(articles[:WARM_UP_ARTICLES], "warm", WARM_UP_ARTICLES))
        before = {id(p): (p.cpu_seconds(), p.thread_cpu_seconds(KAFKA_THREAD)) for p in processes}
        delivery = load("throughput", keyed_messages(articles, "run", len(articles)))
        arrived = max(1, len(delivery.arrived))
        cpu: dict[str, float] = {}
        kafka_cpu: dict[str, float] = {}  # of it, the workers' Kafka threads (the client side of the shell)
        for proc in processes:
            cpu[proc.stage] = cpu.get(proc.stage, 0.0) + proc.cpu_seconds() - before[id(proc)][0]
            kafka_then, kafka_now = before[id(proc)][1], proc.thread_cpu_seconds(KAFKA_THREAD)
            if kafka_then is not None and kafka_now is not None:
                kafka_cpu[proc.stage] = kafka_cpu.get(proc.stage, 0.0) + kafka_now - kafka_then
        result: dict[str, Any] = {
            "row": row,
            "articles": len(articles),
            "arrived": len(delivery.arrived),
            "dead_letters": delivery.dead_letters,
            "articles_per_second": round(delivery.sustained_rate(), 1),
            "stages": [
                {"stage": stage, "copies": sum(p.stage == stage for p in processes), "processes": (concurrency or {}).get(stage, 1),
                 "cpu_ms_per_article": round(1000 * seconds / arrived, 3),
                 "kafka_thread_cpu_ms_per_article": round(1000 * kafka_cpu[stage] / arrived, 3) if stage in kafka_cpu else None}
                for stage, seconds in cpu.items()
            ],
            "latency": [],
        }
        for rate in latency_rates(args.rates, result["articles_per_second"]) if latency else []:
            count = max(10, int(rate * args.latency_seconds))
            say(f"{row}: latency at {rate:.0f} articles/s offered for {count / rate:.0f} s …")
            timed = load(f"latency@{rate:.0f}", keyed_messages(articles, f"lat{rate:.0f}", count), rate)
            ordered = timed.latencies()
            result["latency"].append({
                "offered_per_second": round(rate, 1),
                "arrived": len(ordered),
                "p50_ms": round(1000 * percentile(ordered, 0.50), 1),
                "p95_ms": round(1000 * percentile(ordered, 0.95), 1),
                "p99_ms": round(1000 * percentile(ordered, 0.99), 1),
            })
        peaks = {}
        for proc in processes:
            peaks[proc.stage] = max(peaks.get(proc.stage, 0.0), proc.peak_rss_mb())
        for stage in result["stages"]:
            stage["peak_rss_mb"] = round(peaks[stage["stage"]], 1)
        return result
    finally:
        stop_processes(processes)


def latency_rates(spec: str, max_rate: float) -> list[float]:
    """The offered rates of ``--rates``: ``half`` is 50% of the row's max; rates above 90% of it are skipped."""
    rates = []
    for item in (part.strip() for part in spec.split(",") if part.strip()):
        rate = max_rate / 2 if item == "half" else float(item)
        if 0 < rate <= 0.9 * max_rate and rate not in rates:
            rates.append(rate)
        elif rate > 0.9 * max_rate:
            say(f"skipping latency at {rate:.0f}/s: over 90% of this row's measured max ({max_rate:.0f}/s)")
    return rates


def stage_cells(stage: dict[str, Any]) -> str:
    """"extract 4.31 [0.11] (457)": a stage's CPU per article, of it its Kafka threads', its peak RSS; "×2" after
    the name for two workers, "/3p" for workers transforming in three processes (``--full-processes``)."""
    copies = f"×{stage['copies']}" if stage["copies"] > 1 else ""
    processes = f"/{stage['processes']}p" if stage.get("processes", 1) > 1 else ""
    kafka = stage.get("kafka_thread_cpu_ms_per_article")
    return (f"{stage['stage']}{copies}{processes} {stage['cpu_ms_per_article']:.2f}{f' [{kafka:.2f}]' if kafka is not None else ''}"
            f" ({stage['peak_rss_mb']:.0f})")


ROW_NAMES = {
    "baseline": "(1) baseline: bare aiokafka 3 hops",
    "identity": "(2) pipeline, identity transforms",
    "full": "(3) pipeline, full NLP",
}


def print_online(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(f"newsingest bench — {m['cores']} cores ({m['cpu']}), Python {m['python']}, load average at start {m['load_average'][0]:.2f}")
    print(f"Kafka: {results['kafka']}")
    print(f"corpus: {results['corpus']}")
    pooled = any(stage.get("processes", 1) > 1 for row in results["rows"] for stage in row["stages"])
    header = (f"{'row':38} {'articles/s':>10} {'×base':>6} {'offered/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  "
              f"CPU ms/article [of it the Kafka thread] (peak RSS MB) per stage{' (/Np: in N processes)' if pooled else ''}")
    print(header)
    print("-" * len(header))
    rounds = sorted({row.get("round", 0) for row in results["rows"]})
    for round_ in rounds:
        in_round = [row for row in results["rows"] if row.get("round", 0) == round_]
        if len(rounds) > 1:
            print(f"round {round_ + 1}")
        print_rows(in_round)
    for over, under in (("identity", "baseline"), ("full", "identity")):
        ratios = round_ratios(results["rows"], over, under)
        if ratios and (len(ratios) > 1 or over == "full"):
            median = f" (median {statistics.median(ratios):.2f}×)" if len(ratios) > 1 else ""
            print(f"{over} over {under}: {', '.join(f'{r:.2f}×' for r in ratios)}{median}")
    for entry in results.get("scaling", []):
        processes = f" in {entry['processes']} processes" if entry.get("processes", 1) > 1 else ""
        print(f"scaling: {entry['copies']} × {entry['stage']}{processes}: {entry['articles_per_second']:.0f} articles/s")


def round_ratios(rows: list[dict[str, Any]], over: str, under: str) -> list[float]:
    """The rate of row ``over`` over that of row ``under``, in each round that ran both."""
    rates = {(row.get("round", 0), row["row"]): row["articles_per_second"] for row in rows}
    rounds = sorted({round_ for round_, _ in rates})
    return [rates[r, over] / rates[r, under] for r in rounds if rates.get((r, under)) and (r, over) in rates]


def print_rows(rows: list[dict[str, Any]]) -> None:
    """The table lines of one round's rows; ``×base`` is over that round's baseline."""
    base = next((r["articles_per_second"] for r in rows if r["row"] == "baseline"), None)
    for row in rows:
        ratio = f"{row['articles_per_second'] / base:.2f}" if base else "-"
        stages = ", ".join(stage_cells(s) for s in row["stages"])
        latencies = row["latency"] or [None]
        for index, lat in enumerate(latencies):
            first = index == 0
            cells = f"{lat['offered_per_second']:>9.0f} {lat['p50_ms']:>8.0f} {lat['p95_ms']:>8.0f} {lat['p99_ms']:>8.0f}" if lat else f"{'-':>9} {'-':>8} {'-':>8} {'-':>8}"
            name = ROW_NAMES.get(row["row"], row["row"]) if first else ""
            rate = f"{row['articles_per_second']:>10.0f} {ratio:>6}" if first else f"{'':>10} {'':>6}"
            print(f"{name:38} {rate} {cells}  {stages if first else ''}")
        if row["dead_letters"] or row["arrived"] < row["articles"]:
            print(f"{'':38} ({row['dead_letters']} dead letters; {row['articles'] - row['arrived']} missing)")
