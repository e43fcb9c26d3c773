"""``newsingest bench --offline``: the three transforms in-process, per stage and per corpus, with a profile hint.

Times are CPU seconds of this process (``time.process_time``), so "articles/s on one core" does not
depend on what else the machine runs; each stage is timed through ``run_stage``, as a worker runs it
(validation and provenance included). As in a worker, ``warm_up`` first makes the one-time loads (and
freezes them out of the garbage collector's view); then the first articles warm the caches.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from typing import Any

import orjson

from newsingest.devtools.bench.corpus import Article
from newsingest.runtime.deadletters import Rejected
from newsingest.runtime.messages import decode_raw
from newsingest.runtime.paths import SOURCE_ROOT
from newsingest.stages import STAGE_ORDER, STAGES, run_stage, warm_up

WARM_UP = 20
TOP_FUNCTIONS = 15


def raw_record(article: Article) -> dict[str, Any]:
    """``article`` as the clean stage receives it: decoded from its message, with a fixed ingestion time."""
    record = decode_raw(orjson.dumps(article.record), max_bytes=1 << 30)
    record["ingested_at"] = "2025-01-01T00:00:00.000Z"
    return record


def _chain(record: dict[str, Any], spent: dict[str, float]) -> None:
    for name, stage in STAGES.items():
        started = time.process_time()
        record = run_stage(stage, record, input_checked=not stage.reads_raw)  # as workers take their upstream's records
        spent[name] += time.process_time() - started


def run_offline(articles: list[Article], warm_articles: list[Article], *, profile_articles: int,
                progress: Callable[[str], None]) -> dict[str, Any]:
    """CPU µs per article per stage and articles/s on one core, by corpus; then a profile of the slowest corpus.

    Untimed first: the first :data:`WARM_UP` articles, or ``warm_articles`` when given (other articles, so
    the timed ones meet caches as warm as a long-running worker's).
    """
    warm = warm_articles or articles[:WARM_UP]
    progress(f"offline: warming up on {len(warm)} articles (builds the gazetteer index) …")
    warm_up(STAGE_ORDER[-1], whole_chain=True)  # as each stage's worker does before its first message
    for article in warm:
        try:
            _chain(raw_record(article), dict.fromkeys(STAGES, 0.0))
        except Rejected:
            pass
    spent: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    failures = 0
    report_at = time.monotonic() + 10
    for index, article in enumerate(articles):
        per_stage = spent.setdefault(article.corpus, dict.fromkeys(STAGES, 0.0))
        try:
            _chain(raw_record(article), per_stage)
        except Rejected:
            failures += 1
        counts[article.corpus] = counts.get(article.corpus, 0) + 1
        if time.monotonic() > report_at:
            progress(f"offline: {index + 1}/{len(articles)} articles")
            report_at = time.monotonic() + 10
    rows = []
    for corpus, per_stage in spent.items():
        total = sum(per_stage.values())
        rows.append({
            "corpus": corpus,
            "articles": counts[corpus],
            "us_per_article": {name: round(1e6 * seconds / counts[corpus]) for name, seconds in per_stage.items()},
            "articles_per_second_one_core": round(counts[corpus] / total, 1) if total else None,
        })
    slowest = min(rows, key=lambda r: r["articles_per_second_one_core"] or float("inf"))["corpus"]
    profiled = [a for a in articles if a.corpus == slowest][:profile_articles]
    progress(f"offline: profiling {len(profiled)} {slowest} articles …")
    return {"rows": rows, "rejected": failures, "warmed_on": len(warm_articles),
            "profile": {"corpus": slowest, "articles": len(profiled), "top": profile(profiled)}}


def profile(articles: list[Article]) -> list[dict[str, Any]]:
    """The functions with the most own time over the chain (cProfile), heaviest first."""
    inputs = [raw_record(a) for a in articles]
    profiler = cProfile.Profile()
    profiler.enable()
    for record in inputs:
        try:
            _chain(record, dict.fromkeys(STAGES, 0.0))
        except Rejected:
            pass
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt or 1.0  # type: ignore[attr-defined]
    entries = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:TOP_FUNCTIONS]  # type: ignore[attr-defined]
    top = []
    for (filename, line, function), (_, calls, own, cumulative, _) in entries:
        where = filename.replace(str(SOURCE_ROOT) + "/", "").split("site-packages/")[-1]
        top.append({"function": f"{where}:{line}({function})", "calls": calls, "own_share": round(own / total, 3), "cumulative_share": round(cumulative / total, 3)})
    return top


def print_offline(results: dict[str, Any]) -> None:
    m, offline = results["machine"], results["offline"]
    print(f"newsingest bench --offline — {m['cpu']}, Python {m['python']}, one core (CPU time), load average at start {m['load_average'][0]:.2f}")
    print(f"corpus: {results['corpus']}")
    if offline["warmed_on"]:
        print(f"timed: the first {results['articles']}; the other {offline['warmed_on']} ran first, untimed (caches warm)")
    header = f"{'corpus':8} {'articles':>8} " + " ".join(f"{name + ' µs':>11}" for name in STAGES) + f" {'articles/s (one core)':>22}"
    print(header)
    print("-" * len(header))
    for row in offline["rows"]:
        cells = " ".join(f"{row['us_per_article'][name]:>11}" for name in STAGES)
        print(f"{row['corpus']:8} {row['articles']:>8} {cells} {row['articles_per_second_one_core']:>22}")
    if offline["rejected"]:
        print(f"({offline['rejected']} articles were rejected by a stage and count only up to it)")
    prof = offline["profile"]
    print(f"\nprofile ({prof['articles']} {prof['corpus']} articles, cProfile; share of profiled time):")
    print(f"{'own':>6} {'cum':>6} {'calls':>9}  function")
    for entry in prof["top"]:
        print(f"{entry['own_share']:>6.1%} {entry['cumulative_share']:>6.1%} {entry['calls']:>9}  {entry['function']}")
