"""The NER model's English features, the news-like training sentences, and how the model's spans become
news-style mentions (cut, trimmed, typed, one type per person across the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.devtools.eval.ner import TOPONYM_CORPORA, score_toponyms
from newsingest.devtools.training.train_ner import news_like, news_names
from newsingest.stages.extract.conll import Sentence, entity_spans
from newsingest.stages.extract.entities import recognise
from newsingest.stages.extract.model_mentions import _pieces
from newsingest.stages.extract.ner_model import features, given_name
from newsingest.text.tokens import tokenize


def _found(text: str) -> set[tuple[str, str]]:
    return {(m.type, text[m.start:m.end]) for m in recognise(text)}


def test_english_features_keep_case_shape_and_census_names() -> None:
    bill, gates, said, lower = features(tokenize("Bill Gates said gates"))
    assert "W=Gates" in gates and "ls=Xxxxx" in gates and "c=gn" in bill
    assert any(f.startswith("c=sn") for f in gates)  # a census surname
    assert not any(f.startswith(("W=", "c=sn", "c=gn")) for f in lower)  # lower case: no name classes
    assert not any(f.startswith("c=sn") for f in said)
    assert given_name("tony") and not given_name("ministry")


def test_news_like_sentences_take_news_names_of_each_type() -> None:
    training = [
        Sentence(("Bank", "of", "England"), ("B-ORG", "I-ORG", "I-ORG")),
        Sentence(("South", "American", "fur", "seal"), ("B-LOC", "I-LOC", "I-LOC", "I-LOC")),
        Sentence(("Sioux", "Falls"), ("B-LOC", "I-LOC")),
        Sentence(("Patricia", "Hewitt", "(", "politician", ")"), ("B-PER", "I-PER", "O", "O", "O")),
    ]
    assert news_names(training) == {"PER": [("Patricia", "Hewitt")], "LOC": [("Sioux", "Falls")],
                                    "ORG": [("Bank", "of", "England")]}
    made = news_like(training, 40)
    assert made == news_like(training, 40) and len(made) == 40  # a fixed seed: the same sentences
    names = {("PER", "Patricia Hewitt"), ("PER", "Hewitt"), ("LOC", "Sioux Falls"), ("ORG", "Bank of England")}
    names |= {(kind, name.upper()) for kind, name in names}  # headlines in capitals
    for sentence in made:
        assert len(sentence.words) == len(sentence.tags)
        spans = {(kind, " ".join(sentence.words[first:last + 1])) for kind, first, last in entity_spans(sentence.tags)}
        assert spans and spans <= names, sentence
    capitals = [s for s in made if all(word == word.upper() for word in s.words)]
    assert 0 < len(capitals) < len(made) / 2


def test_model_spans_are_cut_for_news() -> None:
    tokens = tokenize("Sioux Falls, South Dakota")
    assert _pieces(tokens, "LOC", 0, len(tokens) - 1) == [(0, 1), (3, 4)]  # two places, as news annotates them
    tokens = tokenize("Robin van Persie gave Henry")
    assert _pieces(tokens, "PER", 0, 4) == [(0, 2), (4, 4)]  # a lower-case verb ends a name, "van" does not
    tokens = tokenize("the De La Salle University")
    assert _pieces(tokens, "ORG", 0, 4) == [(1, 4)]
    tokens = tokenize("A. R. Rahman")
    assert _pieces(tokens, "PER", 0, len(tokens) - 1) == [(0, len(tokens) - 1)]  # an initial, not the article
    tokens = tokenize("Tampa Bay Buccaneers American")
    assert _pieces(tokens, "ORG", 0, 3) == [(0, 2)]
    assert _pieces(tokenize("PCs"), "LOC", 0, 0) == []
    assert _pieces(tokenize("Alexander and Catwoman"), "PER", 0, 2) == [(0, 0), (2, 2)]
    assert _pieces(tokenize("Securities and Exchange Commission"), "ORG", 0, 3) == [(0, 3)]


def test_news_sentences() -> None:
    found = _found("The governor of Connecticut said on Monday that the state would cut spending.")
    assert ("LOC", "Connecticut") in found and not any(kind != "LOC" for kind, _ in found)
    found = _found("Sol Campbell scored twice for Arsenal. Campbell said the win mattered.\n\n"
                   "Police in Ohio arrested two men. Police said both were armed.")
    assert {("PERSON", "Sol Campbell"), ("PERSON", "Campbell"), ("LOC", "Ohio")} <= found
    assert not any(name == "Police" for _, name in found)
    found = _found("Environment Secretary Margaret Beckett met President Bush. Democrat John Kerry disagreed.")
    assert {("PERSON", "Margaret Beckett"), ("PERSON", "Bush"), ("PERSON", "John Kerry")} <= found  # "Bush": also a town


def test_loc_on_news_gold_toponyms(shared: Path) -> None:
    """Whole-corpus figures are the eval command's job; on a slice of GeoVirus (WikiNews articles with
    gold toponyms) the LOC mentions must match most toponyms exactly."""
    path = shared / "eval/geoparsing/corpora" / TOPONYM_CORPORA[1]
    if not path.is_file():
        pytest.skip(f"{path} absent")
    precision, recall, f1 = score_toponyms(path, limit=40).prf("LOC")
    assert f1 > 0.7, (precision, recall)
