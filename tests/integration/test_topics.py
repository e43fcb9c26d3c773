"""Topic creation on a real broker: ``kafka.ensure_topics`` returns once the new topics can be read."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from newsingest.runtime import kafka
from newsingest.runtime.config import Settings


async def _create_then_read(settings: Settings) -> tuple[list[dict], dict[TopicPartition, int]]:
    await kafka.ensure_topics(settings)
    admin = AIOKafkaAdminClient(**kafka.client_options(settings))
    await admin.start()
    try:
        described = await admin.describe_topics(list(settings.topics.all()))
    finally:
        await admin.close()
    consumer = kafka.consumer(settings, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(settings.topics.raw, p) for p in range(settings.partitions)]
        consumer.assign(partitions)
        return described, await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()


def test_new_topics_have_their_leaders_when_ensure_topics_returns(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="aiokafka"):
        described, ends = asyncio.run(_create_then_read(settings))
    assert sorted(topic["topic"] for topic in described) == sorted(settings.topics.all())
    for topic in described:
        assert topic["error_code"] == 0 and len(topic["partitions"]) == settings.partitions
        assert all(partition["leader"] >= 0 for partition in topic["partitions"]), topic
    assert set(ends.values()) == {0}  # fresh topics, read at once
    assert not [record.getMessage() for record in caplog.records if record.name.startswith("aiokafka")]
