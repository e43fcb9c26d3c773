"""Social references in the body text, merged with what clean already lifted out."""

from __future__ import annotations

from newsingest.stages.extract.social_refs import find_social_refs, merge_social


def test_links_and_handles() -> None:
    text = ("انظر https://twitter.com/jhaboush/status/1 وسورياpic.twitter.com/ltrgotd222 و netflix.com/x "
            "and www.youtube.com/watch?v=abc. Follow @BBCBreaking, mail a@b.com, join t.me/channel_1, "
            "https://www.facebook.com/page and instagram.com/p/XYZ/")
    refs = [(r["platform"], r["url"], r["handle"]) for r in find_social_refs(text)]
    assert refs == [
        ("twitter", "https://twitter.com/jhaboush/status/1", "jhaboush"),
        ("twitter", "https://pic.twitter.com/ltrgotd222", None),
        ("youtube", "https://www.youtube.com/watch?v=abc", None),
        ("telegram", "https://t.me/channel_1", "channel_1"),
        ("facebook", "https://www.facebook.com/page", None),
        ("instagram", "https://instagram.com/p/XYZ/", None),
        ("twitter", None, "BBCBreaking"),
    ]


def test_merge_skips_links_and_handles_already_listed() -> None:
    existing = [{"platform": "twitter", "url": "https://pic.twitter.com/ltrgotd222", "handle": "jhaboush", "embedded": True}]
    found = find_social_refs("pic.twitter.com/ltrgotd222 @JHaboush @other http://www.pic.twitter.com/ltrgotd222/")
    assert [(r["url"], r["handle"]) for r in merge_social(found, existing)] == [(None, "other")]
