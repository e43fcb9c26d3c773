"""Geoparsing on LGL-style corpora: toponym recognition and resolution, scored against gold spans and coordinates.

Two scores per corpus:

* **resolution** — the gold toponym phrases are given to :func:`newsingest.geo.geocode.resolve`, with
  what the text around them says as the pipeline reads it (a phrase written before another as its
  container, "Paris, Texas"; a name in a county list, "Swift and Wilkin counties") and the country of
  the article's URL; accuracy within 161 km over all gold toponyms (one the gazetteer cannot place is a miss).
* **end to end** — the article text (and its URL, where the corpus has one) goes through the real
  pipeline (clean → extract → enrich, each via ``run_stage``); every mention of a geocoded ``locations`` entry is a predicted toponym. A prediction
  matches a gold toponym when their spans overlap (Gritta et al. 2019's inexact match); precision,
  recall and F1 on spans, and accuracy within 161 km over the matched toponyms.

Clean may change the text a little (spacing, quotes), so predicted spans are mapped back to the
corpus text by finding the mention's surface form nearest to its relative position.

    newsingest eval geoparsing [CORPUS.xml …] [--limit N]

Default corpora: LGL, GeoVirus and TR-News from ``../shared/eval/geoparsing/corpora``; the published
LGL scores of other systems (``lgl-system-outputs/results_lgl.txt``) are printed beside ours.
"""

from __future__ import annotations

import argparse
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsingest.devtools.corpora import GoldToponym, geoparsing_articles, shared_dir
from newsingest.geo.gazetteer import Place
from newsingest.geo.geocode import distance_km, resolve, source_country
from newsingest.geo.toponyms import containers, county_lists
from newsingest.pipeline import process_value
from newsingest.runtime.deadletters import Origin

ACCURACY_KM = 161.0
_CORPORA = ("lgl.xml", "GeoVirus.xml", "TR-News.xml")


def _place(gold: GoldToponym) -> Place:
    return Place(None, gold.phrase, gold.lat, gold.lon, None, "P", None, 0, None)


@dataclass(frozen=True)
class Resolution:
    toponyms: int
    resolved: int
    accuracy_161: float
    median_error_km: float | None


@dataclass(frozen=True)
class EndToEnd:
    gold: int
    predicted: int
    matched: int
    accuracy_161: float  # over matched toponyms
    median_error_km: float | None
    failed: int = 0  # articles the pipeline dead-lettered (their gold toponyms count as missed)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_resolution(path: Path, limit: int | None = None) -> Resolution:
    """Resolve every gold toponym (phrases given) and score the picks."""
    errors: list[float] = []
    total = 0
    for text, gold, url in geoparsing_articles(path, limit):
        total += len(gold)
        counties = county_lists(text)  # "Swift and Wilkin counties": the names are counties
        names = [counties[g.start][1] if g.start in counties else g.phrase for g in gold]
        picks = resolve(names, text, containers([[(g.start, g.end)] for g in gold], text),
                        source_country(url))
        errors += [distance_km(p, _place(g)) for p, g in zip(picks, gold, strict=True) if p is not None]
    hits = sum(e <= ACCURACY_KM for e in errors)
    return Resolution(total, len(errors), hits / total if total else 0.0, statistics.median(errors) if errors else None)


def _to_source(mention: dict, clean: str, source: str) -> tuple[int, int] | None:
    """The span in ``source`` of a mention found at ``mention["start"]`` in the cleaned ``clean``."""
    surface = mention["text"]
    expected = mention["start"] * len(source) / max(len(clean), 1)
    starts = [m.start() for m in re.finditer(re.escape(surface), source)]
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - expected))
    return start, start + len(surface)


