"""General-language word frequencies for the NER models: a compact table per language from ``wordfreq``.

    python -m newsingest.devtools.training.word_frequencies [--language ar|en]

Experimental (issue 14, stop 22): the features that read the table are on only with the environment
variable ``NEWSINGEST_NER_ZIPF`` set to a variant (see ``ner_model._word_features``); measured, not
adopted (model card, "Round of the word frequencies").

Reads wordfreq's "large" list of the language (Arabic 620,701 words, English 321,180; code Apache-2.0,
data CC BY-SA 4.0, Robyn Speer et al.), folds each word as the package folds a token's key (so "أحمد"
and "احمد" meet, and English is lower case), adds up the frequencies of the words that fold alike, and
writes ``models/zipf-<language>.npz``: the keys' 64-bit hashes (:func:`key_hash`, sorted) and each key's
Zipf frequency (log10 of uses per billion words) times ten, as a byte. No word is stored, only hashes;
the tagger looks a key up by binary search (:func:`newsingest.stages.extract.ner_model.zipf`).
Needs ``wordfreq`` (``pip install -e '.[train]'``).
"""

from __future__ import annotations

import argparse
import math
from importlib.metadata import version
from collections import defaultdict

import numpy as np

from newsingest.stages.extract.ner_model import LANGUAGES, key_hash, zipf_path
from newsingest.text.folding import fold


def build(language: str) -> None:
    """Write ``language``'s table."""
    import wordfreq  # build time only

    totals: dict[str, float] = defaultdict(float)
    for word, frequency in wordfreq.get_frequency_dict(language, "large").items():
        totals[fold(word)] += frequency
    hashes = np.fromiter(map(key_hash, totals), dtype=np.uint64, count=len(totals))
    tenths = np.fromiter((max(0, min(255, round(10 * (math.log10(f) + 9)))) for f in totals.values()),
                         dtype=np.uint8, count=len(totals))
    order = np.argsort(hashes, kind="stable")
    hashes, tenths = hashes[order], tenths[order]
    if len(np.unique(hashes)) != len(hashes):
        raise SystemExit("two keys share a hash")
    np.savez_compressed(zipf_path(language), hashes=hashes, zipf=tenths)
    print(f"wrote {zipf_path(language)}: {len(hashes)} keys (wordfreq {version('wordfreq')})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsingest.devtools.training.word_frequencies", description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="default: both")
    args = parser.parse_args(argv)
    for language in args.language or LANGUAGES:
        build(language)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
