"""Topic accuracy on articles the model never saw: the held-out fifth of BBC News and SaudiNewsNet's sections.

    newsingest eval topics [--shared DIR] [--model FILE]

* BBC News (English): the fifth of the articles that training leaves out
  (:func:`~newsingest.devtools.corpora.bbc_held_out`); folders → IPTC codes. Accuracy,
  macro-F1 over the five folders, the confusion matrix.
* SaudiNewsNet (Arabic, never trained on): articles whose URL names a section — Al-Watan
  Politics/Sports/Economy/Culture, Ain Alyoum finance/sports/culture/technology — and the two sports
  papers. A politics section counts politics or conflict as right. Half of them, by a hash of the URL,
  were read while the seed lists were written (``dev``); the other half never were (``test``).
  Al-Watan's Local section and Al-Eqtisadiya (an economy paper whose site also runs general news) have
  no single gold topic: their share per topic is shown.
* CoNLL-2003 dev documents (English, Reuters 1996; the training part uses the train documents):
  World / Sports / Business as AG News-style classes given by this project (``data/conll_dev_topics.tsv``).
  World counts politics, conflict, disaster, crime or health as right: it measures news beyond BBC.
* Calibration: expected calibration error of the top score (ten bins) per language; cost per article.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

from newsingest.devtools.corpora import BBC_TOPICS, bbc_articles, bbc_held_out, conll_documents, saudinewsnet_articles, shared_dir
from newsingest.stages.enrich.topics import MODEL_PATH, TOPICS, TopicModel, classify, load_model

ECONOMY, SPORT, ARTS, SCIENCE = "medtop:04000000", "medtop:15000000", "medtop:01000000", "medtop:13000000"
POLITICS_OR_CONFLICT = frozenset({"medtop:11000000", "medtop:16000000"})
# (outlet, first URL path segment) → the topics that count as right
SECTIONS: dict[tuple[str, str], frozenset[str]] = {
    ("alwatan", "Politics"): POLITICS_OR_CONFLICT, ("alwatan", "Sports"): frozenset({SPORT}),
    ("alwatan", "Economy"): frozenset({ECONOMY}), ("alwatan", "Culture"): frozenset({ARTS}),
    ("3alyoum", "finance"): frozenset({ECONOMY}), ("3alyoum", "sports"): frozenset({SPORT}),
    ("3alyoum", "culture"): frozenset({ARTS}), ("3alyoum", "technology"): frozenset({SCIENCE}),
    ("arreyadi", ""): frozenset({SPORT}), ("arriyadiyah", ""): frozenset({SPORT}),
}
UNLABELLED_SECTIONS = {("alwatan", "Local"), ("aleqtisadiya", "")}
NEWS_CLASSES = {"world": POLITICS_OR_CONFLICT | {"medtop:03000000", "medtop:02000000", "medtop:07000000"},
                "sports": frozenset({SPORT}), "business": frozenset({ECONOMY})}
CONLL_LABELS = Path(__file__).with_name("data") / "conll_dev_topics.tsv"
_SHORT = {code: label.split(",")[0].split(" ")[0] for code, label in TOPICS.items()}


def section(outlet: str, url: str) -> tuple[str, str]:
    """(outlet, section) of a SaudiNewsNet URL; the section is empty for single-topic papers."""
    if outlet in ("alwatan", "3alyoum"):
        parts = unquote(urlparse(url).path).split("/")
        return outlet, parts[1] if len(parts) > 1 else ""
    return outlet, ""


def snn_split(url: str) -> str:
    """``dev`` for the half of SaudiNewsNet read while writing the seed lists, else ``test``."""
    return "dev" if zlib.crc32(url.encode()) % 2 == 0 else "test"


def calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error: |accuracy − mean score| per score bin, weighted by the bin's share."""
    grouped: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for score, right in pairs:
        grouped[min(int(score * bins), bins - 1)].append((score, right))
    return sum(abs(sum(r for _, r in g) - sum(s for s, _ in g)) for g in grouped.values()) / max(len(pairs), 1)


