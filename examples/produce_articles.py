"""A minimal newsroom producer: publish articles from JSON lines to newsingest's raw topic.

Needs only aiokafka (``pip install aiokafka``). Each line is one article, e.g.
``{"id": "wire-123", "title": "…", "body": "…", "url": "…", "published_at": "2025-03-01T08:00:00Z"}``.
The key is the article id, so an article's versions stay on one partition in order, and a W3C
``traceparent`` header starts a trace that newsingest carries to every topic the article reaches.

    python examples/produce_articles.py --bootstrap 127.0.0.1:9092 articles.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys

from aiokafka import AIOKafkaProducer


def traceparent() -> str:
    """A new W3C trace context: version, trace id, span id, sampled flag."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


async def produce(bootstrap: str, topic: str, lines: list[str]) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        pending = []
        for line in filter(str.strip, lines):
            article = json.loads(line)
            key = str(article["id"]).encode() if article.get("id") else None
            headers = [("traceparent", traceparent().encode()), ("content-type", b"application/json")]
            pending.append(await producer.send(topic, json.dumps(article, ensure_ascii=False).encode(), key=key, headers=headers))
        await asyncio.gather(*pending)  # every article acknowledged by the broker
        return len(pending)
    finally:
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=["-"], help="JSON lines files (default: standard input)")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--topic", default="news.articles.raw", help="newsingest's raw topic")
    args = parser.parse_args()
    lines = [line for name in args.files for line in (sys.stdin if name == "-" else open(name, encoding="utf-8"))]
    count = asyncio.run(produce(args.bootstrap, args.topic, lines))
    print(f"published {count} articles to {args.topic}", file=sys.stderr)


if __name__ == "__main__":
    main()
