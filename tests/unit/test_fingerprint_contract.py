"""The fingerprint records enrich writes to its state topic satisfy ``schemas/fingerprint.schema.json``,
and a worker loading the topic indexes records that do and skips those that do not."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from aiokafka.structs import ConsumerRecord

from newsingest.ops.sources import iter_messages
from newsingest.pipeline import process_all
from newsingest.runtime.config import Settings
from newsingest.runtime.contracts import SchemaViolation, validate
from newsingest.runtime.paths import DEMO_DIR
from newsingest.runtime.stream_state import DedupState


def _record(offset: int, key: str, value: dict[str, Any]) -> ConsumerRecord:
    value_bytes = orjson.dumps(value)
    return ConsumerRecord("news.enrich.fingerprints", 0, offset, 0, 0, key.encode(), value_bytes, None, len(key), len(value_bytes), [])


@pytest.fixture(scope="module")
def written() -> list[tuple[str, dict[str, Any]]]:
    """(key, value) of the fingerprints an enrich worker writes for the demo articles, decoded as a reader sees them."""
    results = list(process_all(iter_messages([str(DEMO_DIR)]), source="demo", max_bytes=2 * 1024 * 1024))
    assert results and all(ok for ok, _ in results)
    state = DedupState(Settings())
    for _, event in results:
        state.mark(event)
    assert len(state._pending) == len(results), "the demo articles are distinct stories: each is first seen"
    return [(article_id, orjson.loads(orjson.dumps(print_.as_json()))) for article_id, print_ in state._pending]


def test_every_fingerprint_enrich_writes_satisfies_the_contract(written: list[tuple[str, dict[str, Any]]]) -> None:
    for article_id, value in written:
        validate("fingerprint", value)
        assert value["names"], f"{article_id}: the demo articles name people and places"


def test_a_worker_indexes_valid_fingerprints_and_skips_broken_ones(written: list[tuple[str, dict[str, Any]]]) -> None:
    (key, value), *_ = written
    broken = {**value, "sketch": "AAAA"}  # 3 bytes, not one whole 32-bit value: from_json alone would index an empty sketch
    with pytest.raises(SchemaViolation, match="sketch"):
        validate("fingerprint", broken)
    state = DedupState(Settings())
    state._load(_record(0, "broken", broken))
    state._load(_record(1, key, value))
    assert key in state.index and "broken" not in state.index and len(state.index) == 1
