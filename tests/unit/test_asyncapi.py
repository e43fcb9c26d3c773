"""``schemas/asyncapi.yaml`` is a valid AsyncAPI 3.0 document (the official parser, run with node) and agrees with the code.

The parser resolves every payload's ``$ref`` into ``schemas/*.schema.json`` (and their ``urn:`` references
between each other), so a payload id below proves the reference resolved to that contract.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsingest import __version__
from newsingest.runtime import cloudevents
from newsingest.runtime.config import MAX_RECORD_BYTES, Settings, Topics
from newsingest.runtime.contracts import SCHEMA_NAMES
from newsingest.runtime.stream_state import TOPIC_CONFIGS
from newsingest.stages import STAGE_ORDER
from tests.paths import REPO_ROOT

from .node_checks import run_node

DOCUMENT = REPO_ROOT / "schemas" / "asyncapi.yaml"
TOPIC_OF_SCHEMA = {
    "raw": "raw", "cleaned": "cleaned", "extracted": "extracted", "event": "events", "deadletter": "deadletter", "fingerprint": "fingerprints",
}


def every_topic(topics: Topics) -> set[str]:
    """Every topic the code names: the pipeline's (``Topics.all()``) and enrich's fingerprint state topic."""
    return {getattr(topics, field.name) for field in dataclasses.fields(topics)}


@pytest.fixture(scope="module")
def parsed() -> dict[str, Any]:
    result = run_node("asyncapi.mjs", str(DOCUMENT))
    assert result.returncode == 0, f"the AsyncAPI parser rejects {DOCUMENT}:\n{result.stderr}"
    return json.loads(result.stdout)


def messages_by_address(parsed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for channel in parsed["channels"]:
        (message,) = channel["messages"]
        found[channel["address"]] = message
    return found


def test_the_document_is_asyncapi_3_of_this_release(parsed: dict[str, Any]) -> None:
    assert parsed["version"].startswith("3.0")
    assert yaml.safe_load(DOCUMENT.read_text())["info"]["version"] == __version__


def test_every_topic_the_code_uses_is_a_channel_with_its_contract(parsed: dict[str, Any]) -> None:
    topics = Settings().topics
    messages = messages_by_address(parsed)
    assert set(messages) == every_topic(topics)
    for name in SCHEMA_NAMES:
        message = messages[getattr(topics, TOPIC_OF_SCHEMA[name])]
        assert message["payloadId"] == f"urn:newsingest:schema:{name}", message
        assert message["unresolvedRefs"] == 0, f"{name}: the payload still holds $ref after parsing"
        contract = json.loads((REPO_ROOT / "schemas" / f"{name}.schema.json").read_text())
        assert set(contract.get("required", [])) <= set(message["payloadRequired"])
    assert {channel["partitions"] for channel in parsed["channels"]} == {Settings().partitions}


def test_topic_configurations_are_the_ones_newsingest_creates_topics_with(parsed: dict[str, Any]) -> None:
    """Every topic gets the record size limit (kafka.ensure_topics); the fingerprint topic is also compacted and pruned (dedup_state)."""
    fingerprints = Settings().topics.fingerprints
    state = {
        "cleanup.policy": TOPIC_CONFIGS["cleanup.policy"].split(","),
        **{name: int(value) for name, value in TOPIC_CONFIGS.items() if name != "cleanup.policy"},
    }
    for channel in parsed["channels"]:
        expected = {"max.message.bytes": MAX_RECORD_BYTES, **(state if channel["address"] == fingerprints else {})}
        assert channel["topicConfiguration"] == expected, channel["address"]


def test_every_stage_reads_in_its_consumer_group_and_writes_its_output(parsed: dict[str, Any]) -> None:
    settings = Settings()
    receives = {(op["channel"][0], op["groupId"]) for op in parsed["operations"] if op["action"] == "receive"}
    sends = {op["channel"][0] for op in parsed["operations"] if op["action"] == "send"}
    for stage in STAGE_ORDER:
        assert (settings.topics.input_of(stage), settings.group_id(stage)) in receives, stage
        assert settings.topics.output_of(stage) in sends, stage
    assert {settings.topics.raw, settings.topics.deadletter} <= sends
    assert (settings.topics.events, None) in receives, "a subscriber's operation on the sink"
    # enrich writes first-seen articles' fingerprints and reads the whole topic back outside any consumer group
    assert settings.topics.fingerprints in sends and (settings.topics.fingerprints, None) in receives


def test_headers_are_the_ones_the_workers_write(parsed: dict[str, Any]) -> None:
    topics = Settings().topics
    document = yaml.safe_load(DOCUMENT.read_text())
    components = document["components"]["messages"]
    for address, message in messages_by_address(parsed).items():
        if address == topics.raw:
            assert message["headersRequired"] == [], "newsroom producers need not send headers"
            continue
        if address == topics.fingerprints:
            assert message["key"] == "string" and not message["hasHeaders"], "enrich writes fingerprints keyed by article id, without headers"
            continue
        assert message["key"] == "string" or address == topics.deadletter
        assert sorted(message["headersRequired"]) == sorted(cloudevents.REQUIRED_HEADERS), address
        payload_ref = components[message["id"]]["payload"]["schema"]["$ref"]
        schema_const = json.loads((DOCUMENT.parent / payload_ref).read_text())["properties"]["schema"]["const"]
        ce_type = components[message["id"]]["headers"]["allOf"][1]["properties"]["ce_type"]["const"]
        assert ce_type == cloudevents.event_type(schema_const), address


def test_the_parser_rejects_a_broken_document(tmp_path: Path) -> None:
    """The check can fail: an operation with an action AsyncAPI 3 does not have is an error."""
    for path in (REPO_ROOT / "schemas").glob("*.schema.json"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "asyncapi.yaml"
    broken.write_text(DOCUMENT.read_text().replace("action: send", "action: publish", 1))
    result = run_node("asyncapi.mjs", str(broken))
    assert result.returncode == 1 and "operations/publishArticle" in result.stderr, result.stderr
