"""Article topic: one IPTC Media Topics top-level category from a trained linear model (English and Arabic).

The subset: nine of the seventeen top-level Media Topics, those a general and conflict desk files
most (``TOPICS``). An article becomes a bag of features: word stems (Arabic proclitics and a common
suffix taken off, English plurals folded, stop words dropped) and pairs of neighbouring stems, of the
title (counted twice) and the first 400 stems of the text, each weighted ``log(1 + count)``, the
vector scaled to unit length. A multinomial logistic regression turns it into one probability per
topic (softmax with a temperature fitted on held-out articles, so the score reads as a probability).
Every article with a word gets the most probable topic and the runner-up; an empty one gets ``None``.

The weights (``models/topics.npz``: feature strings, a float16 weight matrix, biases, temperature)
are trained by :mod:`newsingest.devtools.training.train_topics`; inference is plain numpy.
``newsingest eval topics`` scores the model on articles it never saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.resources import files
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from newsingest.text.folding import fold
from newsingest.text.tokens import KeyMemo, opening_proclitics, tokenize

SPORT = "medtop:15000000"

TOPICS: dict[str, str] = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:02000000": "crime, law and justice",
    "medtop:03000000": "disaster, accident and emergency incident",
    "medtop:04000000": "economy, business and finance",
    "medtop:07000000": "health",
    "medtop:11000000": "politics",
    "medtop:13000000": "science and technology",
    "medtop:15000000": "sport",
    "medtop:16000000": "conflict, war and peace",
}

MODEL_PATH = Path(str(files("newsingest.stages.enrich") / "models" / "topics.npz"))

_TITLE_WEIGHT = 2
_MAX_STEMS = 400  # a news story states its topic early: the rest of a long one adds cost, not signal
_KEY = attrgetter("key")
_IS_WORD = attrgetter("is_word")
# One Arabic suffix (after the tokenizer's proclitic chains): a stem keeps at least three letters.
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "يه", "ها", "هم", "هن", "كم", "نا", "ه", "ي")
_SUFFIXES_BY_LAST = {last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in dict.fromkeys(s[-1] for s in _SUFFIXES)}
_STOP = frozenset(fold(word) for word in """
    the a an of to in and or for on at by with from as is was were are be been has have had it its this that these
    those he she they we you i his her their our not but said says will would could can also after before over into
    about than more most which who whom what when where while there here up out one two three new first last year years
    في من الى إلى على عن أن إن ان ما لا مع هذا هذه التي الذي الذين اللذين اللتين كان كانت يكون تكون قد وقد او أو
    ثم حتى بعد قبل عند كل بين ذلك تلك هو هي هم هما انه انها له لها لهم وهو وهي أي أيضا منذ خلال حيث إذا لم لن ولم
    قال وقال وقالت قالت يوم اليوم عام العام أمس غير بعض كما لكن ولكن فقد لقد وفي ومن وأن بأن فإن إلا عبر نحو دون
    ضمن لدى مثل وذلك كذلك عليه عليها إليه إليها منه منها فيه فيها به بها وبين هناك هنا ولا وما زال يزال أكثر أول
    الأول آخر أخرى جميع كافة عدد عدة واحد أحد حول وفق وفقا تم يتم وتم أجل ضد حين بينما سوف حسب ليس كانوا يكن وكان
    وكانت يمكن وأكد أكد أوضح وأضاف أضاف أشار وأشار next previous
    monday tuesday wednesday thursday friday saturday sunday الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد""".split())


class TopicModel(NamedTuple):
    """The trained weights: feature → row, one column per topic code."""

    index: dict[str, int]
    weights: np.ndarray  # (features, topics) float32
    bias: np.ndarray  # (topics,)
    codes: tuple[str, ...]
    temperature: float


_NO_STEM = -1  # a stop word's stem id in _FeatureRows


class _FeatureRows:
    """A model's features looked up by number, not by name: each stem the model knows (alone or in a pair) has an
    id, each word key maps to its stem's id (memoised), and a pair of ids to its pair feature's row, found in a
    sorted array of codes; no pair's name is built, and each word costs one lookup instead of a name's two."""

    def __init__(self, model: TopicModel) -> None:
        pairs = [(name.split(" "), row) for name, row in model.index.items() if " " in name]
        ids: dict[str, int] = {}
        for name in [name for name in model.index if " " not in name] + [stem for (a, b), _ in pairs for stem in (a, b)]:
            ids.setdefault(name, len(ids))
        self.size = len(ids)
        self.unigram_rows = np.full(self.size + 1, -1, dtype=np.int64)  # by id; the last entry: a stem it does not know
        for name, stem_id in ids.items():
            self.unigram_rows[stem_id] = model.index.get(name, -1)
        # a pair's code is its ids' (first × size + second), sorted; a last code past them all ends every search
        codes = np.array([ids[a] * self.size + ids[b] for (a, b), _ in pairs] + [np.iinfo(np.int64).max], dtype=np.int64)
        order = np.argsort(codes)
        self.pair_codes = codes[order]
        self.pair_rows = np.array([row for _, row in pairs] + [-1], dtype=np.int64)[order]
        # word key → its stem's id; _NO_STEM for a stop word, self.size for a stem the model does not know
        self.stem_ids = KeyMemo(lambda key: _NO_STEM if not (found := _stem_of(key)) else ids.get(found, self.size))

    def rows(self, keys: Iterable[str]) -> np.ndarray:
        """The feature rows of the first ``_MAX_STEMS`` stems of ``keys`` and of their neighbouring pairs, in the
        order :func:`features` lists them (stems, then pairs); -1 for a feature the model does not know."""
        found = np.fromiter(islice(filter(_NO_STEM.__ne__, map(self.stem_ids.__getitem__, keys)), _MAX_STEMS), dtype=np.int64)
        firsts, seconds = found[:-1], found[1:]
        known = (firsts < self.size) & (seconds < self.size)
        codes = np.where(known, firsts * self.size + seconds, -1)
        places = np.searchsorted(self.pair_codes, codes)
        pairs = np.where(known & (self.pair_codes[places] == codes), self.pair_rows[places], -1)
        return np.concatenate((self.unigram_rows[found], pairs))


def stem(key: str) -> str:
    """The stem of a folded word key: Arabic without proclitics and one suffix, English without a plural."""
    if "\u0600" <= key[0] <= "\u06ff":
        for clitic in opening_proclitics(key):
            if key.startswith(clitic) and len(key) - len(clitic) >= 3:
                key = key[len(clitic):]
                break
        for suffix in _SUFFIXES_BY_LAST.get(key[-1], ()):  # those that can end it, in _SUFFIXES' order
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                return key[: -len(suffix)]
        return key
    if len(key) > 4 and key.endswith("ies"):
        return key[:-3] + "y"
    if len(key) > 3 and key.endswith("s") and not key.endswith(("ss", "us", "is")):
        return key[:-1]
    return key


def _stem_of(key: str) -> str:
    """The stem of a word key, or "" for a stop word or a single letter ("s" of "Britain's")."""
    return "" if len(key) < 2 or key in _STOP else stem(key)


_feature_stem = KeyMemo(_stem_of)


def _stems(text: str, limit: int) -> list[str]:
    """The first ``limit`` stems of ``text``: the words after them are never stemmed."""
    return list(islice(filter(None, map(_feature_stem.__getitem__, map(_KEY, filter(_IS_WORD, tokenize(text))))), limit))


def features(title: str | None, text: str) -> Counter[str]:
    """Stems and neighbouring stem pairs (stop words skipped) of ``title`` (counted twice) and the first
    ``_MAX_STEMS`` stems of ``text``."""
    grams: list[str] = []
    for part, weight in ((title or "", _TITLE_WEIGHT), (text, 1)):
        stems = _stems(part, _MAX_STEMS)
        grams += (stems + list(map(" ".join, zip(stems, stems[1:])))) * weight
    return Counter(grams)


def load_model(path: Path = MODEL_PATH) -> TopicModel:
    """Read a model file written by :func:`save_model`."""
    with np.load(path, allow_pickle=False) as saved:
        names = saved["features"].tobytes().decode("utf-8").split("\n")
        return TopicModel({name: row for row, name in enumerate(names)}, saved["weights"].astype(np.float32),
                          saved["bias"].astype(np.float32), tuple(str(code) for code in saved["codes"]),
                          float(saved["temperature"]))


def save_model(model: TopicModel, path: Path) -> None:
    """Write ``model`` compactly: features as one UTF-8 blob, weights as float16."""
    names = sorted(model.index, key=model.index.__getitem__)
    np.savez_compressed(path, features=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
                        weights=model.weights.astype(np.float16), bias=model.bias.astype(np.float32),
                        codes=np.array(model.codes), temperature=np.float32(model.temperature))


@lru_cache(maxsize=1)
def _model() -> TopicModel:
    return load_model()


_FEATURE_ROWS: dict[int, tuple[TopicModel, _FeatureRows]] = {}  # by the model's id, the model kept with them


def _feature_rows(model: TopicModel) -> _FeatureRows:
    """``model``'s :class:`_FeatureRows`, built once per model (a few at most: training scores several)."""
    if id(model) not in _FEATURE_ROWS:
        if len(_FEATURE_ROWS) >= 4:
            _FEATURE_ROWS.clear()
        _FEATURE_ROWS[id(model)] = (model, _FeatureRows(model))
    return _FEATURE_ROWS[id(model)][1]


