"""The NER models' features and their mentions on news sentences."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from newsingest.devtools.eval.ner import TOPONYM_CORPORA, score_toponyms
from newsingest.geo import gazetteer
from newsingest.stages.extract import ner_model
from newsingest.stages.extract.entities import recognise
from newsingest.stages.extract.ner_model import _Model, bio, clusters, features, language_of, model_path, tag
from newsingest.text import lexicon as lx
from newsingest.text.folding import is_fold_fixed
from newsingest.text.tokens import Token, tokenize


def _found(text: str) -> set[tuple[str, str]]:
    return {(m.type, text[m.start:m.end]) for m in recognise(text)}


def test_english_features_keep_case_shape_clusters_and_census_names() -> None:
    bill, gates, said, lower = features(tokenize("Bill Gates said gates"))
    assert "W=Gates" in gates and "ls=Xxxxx" in gates and "c=gn" in bill and "cap" in gates
    assert any(f.startswith("c=sn") for f in gates)  # a census surname
    assert not any(f.startswith(("c=sn", "c=gn")) or f == "cap" for f in lower)  # lower case: no name classes
    assert not any(f.startswith("c=sn") for f in said)
    assert "-1W=Bill" in gates and "+1W=said" in gates and "first" in bill
    assert [f for f in said if f.startswith("k")] == [f"k{level}={c}" for level, c in enumerate(clusters("en")["said"])]
    assert "caps-sentence" in features(tokenize("JAPAN BEAT CHINA"))[0]


def test_arabic_features_strip_proclitics() -> None:
    (row,) = features(tokenize("بحلب"))
    assert "stem=حلب" in row and "clitic=ب" in row


def test_each_text_goes_to_its_language_model() -> None:
    assert language_of(tokenize("قال Reuters إن")) == "ar" and language_of(tokenize("the BBC said")) == "en"
    assert [bio(label) for label in ("B-PER", "I-LOC", "B-MISC", "I-MISC", "I-ORG", "O")] == ["B-PER", "I-LOC", "O", "O", "I-ORG", "O"]


def test_news_sentences() -> None:
    found = _found("The governor of Connecticut said on Monday that the state would cut spending.")
    assert ("LOC", "Connecticut") in found and not any(kind != "LOC" for kind, _ in found)
    found = _found("Sol Campbell scored twice for Arsenal. Campbell said the win mattered.\n\n"
                   "Police in Ohio arrested two men. Police said both were armed.")
    assert {("PERSON", "Sol Campbell"), ("PERSON", "Campbell"), ("LOC", "Ohio")} <= found
    assert not any(name == "Police" for _, name in found)
    found = _found("Environment Secretary Margaret Beckett met President Bush. Democrat John Kerry disagreed.")
    assert {("PERSON", "Margaret Beckett"), ("PERSON", "Bush"), ("PERSON", "John Kerry")} <= found  # "Bush": also a town


def test_clubs_movements_and_particle_names() -> None:
    """The error classes of the previous model: clubs typed as places, "Hamas" as a place, "Erik ten Hag" split."""
    found = _found("Manchester United beat Chelsea 2-1 at Old Trafford on Sunday.")
    assert {("ORG", "Manchester United"), ("ORG", "Chelsea")} <= found
    assert ("ORG", "Hamas") in _found("Hamas said Israeli strikes killed 12 people in Gaza.")
    assert ("PERSON", "Erik ten Hag") in _found("Manchester United manager Erik ten Hag praised the fans.")
    assert ("ORG", "حماس") in _found("قالت حركة حماس إن الغارات قتلت 12 شخصا في غزة.")


def test_loc_on_news_gold_toponyms(shared: Path) -> None:
    """Whole-corpus figures are the eval command's job; on a slice of GeoVirus (WikiNews articles with
    gold toponyms) the LOC mentions must match most toponyms exactly."""
    path = shared / "eval/geoparsing/corpora" / TOPONYM_CORPORA[1]
    if not path.is_file():
        pytest.skip(f"{path} absent")
    precision, recall, f1 = score_toponyms(path, limit=40).prf("LOC")
    assert f1 > 0.7, (precision, recall)


_SENTENCES = ("Manchester United manager Erik ten Hag praised the fans in Old Trafford on Sunday .",
              "Police in Ohio arrested two men , officials said .",
              "SOCCER - CHELSEA BEAT ARSENAL 2-1 IN LONDON .",
              "قالت حركة حماس إن الغارات قتلت 12 شخصا في غزة وبحلب .",
              "وصل الرئيس بشار الأسد إلى موسكو الأربعاء في زيارة رسمية .")


@pytest.mark.parametrize("text", _SENTENCES)
def test_label_probabilities_agree_with_crfsuite(text: str) -> None:
    """The stage sums the model's weights and runs forward-backward itself; each token's label
    probabilities must be CRFsuite's own, and the labels decoded from them a valid IOB sequence."""
    tokens = tokenize(text)
    language = language_of(tokens)
    crfsuite = pycrfsuite.Tagger()
    crfsuite.open(str(model_path(language)))
    crfsuite.set(features(tokens, language))
    model = _Model(model_path(language))
    emitted = model.emissions([tokens])
    found = np.empty_like(emitted)
    ner_model.log_marginals(emitted, np.array([len(tokens)]), model.transitions, found)
    expected = [[crfsuite.marginal(label, position) for label in model.labels] for position in range(len(tokens))]
    assert np.allclose(np.exp(found[0]), expected, atol=1e-4)
    labels = tag(tokens)
    assert all(not label.startswith("I-") or before[2:] == label[2:] for before, label in zip(["O", *labels], labels))


