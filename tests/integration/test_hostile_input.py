"""Hostile input on the real broker: every message ends as a dead letter with a clear reason or as a
clean event, within a bounded time, and no worker dies or stalls on the way."""

from __future__ import annotations

import base64
import dataclasses
import subprocess
import sys
import time
import unicodedata
from typing import Any

import orjson
import pytest

from newsingest.runtime.config import settings_env
from newsingest.runtime.contracts import validate
from newsingest.runtime.deadletters import Rejected
from newsingest.runtime.messages import MAX_HTML_TAGS, decode_raw
from newsingest.stages import STAGE_ORDER

from .conftest import WorkerProcess, start_worker, stop_worker
from .kafka_helpers import publish
from .streams import TopicWatcher, corpus_articles, watched

MB = 1024 * 1024
EVENT = "event"
MARKUP_PAGE = """<html><head><style>p { color:red }</style><script>alert("head")</script></head><body>
<script type="text/javascript">document.write("injected");</script><iframe src="https://evil.example/frame"></iframe>
<p>Floodwater reached the old market on Tuesday, the city council said, and shops stayed closed.</p>
<a href="javascript:alert(1)">click here</a><img src="x" onerror="alert(2)"><object data="evil.swf"></object>
<p onclick="alert(3)">Rescue teams moved two hundred families to schools on higher ground overnight.</p>
<svg><script>alert(4)</script></svg><noscript><img src="https://tracker.example/p.gif"></noscript></body></html>"""


def article(name: str, **fields: Any) -> bytes:
    return orjson.dumps({"id": f"hostile-{name}", **fields})


def text(name: str, body: str) -> bytes:
    return article(name, body=body, title="A hostile test article")


WRONG_TYPES = {
    "body_number": {"body": 5}, "body_list": {"body": ["a"]}, "body_object": {"body": {"a": 1}}, "body_empty": {"body": ""},
    "title_number": {"title": 3}, "url_list": {"url": ["https://example.com"]}, "source_object": {"source": {}},
    "published_at_number": {"published_at": 1700000000}, "language_bool": {"language": True}, "content_type_number": {"content_type": 7},
    "metadata_string": {"metadata": "x"}, "id_list": {"id": ["x"]}, "id_bool": {"id": True}, "id_5000_chars": {"id": "x" * 5000},
}

