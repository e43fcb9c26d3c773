"""Reading newsroom exports into raw messages."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsingest.ops.sources import iter_messages


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


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example Wire</title><link>https://wire.example.org/</link><language>en</language>
<item><title>Floods in Mosul</title><link>https://wire.example.org/mosul</link><guid>wire-1</guid>
<pubDate>Mon, 03 Mar 2025 10:00:00 +0200</pubDate><dc:creator>Sara Ali</dc:creator><category>Iraq</category>
<description>Short teaser.</description><content:encoded><![CDATA[<p>Heavy rain flooded Mosul.</p>]]></content:encoded></item>
<item><title>Teaser only</title><link>https://wire.example.org/teaser</link><description>Talks in Ankara.</description></item>
<item><title>Headline only</title><link>https://wire.example.org/headline</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar"><title>وكالة المثال</title><id>urn:example:feed</id><updated>2025-03-03T08:00:00Z</updated>
<entry><title>أمطار في الموصل</title><id>urn:example:1</id><link href="https://ar.example.org/1"/><updated>2025-03-03T08:00:00Z</updated>
<content type="html">&lt;p&gt;غمرت الأمطار شوارع الموصل.&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_entries_map_onto_the_raw_contract(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "arabic.atom").write_text(ATOM, encoding="utf-8")
    atom, full, teaser, headline = (orjson.loads(m) for m in iter_messages([str(tmp_path)]))
    assert full["id"] == "wire-1" and full["url"] == "https://wire.example.org/mosul" and full["source"] == "Example Wire"
    assert full["body"] == "<p>Heavy rain flooded Mosul.</p>" and full["content_type"] == "text/html"
    assert full["published_at"] == "2025-03-03T08:00:00Z" and full["language"] == "en"
    assert full["metadata"]["authors"] == ["Sara Ali"] and full["metadata"]["tags"] == ["Iraq"]
    assert teaser["body"] == "Talks in Ankara." and teaser["id"] == "https://wire.example.org/teaser"
    assert "body" not in headline  # dead-lettered as missing_body by the worker, not dropped here
    assert atom["id"] == "urn:example:1" and atom["language"] == "ar" and atom["source"] == "وكالة المثال"
    assert atom["body"] == "<p>غمرت الأمطار شوارع الموصل.</p>" and atom["published_at"] == "2025-03-03T08:00:00Z"


def test_feed_entries_run_through_the_pipeline(tmp_path: Path) -> None:
    from newsingest.pipeline import process_all

    (tmp_path / "wire.xml").write_text(RSS, encoding="utf-8")
    outcomes = list(process_all(iter_messages([str(tmp_path / "wire.xml")]), source="feed", max_bytes=1 << 20))
    assert [ok for ok, _ in outcomes] == [True, True, False]
    assert outcomes[0][1]["article_id"] == "wire-1" and outcomes[0][1]["title"] == "Floods in Mosul"
    assert outcomes[2][1]["reason"] == "missing_body"


def test_an_xml_file_that_is_not_a_feed_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<config><port>80</port>", encoding="utf-8")
    with pytest.raises(SystemExit, match="not an RSS or Atom feed"):
        list(iter_messages([str(tmp_path / "broken.xml")]))
