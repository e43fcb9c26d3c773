"""The English news NER gold written for this project: it reads as CoNLL, its tags are valid IOB2 in the
CoNLL-2003 tag set, and each file is large enough to measure PER/LOC/ORG on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newsingest.devtools.eval.ner import EN_NEWS_DIR, english_news_sets
from newsingest.stages.extract.conll import TYPES, entity_spans, read_conll

FILES = sorted(EN_NEWS_DIR.glob("en_news_*.conll"))
TAGS = {"O"} | {f"{prefix}-{kind}" for prefix in "BI" for kind in (*TYPES, "MISC")}


def _raw_tags(path: Path) -> list[list[str]]:
    sentences: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences[-1].append(line.split("\t")[-1])
        elif sentences[-1]:
            sentences.append([])
    return [tags for tags in sentences if tags]


def test_dev_and_test_files_ship() -> None:
    assert [path.name for path in FILES] == ["en_news_dev.conll", "en_news_test.conll"]
    assert [ner_set.language for ner_set in english_news_sets()] == ["en", "en"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_lines_are_token_tab_tag(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line:
            token, tag = line.split("\t")
            assert token.strip() == token and token and " " not in token, (number, line)
            assert tag in TAGS, (number, line)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_tags_are_iob2(path: Path) -> None:
    for tags in _raw_tags(path):
        for before, tag in zip(["O", *tags], tags):
            if tag.startswith("I-"):
                assert before in (f"B-{tag[2:]}", tag), tags


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_size_and_reader_agree(path: Path) -> None:
    sentences = read_conll(path)
    assert len(sentences) == len(_raw_tags(path)) >= 140
    counts = Counter(kind for sentence in sentences for kind, _, _ in entity_spans(sentence.tags))
    assert sum(counts[kind] for kind in TYPES) >= 300
    assert all(counts[kind] >= 60 for kind in TYPES), counts
