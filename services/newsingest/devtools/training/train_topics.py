"""Train the topic model (:mod:`newsingest.stages.enrich.topics`): multinomial logistic regression over stem features.

    python -m newsingest.devtools.training.train_topics [--output PATH] [--c 10] [--bags 600] [--confidence 0.6]

Training data (read from ``../shared``, never copied into the project; the model card in the README
names each set and its terms):

* BBC News (``corpus/bbc-news-en``), five folders as labels, less the fifth held out for
  ``newsingest eval topics`` (:func:`~newsingest.devtools.corpora.bbc_held_out`, a stable hash of the article id).
* Seed bags: the project's own topic word lists (``topic_seeds/en.txt``, ``topic_seeds/ar.txt``) for
  all nine topics and both languages. Each bag is a few seed words or phrases of one topic mixed with
  common words drawn from unlabelled news, so the model learns the seeds and not the filler.
  They carry the topics and the language BBC lacks.
* Self-labelled news: the CoNLL-2003 English training documents (Reuters, 1996) and Arabic newswire
  and Wikipedia text (NewsFANE Gold, AQMAR) in passages, labelled by a first model trained on the
  two sets above wherever its probability reaches ``--confidence``. They widen the vocabulary beyond
  the seeds (world news, Arabic news prose).

SaudiNewsNet (CC BY-NC-SA) is only measured, never trained on. The softmax temperature is fitted
on a tenth of the BBC training part held out of a first fit; the shipped model is then refitted on
all of it with that temperature.
"""

from __future__ import annotations

import argparse
import random
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression

from newsingest.devtools.corpora import BBC_TOPICS, bbc_articles, bbc_held_out, conll_documents, shared_dir
from newsingest.stages.enrich.topics import MODEL_PATH, TOPICS, TopicModel, features, save_model
from newsingest.stages.extract.conll import read_conll

SEEDS = Path(__file__).with_name("topic_seeds")
# Seed-file topic names → IPTC Media Topics codes.
SEED_TOPICS = {
    "arts": "medtop:01000000", "crime": "medtop:02000000", "disaster": "medtop:03000000", "economy": "medtop:04000000",
    "health": "medtop:07000000", "politics": "medtop:11000000", "science": "medtop:13000000", "sport": "medtop:15000000",
    "conflict": "medtop:16000000",
}
CODES = tuple(TOPICS)
_PASSAGE = 150  # words of an Arabic passage

Example = tuple[str | None, str, str]  # title, text, topic code


def _calibration_part(article_id: str) -> bool:
    return zlib.crc32(article_id.encode()) % 10 == 1


def bbc_examples(shared: Path) -> Iterator[tuple[str, Example]]:
    """(article id, example) of every BBC article; the label is its folder's topic."""
    for article in bbc_articles(shared):
        folder = article["id"].split("-")[1]
        yield article["id"], (article["title"], article["body"], BBC_TOPICS[folder])


def seed_lists(language: str) -> dict[str, list[str]]:
    """Topic code → seed words and phrases of one language."""
    seeds: dict[str, list[str]] = {}
    for line in (SEEDS / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, words = line.partition(":")
            seeds[SEED_TOPICS[name.strip()]] = [w.replace("_", " ") for w in words.split()]
    return seeds


def seed_bags(language: str, per_topic: int, filler: list[str], rng: random.Random) -> list[Example]:
    """``per_topic`` bags a topic: 3–15 of its seeds among 10–60 filler words, shuffled."""
    bags = []
    for code, seeds in seed_lists(language).items():
        for _ in range(per_topic):
            words = rng.sample(seeds, min(rng.randint(3, 15), len(seeds))) + rng.sample(filler, rng.randint(10, 60))
            rng.shuffle(words)
            bags.append((None, " ".join(words), code))
    return bags


def arabic_passages(shared: Path) -> list[str]:
    """NewsFANE Gold and AQMAR text in passages of ``_PASSAGE`` words, clitics split off by NewsFANE joined back."""
    ner = shared / "eval/ner"
    words: list[str] = []
    for sentence in read_conll(next((ner / "newsfane-ar").rglob("NewsFANE_Gold_*.txt"))):
        for word in sentence.words:
            if words and (words[-1] in ("و", "ف", "ب", "ل", "ك") or word in ("ه", "ها", "هم", "هما", "هن")):
                words[-1] += word
            else:
                words.append(word)
    passages = [" ".join(words[i:i + _PASSAGE]) for i in range(0, len(words), _PASSAGE)]
    for path in sorted((ner / "aqmar-ar" / "articles").glob("*.txt")):
        article = [w for s in read_conll(path) for w in s.words]
        passages += [" ".join(article[i:i + _PASSAGE]) for i in range(0, len(article), _PASSAGE)]
    return passages


class Vectorizer:
    """Feature name → column for features seen in at least two training documents; rows scaled like inference."""

    def __init__(self, documents: list[Counter[str]], min_count: int = 2) -> None:
        seen = Counter(name for document in documents for name in document)
        self.index = {name: i for i, name in enumerate(sorted(n for n, c in seen.items() if c >= min_count))}

    def transform(self, documents: list[Counter[str]]) -> sparse.csr_matrix:
        rows, cols, values = [], [], []
        for row, document in enumerate(documents):
            known = [(self.index[name], np.log1p(n)) for name, n in document.items() if name in self.index]
            norm = np.sqrt(sum(v * v for _, v in known)) or 1.0
            for col, value in known:
                rows.append(row)
                cols.append(col)
                values.append(value / norm)
        return sparse.csr_matrix((values, (rows, cols)), shape=(len(documents), len(self.index)), dtype=np.float64)


def fit(examples: list[Example], c: float) -> tuple[Vectorizer, LogisticRegression]:
    """A balanced multinomial logistic regression on ``examples``."""
    documents = [features(title, text) for title, text, _ in examples]
    vectorizer = Vectorizer(documents)
    labels = np.array([CODES.index(code) for _, _, code in examples])
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(vectorizer.transform(documents), labels)
    return vectorizer, classifier


def logits(model: tuple[Vectorizer, LogisticRegression], items: list[tuple[str | None, str]]) -> np.ndarray:
    """The linear scores (before the softmax) of ``items``, one row each."""
    vectorizer, classifier = model
    return classifier.decision_function(vectorizer.transform([features(title, text) for title, text in items]))


def fit_temperature(scores: np.ndarray, labels: np.ndarray) -> float:
    """The softmax temperature that minimises the log loss of ``scores`` on ``labels``."""
    def loss(t: float) -> float:
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(labels)), labels]))
    return float(minimize_scalar(loss, bounds=(0.05, 20), method="bounded").x)