def test_memo_and_decoding_groups_smaller_than_a_sentence_give_the_same_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence longer than the word memo is scored in parts, and sentences are decoded in groups of
    bounded size (a huge one pads no other), with the same result as one at a time."""
    tokens = tokenize(" ".join(_SENTENCES[:2]) * 3)
    sentences = [tokens[:5], tokens, tokens[3:9], tokens[:1]]
    model = _Model(model_path("en"))
    expected = [model.decode([sentence])[0] for sentence in sentences]
    model._memo = ner_model._WordMemo(14, model._memo.table.shape[1:])  # sentences scored 7 tokens at a time
    monkeypatch.setattr(ner_model, "_DECODE_CELLS", 12)
    assert model.decode(sentences) == expected


def test_a_full_word_memo_keeps_its_most_used_words() -> None:
    """When the table fills, the most used half of the words stay with their scores and the rest go."""
    memo = ner_model._WordMemo(4, (1,))
    assert memo.add(["a", "b"]) == [0, 1]
    for text, uses in (("a", 1), ("b", 5), ("c", 2), ("d", 9)):
        row = memo.rows[text] if text in memo.rows else memo.add([text])[0]
        memo.table[row] = ord(text)
        memo.uses[row] += uses
    memo.keep_most_used()
    assert {text: float(memo.table[row, 0]) for text, row in memo.rows.items()} == {"b": ord("b"), "d": ord("d")}
    assert memo.add(["e"]) == [2] and memo.uses[2] == 0


def test_a_bigram_name_gives_back_its_two_keys() -> None:
    for pair in [("the", "bank"), ("|", "news"), ("news", "|"), ("|", "|"), ("^", "حلب"), ("$", "$")]:
        assert ner_model._key_pair("|".join(pair)) == pair


@pytest.mark.skipif(ner_model._compiled_best_paths is None, reason="the C decoder was not built (no C compiler at install)")
def test_the_compiled_decoder_finds_the_numpy_decoders_paths() -> None:
    """Random scores in whole numbers, so that many paths tie: the C loop must break ties as numpy's argmax does."""
    random = np.random.default_rng(7)
    for labels, longest in ((9, 40), (2, 5), (1, 3)):
        lengths = np.sort(random.integers(1, longest + 1, size=12)).astype(np.int64)
        emitted = random.integers(-3, 4, size=(12, longest, labels)).astype(np.float32)
        transitions = random.integers(-2, 3, size=(labels, labels)).astype(np.float64)
        compiled, reference = np.zeros((12, longest), dtype=np.int8), np.zeros((12, longest), dtype=np.int8)
        ner_model._compiled_best_paths(emitted, lengths, transitions, compiled)
        ner_model._best_paths_numpy(emitted, lengths, transitions, reference)
        assert all((compiled[row, :n] == reference[row, :n]).all() for row, n in enumerate(lengths))


