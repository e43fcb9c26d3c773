"""Silver PER/LOC/ORG labels for English news from a news-trained teacher, to train :mod:`ner_model` on.

    python -m newsingest.devtools.training.teacher_labels [--model all|conll] [--output FILE]

The teacher is Stanford CoreNLP's CRF recogniser (``english.all.3class``, trained on CoNLL-2003,
MUC-6/7, ACE, OntoNotes and WikiNER; or ``english.conll.4class``, CoNLL-2003 only), GPL-3.0, a
training-time tool only: Maven resolves its two jars from Maven Central (``deploy/corenlp/pom.xml``)
and ``java`` runs it once over the whole corpus; nothing of it ships in the package or runs in the
extract stage. The text is the 2,225 BBC News articles of
``../shared/corpus/bbc-news-en`` (headline and paragraphs), cut into sentences and tokens exactly as
the extract stage cuts them (:func:`newsingest.text.tokens.tokenize`,
:func:`newsingest.text.sentences.sentence_starts`). Tokens glued into one word the way the
teacher's training text writes it ("U.S.", "Coca-Cola", "'s") are handed to it as one word, and its
label goes back to each of their tokens. MISC becomes ``O``. The output is a CoNLL file (our token, an
IOB2 tag; a blank line between sentences) in an untracked cache folder; it holds BBC text, so it is
never committed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsingest.devtools.corpora import bbc_articles, shared_dir
from newsingest.runtime.paths import SOURCE_ROOT, deploy_dir
from newsingest.text.sentences import sentence_starts
from newsingest.text.tokens import Token, tokenize

CACHE_DIR = SOURCE_ROOT / ".cache" / "ner-teacher"
TEACHERS = {"conll": "edu/stanford/nlp/models/ner/english.conll.4class.distsim.crf.ser.gz",
            "all": "edu/stanford/nlp/models/ner/english.all.3class.distsim.crf.ser.gz"}
_TYPES = {"PERSON": "PER", "PER": "PER", "LOCATION": "LOC", "LOC": "LOC", "ORGANIZATION": "ORG", "ORG": "ORG"}
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Mt Jr Sr Gen Col Lt Sgt Rev Prof Gov Sen Rep Co Corp Inc Ltd".split())
_JOINERS = frozenset("-&")
_APOSTROPHES = frozenset("'’")


def silver_path(model: str = "all") -> Path:
    """Where the labelled BBC sentences of one teacher are cached."""
    return CACHE_DIR / f"bbc-en.{model}.conll"


def classpath() -> str:
    """The CoreNLP jars' classpath, resolved by Maven (from the local repository when already fetched)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SystemExit("Maven (mvn) is not on PATH: install Maven (e.g. `apt-get install maven`) to fetch CoreNLP")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    listing = CACHE_DIR / "classpath.txt"
    command = [mvn, "-B", "-q", "-f", str(deploy_dir() / "corenlp" / "pom.xml"), "dependency:build-classpath",
               f"-Dmdep.outputFile={listing}", "-DexcludeTransitive=true"]
    print("resolving the CoreNLP jars with Maven (474 MB from Maven Central on the first run) …", flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"Maven could not resolve CoreNLP:\n{(result.stdout + result.stderr)[-3000:]}")
    return listing.read_text().strip()


def word_units(tokens: list[Token]) -> list[tuple[int, int]]:
    """``(first, last)`` token ranges the teacher reads as one word: our tokens, except that a word joined
    to the next by a glued hyphen or ampersand ("Coca-Cola", "AT&T") or an apostrophe other than a
    possessive ("O'Neill", "don't"), initials ("U.S.", "J."), an abbreviation and its full stop ("Mr.")
    and a glued possessive ("'s") are one word each, as in the teacher's training text."""
    def glued(index: int) -> bool:
        return index + 1 < len(tokens) and tokens[index].end == tokens[index + 1].start

    units = []
    index = 0
    while index < len(tokens):
        first, token = index, tokens[index]
        if token.text in _APOSTROPHES and index > 0 and tokens[index - 1].end == token.start and glued(index) \
                and tokens[index + 1].key == "s":
            index += 1  # "'s"
        elif (len(token.text) == 1 and token.text.isupper() or token.text in _ABBREVIATIONS) and glued(index) \
                and tokens[index + 1].text == ".":
            index += 1  # "Mr.", "J."
            while glued(index) and glued(index + 1) and len(tokens[index + 1].text) == 1 \
                    and tokens[index + 1].is_word and tokens[index + 2].text == ".":
                index += 2  # "U.S."
        elif token.is_word or token.text[0].isdigit():
            while glued(index) and glued(index + 1) and tokens[index + 2].text[0].isalnum() and (
                    tokens[index + 1].text in _JOINERS or tokens[index + 1].text in _APOSTROPHES
                    and tokens[index + 2].key != "s"):
                index += 2
        units.append((first, index))
        index += 1
    return units


