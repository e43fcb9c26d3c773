"""Main-text extraction from whole pages: the scorers of ``newsingest eval extraction`` and a regression floor.

The floors sit a little below what the clean stage reached on the shared sets (zyte-aeb F1 0.966,
CleanPortalEval F1 0.935; see README "Evaluation"): a change that loses more fails CI. trafilatura is
not run here; the command runs it beside us.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.eval.extraction import (
    Page,
    cleaneval_page,
    load_dataset,
    marked_paragraphs,
    ours,
    run,
    shingle_counts,
    shingle_score,
)

FLOORS = {"zyte-aeb": 0.955, "cleanportaleval": 0.925}


def test_shingle_counts_follow_the_benchmark() -> None:
    assert shingle_counts("a b c d e", "a b c d e") == (2, 0, 0)
    assert shingle_counts("a b c d e", "x y z w") == (0, 1, 2)
    assert shingle_counts("a b", "a b") == (1, 0, 0)  # a text under four tokens is one shingle
    assert shingle_counts("a b c d", "") == (0, 0, 1)


def test_shingle_score_skips_empty_predictions_in_precision() -> None:
    pages = [Page("1", "", "one two three four five"), Page("2", "", "six seven eight nine")]
    score = shingle_score(pages, ["one two three four five", ""])
    assert score.precision == 1.0  # the empty prediction does not count towards precision ...
    assert score.recall == 0.5  # ... but its missed gold counts towards recall


def test_cleaneval_page_aligns_words_and_segment_markers() -> None:
    gold = "URL: http://example.com/a\n<h>Title here\n<p>First words of the text.\n<l>an item"
    assert cleaneval_page(gold, marked_paragraphs("Title here\n\nFirst words of the text.\n\nan item")) == (1.0, 1.0, 1.0)
    precision, recall, _ = cleaneval_page(gold, marked_paragraphs("Title here\n\nSubscribe now"))
    # words: "" <p> Title here <p> Subscribe now (7) against "" <p> Title here <p> First … <p> an item (13)
    assert precision == pytest.approx(5 / 7) and recall == pytest.approx(5 / 13)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extraction_stays_above_its_floor(shared: Path, name: str) -> None:
    folder = shared / "eval" / "extraction" / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    score, pages_per_second = run(ours, load_dataset(folder))
    print(f"{name}: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f} ({pages_per_second:.0f} pages/s)")
    assert score.f1 >= FLOORS[name]