@pytest.mark.skipif(ner_model._compiled_log_marginals is None, reason="the C decoder was not built (no C compiler at install)")
def test_the_compiled_label_probabilities_are_the_numpy_ones() -> None:
    random = np.random.default_rng(11)
    for labels, longest, spread in ((9, 40, 8), (2, 5, 8), (1, 3, 8), (9, 30, 60)):
        lengths = np.sort(random.integers(1, longest + 1, size=12)).astype(np.int64)
        emitted = (random.normal(size=(12, longest, labels)) * spread).astype(np.float32)
        transitions = np.clip(random.normal(size=(labels, labels)) * spread / 2, -50, 50)  # within _SCALED_RANGE
        compiled, reference = np.zeros(emitted.shape, dtype=np.float32), np.zeros(emitted.shape, dtype=np.float32)
        ner_model._compiled_log_marginals(emitted, lengths, transitions, compiled)
        ner_model._log_marginals_numpy(emitted, lengths, transitions, reference)
        for row, n in enumerate(lengths):
            assert np.isfinite(compiled[row, :n]).all()
            assert np.allclose(np.exp(compiled[row, :n]), np.exp(reference[row, :n]), atol=1e-5)
            assert np.allclose(np.exp(compiled[row, :n]).sum(1), 1, atol=1e-4)  # a distribution at each token


def test_label_probabilities_of_scores_far_apart_are_still_probabilities() -> None:
    """Transition scores hundreds apart (no trained model has them) overflow a scaled forward-backward:
    :func:`log_marginals` then sums logs instead."""
    random = np.random.default_rng(5)
    lengths = np.array([3, 17, 30], dtype=np.int64)
    emitted = (random.normal(size=(3, 30, 9)) * 300).astype(np.float32)
    transitions = random.normal(size=(9, 9)) * 150
    found, reference = np.zeros(emitted.shape, dtype=np.float32), np.zeros(emitted.shape, dtype=np.float32)
    ner_model.log_marginals(emitted, lengths, transitions, found)
    ner_model._log_marginals_numpy(emitted, lengths, transitions, reference)
    for row, n in enumerate(lengths):
        assert np.isfinite(found[row, :n]).all() and (found[row, :n] <= 1e-6).all()
        assert np.allclose(np.exp(found[row, :n]).sum(1), 1, atol=1e-4)
        assert np.array_equal(found[row, :n], reference[row, :n])


@pytest.mark.skipif(ner_model._compiled_best_paths is None, reason="the C decoder was not built (no C compiler at install)")
def test_the_compiled_decoder_refuses_arrays_of_the_wrong_kind() -> None:
    emitted, lengths, transitions = np.zeros((2, 4, 3), dtype=np.float32), np.array([4, 5]), np.zeros((3, 3))
    with pytest.raises(ValueError, match="sentence length"):
        ner_model._compiled_best_paths(emitted, lengths, transitions, np.zeros((2, 4), dtype=np.int8))
    with pytest.raises(TypeError, match="emitted"):
        ner_model._compiled_best_paths(emitted.astype(np.float64), lengths, transitions, np.zeros((2, 4), dtype=np.int8))
    with pytest.raises(ValueError, match="shapes"):
        ner_model._compiled_best_paths(emitted, np.array([4, 4]), np.zeros((2, 2)), np.zeros((2, 4), dtype=np.int8))
    with pytest.raises(ValueError, match="expected emitted"):
        ner_model._compiled_log_marginals(emitted, np.array([4, 4]), transitions, np.zeros((2, 4), dtype=np.float32))
    with pytest.raises(TypeError, match="out"):
        ner_model._compiled_log_marginals(emitted, np.array([4, 4]), transitions, np.zeros((2, 4, 3), dtype=np.int8))