def self_labelled(model: tuple[Vectorizer, LogisticRegression], items: list[tuple[str | None, str]],
                  confidence: float) -> list[Example]:
    """``items`` whose most probable topic under ``model`` reaches ``confidence``, with that topic."""
    z = logits(model, items)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return [(title, text, CODES[row.argmax()]) for (title, text), row in zip(items, p) if row.max() >= confidence]


def to_topic_model(model: tuple[Vectorizer, LogisticRegression], temperature: float, prune: float) -> TopicModel:
    """The shipped form: features whose largest weight reaches ``prune`` in absolute value."""
    vectorizer, classifier = model
    weights = classifier.coef_.T.astype(np.float32)
    keep = np.abs(weights).max(axis=1) >= prune
    names = sorted(vectorizer.index, key=vectorizer.index.__getitem__)
    kept = [name for name, k in zip(names, keep) if k]
    return TopicModel({name: i for i, name in enumerate(kept)}, weights[keep], classifier.intercept_.astype(np.float32),
                      CODES, temperature)


def train(shared: Path, c: float, bags: int, confidence: float, prune: float, seed: int = 13) -> TopicModel:
    """Fit on the training data of the module docstring, twice: once to fit the temperature, once to ship."""
    rng = random.Random(seed)
    bbc = [(i, e) for i, e in bbc_examples(shared) if not bbc_held_out(i)]
    news = conll_documents(shared / "eval/ner/conll2003-en/train.txt")
    passages = arabic_passages(shared)
    english_filler = [w for _, (_, text, _) in bbc for w in text.split()] + [w for _, text in news for w in text.split()]
    arabic_filler = [w for p in passages for w in p.split()]
    seeded = seed_bags("en", bags, english_filler, rng) + seed_bags("ar", bags, arabic_filler, rng)
    unlabelled = news + [(None, p) for p in passages]

    def fit_all(labelled: list[Example]) -> tuple[tuple[Vectorizer, LogisticRegression], int]:
        first = fit(labelled + seeded, c)
        extra = self_labelled(first, unlabelled, confidence)
        return fit(labelled + seeded + extra, c), len(extra)

    fitting = [e for i, e in bbc if not _calibration_part(i)]
    calibration = [e for i, e in bbc if _calibration_part(i)]
    model, _ = fit_all(fitting)
    temperature = fit_temperature(logits(model, [(t, x) for t, x, _ in calibration]),
                                  np.array([CODES.index(code) for _, _, code in calibration]))
    model, extra = fit_all([e for _, e in bbc])
    print(f"trained on {len(bbc)} BBC articles, {len(seeded)} seed bags, {extra} self-labelled of {len(unlabelled)}; "
          f"{len(model[0].index)} features, temperature {temperature:.2f}")
    return to_topic_model(model, temperature, prune)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--c", type=float, default=10.0, help="inverse L2 penalty")
    parser.add_argument("--bags", type=int, default=600, help="seed bags a topic and language")
    parser.add_argument("--confidence", type=float, default=0.6, help="probability a self-labelled passage needs")
    parser.add_argument("--prune", type=float, default=0.05, help="smallest largest-weight a shipped feature has")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: the training data lives there")
    started = time.monotonic()
    model = train(shared, args.c, args.bags, args.confidence, args.prune)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB, {len(model.index)} features) "
          f"in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
