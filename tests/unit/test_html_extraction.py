"""Main-text extraction from whole pages: the scorers of ``newsingest eval extraction`` and a regression floor.

The floors sit a little below what the clean stage reached on the shared sets (zyte-aeb F1 0.967,
CleanPortalEval F1 0.935, wcxb-dev F1 0.945; see README "Evaluation"): a change that loses more fails CI. trafilatura is
not run here; the command runs it beside us.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.devtools.eval.extraction import (
    Extracted,
    Page,
    bag_of_words_page,
    cleaneval_page,
    load_dataset,
    marked_paragraphs,
    metadata_hits,
    ours,
    run,
    shingle_counts,
    shingle_score,
)
from newsingest.stages.clean.html_text import html_to_article

FLOORS = {"zyte-aeb": 0.960, "cleanportaleval": 0.930, "wcxb-dev": 0.940}


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
    result = run(ours, load_dataset(folder))
    score = result.score
    print(f"{name}: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f} ({result.pages_per_second:.0f} pages/s)")
    assert score.f1 >= FLOORS[name]


def test_bag_of_words_follows_wcxb() -> None:
    assert bag_of_words_page("One two two", "two One two") == (1.0, 1.0, 1.0)
    assert bag_of_words_page("a b c d", "a b x") == pytest.approx((2 / 3, 1 / 2, 4 / 7))
    assert bag_of_words_page("a b", "") == (0.0, 0.0, 0.0)


def test_metadata_hits_compare_words_name_sets_and_days() -> None:
    gold = {"title": "Top 10 Apps", "author": "Ann Lee and Bo Chan", "date": "2025-09-04"}
    found = Extracted("", "top 10 apps!", ["Bo Chan", "Ann Lee"], "2025-09-04T21:00:00-04:00")
    assert metadata_hits(gold, found) == {"title": True, "authors": True, "date": True}
    assert metadata_hits({"title": "T", "author": None, "date": None}, Extracted("", "U", ["X"], None)) == {"title": False, "authors": False, "date": True}


_PROSE = "The council met on Tuesday, and after a long debate, it voted to widen the road, fund the library, and hire staff."


def _page(body: str) -> str:
    return f"<!doctype html><html><body><nav><a href='/'>Home</a></nav>{body}<footer>© Paper</footer></body></html>"


def test_an_article_cut_into_sections_of_one_kind_is_read_whole() -> None:
    first = "".join(f"<p>{_PROSE} Part one, item {i}.</p>" for i in range(6))
    later = "".join(f"<section class='chunk'><div class='text'><p>{_PROSE} Part {n}.</p><p>{_PROSE} Again {n}.</p></div></section>" for n in range(2, 5))
    page = _page(f"<main><section class='chunk'><div class='text'>{first}</div></section>{later}</main>")
    text = "\n".join(html_to_article(page).paragraphs)
    assert "Part one, item 0." in text and "Part 4." in text


def test_a_data_table_does_not_stand_for_the_article() -> None:
    rows = "".join(f"<tr><td>Player {i}, a tackle, a guard, a centre, a kicker</td><td>{i}, {i + 1}, {i + 2}</td></tr>" for i in range(12))
    prose = "".join(f"<p>{_PROSE} Note {i}.</p>" for i in range(3))
    page = _page(f"<div class='entry'><p>Below we list the plays, the players, and the stats.</p><div><table><tbody>{rows}</tbody></table></div>{prose}</div>")
    text = "\n".join(html_to_article(page).paragraphs)
    assert "Player 3, a tackle" in text and "Note 2." in text


def test_an_article_cut_into_blocks_of_different_kinds_is_read_whole() -> None:
    intro = f"<div class='intro'><p>{_PROSE} Intro.</p></div>"
    steps = "".join(f"<li>{_PROSE} Step {i}.</li>" for i in range(8))
    card = f"<div class='card'><h2>Ingredients</h2><ul><li>2 cups flour</li><li>1 egg</li></ul><h2>Method</h2><ol>{steps}</ol></div>"
    menu = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(20))
    page = _page(f"<div class='wrap'><div class='grid'>{intro}</div><div class='grid2'><div class='box'>{card}</div></div></div><ul>{menu}</ul>")
    text = "\n".join(html_to_article(page).paragraphs)
    assert "Intro." in text and "2 cups flour" in text and "Step 7." in text and "Section 3" not in text


def test_comments_are_not_taken_for_more_of_the_article() -> None:
    article = "".join(f"<p>{_PROSE} Point {i}.</p>" for i in range(3))
    comments = "".join(f"<li class='commententry'><div class='commentContent'><p>{_PROSE} Reader {i} wrote this.</p></div></li>" for i in range(6))
    page = _page(f"<div class='page'><div class='post'>{article}</div><div class='postcomments'><ul>{comments}</ul></div></div>")
    text = "\n".join(html_to_article(page).paragraphs)
    assert "Point 2." in text and "Reader" not in text


def test_code_keeps_its_highlighted_comments() -> None:
    code = "<pre><code><span class='token comment'># stage every file</span>\ngit add .</code></pre>"
    page = _page(f"<article>{''.join(f'<p>{_PROSE} {i}.</p>' for i in range(3))}{code}</article>")
    assert "# stage every file" in "\n".join(html_to_article(page).paragraphs)
