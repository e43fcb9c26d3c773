"""A trained sequence model for PER/LOC/ORG: a linear-chain CRF (CRFsuite) over this package's tokens.

Features of a token: its matching key, Arabic proclitic-stripped stems ("بحلب" → "حلب"), affixes,
shape, and membership of the gazetteer (places, big places, demonyms) and of the lexicons (given
names, titles, organisation heads, function words, verbs of saying) of the word and its stems; for a
Latin-script word also its exact spelling when that differs from the key ("Bush" vs "bush"), its
unsqueezed shape, and, when capitalised, whether it is a US census given name or surname (by rank);
the word, shape and classes of the two tokens either side; and the word bigrams. Features that depend
only on a token's text are computed once per distinct text. (Membership of multi-word gazetteer
names was tried: no gain on the held-out sets, 3 ms per article.)

The model file ships in the package (``models/ner.crfsuite``); :mod:`newsingest.devtools.training.train_ner` trains it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import pycrfsuite

from newsingest.geo import gazetteer
from newsingest.geo.places import BIG_PLACE, is_place
from newsingest.text import lexicon as lx
from newsingest.text.folding import fold
from newsingest.text.tokens import Token, proclitic_splits

MODEL_PATH = Path(str(files("newsingest.stages.extract") / "models" / "ner.crfsuite"))
_CONTEXT = (-2, -1, 1, 2)
_SHAPE = (re.compile("[A-Z]"), re.compile("[a-z]"), re.compile("[0-9]"))
_AR_GIVEN = lx.AR_GIVEN_NAMES | lx.EN_GIVEN_NAMES
_COMMON_SURNAMES, _KNOWN_SURNAMES = 1_000, 10_000  # census ranks that bound the surname classes


def _shape(word: str) -> str:
    """Letters as X/x/d with runs squeezed ("McCain" → "XxXx", "F-16" → "X-d"); Arabic words are "A"."""
    if "\u0600" <= word[0] <= "\u06ff":
        return "A"
    upper, lower, digit = _SHAPE
    shape = digit.sub("d", lower.sub("x", upper.sub("X", word)))
    return re.sub(r"(.)\1+", r"\1", shape)[:5]


@cache
def _census_names() -> tuple[frozenset[str], dict[str, int]]:
    """Given names and surnames (with their frequency rank) of the 1990 US census, as the ``names``
    package ships them (lines of "NAME  frequency  cumulative  rank", most frequent first)."""
    data = files("names")
    given = frozenset(line.split()[0].lower() for name in ("dist.male.first", "dist.female.first")
                      for line in (data / name).read_text(encoding="ascii").splitlines() if line.strip())
    surnames = {}
    for rank, line in enumerate((data / "dist.all.last").read_text(encoding="ascii").splitlines()):
        if line.strip():
            surnames[line.split()[0].lower()] = rank
    return given, surnames


def _census_classes(key: str) -> list[str]:
    """"gn" for a census given name; "sn1"/"sn2"/"sn3" for a common, known or rare census surname."""
    given, surnames = _census_names()
    found = ["gn"] if key in given else []
    rank = surnames.get(key)
    if rank is not None:
        found.append("sn1" if rank < _COMMON_SURNAMES else "sn2" if rank < _KNOWN_SURNAMES else "sn3")
    return found


def given_name(key: str) -> bool:
    """Whether a folded word is a common given name (this package's list or the US census's)."""
    return key in lx.EN_GIVEN_NAMES or key in _census_names()[0]


def _long_shape(word: str) -> str:
    """Letters as X/x/d, runs kept, first six ("McCain" → "XxXxxx", "F-16" → "X-dd")."""
    upper, lower, digit = _SHAPE
    return digit.sub("d", lower.sub("x", upper.sub("X", word)))[:6]


def place_class(key: str, acronym: bool = False) -> str | None:
    """"big" for a country, region, capital or big city; "place" for any other gazetteer name. A
    word in capitals (``acronym``) is a place only when it spells the place's name (a dateline's
    "LONDON") or is a country's or region's code ("UK", "DRC"): the gazetteer's other codes are
    airports' ("CNN" is Kannur's, "SDF" Louisville's), and news acronyms are mostly organisations."""
    if not is_place(key):
        return None
    best = gazetteer.candidates(key)[0]
    if acronym and best.feature_class != "A" and fold(best.name) != key:
        return None
    return "big" if best.feature_class in ("A", "L") or best.feature_code == "PPLC" or best.population >= BIG_PLACE else "place"


