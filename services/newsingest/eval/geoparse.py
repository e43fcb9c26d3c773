"""Toponym resolution on LGL-style corpora: gold spans in, accuracy within 161 km and median error out.

Only geocoding is scored (the gold toponym phrases are given), so the figure measures
:func:`newsingest.nlp.geocode.resolve` and the gazetteer, not entity recognition. A toponym the
gazetteer cannot place counts as a miss.

    python -m newsingest.eval.geoparse [path/to/lgl.xml] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsingest.corpora import shared_dir
from newsingest.nlp.gazetteer import Place
from newsingest.nlp.geocode import distance_km, resolve

ACCURACY_KM = 161.0


@dataclass(frozen=True)
class Gold:
    phrase: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Score:
    toponyms: int
    resolved: int
    accuracy_161: float
    median_error_km: float | None


def articles(path: Path) -> Iterator[tuple[str, list[Gold]]]:
    """(text, gold toponyms with coordinates) per article."""
    for article in ET.parse(path).getroot().iter("article"):
        gold = [
            Gold(t.findtext("phrase", ""), float(t.findtext("gaztag/lat")), float(t.findtext("gaztag/lon")))
            for t in article.iter("toponym")
            if t.findtext("gaztag/lat")
        ]
        yield article.findtext("text", ""), gold


def evaluate(path: Path, limit: int | None = None) -> Score:
    """Resolve every gold toponym of the first ``limit`` articles and score the picks."""
    errors: list[float] = []
    total = 0
    for index, (text, gold) in enumerate(articles(path)):
        if limit is not None and index >= limit:
            break
        total += len(gold)
        picks: list[Place | None] = resolve([g.phrase for g in gold], text)
        errors += [distance_km(p, Place(None, "", g.lat, g.lon, None, "P", None, 0, None))
                   for p, g in zip(picks, gold, strict=True) if p is not None]
    hits = sum(e <= ACCURACY_KM for e in errors)
    return Score(total, len(errors), hits / total if total else 0.0, statistics.median(errors) if errors else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = shared_dir()
    default = shared / "eval/geoparsing/corpora/lgl.xml" if shared else None
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if args.corpus is None:
        parser.error("no corpus given and ../shared is absent")
    score = evaluate(args.corpus, args.limit)
    print(f"toponyms {score.toponyms}  resolved {score.resolved} ({score.resolved / max(score.toponyms, 1):.1%})  "
          f"acc@161km {score.accuracy_161:.3f}  median error {score.median_error_km:.1f} km")


if __name__ == "__main__":
    main()
