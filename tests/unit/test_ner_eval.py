"""The NER scorer and CoNLL reader on hand-worked cases, the training alignment, and the recogniser on
real sentences of the shared NER sets (read by path, skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.devtools.eval.ner import Score, predict, predict_through_process
from newsingest.devtools.training.train_ner import token_labels
from newsingest.stages.extract.conll import ANERCORP, CONLL_EN, NEWSFANE, Sentence, coarse_tag, dev_sets, entity_spans, newsfane_parts, read_conll, training_sets


def test_tags_map_onto_three_types() -> None:
    assert coarse_tag("B-Politician") == "B-PER" and coarse_tag("I-Population-Center") == "I-LOC"
    assert coarse_tag("B-Media") == "B-ORG" and coarse_tag("I-GPE") == "I-LOC"
    assert coarse_tag("B-Group") == "O" and coarse_tag("B-Book") == "O" and coarse_tag("O") == "O"
    assert coarse_tag("B-PERS") == "B-PER" and coarse_tag("I--ORG") == "I-ORG"  # ANERcorp's type, an AQMAR typo
    assert coarse_tag("B-MISC") == "O" and coarse_tag("B-MISC", misc=True) == "B-MISC"
    assert coarse_tag("b-misc", misc=True) == "B-MISC" and coarse_tag("B-MIS1", misc=True) == "B-MISC"


def test_reader_strips_marks_and_splits_sentences(tmp_path: Path) -> None:
    path = tmp_path / "mini.tsv"
    path.write_bytes("\ufeff\u200eقال\tO\r\n\u200eالرئيس\tO\r\n\u200eبشار\tB-Politician\r\n\u200eالأسد\tI-Politician\r\n"
                     "\t\r\nin O\nNew B-LOC\nYork I-LOC\n".encode())
    assert read_conll(path) == [
        Sentence(("قال", "الرئيس", "بشار", "الأسد"), ("O", "O", "B-PER", "I-PER")),
        Sentence(("in", "New", "York"), ("O", "B-LOC", "I-LOC")),
    ]


def test_entity_spans_read_iob1_and_iob2() -> None:
    assert entity_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == {
        ("PER", 0, 1), ("LOC", 3, 3), ("LOC", 4, 4), ("ORG", 5, 5)}
    assert entity_spans(["I-ORG", "I-ORG", "I-LOC"]) == {("ORG", 0, 1), ("LOC", 2, 2)}  # IOB1


def test_score_counts_exact_matches_only() -> None:
    score = Score()
    gold = {("PER", 0, 1), ("LOC", 3, 3), ("ORG", 5, 6)}
    score.add(gold, {("PER", 0, 1), ("LOC", 3, 4), ("LOC", 5, 6)})  # a wrong boundary and a wrong type miss
    assert score.prf("PER") == (1.0, 1.0, 1.0)
    assert score.prf("LOC") == (0.0, 0.0, 0.0)
    precision, recall, f1 = score.prf()
    assert (precision, recall) == (1 / 3, 1 / 3) and f1 == pytest.approx(1 / 3)
    score.add({("ORG", 0, 0)}, {("ORG", 0, 0)})
    assert score.prf("ORG") == (1.0, 0.5, pytest.approx(2 / 3))


def test_token_labels_follow_the_words() -> None:
    tokens, labels = token_labels(Sentence(("Esteghlal", "F.C.", "won", "بحلب"), ("B-ORG", "I-ORG", "O", "B-LOC")))
    assert [t.text for t in tokens] == ["Esteghlal", "F", ".", "C", ".", "won", "بحلب"]
    assert labels == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-LOC"]


def test_predict_maps_mentions_to_words() -> None:
    found = predict(("وقال", "الرئيس", "بشار", "الأسد", "في", "دمشق", "إن", "الوضع", "صعب"))
    assert ("PER", 2, 3) in found and ("LOC", 5, 5) in found


@pytest.mark.parametrize(("words", "kinds"), [
    (("Foreign", "ministers", "of", "Turkey", "met", "Hakan", "Fidan", "in", "Ankara", "on", "Thursday", ".", "."),  # clean drops the doubled stop
     {"PER", "LOC"}),
    # a lone tatweel is a dash between a dateline's parts, which clean keeps (test_clean.py)
    (("الخرطوم", "ـ", "عبدالواحد", "لبيني", "ـ", "نيويورك", "ـ", "وكالات", "الأنباء", ":", "أعلنت", "الأمم", "المتحدة", "أنها",
      "سترسل", "105", "من", "الضباط", "لدعم", "قوات", "الاتحاد", "الافريقي", "في", "دارفور"), {"LOC", "ORG"}),
])
def test_the_process_chain_finds_what_the_recogniser_finds(words: tuple[str, ...], kinds: set[str]) -> None:
    """The scores ``--process`` prints match the recogniser's when clean keeps the words (or only drops stray punctuation)."""
    found = predict_through_process(words)
    assert found == predict(words)
    assert {kind for kind, _, _ in found} >= kinds


