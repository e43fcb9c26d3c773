"""Topics (IPTC Media Topics from lexicons), tone (GDELT V2TONE-like) and Arabic → Latin names."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.stages.enrich.tone import tone
from newsingest.stages.enrich.topics import classify


@pytest.mark.parametrize(("title", "text", "code"), [
    ("Striker seals cup final", "The team won the match with two late goals, the coach said.", "medtop:15000000"),
    ("Shares slide", "The company reported lower profits and its shares fell on the stock market.", "medtop:04000000"),
    ("غارات على ريف إدلب", "شنت طائرات حربية غارات على مواقع الفصائل وسط اشتباكات بين قوات الجيش والمعارضة.", "medtop:16000000"),
    ("الدوري", "فاز الفريق في مباراة الدوري بثلاثة أهداف.", "medtop:15000000"),
])
def test_topic_of_clear_cases(title: str, text: str, code: str) -> None:
    assert classify(title, text)["code"] == code


def test_no_keyword_means_no_topic() -> None:
    assert classify(None, "Xyz qwerty.") is None


def test_tone_is_positive_minus_negative_per_hundred_words() -> None:
    score = tone("Peace talks were a success. Ten people were killed in the attack.")
    # 12 words: peace, success positive; killed, attack negative
    assert score == {"tone": 0.0, "positive": 16.667, "negative": 16.667, "polarity": 33.333, "word_count": 12}
    assert tone("الحرب والقصف والدمار")["tone"] == -100.0
    assert tone("")["tone"] == 0.0


def test_topic_accuracy_on_bbc(shared: Path) -> None:
    from newsingest.devtools.eval.topics import evaluate

    root = shared / "corpus/bbc-news-en/bbc"
    if not root.is_dir():
        pytest.skip("BBC corpus is absent")
    accuracy, total, _ = evaluate(root)
    assert total == 2225 and accuracy > 0.85  # measured 0.876
