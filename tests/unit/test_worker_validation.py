"""A worker validates every record it sends, and a record it reads unless its headers show that the
previous stage sent it (and so validated it against this contract already)."""

from __future__ import annotations

import orjson
from aiokafka import ConsumerRecord

from newsingest.runtime import cloudevents
from newsingest.runtime.config import Settings
from newsingest.runtime.worker import Outcome, StageWorker
from newsingest.stages import IDENTITY_STAGES


def _message(topic: str, value: bytes, headers: list[tuple[str, bytes]]) -> ConsumerRecord:
    return ConsumerRecord(topic, 0, 7, 0, 0, b"a1", value, None, 2, len(value), headers)


def _cleaned(settings: Settings) -> Outcome:
    clean = StageWorker(IDENTITY_STAGES["clean"], settings)
    outcome = clean.handle(_message(settings.topics.raw, orjson.dumps({"id": "a1", "body": "Ministers met."}), []))
    assert outcome.reason is None and outcome.topic == settings.topics.cleaned
    return outcome


def test_a_record_of_the_previous_stage_is_not_validated_again_but_the_output_still_is() -> None:
    settings = Settings()
    cleaned = _cleaned(settings)
    extract = StageWorker(IDENTITY_STAGES["extract"], settings)
    from_clean = _message(settings.topics.cleaned, cleaned.value, cleaned.headers)
    assert extract._from_upstream(cloudevents.header_values(from_clean.headers))
    assert extract.handle(from_clean).reason is None

    broken = orjson.dumps({**orjson.loads(cleaned.value), "language_confidence": "high"})
    # headers of clean's output: the input check is skipped, the output check stops the record all the same
    assert extract.handle(_message(settings.topics.cleaned, broken, cleaned.headers)).reason == "invalid_output"
    # written by anything else (no headers, or another source or contract): refused at the door
    other = [(name, b"/newsingest/publish" if name == "ce_source" else value) for name, value in cleaned.headers]
    for headers in ([], other):
        dead = extract.handle(_message(settings.topics.cleaned, broken, headers))
        assert (dead.topic, dead.reason) == (settings.topics.deadletter, "schema_violation")


def test_the_first_stage_always_validates_its_input() -> None:
    settings = Settings()
    clean = StageWorker(IDENTITY_STAGES["clean"], settings)
    assert clean._upstream is None
    headers = _cleaned(settings).headers  # whatever the headers say, raw input comes from outside
    dead = clean.handle(_message(settings.topics.raw, orjson.dumps({"id": "a2", "body": "x", "title": 5}), headers))
    assert dead.reason == "schema_violation"
