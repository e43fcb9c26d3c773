"""The ``newsingest`` command: process | worker | config | broker | up | publish | tail | eval | bench | replay.

Each command imports what it runs when it runs, so ``tail`` or ``publish`` load no NLP."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import orjson

from newsingest import __version__
from newsingest.runtime.config import Settings, load_settings, markdown_table, variables
from newsingest.runtime.contracts import check_available
from newsingest.runtime.deadletters import DeadLetterReason
from newsingest.runtime.logs import configure_logging
from newsingest.stages import STAGE_ORDER


def _cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.sources import iter_messages
    from newsingest.pipeline import process_all

    ok = failed = 0
    out, err = sys.stdout.buffer, sys.stderr.buffer
    source = args.paths[0] if len(args.paths) == 1 else "process"
    for success, record in process_all(
        iter_messages(args.paths), source=source, max_bytes=settings.max_message_bytes, max_text_chars=settings.max_text_chars,
        time_limit=settings.message_time_limit,
    ):
        (out if success else err).write(orjson.dumps(record) + b"\n")
        ok, failed = ok + success, failed + (not success)
    out.flush()
    print(f"newsingest process: {ok} records, {failed} dead letters" + (" (JSON lines on stderr)" if failed else ""), file=sys.stderr)
    return 1 if failed else 0


def _cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.markdown:
        print(markdown_table(), end="")
        return 0
    for variable in variables():
        value = variable.read()
        shown = "(set, hidden)" if variable.secret and value else value
        print(f"{variable.name}={'' if shown is None else shown}")
    return 0


def _cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.runtime.worker import run_worker

    if args.concurrency is not None:
        settings = dataclasses.replace(settings, concurrency=args.concurrency)
    run_worker(args.stage, settings, metrics_port=args.metrics_port, identity=args.identity)
    return 0


def _cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.broker import BrokerError, LocalBroker

    broker = LocalBroker(settings.home, settings.kafka_version, port=args.port)
    try:
        if args.action == "start":
            broker.start()
            print(f"Kafka {settings.kafka_version} running on {broker.bootstrap_servers} (pid {broker.pid()}, data {broker.data_dir})")
        elif args.action == "stop":
            print("stopped" if broker.stop() else "not running")
        else:
            running = broker.is_running()
            print(f"{'running' if running else 'stopped'}: {broker.bootstrap_servers} pid={broker.pid()} data={broker.data_dir}")
            return 0 if running else 3
    except BrokerError as exc:
        print(f"newsingest broker {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def _cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.up import run_up

    return run_up(settings, demo=args.demo, paths=args.paths)


def _positive_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate: give a number of messages per second above 0, e.g. --rate 50")
    return value


def _processes(text: str, example: str = "--concurrency 2") -> int:
    """``--concurrency``: a whole number within ``NEWSINGEST_CONCURRENCY``'s range."""
    variable = next(v for v in variables() if v.name == "NEWSINGEST_CONCURRENCY")
    value = int(text) if text.strip().isdigit() else 0
    if not variable.low <= value <= variable.high:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes from {variable.low:g} to {variable.high:g}, e.g. {example}")
    return value


def _stage_processes(text: str) -> dict[str, int]:
    """``bench --full-processes``: ``N`` for every stage, or ``stage=N`` pairs (``extract=4,enrich=3``)."""
    example = "--full-processes extract=2"
    if "=" not in text:
        return dict.fromkeys(STAGE_ORDER, _processes(text, example))
    chosen: dict[str, int] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        stage, _, count = (part.strip() for part in pair.partition("="))
        if stage not in STAGE_ORDER:
            raise argparse.ArgumentTypeError(f"{stage!r} is not a stage: give {', '.join(STAGE_ORDER)}, e.g. {example}")
        chosen[stage] = _processes(count, example)
    return chosen


def _rounds(text: str) -> int:
    """``bench --repeat``: a whole number of rounds, 1 or more."""
    value = int(text) if text.strip().isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of rounds, 1 or more, e.g. --repeat 3")
    return value


def _cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.publish import publish
    from newsingest.ops.sources import iter_messages

    count = asyncio.run(publish(settings, iter_messages(args.paths), topic=args.topic, progress=not args.quiet, rate=args.rate))
    print(f"published {count} messages to {args.topic or settings.topics.raw}", file=sys.stderr)
    return 0