def _words(text: str) -> Iterator[str]:
    return map(_KEY, filter(_IS_WORD, tokenize(text)))


def probabilities(title: str | None, text: str, model: TopicModel | None = None) -> np.ndarray | None:
    """One calibrated probability per ``model.codes`` (the prior alone when every word is a stop word), or
    ``None`` when title and text have no word."""
    model = model or _model()
    lookup = _feature_rows(model)
    title_rows, text_rows = lookup.rows(_words(title or "")), lookup.rows(_words(text))
    if not len(title_rows) and not len(text_rows) and not any(map(_IS_WORD, tokenize(f"{title or ''}\n{text}"))):
        return None
    # features()'s counts, by row: the known features in the order first met, each with its count
    listed = np.concatenate((title_rows, title_rows, text_rows))
    rows, first, counts = np.unique(listed[listed >= 0], return_index=True, return_counts=True)
    order = np.argsort(first)
    logits = model.bias.copy()
    if len(rows):
        values = np.log1p(counts[order].astype(np.float32))
        logits += (values / np.linalg.norm(values)) @ model.weights[rows[order]]
    logits /= model.temperature
    exp = np.exp(logits - logits.max())
    return exp / exp.sum()


def _entry(code: str, score: float) -> dict[str, Any]:
    return {"code": code, "label": TOPICS[code], "score": round(score, 4)}


def classify(title: str | None, text: str, model: TopicModel | None = None) -> dict[str, Any] | None:
    """``{code, label, score, runner_up, scores}`` of the most probable topic; ``None`` for an empty article."""
    model = model or _model()
    found = probabilities(title, text, model)
    if found is None:
        return None
    codes = model.codes
    best, second, third = (int(i) for i in np.argsort(found)[::-1][:3])
    return {**_entry(codes[best], float(found[best])), "runner_up": _entry(codes[second], float(found[second])),
            "scores": {codes[i]: round(float(found[i]), 4) for i in (best, second, third)}}
