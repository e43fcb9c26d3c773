"""Articles several test modules feed the pipeline: a demo article, and one slow to extract."""

from __future__ import annotations

import random
import string

from tests.paths import REPO_ROOT

DEMO_ARTICLE = REPO_ROOT / "services" / "newsingest" / "demo" / "en-wire-ankara.json"


def slow_article(chars: int = 400_000) -> dict[str, str]:
    """A long article of distinct made-up words, dates and counts: seconds of extraction (no cache helps)."""
    rng = random.Random(7)

    def word() -> str:
        letters = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
        return letters.capitalize() if rng.random() < 0.3 else letters

    sentences: list[str] = []
    while sum(map(len, sentences)) < chars:
        sentences.append(f"{' '.join(word() for _ in range(12))} said on {rng.randint(1, 28)} March that {rng.randint(2, 900)} people were killed.")
    return {"id": "slow-article", "body": "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))}
