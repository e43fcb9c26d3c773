"""The teacher-labelling step's pure parts (no Java): our tokens grouped into the teacher's words, its
output read back, and its labels turned into IOB2 tags of our tokens."""

from __future__ import annotations

from newsingest.devtools.training.teacher_labels import article_sentences, parse_output, token_tags, word_units
from newsingest.stages.extract.conll import entity_spans
from newsingest.text.tokens import tokenize


def _words(text: str) -> list[str]:
    tokens = tokenize(text)
    return ["".join(t.text for t in tokens[first:last + 1]) for first, last in word_units(tokens)]


def test_glued_tokens_are_one_word_for_the_teacher() -> None:
    assert _words("Mr. Blair's U.S.-based firm") == ["Mr.", "Blair", "'s", "U.S.", "-", "based", "firm"]
    assert _words("Coca-Cola and AT&T hired O'Neill, who don't know J.K. Rowling.") == [
        "Coca-Cola", "and", "AT&T", "hired", "O'Neill", ",", "who", "don't", "know", "J.K.", "Rowling", "."]
    assert _words("a - b, it's 7,500 $") == ["a", "-", "b", ",", "it", "'s", "7,500", "$"]  # spaced hyphen: three words
    tokens = tokenize("In the U.S. today")
    units = word_units(tokens)
    assert units[0] == (0, 0) and units[-1] == (len(tokens) - 1, len(tokens) - 1)
    assert [i for first, last in units for i in range(first, last + 1)] == list(range(len(tokens)))  # a partition


def test_classifier_output_is_read_by_sentence() -> None:
    output = ["Tony\tO\tPERSON\n", "Blair\tO\tPERSON\n", "spoke\tO\tO\n", "\n", "In\tO\tO\n", "Paris\tO\tLOCATION\n",
              "\n", "\n", "Last\tO\tO\n"]
    assert list(parse_output(output)) == [[("Tony", "PERSON"), ("Blair", "PERSON"), ("spoke", "O")],
                                          [("In", "O"), ("Paris", "LOCATION")], [("Last", "O")]]


def test_teacher_labels_become_iob2_tags_of_our_tokens() -> None:
    tokens = tokenize("Mr. Blair's Coca-Cola deal with German firms in the U.S. and Apple")
    units = word_units(tokens)
    words = ["".join(t.text for t in tokens[a:b + 1]) for a, b in units]
    assert words == ["Mr.", "Blair", "'s", "Coca-Cola", "deal", "with", "German", "firms", "in", "the", "U.S.", "and", "Apple"]
    labels = ["O", "PERSON", "O", "ORGANIZATION", "O", "O", "MISC", "O", "O", "O", "LOCATION", "O", "ORGANIZATION"]
    tags = token_tags(units, labels)
    assert len(tags) == len(tokens)
    spans = {(kind, "".join(t.text for t in tokens[a:b + 1])) for kind, a, b in entity_spans(tags)}
    assert spans == {("PER", "Blair"), ("ORG", "Coca-Cola"), ("LOC", "U.S."), ("ORG", "Apple")}  # MISC → O
    assert all(tag == "O" or tag[0] in "BI" and tag[1] == "-" for tag in tags)
    assert tags[tokens.index(next(t for t in tokens if t.text == "Cola"))] == "I-ORG"


def test_a_run_of_one_label_is_one_entity_and_b_labels_split() -> None:
    units = [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert token_tags(units, ["PERSON", "PERSON", "LOCATION", "O"]) == ["B-PER", "I-PER", "B-LOC", "O"]
    assert token_tags(units, ["B-PER", "I-PER", "B-PER", "I-PER"]) == ["B-PER", "I-PER", "B-PER", "I-PER"]


def test_sentences_are_cut_as_the_extract_stage_cuts_them() -> None:
    text = "Blair wins vote\n\nMr. Blair met U.S. officials in London. They agreed."
    sentences = [" ".join(t.text for t in tokens) for tokens in article_sentences(text)]
    assert sentences == ["Blair wins vote", "Mr . Blair met U . S . officials in London .", "They agreed ."]