def token_tags(units: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """IOB2 tags of the tokens from the teacher's label of each unit: ``PERSON``/``LOCATION``/
    ``ORGANIZATION`` (a run of one label is one entity) or ``B-``/``I-`` labels; MISC and the rest are ``O``."""
    tags: list[str] = []
    previous = None
    for (first, last), label in zip(units, labels, strict=True):
        prefix, _, kind = label.rpartition("-")
        coarse = _TYPES.get(kind)
        if coarse is None:
            tags += ["O"] * (last - first + 1)
            previous = None
            continue
        opens = prefix in ("B", "S") or coarse != previous
        tags += [f"B-{coarse}" if opens else f"I-{coarse}"] + [f"I-{coarse}"] * (last - first)
        previous = coarse
    return tags


def parse_output(lines: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Sentences of ``CRFClassifier -testFile`` output ("word<TAB>given<TAB>guess" lines, a blank line
    after each sentence) as (word, guessed label) pairs."""
    sentence: list[tuple[str, str]] = []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if len(fields) >= 3:
            sentence.append((fields[0], fields[-1]))
        elif sentence:
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def article_sentences(text: str) -> Iterator[list[Token]]:
    """The token runs of ``text`` that the extract stage's model tags one at a time."""
    tokens = tokenize(text)
    starts = [*sentence_starts(tokens, text), len(tokens)]
    for start, end in zip(starts, starts[1:]):
        if any(t.is_word for t in tokens[start:end]):
            yield tokens[start:end]


def bbc_texts(shared: Path) -> Iterator[str]:
    """Each BBC article's text (headline, blank line, paragraphs), in the order of its folder and file names."""
    for article in sorted(bbc_articles(shared), key=lambda a: a["id"]):
        yield f"{article['title']}\n\n{article['body']}"


def label(texts: Iterable[str], model: str, output: Path) -> int:
    """Run the teacher once over ``texts`` and write the IOB2 silver file; the number of sentences."""
    java = shutil.which("java")
    if java is None:
        raise SystemExit("Java is not on PATH: install a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`)")
    jars = classpath()
    output.parent.mkdir(parents=True, exist_ok=True)
    words = output.with_suffix(".words.tsv")
    sentences: list[tuple[list[Token], list[tuple[int, int]]]] = []
    with words.open("w", encoding="utf-8") as sink:
        for text in texts:
            for tokens in article_sentences(text):
                units = word_units(tokens)
                sentences.append((tokens, units))
                sink.writelines(f"{_unit_text(tokens, a, b)}\tO\n" for a, b in units)
                sink.write("\n")
    print(f"{len(sentences)} sentences, {sum(len(t) for t, _ in sentences)} tokens; running CoreNLP ({model}) …", flush=True)
    command = [java, "-mx3g", "-cp", jars, "edu.stanford.nlp.ie.crf.CRFClassifier", "-loadClassifier", TEACHERS[model],
               "-testFile", str(words), "-map", "word=0,answer=1", "-inputEncoding", "utf-8", "-outputEncoding", "utf-8"]
    began = time.perf_counter()
    written = 0
    log = output.with_suffix(".log")  # CoreNLP's own messages: a file, so a full pipe never stalls it
    with log.open("w", encoding="utf-8") as messages, \
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=messages, text=True, encoding="utf-8") as run, \
            output.open("w", encoding="utf-8") as sink:
        assert run.stdout is not None
        for (tokens, units), guessed in zip(sentences, parse_output(run.stdout)):
            if [w for w, _ in guessed] != [_unit_text(tokens, a, b) for a, b in units]:
                run.kill()
                raise SystemExit(f"CoreNLP's output lost step with its input at sentence {written + 1}")
            tags = token_tags(units, [g for _, g in guessed])
            sink.writelines(f"{t.text}\t{tag}\n" for t, tag in zip(tokens, tags))
            sink.write("\n")
            written += 1
            if written % 10_000 == 0:
                print(f"  {written}/{len(sentences)} sentences labelled ({time.perf_counter() - began:.0f} s)", flush=True)
    if run.returncode != 0 or written != len(sentences):
        raise SystemExit(f"CoreNLP failed after {written} of {len(sentences)} sentences:\n{log.read_text()[-3000:]}")
    words.unlink()
    log.unlink()
    return written


def _unit_text(tokens: list[Token], first: int, last: int) -> str:
    return "".join(t.text for t in tokens[first:last + 1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.devtools.training.teacher_labels", description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(TEACHERS), default="all",
                        help="CoreNLP model: all (default; english.all.3class) or conll (english.conll.4class)")
    parser.add_argument("--output", type=Path, default=None,
                        help="silver file to write (default .cache/ner-teacher/bbc-en.MODEL.conll)")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None or not (shared / "corpus" / "bbc-news-en").is_dir():
        raise SystemExit("../shared/corpus/bbc-news-en is absent: the teacher labels its articles")
    output = args.output or silver_path(args.model)
    began = time.perf_counter()
    count = label(bbc_texts(shared), args.model, output)
    print(f"wrote {count} sentences to {output} in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