def _cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.tail import summary_line, tail

    def show(value: bytes) -> None:
        sys.stdout.write((summary_line(value) if args.summary else value.decode("utf-8", "replace")) + "\n")
        sys.stdout.flush()

    topic = args.topic or settings.topics.events
    try:
        asyncio.run(tail(settings, topic, on_record=show, limit=args.max, idle_timeout=args.timeout, from_beginning=not args.new))
    except KeyboardInterrupt:
        pass
    return 0


# `newsingest eval NAME`: each benchmark module defines add_arguments(parser) and main(args) -> exit code.
# Benchmark: (module, one-line help); a module is imported only when its benchmark runs.
EVALUATIONS = {
    "geoparsing": ("newsingest.devtools.eval.geoparse", "Geoparsing on LGL-style corpora: toponym recognition and resolution, scored against gold spans and coordinates."),
    "topics": ("newsingest.devtools.eval.topics", "Topic accuracy on the BBC News corpus: its five folders are the gold labels, mapped to IPTC Media Topics."),
    "extraction": ("newsingest.devtools.eval.extraction", "Main-text extraction from whole pages: the clean stage beside trafilatura, on the same pages in one run."),
    "ner": ("newsingest.devtools.eval.ner", "Named entities on CoNLL/IOB files: entity-level exact-match precision, recall and F1 per type (PER/LOC/ORG)."),
}


def _cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.devtools.bench.run import run_bench

    if args.scale and args.full_processes:
        print("newsingest bench: --scale sets the process counts of its own rows; run it without --full-processes", file=sys.stderr)
        return 2
    return run_bench(args, settings)


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    return int(importlib.import_module(EVALUATIONS[args.benchmark][0]).main(args))


