"""Topics (IPTC Media Topics from the trained model), tone (GDELT V2TONE-like) and Arabic → Latin names."""

from __future__ import annotations

from itertools import repeat
from pathlib import Path

import numpy as np
import pytest

from newsingest.stages.enrich.tone import _NEGATIVE, _POSITIVE, _SIGNS, _polarity, tone
from newsingest.stages.enrich.topics import TOPICS, classify, features, load_model, probabilities, save_model
from newsingest.text.tokens import PROCLITICS, word_counts

CONFLICT, SPORT = "medtop:16000000", "medtop:15000000"


@pytest.mark.parametrize(("title", "text", "code"), [
    (None, "U.S. warplanes struck Hamas positions in Rafah, killing 12 people", CONFLICT),
    ("Late winner sends United top", "Rooney scored in the 89th minute as United beat Everton 2-1 at Old Trafford, "
     "and the manager praised his side's second-half display.", SPORT),
    ("Striker seals cup final", "The team won the match with two late goals, the coach said.", SPORT),
    ("Shares slide", "The company reported lower profits and its shares fell on the stock market.", "medtop:04000000"),
    ("Quake kills dozens", "A powerful earthquake flattened villages and rescuers searched the rubble for survivors.",
     "medtop:03000000"),
    ("Vaccine trial", "Doctors said the new vaccine cut hospital admissions among patients with the disease.",
     "medtop:07000000"),
    ("Man jailed for fraud", "The judge sentenced him to six years in prison after a jury found him guilty.",
     "medtop:02000000"),
    ("غارات على ريف إدلب", "شنت طائرات حربية غارات على مواقع الفصائل وسط اشتباكات بين قوات الجيش والمعارضة.", CONFLICT),
    ("الدوري", "فاز الفريق في مباراة الدوري بثلاثة أهداف.", SPORT),
    ("الأسهم السعودية ترتفع", "ارتفع مؤشر السوق بدعم من أسهم البنوك وسط تداولات بلغت ستة مليارات ريال.", "medtop:04000000"),
])
def test_topic_of_clear_cases(title: str | None, text: str, code: str) -> None:
    assert classify(title, text)["code"] == code


@pytest.mark.parametrize("text", ["Xyz qwerty.", "The.", "غدا", "Le conseil municipal a voté le budget.", "x " * 5000])
def test_every_article_with_a_word_gets_a_topic_a_probability_and_a_different_runner_up(text: str) -> None:
    found = classify(None, text)
    assert found["code"] in TOPICS and found["label"] == TOPICS[found["code"]]
    runner_up = found["runner_up"]
    assert runner_up["code"] != found["code"] and runner_up["label"] == TOPICS[runner_up["code"]]
    assert 0.0 <= runner_up["score"] <= found["score"] <= 1.0
    assert list(found["scores"])[:2] == [found["code"], runner_up["code"]]


@pytest.mark.parametrize(("title", "text"), [(None, ""), ("", "  \n "), (None, "12 345 — !")])
def test_only_an_article_without_words_has_no_topic(title: str | None, text: str) -> None:
    assert classify(title, text) is None


def test_probabilities_sum_to_one_and_the_model_round_trips(tmp_path: Path) -> None:
    model = load_model()
    assert len(model.codes) == len(TOPICS) and model.weights.shape == (len(model.index), len(TOPICS))
    found = probabilities("Election called", "The prime minister asked parliament to dissolve.")
    assert found.sum() == pytest.approx(1.0, abs=1e-5)
    save_model(model, tmp_path / "copy.npz")
    again = probabilities("Election called", "The prime minister asked parliament to dissolve.", load_model(tmp_path / "copy.npz"))
    assert again == pytest.approx(found, abs=1e-3)


def test_features_of_the_text_stop_after_its_first_stems() -> None:
    found = features(None, "talks " * 400 + "election")
    assert found["talk"] == 400 and found["talk talk"] == 399 and "election" not in found


def _probabilities_by_name(title: str | None, text: str) -> np.ndarray:
    """The model's probabilities from :func:`features`' named counts: what ``probabilities`` computes by ids."""
    model = load_model()
    counts = features(title, text)
    assert counts, "an article with a stem"
    rows = np.fromiter(map(model.index.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
    known = rows >= 0
    logits = model.bias.copy()
    if known.any():
        values = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))[known])
        logits += (values / np.linalg.norm(values)) @ model.weights[rows[known]]
    logits /= model.temperature
    exp = np.exp(logits - logits.max())
    return exp / exp.sum()


@pytest.mark.parametrize(("title", "text"), [
    ("Election called", "The prime minister asked parliament to dissolve, and the opposition welcomed the election."),
    (None, "Rooney scored twice as United beat Everton; the manager praised the players and the players praised the fans."),
    ("غارات على ريف إدلب", "شنت طائرات حربية غارات على مواقع الفصائل وسط اشتباكات بين قوات الجيش والمعارضة في ريف إدلب."),
    ("Xyzzy", "Qwertyuiop asdfgh zxcvb."),  # no feature the model knows
    ("Talks", "talks election " * 300),  # past the stems' limit
    (None, "election"),  # one stem, no pair
])
def test_probabilities_by_feature_ids_are_those_of_the_named_features(title: str | None, text: str) -> None:
    assert np.array_equal(probabilities(title, text), _probabilities_by_name(title, text))


def test_tone_is_positive_minus_negative_per_hundred_words() -> None:
    score = tone("Peace talks were a success. Ten people were killed in the attack.")
    # 12 words: peace, success positive; killed, attack negative
    assert score == {"tone": 0.0, "positive": 16.667, "negative": 16.667, "polarity": 33.333, "word_count": 12}
    assert tone("الحرب والقصف والدمار")["tone"] == -100.0
    assert tone("")["tone"] == 0.0


def test_the_sign_table_scores_every_word_as_the_lexicons_and_proclitics_do() -> None:
    words = sorted(_POSITIVE | _NEGATIVE)
    forms = {(clitic + word, True) for clitic in ("", *PROCLITICS) for word in words}
    forms |= {(clitic + word[2:], True) for clitic in PROCLITICS for word in words}  # the article taken off
    forms |= {(word, False) for word in words} | {(word.upper(), False) for word in words}
    forms |= set(word_counts("قال المرصد إن الغارات والقصف أسفرت عن مقتل وجرح العشرات في حلب وللسلام"))
    assert {form: _SIGNS.get(form, 0) for form in forms} == {form: _polarity(*form) for form in forms}
    assert _SIGNS[("والحرب", True)] == -1 and _SIGNS[("بالسلام", True)] == 1 and ("ب", True) not in _SIGNS


def test_topic_accuracy_on_held_out_bbc(shared: Path) -> None:
    from newsingest.devtools.eval.topics import evaluate_bbc

    if not (shared / "corpus/bbc-news-en/bbc").is_dir():
        pytest.skip("BBC corpus is absent")
    found = evaluate_bbc(shared)
    assert found["articles"] == 465 and found["accuracy"] > 0.95