def predicted_toponyms(text: str, article_id: str, url: str | None = None) -> list[tuple[int, int, Place]] | None:
    """(start, end, place) in ``text`` for every mention of a place the pipeline geocoded; ``None`` when
    the pipeline dead-lettered the article."""
    raw = {"id": article_id, "body": text} | ({"url": url} if url else {})
    ok, record = process_value(orjson.dumps(raw), Origin("eval", 0, 0), max_bytes=1 << 24)
    if not ok:
        return None
    found = []
    for location in record["locations"]:
        place = Place(location["geonames_id"], location["name"], location["lat"], location["lon"],
                      location["country_code"], location["feature_class"], None, location["population"], None)
        for mention in location["mentions"]:
            span = _to_source(mention, record["text"], text)
            if span:
                found.append((*span, place))
    return found


def score_end_to_end(path: Path, limit: int | None = None) -> EndToEnd:
    """Run the pipeline on each article's text and score its geocoded mentions against the gold."""
    gold_total = predicted_total = failed = 0
    errors: list[float] = []
    for index, (text, gold, url) in enumerate(geoparsing_articles(path, limit)):
        predictions = predicted_toponyms(text, f"{path.stem}-{index}", url)
        failed += predictions is None
        predictions = predictions or []
        gold_total += len(gold)
        predicted_total += len(predictions)
        unmatched = list(gold)
        for start, end, place in sorted(predictions):
            match = next((g for g in unmatched if g.start < end and start < g.end), None)
            if match is not None:
                unmatched.remove(match)
                errors.append(distance_km(place, _place(match)))
    hits = sum(e <= ACCURACY_KM for e in errors)
    return EndToEnd(gold_total, predicted_total, len(errors), hits / len(errors) if errors else 0.0,
                    statistics.median(errors) if errors else None, failed)


def published_lgl(path: Path) -> list[tuple[str, float, float, float, float]]:
    """(system, precision, recall, F1, acc@161 on its own toponyms) from ``results_lgl.txt``."""
    rows = []
    for block in path.read_text(encoding="utf-8").split("Stats for ")[1:]:
        values: dict[str, str] = {}
        for name, value in re.findall(r"^(Precision|Recall|F-Score|Accuracy to 161 km):\s+([\d.]+)", block, re.MULTILINE):
            values.setdefault(name, value)  # the first accuracy is on the system's own toponyms
        if len(values) == 4:
            rows.append((block.split("\n", 1)[0].strip(), float(values["Precision"]), float(values["Recall"]),
                         float(values["F-Score"]), float(values["Accuracy to 161 km"])))
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpora", nargs="*", type=Path, help="LGL-style XML files (default: the three in ../shared/eval/geoparsing/corpora)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles of each corpus")
    parser.add_argument("--resolution-only", action="store_true", help="skip the end-to-end run (gold spans only)")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(args: argparse.Namespace) -> int:
    shared = shared_dir()
    corpora = args.corpora or ([shared / "eval/geoparsing/corpora" / name for name in _CORPORA] if shared else [])
    if not corpora:
        raise SystemExit("no corpus given and ../shared is absent: pass the path of an LGL-style XML file")
    print(f"{'corpus / system':28} {'P':>6} {'R':>6} {'F1':>6} {'acc@161':>8} {'median km':>10}  {'resolution acc@161 (gold spans)':>32}")
    for corpus in corpora:
        resolution = score_resolution(corpus, args.limit)
        run = None if args.resolution_only else score_end_to_end(corpus, args.limit)
        median = run.median_error_km if run else resolution.median_error_km
        print(f"{'newsingest · ' + corpus.stem:28} {_fmt(run and run.precision):>6} {_fmt(run and run.recall):>6} "
              f"{_fmt(run and run.f1):>6} {_fmt(run and run.accuracy_161):>8} {median or 0:>10.1f}  "
              f"{resolution.accuracy_161:>10.3f} ({resolution.resolved}/{resolution.toponyms} placed)"
              + (f"  {run.failed} articles dead-lettered" if run and run.failed else ""))
        anchors = shared / "eval/geoparsing/lgl-system-outputs/results_lgl.txt" if shared else None
        if corpus.stem == "lgl" and anchors and anchors.exists():
            for system, p, r, f1, accuracy in published_lgl(anchors):
                print(f"{'  published · ' + system:28} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {accuracy:>8.3f}")
    return 0