def test_without_the_compiled_decoder_the_model_tags_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [tokenize(text) for text in _SENTENCES]
    model = _Model(model_path("en"))
    expected = model.decode(sentences)
    monkeypatch.setattr(ner_model, "_compiled_best_paths", None)  # as installed without a C compiler
    monkeypatch.setattr(ner_model, "_compiled_log_marginals", None)
    monkeypatch.setattr(ner_model, "_compiled_emissions", None)
    monkeypatch.setattr(ner_model, "_compiled_fill_rows", None)
    assert _Model(model_path("en")).decode(sentences) == expected  # a new model: its memo filled by numpy


def _demo_sentences(language: str) -> list[list[Token]]:
    """The demo articles of ``language`` (their markup's words too) cut into sentences at full stops, with a
    one-word sentence, a headline in capitals and random mixes of their words (unseen pairs, Latin words
    among Arabic ones)."""
    demo = Path(__file__).parents[2] / "services/newsingest/demo"
    tokens = [token for path in sorted(demo.glob(f"{language}-*")) for token in tokenize(path.read_text(encoding="utf-8"))]
    sentences, start = [], 0
    for index, token in enumerate(tokens):
        if token.text in (".", "؟", "?"):
            sentences.append(tokens[start:index + 1])
            start = index + 1
    rng = random.Random(23)
    sentences += [tokens[:1], tokenize("SYRIAN ARMY RETAKES ALEPPO DISTRICT, MONITOR SAYS"), tokenize("Aleppo قال")]
    sentences += [rng.sample(tokens, rng.randint(1, 40)) for _ in range(60)]
    return [sentence for sentence in sentences if sentence]


@pytest.mark.skipif(ner_model._compiled_emissions is None, reason="the C scoring was not built (no C compiler at install)")
@pytest.mark.parametrize("language", ner_model.LANGUAGES)
def test_the_compiled_emissions_are_the_numpy_ones(language: str) -> None:
    """The C sums must be numpy's to the bit (the same terms, in the same order and precision): equal
    scores are what make the labels the same, ties included."""
    model = _Model(model_path(language))
    sentences = _demo_sentences(language)
    assert len(sentences) >= 70 and any(ner_model._in_capitals(sentence) for sentence in sentences)
    for at in range(0, len(sentences), 9):  # groups of sentences of different lengths, as decode makes them
        group = sentences[at:at + 9]
        compiled, reference = model.emissions(group), model._emissions_numpy(group)
        for row, sentence in enumerate(group):
            assert np.array_equal(compiled[row, :len(sentence)], reference[row, :len(sentence)]), sentence


@pytest.mark.skipif(ner_model._compiled_emissions is None, reason="the C scoring was not built (no C compiler at install)")
def test_the_compiled_emissions_refuse_arguments_of_the_wrong_kind() -> None:
    model = _Model(model_path("en"))
    sentences = [tokenize("Rain in Aleppo."), tokenize("Floods.")]
    rows = model._memo_rows([token for sentence in sentences for token in sentence])
    out = np.zeros((2, 4, len(model.labels)), dtype=np.float32)

    def call(**changed: object) -> None:
        arguments = {"sentences": sentences, "rows": rows, "table": model._memo.table, "capitals": b"\0\0",
                     "shapes": [ner_model._token_shape[token.text] for sentence in sentences for token in sentence],
                     "tables": model._emission_tables, "out": out} | changed
        ner_model._compiled_emissions(*arguments.values())

    call()
    with pytest.raises(ValueError, match="memo row outside"):
        call(rows=rows + len(model._memo.table))
    tables = list(model._emission_tables)
    tables[1] = tables[1] + len(model.weights)  # the bigram rows, each past the weights
    with pytest.raises(ValueError, match="bigram row outside"):
        call(tables=tuple(tables))
    with pytest.raises(ValueError, match="not one a token"):
        call(rows=np.concatenate([rows, rows]), shapes=None)
    with pytest.raises(ValueError, match="more tokens than"):
        call(out=np.zeros((2, 2, len(model.labels)), dtype=np.float32))
    with pytest.raises(ValueError, match="shapes do not agree"):
        call(capitals=b"\0")
    with pytest.raises(ValueError, match="shapes do not agree"):
        call(shapes=["Xxxx"])
    with pytest.raises(TypeError, match="out"):
        call(out=out.astype(np.float64))
    with pytest.raises(TypeError, match="lists of tokens"):
        call(sentences=[["Rain", "in"], ["Floods"]])