def _sentences(shared: Path, relative: str) -> list[Sentence]:
    if not (shared / relative).is_file():
        pytest.skip(f"{relative} absent")
    return read_conll(shared / relative)


def test_newsfane_reads_as_documented(shared: Path) -> None:
    sentences = _sentences(shared, NEWSFANE)
    assert sum(len(s.words) for s in sentences) == 172_839 - (len(sentences) - 1)  # blank lines between sentences
    assert not any(w.startswith("\u200e") for s in sentences[:200] for w in s.words)


def _holding(sentences: list[Sentence], *words: str) -> list[Sentence]:
    return [s for s in sentences if set(words) <= set(s.words)]


def test_dev_parts_are_never_trained_on(shared: Path) -> None:
    whole = _sentences(shared, NEWSFANE)
    anercorp = _sentences(shared, ANERCORP)
    training = {s.name: s.sentences for s in training_sets(shared)}
    dev = {s.name: s.sentences for s in dev_sets(shared)}
    parts = newsfane_parts(whole, anercorp)
    assert {name: len(found) for name, found in parts.items()} == {"train": 3270, "dev": 348, "other": 1142}
    assert parts["train"] == training["newsfane-ar-train"] and parts["dev"] == dev["newsfane-ar-dev"]
    # NewsFANE annotates ANERcorp's text again, the held-back test split included: the test split opens with
    # the headline "الصالحية ونايفة", which NewsFANE has (clitic split off) and no training set may have
    assert _holding(whole, "الصالحية", "نايفة") and not _holding(parts["train"] + parts["dev"], "الصالحية", "نايفة")
    # a dateline of the Arabic dev part: NewsFANE's copy of it is dev, never trained on
    assert _holding(dev["anercorp-ar-dev"], "عبدالواحد", "لبيني") and _holding(parts["dev"], "لبيني")
    assert not any(_holding(found, "لبيني") for name, found in training.items())
    assert training["anercorp-ar-train"] + dev["anercorp-ar-dev"] == anercorp  # the last tenth is dev
    assert len(dev["anercorp-ar-dev"]) == len(anercorp) // 10
    assert dev["conll2003-en-dev"] == _sentences(shared, CONLL_EN["dev"]) and len(dev["conll2003-en-dev"]) == 3250
    assert "aqmar-ar" in training and "aqmar-ar" not in dev


def test_recogniser_on_real_dev_sentences(shared: Path) -> None:
    """Whole-set figures are the eval command's job; here the recogniser must clearly beat chance on a slice."""
    for dev in dev_sets(shared):
        score = Score()
        for sentence in dev.sentences[:300]:
            score.add(entity_spans(sentence.tags), predict(sentence.words))
        assert score.prf()[2] > 0.6, dev.name
