"""Train the PER/LOC/ORG model (:mod:`newsingest.nlp.ner_model`) on the training parts of the shared NER sets.

    python -m newsingest.nlp.train_ner [--output PATH] [--c1 0.15] [--c2 0.01] [--iterations 150]

Training data (read from ``../shared/eval/ner``, never copied into the project): NewsFANE Gold (Arabic
newswire, CC BY-SA 3.0) and the WikiANN dev splits for Arabic and English, less the held-out parts
that ``newsingest eval ner`` scores (see :mod:`newsingest.nlp.conll`). Each sentence's words are joined
by spaces and split by the package's own tokenizer, so the model sees the tokens it will see in
articles; a token takes its word's tag (``I-`` after the word's first token). L-BFGS with L1 and L2
penalties; the L1 penalty keeps the model file small.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import pycrfsuite

from newsingest.corpora import shared_dir
from newsingest.nlp.conll import Sentence, shared_sets
from newsingest.nlp.ner_model import MODEL_PATH, features
from newsingest.nlp.tokens import Token, tokenize


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


def training_sequences() -> Iterator[tuple[list[list[str]], list[str]]]:
    shared = shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: the training data is read from ../shared/eval/ner")
    for ner_set in shared_sets(shared, held_out=False):
        print(f"{ner_set.name}: {len(ner_set.sentences)} training sentences")
        for sentence in ner_set.sentences:
            tokens, labels = token_labels(sentence)
            if tokens:
                yield features(tokens), labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.nlp.train_ner", description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(MODEL_PATH), help=f"model file to write (default {MODEL_PATH})")
    parser.add_argument("--c1", type=float, default=0.15, help="L1 penalty (default 0.15)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 penalty (default 0.01)")
    parser.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations (default 150)")
    args = parser.parse_args(argv)
    trainer = pycrfsuite.Trainer(verbose=False)
    began = time.perf_counter()
    for rows, labels in training_sequences():
        trainer.append(rows, labels)
    print(f"features ready in {time.perf_counter() - began:.0f} s; training …")
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    trainer.train(args.output)
    last = trainer.logparser.last_iteration
    print(f"wrote {args.output} in {time.perf_counter() - began:.0f} s: {last['num']} iterations, "
          f"loss {last['loss']:.0f}, {last['active_features']} active features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