# (name, message value, the dead-letter reason it must get, or EVENT when it must come out as a clean event)
CASES: list[tuple[str, bytes, str]] = [
    ("invalid_utf8", b"\xff\xfe Beirut \xc3\x28 port", "not_utf8"),
    ("truncated_json", b'{"id": "hostile-truncated", "body": "The minister sa', "bad_json"),
    ("json_nested_100k_deep", b'{"body": "x", "metadata": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"}", "bad_json"),
    ("metadata_nested_1000_deep", b'{"id": "hostile-nested", "body": "Some text.", "metadata": {"x": ' + b"[" * 1000 + b"]" * 1000 + b"}}", "transform_error"),
    ("empty_message", b"", "missing_body"),
    ("whitespace_message", b" \n\t ", "schema_violation"),
    ("body_null", article("body_null", body=None), "missing_body"),
    *((f"wrong_type_{name}", article(name, **{"body": "A short article.", **fields}), "schema_violation") for name, fields in WRONG_TYPES.items()),
    ("body_5mb", text("body_5mb", "word " * (5 * MB // 5)), "too_large"),
    ("tags_200k_nested", article("tags", body="<div>" * 200_000 + "<p>Inside.</p>", content_type="text/html"), "too_large"),
    ("tags_40k_nested", article("tags_40k", body="<div>" * 40_000 + "<p>The text inside forty thousand tags.</p>", content_type="text/html"), EVENT),
    ("scripts_styles_iframes_javascript_links", article("markup", body=MARKUP_PAGE, content_type="text/html"), EVENT),
    ("control_characters", text("control", "Text\x00with\x01control\x07chars\x1b[31m in it\x7f and \x85 more.\nA second line\x0b here."), EVENT),
    ("right_to_left_overrides", text("rtl", "The minister said \u202eetad eht si siht\u202c today; \u2066isolated\u2069 \u200fmarks\u200e."), EVENT),
    ("line_100k_no_spaces", b"a" * 100_000, "too_large"),
    ("line_40k_no_spaces_in_an_article", text("nospace", "Officials spoke on Monday. " + "x" * 40_000 + " The end."), EVENT),
    ("zip_bomb_repetition_1_7mb", text("bomb", "The same sentence again and again. " * 50_000), "too_large"),
    ("repetition_under_the_text_cap", text("repeat", "The same sentence again and again. " * 1_300), EVENT),
]
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def case_id(value: bytes) -> str | None:
    """The article id the clean stage gives this message, if it gets that far."""
    try:
        article_id = decode_raw(value, max_bytes=1 << 30)["id"]
    except Rejected:
        return None
    return article_id if isinstance(article_id, str) else None


def payload_bytes(dead: dict[str, Any]) -> bytes:
    return base64.b64decode(dead["payload"]) if dead["payload_encoding"] == "base64" else dead["payload"].encode()


def assert_clean_text(name: str, event: dict[str, Any]) -> None:
    body = event["text"]
    assert body.strip(), name
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in body), (name, body[:200])
    assert not BIDI_CONTROLS & set(body), name
    everything = orjson.dumps(event).decode().lower()
    for leftover in ("<script", "</", "<iframe", "onerror", "javascript:", "alert(", "color:red", "document.write"):
        assert leftover not in everything, (name, leftover)


@pytest.fixture
def watcher(settings: Any) -> Any:
    yield from watched(settings)


def test_every_hostile_message_ends_as_a_dead_letter_or_a_clean_event_without_stalling(
    settings: Any, workers: dict[str, WorkerProcess], watcher: TopicWatcher,
) -> None:
    assert MAX_HTML_TAGS < 200_000 and settings.max_message_bytes < 5 * MB and settings.max_text_chars < 100_000
    canaries = corpus_articles(5)
    publish(settings, [value for _, value, _ in CASES] + [orjson.dumps(a) for a in canaries])
    topics = settings.topics
    expected_events = {case_id(value) for _, value, outcome in CASES if outcome == EVENT}
    resolved = lambda: len(watcher.records(topics.deadletter)) + len(watcher.records(topics.events)) >= len(CASES) + len(canaries)  # noqa: E731
    took = watcher.wait_for(resolved, 300, "every hostile message to be resolved")

    events = {e["article_id"]: e for e in watcher.records(topics.events)}
    dead = watcher.records(topics.deadletter)
    assert len(events) + len(dead) == len(CASES) + len(canaries), "a message came out twice"
    assert {a["id"] for a in canaries} <= set(events), "articles after the hostile ones did not get through"
    outcomes: dict[str, str] = {}
    for name, value, _ in CASES:
        article_id = case_id(value)
        matches = [d for d in dead if payload_bytes(d) == value or (article_id and d["article_id"] == article_id)]
        event_id = article_id if article_id in events else None
        outcomes[name] = matches[0]["reason"] if len(matches) == 1 else EVENT if event_id else f"{len(matches)} dead letters"
        for record in matches:
            validate("deadletter", record)
            assert len(record["error_message"]) > 20, record["error_message"]
        if event_id:
            assert_clean_text(name, events[event_id])
    assert outcomes == {name: outcome for name, _, outcome in CASES}
    assert set(events) - {a["id"] for a in canaries} == expected_events
    assert "Floodwater reached the old market" in events["hostile-markup"]["text"]
    for stage, worker in workers.items():
        assert worker.alive() and worker.get("/healthz")[0] == 200, stage
    print(f"\nHOSTILE: {len(CASES)} hostile messages + {len(canaries)} articles resolved in {took:.0f}s "
          f"({sum(o != EVENT for o in outcomes.values())} dead letters, {len(expected_events)} clean events)")


def replay(settings: Any, *options: str) -> str:
    """Run ``newsingest replay`` as a user would; its report line."""
    done = subprocess.run([sys.executable, "-m", "newsingest", "replay", *options], env=settings_env(settings),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr.strip().splitlines()[-1]


def test_dead_letters_are_replayed_to_the_topic_they_came_from_after_a_fix(
    settings: Any, watcher: TopicWatcher, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    topics = settings.topics
    strict = dataclasses.replace(settings, max_text_chars=1000)
    running = {stage: start_worker(strict, stage, tmp_path_factory) for stage in STAGE_ORDER}
    try:
        long_one = text("long", "The council met again on Monday to discuss the new bridge over the river. " * 30)
        publish(settings, [long_one, text("short", "The council met on Monday."), article("bad", body="x", title=5)])
        watcher.wait_for(lambda: watcher.count(topics.deadletter) == 2 and watcher.count(topics.events) == 1, 180, "two dead letters")
        assert sorted((d["stage"], d["reason"]) for d in watcher.records(topics.deadletter)) == [("clean", "schema_violation"), ("extract", "too_large")]

        # the fix: extract and enrich (both read the text) run with a limit the article fits in
        for stage in ("extract", "enrich"):
            assert stop_worker(running[stage]) == 0
            running[stage] = start_worker(settings, stage, tmp_path_factory)
        assert replay(settings, "--reason", "too_large", "--dry-run").endswith(f"would replay dead letters from {topics.deadletter}: 1 to {topics.cleaned}")
        time.sleep(2)
        assert watcher.count(topics.cleaned) == 2, "a dry run published"
        assert replay(settings, "--stage", "extract").endswith(f"replayed dead letters from {topics.deadletter}: 1 to {topics.cleaned}")
        watcher.wait_for(lambda: "hostile-long" in watcher.article_ids(topics.events), 180, "the replayed article at the sink")
    finally:
        codes = {stage: stop_worker(worker) for stage, worker in running.items()}
    assert codes == dict.fromkeys(STAGE_ORDER, 0)
    assert watcher.count(topics.cleaned) == 3 and watcher.count(topics.deadletter) == 2, "replayed more than one, or it failed again"
    replayed = next(e for e in watcher.records(topics.events) if e["article_id"] == "hostile-long")
    validate("event", replayed)
    assert replayed["text"].startswith("The council met again on Monday")