def evaluate_bbc(shared: Path, model: TopicModel | None = None) -> dict[str, object]:
    confusion: Counter[tuple[str, str]] = Counter()
    pairs: list[tuple[float, bool]] = []
    started, total = time.process_time(), 0
    for article in bbc_articles(shared):
        if not bbc_held_out(article["id"]):
            continue
        gold = BBC_TOPICS[article["id"].split("-")[1]]
        found = classify(article["title"], article["body"], model)
        total += 1
        predicted = found["code"] if found else "none"
        confusion[gold, predicted] += 1
        if found:
            pairs.append((found["score"], predicted == gold))
    elapsed = time.process_time() - started
    right = sum(n for (g, p), n in confusion.items() if g == p)
    f1 = []
    for code in BBC_TOPICS.values():
        tp = confusion[code, code]
        fp = sum(n for (g, p), n in confusion.items() if p == code and g != code)
        fn = sum(n for (g, p), n in confusion.items() if g == code and p != code)
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"articles": total, "accuracy": right / total, "macro_f1": sum(f1) / len(f1), "confusion": confusion,
            "without_topic": sum(n for (_, p), n in confusion.items() if p == "none"),
            "ece": calibration_error(pairs), "ms": 1000 * elapsed / total}


def evaluate_saudinewsnet(shared: Path, model: TopicModel | None = None) -> dict[str, object]:
    found_by: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, str, str], list[bool]] = defaultdict(list)  # (split, outlet, section)
    pairs: list[tuple[float, bool]] = []
    for article in saudinewsnet_articles(shared):
        key = section(article["source"], article["url"] or "")
        if key not in SECTIONS and key not in UNLABELLED_SECTIONS:
            continue
        found = classify(article["title"], article["body"], model)
        code = found["code"] if found else "none"
        found_by[key][code] += 1
        if key in SECTIONS:
            ok = code in SECTIONS[key]
            right[snn_split(article["url"]), *key].append(ok)
            if found:
                pairs.append((found["score"], ok))
    return {"right": right, "found_by": found_by, "ece": calibration_error(pairs)}


def evaluate_conll_dev(shared: Path, model: TopicModel | None = None) -> dict[str, list[bool]]:
    """Right or wrong per labelled CoNLL-2003 dev document, by class."""
    documents = conll_documents(shared / "eval/ner/conll2003-en/dev.txt")
    right: dict[str, list[bool]] = defaultdict(list)
    for line in CONLL_LABELS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            index, label = line.split("\t")
            found = classify(*documents[int(index)], model)
            right[label].append(found is not None and found["code"] in NEWS_CLASSES[label])
    return right


def _share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f} ({sum(values)}/{len(values)})" if values else "-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder (default: ../shared)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="a topic model file (default: the shipped one)")


def main(args: argparse.Namespace) -> int:
    shared = args.shared or shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: pass --shared")
    model = load_model(args.model)
    bbc = evaluate_bbc(shared, model)
    print(f"BBC News, held-out fifth: {bbc['articles']} articles, accuracy {bbc['accuracy']:.3f}, "
          f"macro-F1 {bbc['macro_f1']:.3f}, without a topic {bbc['without_topic']}, calibration error {bbc['ece']:.3f}, "
          f"{bbc['ms']:.2f} ms CPU an article")
    columns = list(TOPICS)
    print("  gold \\ found   " + " ".join(f"{_SHORT[c][:8]:>8}" for c in columns))
    for folder, gold in BBC_TOPICS.items():
        print(f"  {folder:14} " + " ".join(f"{bbc['confusion'][gold, c]:>8}" for c in columns))
    news = evaluate_conll_dev(shared, model)
    print(f"CoNLL-2003 dev documents (Reuters 1996): accuracy {_share([v for vs in news.values() for v in vs])}; "
          + ", ".join(f"{label} {_share(values)}" for label, values in news.items()))
    snn = evaluate_saudinewsnet(shared, model)
    right = snn["right"]
    for split in ("test", "dev"):
        values = [v for (s, _, _), vs in right.items() if s == split for v in vs]
        print(f"SaudiNewsNet sections, {split} half: accuracy {_share(values)}")
        for outlet in ("alwatan", "3alyoum", "arreyadi", "arriyadiyah"):
            print(f"  {outlet:12} {_share([v for (s, o, _), vs in right.items() if s == split and o == outlet for v in vs])}")
    print(f"  calibration error (both halves) {snn['ece']:.3f}")
    print("Found topics per section (both halves):")
    for key in [*SECTIONS, *UNLABELLED_SECTIONS]:
        counts = snn["found_by"][key]
        shares = ", ".join(f"{_SHORT.get(c, c)} {n}" for c, n in counts.most_common(5))
        print(f"  {'/'.join(k for k in key if k):20} {sum(counts.values()):5}  {shares}")
    return 0
