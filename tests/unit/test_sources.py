"""Reading newsroom exports into raw messages."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsingest.sources import iter_messages


def test_each_supported_shape(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "1", "body": "one"}\n\n{"id": "2", "body": "two"}\n')
    (tmp_path / "b.json").write_text('[{"id": "3", "body": "three"}, {"id": "4", "body": "four"}]')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>five</p>")
    (tmp_path / "d.txt").write_text("six")
    (tmp_path / "ignored.md").write_text("not an article")
    messages = [orjson.loads(m) for m in iter_messages([str(tmp_path)])]
    assert [m["body"] for m in messages] == ["one", "two", "three", "four", "six", "<p>five</p>"]
    by_body = {m["body"]: m for m in messages}
    assert by_body["<p>five</p>"]["id"] == "sub/c" and by_body["<p>five</p>"]["content_type"] == "text/html"
    assert by_body["six"]["id"] == "d" and by_body["six"]["content_type"] == "text/plain"


def test_undecodable_files_are_passed_on_whole(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    assert list(iter_messages([str(tmp_path / "bad.txt")])) == [b"\xff\xfe"]


def test_missing_path_says_what_is_accepted() -> None:
    with pytest.raises(SystemExit, match="no such file"):
        list(iter_messages(["/nonexistent/articles"]))