def _memo_rows_both_ways(model: _Model, words: list[Token]) -> tuple[np.ndarray, np.ndarray]:
    """The memo rows of ``words`` as :meth:`_Model._fill` makes them compiled, then with numpy's sums."""
    rows = list(range(len(words)))
    model._fill(rows, words)
    compiled = model._memo.table[rows].copy()
    model._memo.table[rows] = np.nan
    fill_rows = ner_model._compiled_fill_rows
    try:
        ner_model._compiled_fill_rows = None
        model._fill(rows, words)
    finally:
        ner_model._compiled_fill_rows = fill_rows
    return compiled, model._memo.table[rows].copy()


@pytest.mark.skipif(ner_model._compiled_fill_rows is None, reason="the C scoring was not built (no C compiler at install)")
@pytest.mark.parametrize("language", ner_model.LANGUAGES)
def test_the_compiled_memo_rows_are_the_numpy_ones(language: str) -> None:
    """New words' memo rows summed in C must be numpy's to the bit, whatever number of features a word has:
    the real words' (a dozen to a few dozen), and made-up ones past numpy's blocks of 8 and halves past 128."""
    model = _Model(model_path(language))
    words = list({token.text: token for sentence in _demo_sentences(language) for token in sentence}.values())
    words += _arabic_words()[:500]
    compiled, reference = _memo_rows_both_ways(model, words)
    assert not np.isnan(compiled).any() and np.array_equal(compiled, reference)
    rng = np.random.default_rng(5)
    sizes = [int(size) for size in rng.integers(1, 300, size=40)]
    lent_sizes = [int(size) for size in rng.integers(1, 150, size=40)]
    texts = [word.text for word in words[:40]]
    own_ids = [int(row) for row in rng.integers(0, len(model.weights), size=sum(sizes))]
    lent_rows = [tuple(int(row) for row in rows) for rows in rng.integers(0, len(model.weights), size=(sum(lent_sizes), len(ner_model._CONTEXT)))]
    rows = list(range(40))
    ner_model._compiled_fill_rows(texts, own_ids, sizes, lent_rows, lent_sizes, rows, model._memo.table, model._fill_tables)
    compiled = model._memo.table[rows].copy()
    model._memo.table[rows] = np.nan  # so that rows numpy left unwritten cannot pass for equal
    model._fill_numpy(texts, own_ids, sizes, lent_rows, lent_sizes, rows)
    assert not np.isnan(compiled).any() and np.array_equal(compiled, model._memo.table[rows])


@pytest.mark.skipif(ner_model._compiled_fill_rows is None, reason="the C scoring was not built (no C compiler at install)")
def test_the_compiled_memo_rows_refuse_arguments_of_the_wrong_kind() -> None:
    model = _Model(model_path("en"))

    def call(**changed: object) -> None:
        arguments = {"texts": ["Rain", "in"], "own_ids": [0, 1, 2], "own_sizes": [2, 1], "lent_rows": [(0, 0, 0, 0)] * 3,
                     "lent_sizes": [1, 2], "rows": [0, 1], "table": model._memo.table, "tables": model._fill_tables} | changed
        ner_model._compiled_fill_rows(*arguments.values())

    call()
    with pytest.raises(ValueError, match="outside its table"):
        call(rows=[0, len(model._memo.table)])
    with pytest.raises(ValueError, match="outside its table"):
        call(own_ids=[0, 1, len(model.weights)])
    with pytest.raises(ValueError, match="without features"):
        call(own_sizes=[3, 0])
    with pytest.raises(ValueError, match="do not add up"):
        call(own_sizes=[1, 1])
    with pytest.raises(ValueError, match="do not agree"):
        call(rows=[0])
    with pytest.raises(TypeError, match="context offset"):
        call(lent_rows=[(0, 0)] * 3)
    with pytest.raises(TypeError, match="table"):
        call(table=np.zeros((2, 1 + len(ner_model._CONTEXT), len(model.labels))))  # float64


