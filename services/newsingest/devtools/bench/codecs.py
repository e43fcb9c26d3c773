"""``newsingest bench --codecs``: what each producer compression costs and saves on the bench's own records.

The producer compresses every record batch it sends, so the codec's CPU is paid by every stage on every
article. This times the very functions aiokafka calls (``aiokafka.codec``, at the levels it uses: lz4 at
level 9, zstd at 3) on batches of the bench corpus's raw messages and of the records the clean stage makes
of them (an inner topic's record: the text and its paragraphs), each batch filled up to the producer's
batch size as the producer fills it, and gives the compressed size beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
from aiokafka import codec

from newsingest.devtools.bench.corpus import Article
from newsingest.devtools.bench.offline import raw_record
from newsingest.runtime.deadletters import Rejected
from newsingest.runtime.kafka import PRODUCER_BATCH_BYTES
from newsingest.stages import STAGES, run_stage, warm_up

Codec = tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]  # compress, decompress
CODECS: dict[str, Codec] = {
    "zstd": (codec.zstd_encode, codec.zstd_decode),
    "lz4": (codec.lz4_encode, codec.lz4_decode),
    "snappy": (codec.snappy_encode, codec.snappy_decode),
    "gzip": (codec.gzip_encode, codec.gzip_decode),
}


def _cleaned(article: Article) -> bytes | None:
    try:
        return orjson.dumps(run_stage(STAGES["clean"], raw_record(article)))
    except Rejected:
        return None


def producer_batches(values: list[bytes], limit: int = PRODUCER_BATCH_BYTES) -> list[bytes]:
    """``values`` joined into batches of at most ``limit`` bytes (a larger value alone), in order."""
    batches: list[bytes] = []
    batch: list[bytes] = []
    size = 0
    for value in values:
        if batch and size + len(value) > limit:
            batches.append(b"".join(batch))
            batch, size = [], 0
        batch.append(value)
        size += len(value)
    if batch:
        batches.append(b"".join(batch))
    return batches


def run_codecs(articles: list[Article], progress: Callable[[str], None]) -> list[dict[str, Any]]:
    """Per record kind and codec: CPU µs per record to compress, µs to decompress, compressed size over raw size."""
    progress(f"codecs: cleaning {len(articles)} articles for the inner-topic records …")
    warm_up("clean")
    kinds = {
        "raw message": [orjson.dumps(article.record) for article in articles],
        "cleaned record": [value for article in articles if (value := _cleaned(article)) is not None],
    }
    rows = []
    for kind, values in kinds.items():
        batches = producer_batches(values)
        size = sum(map(len, batches))
        for name, (encode, decode) in CODECS.items():
            progress(f"codecs: {name} on {len(values)} {kind}s …")
            started = time.process_time()
            compressed = [encode(batch) for batch in batches]
            encode_seconds = time.process_time() - started
            started = time.process_time()
            for batch in compressed:
                decode(batch)
            decode_seconds = time.process_time() - started
            rows.append({
                "records": kind, "codec": name, "count": len(values), "mean_bytes": round(size / len(values)),
                "compress_us": round(1e6 * encode_seconds / len(values), 1), "decompress_us": round(1e6 * decode_seconds / len(values), 1),
                "ratio": round(sum(map(len, compressed)) / size, 3),
            })
    return rows


def print_codecs(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(f"newsingest bench --codecs — {m['cpu']}, Python {m['python']}, one core (CPU time), load average at start {m['load_average'][0]:.2f}")
    print(f"corpus: {results['corpus']}; batches of up to {PRODUCER_BATCH_BYTES // 1024} KiB as the producer sends them, aiokafka's codec functions")
    header = f"{'records':16} {'codec':7} {'mean bytes':>10} {'compress µs':>12} {'decompress µs':>14} {'size':>6}  (per record)"
    print(header)
    print("-" * len(header))
    for row in results["codecs"]:
        print(f"{row['records']:16} {row['codec']:7} {row['mean_bytes']:>10} {row['compress_us']:>12} {row['decompress_us']:>14} {row['ratio']:>6.3f}")
