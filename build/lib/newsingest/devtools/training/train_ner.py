"""Train the PER/LOC/ORG model (:mod:`newsingest.stages.extract.ner_model`) on the training parts of the shared NER sets
and on English news labelled by a teacher.

    python -m newsingest.devtools.training.train_ner [--output PATH] [--c1 0.2] [--c2 0.01] [--iterations 150] [--news-like 5000]
                                       [--teacher FILE] [--teacher-sentences 20000]

Training data (read from ``../shared/eval/ner``, never copied into the project): NewsFANE Gold (Arabic
newswire, CC BY-SA 3.0) and the WikiANN dev splits for Arabic and English, less the held-out parts
that ``newsingest eval ner`` scores (see :mod:`newsingest.stages.extract.conll`); and the BBC News articles of
``../shared/corpus/bbc-news-en`` as labelled by CoreNLP (``--teacher``, the cache file that
:mod:`newsingest.devtools.training.teacher_labels` writes; ``--teacher-sentences`` of them, drawn with a fixed
seed). Each sentence's words are joined by spaces and split by the package's own tokenizer, so the
model sees the tokens it will see in articles; a token takes its word's tag (``I-`` after the word's
first token). L-BFGS with L1 and L2 penalties; the L1 penalty keeps the model file small.

WikiANN's English "sentences" are Wikipedia link texts, mostly a name alone; news names sit inside
clauses ("Police in Ohio arrested …"). So the English training part also yields news-like sentences
(``--news-like``, default 5,000): written templates of news prose ("{PER} said on Monday that {ORG}
would cut jobs in {LOC} .") whose slots take the training part's own names of that type, those that
read as news names (capitalised words and name particles only), drawn with a fixed seed; one in ten
is written in capitals, as wire headlines and datelines are.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from newsingest.devtools.corpora import shared_dir
from newsingest.devtools.training.teacher_labels import silver_path
from newsingest.stages.extract.conll import NerSet, Sentence, entity_spans, read_conll, shared_sets
from newsingest.stages.extract.ner_model import MODEL_PATH, features
from newsingest.text.tokens import Token, tokenize

# News prose around typed slots ({SUR}: a person's surname alone); a title or "Mr" stays outside the
# name, as news annotation has it.
_TEMPLATES = """
{PER} said on Monday that {ORG} would cut jobs in {LOC} .
The {ORG} said in a statement that {PER} had resigned .
But {PER} , a spokesman for {ORG} , denied the report .
Police in {LOC} arrested two men after the attack , officials said .
Prime Minister {PER} arrived in {LOC} for talks with {PER} .
Mr {PER} told reporters in {LOC} that the deal was close .
According to {ORG} , prices in {LOC} rose by 3 % last year .
In {LOC} , thousands of people marched against the plan .
Shares in {ORG} fell 4 % after the company warned on profits .
{ORG} chief executive {PER} said sales had risen .
The match between {ORG} and {ORG} ended in a draw at {LOC} .
{PER} , who was born in {LOC} , joined {ORG} in 2001 .
Troops from {LOC} and {LOC} entered the town on Tuesday .
A report by {ORG} found that {LOC} had the highest rate .
The former minister {PER} died in {LOC} at the age of 81 .
It is the first time {LOC} has played {LOC} since 1998 .
{PER} scored twice as {ORG} beat {ORG} 3-1 .
Officials from {ORG} met their counterparts in {LOC} on Friday .
The talks , held in {LOC} , were chaired by {PER} .
"We will not give up," {PER} told {ORG} .
Analysts at {ORG} expect the economy of {LOC} to grow .
He studied at {ORG} before moving to {LOC} .
The deal values {ORG} at $ 2 billion , {ORG} said .
Earlier this week , {PER} visited {LOC} and {LOC} .
Lawmakers in {LOC} voted to approve the budget .
She told the {ORG} that {PER} had been warned .
Both {PER} and {PER} are expected to attend .
{LOC} has denied the claims , saying {ORG} was to blame .
The storm hit the coast of {LOC} late on Sunday .
Despite the ruling , {ORG} plans to appeal , its lawyer said .
{PER} 's lawyer said his client would plead not guilty .
Fans of {ORG} gathered outside the stadium in {LOC} .
A court in {LOC} sentenced {PER} to five years in prison .
The company , based in {LOC} , makes parts for {ORG} .
President {PER} of {LOC} called for calm .
{PER} , the head of {ORG} , resigned on Wednesday .
Flights between {LOC} and {LOC} were cancelled .
The film stars {PER} and was made by {ORG} .
After the vote , {ORG} leader {PER} said the result was clear .
The deal was signed by {LOC} and {LOC} in {LOC} .
{ORG} , the largest bank in {LOC} , reported a loss .
Last year , {PER} won the award for the second time .
Asked about the plan , {PER} said : " It is too early . "
Rebels attacked a village north of {LOC} , killing 12 people .
The report was published by {ORG} on Thursday .
Under the agreement , {LOC} will pay {LOC} $ 5 million .
The song was written by {PER} for the band {ORG} .
{PER} ( {ORG} ) said the bill would be debated .
Speaking in {LOC} , {PER} said he was confident .
The singer {PER} will perform in {LOC} next month .
{SUR} said the decision was wrong .
" It was a hard game , " said {SUR} , whose side face {ORG} next .
{SUR} , 34 , was arrested in {LOC} last month .
{PER} scored after 20 minutes but {SUR} equalised for {ORG} .
The team : {SUR} , {SUR} , {SUR} , {PER} , {SUR} .
{ORG} 2 {ORG} 1
{PER} ( {LOC} ) beat {PER} ( {LOC} ) 6-3 6-4 .
{SUR} told the court that {SUR} had lied .
Mr {SUR} , who leads {ORG} , is expected to stand down .
{SUR} and {SUR} were among those who signed the letter .
Residents of {LOC} said {SUR} had been seen there .
"""
_HEADLINE_SHARE = 0.1  # of the news-like sentences, written in capitals
_PARTICLES = frozenset("of the and de du la von van der al bin for & - . '".split())


def news_names(sentences: list[Sentence]) -> dict[str, list[tuple[str, ...]]]:
    """The names of each type in ``sentences`` that read as news names: up to six words, each
    capitalised or a name particle ("Bank of England", not "South American fur seal")."""
    names: dict[str, list[tuple[str, ...]]] = {"PER": [], "LOC": [], "ORG": []}
    for sentence in sentences:
        for kind, first, last in sorted(entity_spans(sentence.tags)):
            words = sentence.words[first:last + 1]
            if len(words) <= 6 and words[0][0].isupper() and all(w[0].isupper() or w in _PARTICLES for w in words):
                names[kind].append(words)
    return names


def news_like(sentences: list[Sentence], count: int, seed: int = 13) -> list[Sentence]:
    """``count`` sentences from the templates, each slot filled with a random name of its type."""
    rng = random.Random(seed)
    names = news_names(sentences)
    templates = [line.split() for line in _TEMPLATES.strip().splitlines()]
    made = []
    for _ in range(count):
        words: list[str] = []
        tags: list[str] = []
        for piece in rng.choice(templates):
            kind = piece[1:-1] if piece.startswith("{") else None
            if kind:
                name = rng.choice(names["PER" if kind == "SUR" else kind])
                if kind == "SUR":  # a person named by surname alone, as news does after the first mention
                    kind, name = "PER", name[-1:]
                words += name
                tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
            else:
                words.append(piece)
                tags.append("O")
        if rng.random() < _HEADLINE_SHARE:  # wire headlines and datelines come in capitals: "JAPAN BEAT CHINA"
            words = [word.upper() for word in words]
        made.append(Sentence(tuple(words), tuple(tags)))
    return made


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


def teacher_sentences(path: Path, count: int, seed: int = 13) -> list[Sentence]:
    """``count`` teacher-labelled English news sentences (all when there are fewer), drawn with a fixed seed."""
    if not path.is_file():
        raise SystemExit(f"{path} is absent: `python -m newsingest.devtools.training.teacher_labels` (or `make ner-model`) writes it")
    sentences = read_conll(path)
    return sentences if count >= len(sentences) else random.Random(seed).sample(sentences, count)


def training_sequences(news_like_count: int, teacher: list[Sentence]) -> Iterator[tuple[list[list[str]], list[str]]]:
    shared = shared_dir()
    if shared is None:
        raise SystemExit("../shared is absent: the training data is read from ../shared/eval/ner")
    sets = list(shared_sets(shared, held_out=False))
    if teacher:
        sets.append(NerSet("teacher-bbc-en", "en", teacher))
    for ner_set in sets:
        extra = news_like(ner_set.sentences, news_like_count) if ner_set.name == "wikiann-en" else []
        print(f"{ner_set.name}: {len(ner_set.sentences)} training sentences + {len(extra)} news-like", flush=True)
        for sentence in ner_set.sentences + extra:
            tokens, labels = token_labels(sentence)
            if tokens:
                yield features(tokens), labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.devtools.training.train_ner", description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(MODEL_PATH), help=f"model file to write (default {MODEL_PATH})")
    parser.add_argument("--c1", type=float, default=0.2, help="L1 penalty (default 0.2)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 penalty (default 0.01)")
    parser.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations (default 150)")
    parser.add_argument("--news-like", type=int, default=5000, help="English news-like sentences to add (default 5000)")
    parser.add_argument("--teacher", type=Path, default=silver_path(),
                        help=f"teacher-labelled English news, IOB2 (default {silver_path()})")
    parser.add_argument("--teacher-sentences", type=int, default=20_000,
                        help="teacher-labelled sentences to use, drawn with a fixed seed (default 20000; 0: none)")
    args = parser.parse_args(argv)
    trainer = pycrfsuite.Trainer(verbose=False)
    began = time.perf_counter()
    teacher = teacher_sentences(args.teacher, args.teacher_sentences) if args.teacher_sentences != 0 else []
    for rows, labels in training_sequences(args.news_like, teacher):
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