def _cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from newsingest.ops.replay import replay
    from newsingest.ops.tail import summary_line

    def show(dead: dict[str, object]) -> None:
        print(summary_line(orjson.dumps(dead)), file=sys.stderr)

    counts = asyncio.run(replay(settings, reasons=args.reason, stages=args.stage, dry_run=args.dry_run, on_dead_letter=show))
    done = ", ".join(f"{n} to {topic}" for topic, n in sorted(counts.items())) or "none matched"
    print(f"{'would replay' if args.dry_run else 'replayed'} dead letters from {settings.topics.deadletter}: {done}", file=sys.stderr)
    return 0


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line; ``argv`` tells which benchmark's options ``eval`` needs."""
    parser = argparse.ArgumentParser(prog="newsingest", description="Streaming news ingest: clean → extract → enrich on Kafka.")
    parser.add_argument("--version", action="version", version=f"newsingest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    process = commands.add_parser("process", help="run the three stages in-process (no broker): files or stdin → JSON lines")
    process.add_argument("paths", nargs="*", default=["-"], metavar="PATH", help=".jsonl/.json/.txt/.html files or folders; - for stdin (default)")
    process.set_defaults(run=_cmd_process)

    worker = commands.add_parser("worker", help="run one stage as a Kafka stream processor")
    worker.add_argument("stage", choices=STAGE_ORDER)
    worker.add_argument("--metrics-port", type=int, default=None, help="port of /metrics and /healthz (default 9101/9102/9103 by stage; 0 = any free port)")
    worker.add_argument("--concurrency", type=_processes, default=None, metavar="N",
                        help="transform in N processes (default NEWSINGEST_CONCURRENCY, 1); outputs keep the input's order")
    worker.add_argument("--identity", action="store_true", help="NLP switched off: pass records through, still validated and produced (for benchmarks)")
    worker.set_defaults(run=_cmd_worker)

    config = commands.add_parser("config", help="print the settings in force, one VARIABLE=value per line (secrets hidden)")
    config.add_argument("--markdown", action="store_true", help="the README's Configuration table, from the declarations in runtime/config.py")
    config.set_defaults(run=_cmd_config)

    broker = commands.add_parser("broker", help="start, stop or check the local Apache Kafka broker (KRaft, 127.0.0.1)")
    broker.add_argument("action", choices=("start", "stop", "status"))
    broker.add_argument("--port", type=int, default=9092, help="client port (the controller uses PORT+1); default 9092")
    broker.set_defaults(run=_cmd_broker)

    up = commands.add_parser("up", help="broker (unless KAFKA_BOOTSTRAP_SERVERS is set) + topics + three workers; Ctrl-C stops all")
    up.add_argument("--demo", action="store_true", help="publish the bundled sample articles and print sink records as they arrive")
    up.add_argument("paths", nargs="*", metavar="PATH", help="also publish these files or folders")
    up.set_defaults(run=_cmd_up)

    publish = commands.add_parser("publish", help="publish articles (files, folders, JSON lines) to the raw topic")
    publish.add_argument("paths", nargs="+", metavar="PATH", help=".jsonl/.json/.txt/.html files or folders; - for stdin")
    publish.add_argument("--topic", default=None, help="topic to publish to (default: the raw topic)")
    publish.add_argument("--quiet", action="store_true", help="no progress bar")
    publish.add_argument("--rate", type=_positive_rate, default=None, metavar="N", help="send N messages per second (default: as fast as the broker takes them)")
    publish.set_defaults(run=_cmd_publish)

    tail = commands.add_parser("tail", help="print the records of a topic (default: the sink) as JSON lines")
    tail.add_argument("topic", nargs="?", default=None, help="topic name (default news.events)")
    tail.add_argument("--max", type=int, default=None, help="stop after N records")
    tail.add_argument("--timeout", type=float, default=None, help="stop after this many seconds without a record")
    tail.add_argument("--new", action="store_true", help="only records that arrive from now on")
    tail.add_argument("--summary", action="store_true", help="one readable line per record instead of JSON")
    tail.set_defaults(run=_cmd_tail)
    evaluate = commands.add_parser("eval", help="score a stage on a public benchmark (reads ../shared/eval by default)")
    benchmarks = evaluate.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    chosen = argv[1] if len(argv) > 1 and argv[0] == "eval" else None
    for name, (module, summary) in EVALUATIONS.items():
        benchmark = benchmarks.add_parser(name, help=summary)
        if name == chosen:  # only the benchmark that runs is imported
            importlib.import_module(module).add_arguments(benchmark)
        benchmark.set_defaults(run=_cmd_eval)

    bench = commands.add_parser("bench", help="throughput, latency, CPU and memory on a real broker, beside a bare aiokafka baseline")
    bench.add_argument("--articles", "-n", type=int, default=5000, help="articles per row (default 5000)")
    bench.add_argument("--rates", default="half,50", help="offered rates of the latency runs: numbers and/or 'half' (of the row's max); default half,50")
    bench.add_argument("--latency-seconds", type=float, default=10.0, help="length of each fixed-rate latency run (default 10)")
    bench.add_argument("--rows", default="baseline,identity,full", help="rows to run, comma-separated (default all three)")
    bench.add_argument("--repeat", type=_rounds, default=1, metavar="K",
                       help="run the rows K times in turn and print each round's ratios and their median (machines drift between runs)")
    bench.add_argument("--scale", action="store_true", help="also measure 2 and 3 copies of the slowest stage, and one worker of it in 2 processes")
    bench.add_argument("--full-processes", type=_stage_processes, default={}, metavar="N|STAGE=N,…",
                       help="the full row's workers each transform in N processes (--concurrency), for machines with more cores "
                            "than the stages; identity rows keep one (their transform costs nothing a pool could share)")
    bench.add_argument("--offline", action="store_true", help="no broker: time the transforms in-process (one core, µs per stage, profile)")
    bench.add_argument("--codecs", action="store_true", help="no broker: CPU and size of each producer compression on the bench's records")
    bench.add_argument("--profile-articles", type=int, default=300, help="articles profiled with --offline (default 300)")
    bench.add_argument("--warm-articles", type=int, default=0, metavar="K",
                       help="with --offline: first run K other articles of the same corpora, untimed, so the timed ones meet caches "
                            "as warm as a long-running worker's (default 0: the timed articles fill them)")
    bench.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the results as JSON")
    bench.set_defaults(run=_cmd_bench)
    replay = commands.add_parser("replay", help="re-publish dead letters (e.g. after a fix) to the topic each came from")
    replay.add_argument("--reason", action="append", default=[], choices=get_args(DeadLetterReason),
                        help="only dead letters with this reason (repeatable)")
    replay.add_argument("--stage", action="append", default=[], choices=STAGE_ORDER, help="only those of this stage (repeatable)")
    replay.add_argument("--dry-run", action="store_true", help="list what would be replayed; publish nothing")
    replay.set_defaults(run=_cmd_replay)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level)
    if args.command in ("process", "worker", "up"):
        check_available()
    return int(args.run(args, settings))
