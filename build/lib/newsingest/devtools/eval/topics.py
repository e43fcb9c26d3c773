"""Topic accuracy on the BBC News corpus: its five folders are the gold labels, mapped to IPTC Media Topics.

The lexicon classifier (:mod:`newsingest.stages.enrich.topics`) was not fitted on this corpus, so every article
is held out. A prediction outside the five mapped topics counts as wrong.

    newsingest eval topics [BBC_DIR]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from newsingest.devtools.corpora import shared_dir
from newsingest.stages.enrich.topics import TOPICS, classify

# BBC folder → IPTC Media Topics code
BBC_LABELS = {
    "business": "medtop:04000000",
    "entertainment": "medtop:01000000",
    "politics": "medtop:11000000",
    "sport": "medtop:15000000",
    "tech": "medtop:13000000",
}


def evaluate(root: Path) -> tuple[float, int, Counter[tuple[str, str]]]:
    """(accuracy, articles, confusion counts (gold folder, predicted code or "none"))."""
    confusion: Counter[tuple[str, str]] = Counter()
    for folder in BBC_LABELS:
        for path in sorted((root / folder).glob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
            found = classify(title, body)
            confusion[folder, found["code"] if found else "none"] += 1
    total = sum(confusion.values())
    right = sum(n for (folder, code), n in confusion.items() if BBC_LABELS[folder] == code)
    return (right / total if total else 0.0), total, confusion


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="?", type=Path, default=None, help="BBC folder (default: ../shared/corpus/bbc-news-en/bbc)")


def main(args: argparse.Namespace) -> int:
    shared = shared_dir()
    root = args.corpus or (shared / "corpus/bbc-news-en/bbc" if shared else None)
    if root is None:
        raise SystemExit("no corpus given and ../shared is absent: pass the BBC folder")
    accuracy, total, confusion = evaluate(root)
    print(f"BBC News: {total} articles, topic accuracy {accuracy:.3f}")
    for folder, code in BBC_LABELS.items():
        row = {c: n for (f, c), n in confusion.items() if f == folder}
        right = row.get(code, 0)
        wrong = ", ".join(f"{TOPICS[c][0] if c in TOPICS else c}: {n}" for c, n in sorted(row.items(), key=lambda x: -x[1]) if c != code)
        print(f"  {folder:14} {right}/{sum(row.values())}  confused with: {wrong or '-'}")
    return 0