def _classes(key: str, acronym: bool = False) -> list[str]:
    """Lexicon and gazetteer classes of a folded word (or stem); see :func:`place_class` for ``acronym``."""
    found = []
    if key in _AR_GIVEN:
        found.append("given")
    if key in lx.AR_TITLES or key in lx.EN_TITLES:
        found.append("title")
    bare = key.removeprefix("ال")
    if bare in lx.AR_ORG_HEADS or key in lx.EN_ORG_HEADS:
        found.append("orghead")
    if key in lx.AR_STOP or key in lx.EN_STOP_CAPS:
        found.append("stop")
    if key in lx.AR_SAY or key in lx.EN_SAY:
        found.append("say")
    place = place_class(key, acronym)
    if place:
        found.append(place)
    if gazetteer.demonym_country(key):
        found.append("demonym")
    return found


@lru_cache(maxsize=50_000)  # a stream's vocabulary; each entry holds ~40 short strings
def _word_features(text: str, key: str, is_arabic: bool) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(the token's own features, its features as seen from each context position)."""
    shape = _shape(text) if text[0].isalnum() else "p" + text[:1]
    own = [f"w={key}", f"sh={shape}", f"p2={key[:2]}", f"p3={key[:3]}", f"s2={key[-2:]}", f"s3={key[-3:]}",
           f"len={min(len(key), 8)}", f"p4={key[:4]}", f"s4={key[-4:]}"]
    summary = [f"w={key}", f"sh={shape}"]
    classes = _classes(key, acronym=len(text) > 1 and text.isupper() and not is_arabic)
    if is_arabic:
        for stripped, stem in proclitic_splits(key)[1:3]:
            own.append(f"stem={stem}")
            own.append(f"clitic={key[:stripped]}")
            classes += [f"{c}+" for c in _classes(stem)]
        own.append(f"def={key.startswith('ال')}")
    else:
        if text != key:
            own.append(f"W={text}")
        if text[0].isalnum():
            own.append(f"ls={_long_shape(text)}")
        if text[0].isupper():
            own.append("cap")
            classes += _census_classes(key)
    own += [f"c={c}" for c in classes]
    summary += [f"c={c}" for c in classes]
    return tuple(own), tuple(tuple(f"{offset}{f}" for f in summary) for offset in _CONTEXT)


def features(tokens: list[Token]) -> list[list[str]]:
    """CRF features per token of one sentence (or any run of tokens)."""
    per_word = [_word_features(t.text, t.key, t.is_arabic) for t in tokens]
    context = [((), ()), ((), ())] + [seen for _, seen in per_word] + [((), (), (), ()), ((), (), (), ())]
    keys = ["^"] + [t.key for t in tokens] + ["$"]
    rows = [[*own, *context[index][0], *context[index + 1][1], *context[index + 3][2], *context[index + 4][3],
             f"bi={keys[index]}|{keys[index + 1]}", f"bi+={keys[index + 1]}|{keys[index + 2]}"]
            for index, (own, _) in enumerate(per_word)]
    if rows:
        rows[0].append("first")
    return rows


@cache
def _tagger() -> pycrfsuite.Tagger | None:
    if not MODEL_PATH.is_file():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


def tag(tokens: list[Token]) -> list[str]:
    """IOB labels (``B-PER``, ``I-LOC``, ``O`` …) for ``tokens``; all ``O`` without a model file."""
    tagger = _tagger()
    if tagger is None or not tokens:
        return ["O"] * len(tokens)
    return tagger.tag(features(tokens))