def _arabic_words() -> list[Token]:
    """Arabic tokens of the Arabic demo article and of random words: proclitics, marks, tatweel, Arabic-Indic
    digits, presentation forms, punctuation."""
    rng = random.Random(16)
    letters = [chr(code) for code in range(0x621, 0x64B)] + ["\u0640", "\u064e", "\u0651", "\u0663", "\ufe8d", "«"]
    texts = [(Path(__file__).parents[2] / "services/newsingest/demo/ar-aleppo-water.txt").read_text(encoding="utf-8")]
    for _ in range(3000):
        clitics = "".join(rng.choice(["و", "ب", "ال", "لل", "ف", "ك"]) for _ in range(rng.randint(0, 2)))
        texts.append(clitics + "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))))
    texts += ["حلب", "بحلب", "للعراق", "والأمم", "سوريا", "السورية"]
    return [token for text in texts for token in tokenize(text) if token.is_arabic]


@pytest.mark.skipif(ner_model._compiled_arabic_word_rows is None, reason="the C features were not built (no C compiler at install)")
@pytest.mark.parametrize("language", ner_model.LANGUAGES)
def test_the_compiled_arabic_features_are_the_python_features_rows(language: str) -> None:
    """The C path must look up the very features ``_word_features`` builds, in its order (the rows are summed in it)."""
    model = ner_model._model(language)
    words = _arabic_words()
    for word in words:
        own_rows: list[int] = []
        lent_rows: list[tuple[int, ...]] = []
        sizes = ner_model._compiled_arabic_word_rows(word.text, word.key, model._feature_tables, own_rows, lent_rows)
        own, seen = ner_model._word_features(word.text, word.key, True, language)
        assert sizes == (len(own), len(seen))
        assert own_rows == model._ids(own), word
        assert lent_rows == [model._context_rows.get(feature, model._no_context) for feature in seen], word
    assert len(words) > 3000
    # spellings tokenize never opens an Arabic word with, built as a caller could: a mark or punctuation first
    for text in ("«حلب", "\u064eبحلب", "-الأمم"):
        own_rows, lent_rows = [], []
        sizes = ner_model._compiled_arabic_word_rows(text, text, model._feature_tables, own_rows, lent_rows)
        own, seen = ner_model._word_features(text, text, True, language)
        assert any(feature.startswith("sh=p") for feature in own)
        assert sizes == (len(own), len(seen)) and own_rows == model._ids(own)
        assert lent_rows == [model._context_rows.get(feature, model._no_context) for feature in seen]
    assert "sh=p-" in model.attribute_ids  # a known attribute: a wrong punctuation shape would look up another row
    # a Latin shape takes _shape's patterns: left to the Python path, nothing appended
    own_rows, lent_rows = [], []
    assert ner_model._compiled_arabic_word_rows("Aleppo", "aleppo", model._feature_tables, own_rows, lent_rows) is None
    assert own_rows == lent_rows == []


def _other_words() -> list[Token]:
    """Tokens tokenize does not call Arabic: the demo articles' (Latin words, numbers, punctuation) and random
    spellings with title case letters, ligatures, accents, digits of other scripts and acronyms."""
    rng = random.Random(17)
    demo = Path(__file__).parents[2] / "services/newsingest/demo"
    texts = [path.read_text(encoding="utf-8") for path in sorted(demo.glob("*-*"))]
    texts += ["".join(rng.choice("aAbZzq09-'.éÉßǅﬁ٣\u0640Жж") for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    texts += ["UN", "NATO", "I", "A", "McCain", "F-16", "al-Assad", "2024", "Ǆemal", "ﬁre", "Straße", "Aaaaaaa", "aaBBccDD11"]
    return list({token.text: token for text in texts for token in tokenize(text) if not token.is_arabic}.values())


@pytest.mark.skipif(ner_model._compiled_other_word_rows is None, reason="the C features were not built (no C compiler at install)")
@pytest.mark.parametrize("language", ner_model.LANGUAGES)
def test_the_compiled_features_of_other_words_are_the_python_features_rows(language: str) -> None:
    """As for Arabic words: the very features of ``_word_features``, in its order; acronyms are left to Python."""
    model = ner_model._model(language)
    words, acronyms = _other_words(), 0
    for word in words:
        own_rows: list[int] = []
        lent_rows: list[tuple[int, ...]] = []
        sizes = ner_model._compiled_other_word_rows(word.text, word.key, model._feature_tables, own_rows, lent_rows)
        if sizes is None:  # the gazetteer is asked of an acronym's classes in Python
            assert len(word.text) > 1 and word.text.isupper() and own_rows == lent_rows == []
            acronyms += 1
            continue
        own, seen = ner_model._word_features(word.text, word.key, False, language)
        assert sizes == (len(own), len(seen))
        assert own_rows == model._ids(own), word
        assert lent_rows == [model._context_rows.get(feature, model._no_context) for feature in seen], word
    assert len(words) > 2000 and 0 < acronyms < len(words) // 10
    assert {"cap", "caps", "sh=Xx", "ls=Xxxxxx"} <= model.attribute_ids.keys()  # known: a wrong name would look up another row


def test_english_sentences_get_the_same_labels_without_the_compiled_features(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [tokenize(text) for text in _SENTENCES]
    expected = _Model(model_path("en")).decode(sentences)
    monkeypatch.setattr(ner_model, "_compiled_other_word_rows", None)
    assert _Model(model_path("en")).decode(sentences) == expected
    assert any(label != "O" for labels in expected for label in labels)


def test_arabic_sentences_get_the_same_labels_without_the_compiled_features(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [tokenize(text) for text in ("قال محافظ حلب إن ثلاثة أشخاص قتلوا في قصف على المدينة.",
                                             "وأضاف المرصد السوري لحقوق الإنسان أن فرق الإنقاذ وصلت من دمشق.")]
    expected = _Model(model_path("ar")).decode(sentences)
    monkeypatch.setattr(ner_model, "_compiled_arabic_word_rows", None)
    assert _Model(model_path("ar")).decode(sentences) == expected
    assert any(label != "O" for labels in expected for label in labels)


def test_the_quick_no_class_answer_is_the_class_lookups_answer() -> None:
    """Lexicon words with and without the article, Arabic and Latin place names and demonyms, and made-up Arabic
    and Latin words: where the quick test says "no class", the full chain of lookups finds none either; it answers
    for most."""
    places = list(itertools.islice(gazetteer._index().places, 400_000))
    arabic_places = [key for key in places if is_fold_fixed(key)][:20_000]
    latin_places = [key for key in places if key.isascii() and " " not in key][:20_000]
    keys = {*ner_model._LEXICON_WORDS, *(f"ال{word}" for word in ner_model._LEXICON_WORDS), *(f"ال{head}" for head in lx.AR_ORG_HEADS),
            *arabic_places, *latin_places, *(key.title() for key in latin_places[:1_000]), *gazetteer._demonyms(),
            "Aleppo", "aleppo", "ALEPPO", "الحلب", "بحلب", "700", "f16", "o'neill"}
    rng = random.Random(11)
    keys |= {"".join(rng.choices("ابتثجحخدذرزسشصضطظعغفقكلمنهويءة", k=rng.randint(2, 7))) for _ in range(20_000)}
    keys |= {"".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=rng.randint(2, 7))) for _ in range(20_000)}
    quick = [key for key in keys if ner_model._has_no_class(key)]
    assert all(ner_model._classes(key) == [] for key in quick)
    assert len(quick) > len(keys) // 3
