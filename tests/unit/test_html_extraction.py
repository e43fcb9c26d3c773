"""Main-text extraction scored against the Zyte article-extraction benchmark (word 4-gram precision/recall).

The test scores a fixed sample of pages; run this file as a script to score all 181:
``.venv/bin/python tests/unit/test_html_extraction.py``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from newsingest.stages.clean import clean

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "extraction" / "zyte-aeb"
_TOKEN = re.compile(r"\w+")
SAMPLE_EVERY = 7
MIN_SAMPLE_F1 = 0.9


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def page_scores(gold: str, predicted: str) -> tuple[float, float]:
    """Precision and recall of ``predicted``'s word 4-grams against ``gold``'s (the benchmark's own measure)."""
    truth, guess = _shingles(gold), _shingles(predicted)
    hits = sum((truth & guess).values())
    extra, missed = sum((guess - truth).values()), sum((truth - guess).values())
    precision = hits / (hits + extra) if hits + extra else float(missed == 0)
    recall = hits / (hits + missed) if hits + missed else 1.0
    return precision, recall


def score(every: int = 1) -> tuple[float, float, float]:
    """Macro precision, recall and F1 over every ``every``-th benchmark page."""
    gold = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    results = []
    for key in sorted(gold)[::every]:
        html = gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        record = clean({"id": key, "body": html, "content_type": "text/html"})
        results.append(page_scores(gold[key]["articleBody"], record["text"]))
    precision = sum(p for p, _ in results) / len(results)
    recall = sum(r for _, r in results) / len(results)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_page_scores() -> None:
    assert page_scores("a b c d e", "a b c d e") == (1.0, 1.0)
    assert page_scores("a b c d e", "x y z w") == (0.0, 0.0)


def test_extraction_quality_on_a_benchmark_sample() -> None:
    if not (BENCHMARK / "ground-truth.json").exists():
        pytest.skip("../shared benchmark not present")
    precision, recall, f1 = score(SAMPLE_EVERY)
    print(f"zyte-aeb sample: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    assert f1 >= MIN_SAMPLE_F1


if __name__ == "__main__":
    p, r, f = score(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(f"zyte-aeb: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
