"""Train the PER/LOC/ORG models (:mod:`newsingest.stages.extract.ner_model`), one CRF per language, on the
standard training splits of the shared NER sets.

    python -m newsingest.devtools.training.train_ner [--language en|ar] [--c1 0.05] [--c2 0.05] [--iterations N]

Training data (read from ``../shared/eval/ner``, never copied into the project; see
:mod:`newsingest.stages.extract.conll` for the splits): English, CoNLL-2003's train split; Arabic,
ANERcorp's training split less its last tenth (the Arabic dev part), AQMAR and NewsFANE's copies of
ANERcorp's training part (never its copies of the dev part or of the held-back test split). The word clusters the features use (``models/clusters-*.tsv``) must exist: ``python -m
newsingest.devtools.training.word_clusters`` (or ``make ner-model``) writes them first. Each sentence's
words are joined by spaces and split by the package's own tokenizer, so the model sees the tokens it
will see in articles; a token takes its word's tag (``I-`` after the word's first token). MISC stays a
label (the stage reads it as ``O``). L-BFGS with L1 and L2 penalties; the L1 penalty keeps the files small.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from newsingest.devtools.corpora import shared_dir
from newsingest.stages.extract.conll import Sentence, training_sets
from newsingest.stages.extract.ner_model import LANGUAGES, clusters_path, features, model_path
from newsingest.text.tokens import Token, tokenize

# L-BFGS iterations of the shipped models, chosen on the dev sets (MODEL_CARD.md): the Arabic model, with
# less training text, still gains from 200 to 300
ITERATIONS = {"en": 200, "ar": 300}


def token_labels(sentence: Sentence) -> tuple[list[Token], list[str]]:
    """The package's tokens of a sentence's words joined by spaces, each with its word's IOB label."""
    tokens = tokenize(" ".join(sentence.words))
    labels = []
    word, word_end, previous_word = 0, len(sentence.words[0]), -1
    for token in tokens:
        while token.start >= word_end:
            word += 1
            word_end += 1 + len(sentence.words[word])
        tag = sentence.tags[word]
        labels.append("I" + tag[1:] if tag.startswith("B-") and word == previous_word else tag)
        previous_word = word
    return tokens, labels


def training_sequences(language: str) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of each training sentence of ``language``."""
    shared = shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: the training data is read from ../shared/eval/ner")
    if not clusters_path(language).is_file():
        raise SystemExit(f"{clusters_path(language)} is absent: run `python -m newsingest.devtools.training.word_clusters` first")
    for ner_set in training_sets(shared, misc=True):
        if ner_set.language == language:
            print(f"{ner_set.name}: {len(ner_set.sentences)} training sentences", flush=True)
            for sentence in ner_set.sentences:
                tokens, labels = token_labels(sentence)
                if tokens:
                    yield features(tokens, language), labels


def train(language: str, c1: float, c2: float, iterations: int, output: Path | None = None) -> None:
    """Train ``language``'s model and write it to its package path (or into the directory ``output``)."""
    path = output / model_path(language).name if output else model_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer = pycrfsuite.Trainer(verbose=False)
    began = time.perf_counter()
    for rows, labels in training_sequences(language):
        trainer.append(rows, labels)
    print(f"features ready in {time.perf_counter() - began:.0f} s; training …", flush=True)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))
    last = trainer.logparser.last_iteration
    print(f"wrote {path} in {time.perf_counter() - began:.0f} s: {last['num']} iterations, "
          f"loss {last['loss']:.0f}, {last['active_features']} active features", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.devtools.training.train_ner", description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="default: both")
    parser.add_argument("--c1", type=float, default=0.05, help="L1 penalty (default 0.05)")
    parser.add_argument("--c2", type=float, default=0.05, help="L2 penalty (default 0.05)")
    parser.add_argument("--iterations", type=int, default=None,
                        help="L-BFGS iterations (default: " + ", ".join(f"{k} {v}" for k, v in ITERATIONS.items()) + ")")
    parser.add_argument("--output", type=Path, default=None, help="write the models into this directory instead of the package's")
    args = parser.parse_args(argv)
    for language in args.language or LANGUAGES:
        train(language, args.c1, args.c2, args.iterations or ITERATIONS[language], args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
