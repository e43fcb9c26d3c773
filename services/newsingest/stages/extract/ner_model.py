"""Trained sequence models for PER/LOC/ORG: one linear-chain CRF (CRFsuite) per language over this package's tokens.

Features of a token: its matching key and exact spelling, prefixes and suffixes of one to four
letters, shape, length, word clusters (at three granularities, learnt from unlabelled text by
:mod:`newsingest.devtools.training.word_clusters`), and membership of the gazetteer (places, big
places, demonyms) and of the lexicons (given names, titles, organisation heads, function words, verbs
of saying); for an Arabic word also its proclitic-stripped stems ("بحلب" → "حلب") with their classes,
and the clitic; for a capitalised Latin word whether it is a US census given name or surname (by rank)
and whether it is in capitals. Context: the key, shape, coarser clusters and classes of two tokens
either side, the exact spelling of the adjacent tokens, word bigrams, for English the token's shape
joined to each adjacent word and its word joined to each adjacent shape, the sentence's first token
and a sentence all in capitals (a wire headline). Features that depend only on a token's text are
computed once per distinct text. Decoding is posterior: each token's label probabilities given its
sentence (forward-backward), then the valid IOB sequence with the most log-probability.

The model files ship in the package (``models/ner-en.crfsuite``, ``models/ner-ar.crfsuite`` and
their ``models/clusters-*.tsv``); :mod:`newsingest.devtools.training.train_ner` trains them.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from itertools import chain, compress, count, repeat
from operator import attrgetter, is_
from pathlib import Path

import numpy as np
import pycrfsuite

from newsingest.geo import gazetteer
from newsingest.geo.places import BIG_PLACE, is_place
from newsingest.text import lexicon as lx
from newsingest.text.folding import fold
from newsingest.text.tokens import KeyMemo, Token, proclitic_splits

try:  # built from _viterbi.c at install; without a C compiler, the numpy loops below do the same work
    from newsingest.stages.extract._viterbi import best_paths as _compiled_best_paths
    from newsingest.stages.extract._viterbi import emissions as _compiled_emissions
    from newsingest.stages.extract._viterbi import fill_rows as _compiled_fill_rows
    from newsingest.stages.extract._viterbi import log_marginals as _compiled_log_marginals
except ImportError:
    _compiled_best_paths = _compiled_emissions = _compiled_fill_rows = _compiled_log_marginals = None
try:  # built from _features.c at install; without it, _word_features builds every new word's features
    from newsingest.stages.extract._features import arabic_word_rows as _compiled_arabic_word_rows
    from newsingest.stages.extract._features import other_word_rows as _compiled_other_word_rows
except ImportError:
    _compiled_arabic_word_rows = _compiled_other_word_rows = None

MODELS_DIR = Path(str(files("newsingest.stages.extract") / "models"))
LANGUAGES = ("en", "ar")
_CONTEXT = (-2, -1, 1, 2)
_TEXT = attrgetter("text")
_KEY = attrgetter("key")
# ASCII capitals → X, small letters → x, digits → d (other characters kept), and a run of one character
_SHAPE = str.maketrans({**dict.fromkeys(map(chr, range(65, 91)), "X"), **dict.fromkeys(map(chr, range(97, 123)), "x"),
                        **dict.fromkeys("0123456789", "d")})
_RUN = re.compile(r"(.)\1+")
_AR_GIVEN = lx.AR_GIVEN_NAMES | lx.EN_GIVEN_NAMES
_MEMO_WORDS = 1 << 17  # distinct words whose scores are kept: ≈ 24 MB a language when full (float32)
_IMPOSSIBLE = -1e9  # the score of a label sequence IOB does not allow
_SCALED_RANGE = 100.0  # widest spread of transition scores the compiled forward-backward takes
_DECODE_CELLS = 20_000  # padded tokens decoded in step: ≈ 4 MB of scores
_COMMON_SURNAMES, _KNOWN_SURNAMES = 1_000, 10_000  # census ranks that bound the surname classes


def _shape(word: str) -> str:
    """Letters as X/x/d with runs squeezed ("McCain" → "XxXx", "F-16" → "X-d"); Arabic words are "A"."""
    if "\u0600" <= word[0] <= "\u06ff":
        return "A"
    return _RUN.sub(r"\1", word.translate(_SHAPE))[:5]


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


@KeyMemo
def _census_features(key: str) -> tuple[str, ...]:
    """The census class features of a capitalised word's key ("c=gn", "c=sn1"; :func:`_census_classes`)."""
    return tuple(f"c={c}" for c in _census_classes(key))


def _long_shape(word: str) -> str:
    """Letters as X/x/d, runs kept, first six ("McCain" → "XxXxxx", "F-16" → "X-dd")."""
    return word.translate(_SHAPE)[:6]


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


_NO_CLASSES: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
# Every word that _classes finds in a lexicon (the organisation heads aside: they are found without the article).
_LEXICON_WORDS = _AR_GIVEN | lx.AR_TITLES | lx.EN_TITLES | lx.EN_ORG_HEADS | lx.AR_STOP | lx.EN_STOP_CAPS | lx.AR_SAY | lx.EN_SAY


def _has_no_class(key: str) -> bool:
    """A quick yes for most new words: a key that is its own gazetteer key, that no lexicon holds and that names
    no place or people has no class; other keys get no answer here (False)."""
    return gazetteer.is_own_key(key) and key not in _LEXICON_WORDS and key.removeprefix("ال") not in lx.AR_ORG_HEADS \
        and not gazetteer.names_place_or_people(key)


@KeyMemo
def _class_features(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The class features of a key read as a plain word (:func:`_classes`): as a word's own ("c=given")
    and as a stem under a clitic ("c=given+"); memoised, as stems recur under many clitics ("حلب" in
    "بحلب", "وحلب")."""
    if _has_no_class(key):  # most new words, without _classes' chain of lookups
        return _NO_CLASSES
    classes = _classes(key)
    if not classes:  # most words: one shared pair
        return _NO_CLASSES
    return tuple(f"c={c}" for c in classes), tuple(f"c={c}+" for c in classes)


_LENGTH_FEATURES = tuple(f"len={length}" for length in range(9))
_DEFINITE_FEATURES = ("def=False", "def=True")


def model_path(language: str) -> Path:
    """The shipped CRF model of ``language`` ("en" or "ar")."""
    return MODELS_DIR / f"ner-{language}.crfsuite"


def clusters_path(language: str) -> Path:
    """The shipped word clusters of ``language``: one "key<TAB>id id id" line a word, coarse to fine."""
    return MODELS_DIR / f"clusters-{language}.tsv"


@cache
def clusters(language: str) -> dict[str, tuple[str, ...]]:
    """Word key → its cluster ids, coarse to fine (empty without the file)."""
    path = clusters_path(language)
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, ids = line.partition("\t")
        found[key] = tuple(ids.split())
    return found


@cache
def _cluster_features(language: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Word key → its cluster features: its own ("k0=…" to "k2=…") and those its neighbours see (all but
    the coarsest), each feature name one shared string."""
    names: dict[str, str] = {}
    found = {}
    for key, ids in clusters(language).items():
        own = tuple(names.setdefault(name, name) for name in (f"k{level}={c}" for level, c in enumerate(ids)))
        found[key] = (own, own[1:])
    return found


def language_of(tokens: list[Token]) -> str:
    """"ar" when at least half the words of ``tokens`` are Arabic, else "en": the model that tags them."""
    words = arabic = 0
    for token in tokens:
        words += token.is_word
        arabic += token.is_arabic
    return "ar" if words and arabic * 2 >= words else "en"


def _word_features(text: str, key: str, is_arabic: bool, language: str) -> tuple[list[str], list[str]]:
    """(the token's own features, the features its neighbours see of it, named by :func:`_in_context`).

    The names of a word's classes and clusters are made once, when first met, not once a word."""
    word_like = text[0].isalnum()
    word = f"w={key}"
    shape = f"sh={_shape(text)}" if word_like else f"sh=p{text[:1]}"
    own = [word, shape, _LENGTH_FEATURES[min(len(key), 8)]]
    for size in range(1, min(len(key), 5)):
        own += [f"p{size}={key[:size]}", f"s{size}={key[-size:]}"]
    summary = [word, shape]
    table = _cluster_features(language)
    cluster = table.get(key)
    acronym = len(text) > 1 and text.isupper() and not is_arabic
    if acronym:
        classes = [f"c={c}" for c in _classes(key, acronym=True)]
    else:
        classes = list(_class_features[key][0])
    if is_arabic:
        splits = proclitic_splits(key)
        for stripped, stem in splits[1:3]:
            own += [f"stem={stem}", f"clitic={key[:stripped]}"]
            classes += _class_features[stem][1]
            if cluster is None and stem in table:
                cluster = table[stem]
                own.append("stemcl")
        if len(splits) > 1:
            summary.append(f"stem={splits[1][1]}")
        own.append(_DEFINITE_FEATURES[key.startswith("ال")])
    else:
        own.append(f"W={text}")
        if word_like:
            own.append(f"ls={_long_shape(text)}")
        if text[0].isupper():
            own.append("cap")
            classes += _census_features[key]
            if text.isupper():
                own.append("caps")
    if cluster:
        own += cluster[0]
        summary += cluster[1]
    own += classes
    summary += classes
    return own, summary


def _in_context(offset: int, feature: str) -> str:
    """The name of ``feature`` of the word at ``offset`` from a token, as that token sees it ("-1w=said":
    the word before is "said")."""
    return f"{offset}{feature}"


_START, _END = "^", "$"  # the words before the first token and after the last


def _spelling_seen(text: str) -> tuple[str, str]:
    """The features a word's exact spelling gives its neighbours: (the next token's, the previous token's)."""
    return f"-1W={text}", f"+1W={text}"


def _key_pairs(tokens: list[Token]) -> list[tuple[str, str]]:
    """The keys of each two adjacent tokens, the sentence's ends included: token ``i`` is the second word
    of pair ``i`` (its "bi=" feature) and the first of pair ``i + 1`` ("bi+=")."""
    keys = [_START, *map(_KEY, tokens), _END]
    return list(zip(keys, keys[1:]))


def _bigrams(tokens: list[Token]) -> list[str]:
    """The bigrams of :func:`_key_pairs` as their features name them: the two keys joined by "|"."""
    return list(map("|".join, _key_pairs(tokens)))


def _key_pair(bigram: str) -> tuple[str, str]:
    """The two keys a bigram of :func:`_bigrams` joins; a key holding "|" is the token "|" itself."""
    first = "|" if bigram.startswith("||") else bigram.partition("|")[0]
    return first, bigram[len(first) + 1:]


def _in_capitals(tokens: list[Token]) -> bool:
    """A sentence whose Latin words (two at least) are all in capitals: a wire headline."""
    latin = [t.text for t in tokens if t.is_word and not t.is_arabic]
    return len(latin) > 1 and all(word.isupper() for word in latin)


# The shape-and-word pair features (English), each named prefix + a word's key + " " + a shape (keys hold
# no space): the token's shape after the word before it, before the word after it; the token's word after
# the shape before it, before the shape after it ("mr" then "Xx": a name; "bank" after "Xx").
_PAIR_NAMES = ("-1w|sh=", "+1w|sh=", "w|-1sh=", "w|+1sh=")
# Where each of those pairs is among :func:`_word_shape_pairs`' two lists: (list, offset from the token's place).
_PAIR_PLACES = ((0, -1), (1, 0), (1, -1), (0, 0))


@KeyMemo
def _token_shape(text: str) -> str:
    """A token's shape as its ``sh=`` feature names it (:func:`_shape`; "p" and the first mark for punctuation), memoised."""
    return _shape(text) if text[0].isalnum() else "p" + text[:1]


def _word_shape_pairs(sentences: list[list[Token]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The sentences' keys and shapes laid end to end, each sentence between its own start and end marks:
    (key, shape) of each word with the shape after it, and of each shape with the word after it. Each pair
    is a pair of two tokens' features (:data:`_PAIR_PLACES`), so it is made once."""
    keys: list[str] = []
    shapes: list[str] = []
    for tokens in sentences:
        keys += [_START, *map(_KEY, tokens), _END]
        shapes += [_START, *map(_token_shape.__getitem__, map(_TEXT, tokens)), _END]
    return list(zip(keys, shapes[1:])), list(zip(keys[1:], shapes))


def _word_shape_joins(sentences: list[list[Token]]) -> tuple[list[str], list[str]]:
    """:func:`_word_shape_pairs` as the features name them: "key shape"."""
    after, before = _word_shape_pairs(sentences)
    return list(map(" ".join, after)), list(map(" ".join, before))


def _sentence_features(tokens: list[Token], shapes: bool = False) -> list[list[str]]:
    """The features of each token that depend on its neighbours' exact words rather than on one token:
    word bigrams either side, the adjacent spellings, a sentence in capitals, with ``shapes`` (English)
    the shape-and-word pairs, and the sentence's first token."""
    bigrams = _bigrams(tokens)
    seen = [_spelling_seen(text) for text in (_START, *(t.text for t in tokens), _END)]
    sentence = ["caps-sentence"] if _in_capitals(tokens) else []
    rows = [[f"bi={bigrams[index]}", f"bi+={bigrams[index + 1]}", seen[index][0], seen[index + 2][1], *sentence]
            for index in range(len(tokens))]
    if shapes:
        joins = _word_shape_joins([tokens])
        for place, row in enumerate(rows, start=1):
            row += [name + joins[which][place + offset] for name, (which, offset) in zip(_PAIR_NAMES, _PAIR_PLACES)]
    if rows:
        rows[0].append("first")
    return rows


def features(tokens: list[Token], language: str | None = None) -> list[list[str]]:
    """CRF features per token of one sentence (or any run of tokens), for the model of ``language``
    (by default the one :func:`language_of` picks): what training sees; tagging sums the same features'
    weights (:class:`_Model`)."""
    language = language or language_of(tokens)
    per_word = [_word_features(t.text, t.key, t.is_arabic, language) for t in tokens]
    rows = []
    for index, ((own, _), pairs) in enumerate(zip(per_word, _sentence_features(tokens, shapes=language == "en"))):
        row = list(own)
        for offset in _CONTEXT:
            if 0 <= index + offset < len(per_word):
                row += [_in_context(offset, f) for f in per_word[index + offset][1]]
        rows.append(row + pairs)
    return rows


class _WordMemo:
    """Rows of precomputed scores, one per distinct word spelling, in a fixed table. When the table is
    full the most used half stays (their counts halved, so words common a while ago age out) and the
    rest is forgotten: a long-running worker keeps its frequent words warm instead of starting cold."""

    def __init__(self, words: int, shape: tuple[int, ...]) -> None:
        self.table = np.empty((words, *shape), dtype=np.float32)
        self.uses = np.zeros(words, dtype=np.int64)
        self.rows: dict[str, int] = {}
        self._texts: list[str] = []

    def add(self, texts: list[str]) -> list[int]:
        """New rows for ``texts``, distinct and not in the memo (the caller fills them)."""
        first = len(self._texts)
        added = list(range(first, first + len(texts)))
        self.rows.update(zip(texts, added))
        self._texts += texts
        self.uses[first:first + len(texts)] = 0
        return added

    def keep_most_used(self) -> None:
        """Keep the most used half of the rows, moved to the front of the table."""
        kept = np.sort(np.argsort(-self.uses[:len(self._texts)], kind="stable")[:len(self.table) // 2])
        self.table[:len(kept)] = self.table[kept]
        self.uses[:len(kept)] = self.uses[kept] // 2
        self._texts = [self._texts[row] for row in kept]
        self.rows = {text: row for row, text in enumerate(self._texts)}


class _Model:
    """A trained CRF as arrays: a weight row per attribute (one column a label) and a label-to-label
    transition matrix. Tagging sums a token's weights, as CRFsuite does, but a word's own and context
    weights are summed once per distinct word, and Viterbi runs over all of an article's sentences at once."""

    def __init__(self, path: Path) -> None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        self.labels = list(info.labels)
        column = {label: index for index, label in enumerate(self.labels)}
        self.attribute_ids: dict[str, int] = {}
        rows, columns, values = [], [], []
        for (attribute, label), weight in info.state_features.items():
            rows.append(self.attribute_ids.setdefault(attribute, len(self.attribute_ids)))
            columns.append(column[label])
            values.append(weight)
        self.weights = np.zeros((len(self.attribute_ids) + 1, len(self.labels)))  # the last row: no attribute
        self.weights[rows, columns] = values
        none = len(self.attribute_ids)
        # A neighbour's feature → the rows of its names at each context offset, looked up once, not four times.
        self._context_rows: dict[str, tuple[int, ...]] = {}
        self._no_context = (none,) * len(_CONTEXT)
        for position, offset in enumerate(_CONTEXT):
            prefix = _in_context(offset, "")
            for attribute, row in self.attribute_ids.items():
                if attribute.startswith(prefix):
                    found = self._context_rows.setdefault(attribute[len(prefix):], self._no_context)
                    self._context_rows[attribute[len(prefix):]] = (*found[:position], row, *found[position + 1:])
        # Where a word's spelling features go among its context slots: to the next token (-1), the previous (+1).
        self._spelling_slots = [_CONTEXT.index(-1), _CONTEXT.index(1)]
        # pair of keys → its place in a table of the rows of its "bi=" and "bi+=" features (the last place: no
        # feature), so a token's bigrams are looked up by its keys, without building their names
        before = {_key_pair(a[3:]): row for a, row in self.attribute_ids.items() if a.startswith("bi=")}
        after = {_key_pair(a[4:]): row for a, row in self.attribute_ids.items() if a.startswith("bi+=")}
        self._bigram_places = {pair: place for place, pair in enumerate(before.keys() | after.keys())}
        self._bigram_rows = np.array([(before.get(pair, none), after.get(pair, none)) for pair in self._bigram_places]
                                     + [(none, none)], dtype=np.intp)
        self._sentence_rows = self.weights[self._ids(("caps-sentence", "first"))]
        self._boundaries = self.weights[self._ids((_spelling_seen(_START)[0], _spelling_seen(_END)[1]))]
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        for (before, after), weight in info.transitions.items():
            self.transitions[column[before], column[after]] = weight
        # decoding the marginals: an I- label only continues its own type, and never opens a sentence
        continues = [[not after.startswith("I-") or before[2:] == after[2:] for after in self.labels] for before in self.labels]
        self._iob_transitions = np.where(continues, 0.0, _IMPOSSIBLE)
        self._iob_start = np.array([_IMPOSSIBLE if label.startswith("I-") else 0.0 for label in self.labels], dtype=np.float32)
        self._scaled = _scalable(self.transitions)  # decided once: the compiled forward-backward can take them
        self.language = path.stem.removeprefix("ner-")
        # the shape-and-word pair features (English), (key, shape) → attribute row, a table a name: no name is
        # built (a shape holds no space, so a name's last space parts the two)
        self._pair_rows = [{tuple(a[len(name):].rsplit(" ", 1)): row for a, row in self.attribute_ids.items() if a.startswith(name)}
                           for name in _PAIR_NAMES] if self.language == "en" else []
        # A word's scores, summed once: a row of the memo per distinct spelling (its key and script follow from it).
        self._memo = _WordMemo(_MEMO_WORDS, (1 + len(_CONTEXT), len(self.labels)))
        # What the compiled emissions read besides the memo (see _viterbi.c), gathered once.
        self._emission_tables = (self._bigram_places, self._bigram_rows, self.weights, self._boundaries, self._sentence_rows,
                                 _CONTEXT, tuple(self._pair_rows), _START, _END)
        # What the compiled sums of new words' memo rows read (see _viterbi.c): with the weights, each spelling
        # feature's name before the word and the context slot it goes to.
        self._fill_tables = (self.weights, self.attribute_ids, none, tuple(zip(_spelling_seen(""), self._spelling_slots)))
        # What the compiled _word_features of a word reads (see _features.c), gathered once.
        self._feature_tables = (self.attribute_ids, self._context_rows, self._no_context, none, _LENGTH_FEATURES,
                                _DEFINITE_FEATURES, proclitic_splits, _class_features, _cluster_features(self.language),
                                _census_features)

    def _ids(self, attributes: tuple[str, ...] | list[str]) -> list[int]:
        none = len(self.attribute_ids)
        return [self.attribute_ids.get(attribute, none) for attribute in attributes]

    def _fill(self, rows: list[int], words: list[Token]) -> None:
        """Memo rows for new words: each word's own label scores, and the scores it adds to the token at each
        context offset (its features are built one word at a time, their weights summed for all at once)."""
        own_ids: list[int] = []
        own_sizes: list[int] = []
        lent_rows: list[tuple[int, ...]] = []
        lent_sizes: list[int] = []
        context, no_context = self._context_rows, self._no_context
        arabic, other, tables = _compiled_arabic_word_rows, _compiled_other_word_rows, self._feature_tables
        for word in words:
            compiled = arabic if word.is_arabic else other
            sizes = compiled(word.text, word.key, tables, own_ids, lent_rows) if compiled else None
            if sizes is None:
                own, seen = _word_features(word.text, word.key, word.is_arabic, self.language)
                own_ids += self._ids(own)
                lent_rows += [context.get(feature, no_context) for feature in seen]
                sizes = len(own), len(seen)
            own_sizes.append(sizes[0])
            lent_sizes.append(sizes[1])
        texts = list(map(_TEXT, words))
        if _compiled_fill_rows is not None:
            _compiled_fill_rows(texts, own_ids, own_sizes, lent_rows, lent_sizes, rows, self._memo.table, self._fill_tables)
        else:
            self._fill_numpy(texts, own_ids, own_sizes, lent_rows, lent_sizes, rows)

    def _fill_numpy(self, texts: list[str], own_ids: list[int], own_sizes: list[int], lent_rows: list[tuple[int, ...]],
                    lent_sizes: list[int], rows: list[int]) -> None:
        """The sums of :meth:`_fill` in numpy: the reference of ``_viterbi.fill_rows``, and the fallback."""
        table = self._memo.table
        spelling = [name for text in texts for name in _spelling_seen(text)]
        # the row lists as arrays first: numpy reads a flat iterator of ints faster than a list of tuples
        own_ids_array = np.fromiter(own_ids, dtype=np.intp, count=len(own_ids))
        lent_array = np.fromiter(chain.from_iterable(lent_rows), dtype=np.intp, count=len(_CONTEXT) * len(lent_rows))
        table[rows, 0] = np.add.reduceat(self.weights[own_ids_array], np.cumsum(own_sizes) - own_sizes)
        lent = np.add.reduceat(self.weights[lent_array.reshape(-1, len(_CONTEXT))], np.cumsum(lent_sizes) - lent_sizes)
        lent[:, self._spelling_slots] += self.weights[self._ids(spelling)].reshape(len(texts), 2, -1)
        table[rows, 1:] = lent

    def _scores_of(self, tokens: list[Token]) -> np.ndarray:
        """Each token's scores from :meth:`_fill` (tokens × (1 + context offsets) × labels), memoised."""
        capacity = len(self._memo.table) // 2
        if len(tokens) > capacity:
            return np.concatenate([self._scores_of(tokens[at:at + capacity]) for at in range(0, len(tokens), capacity)])
        return self._memo.table[self._memo_rows(tokens)]

    def _memo_rows(self, tokens: list[Token]) -> np.ndarray:
        """The memo row of each token's scores, :meth:`_fill` making those of new words; for at most half the
        memo's rows of tokens, so that no row is forgotten while they are read."""
        memo = self._memo
        if len(memo.rows) + len(tokens) > len(memo.table):
            memo.keep_most_used()
        rows = memo.rows
        found: list[int | None] = list(map(rows.get, map(_TEXT, tokens)))
        if None in found:
            missing = list(compress(count(), map(is_, found, repeat(None))))
            new_words: dict[str, Token] = {}  # each new spelling's first token, in the order met
            for index in missing:
                new_words.setdefault(tokens[index].text, tokens[index])
            self._fill(memo.add(list(new_words)), list(new_words.values()))
            for index in missing:
                found[index] = rows[tokens[index].text]
        rows_found = np.fromiter(found, dtype=np.intp, count=len(found))  # converted once, used twice
        memo.uses[rows_found] += 1  # a word counts once a call (an article's sentences of similar length)
        return rows_found

    def emissions(self, sentences: list[list[Token]]) -> np.ndarray:
        """The label scores of each token of several sentences, padded to the longest (sentences × tokens ×
        labels; what lies past a sentence's end is meaningless): summed in C (``_viterbi.emissions``) when
        it is built and the tokens fit the memo at once, else by :meth:`_emissions_numpy`, the reference."""
        laid_out = [token for tokens in sentences for token in tokens]
        if _compiled_emissions is None or len(laid_out) > len(self._memo.table) // 2:
            return self._emissions_numpy(sentences)
        rows = self._memo_rows(laid_out)
        emitted = np.zeros((len(sentences), max(map(len, sentences)), len(self.labels)), dtype=np.float32)
        shapes = list(map(_token_shape.__getitem__, map(_TEXT, laid_out))) if self._pair_rows else None
        _compiled_emissions(sentences, rows, self._memo.table, bytes(map(_in_capitals, sentences)), shapes,
                            self._emission_tables, emitted)
        return emitted

    def _emissions_numpy(self, sentences: list[list[Token]]) -> np.ndarray:
        """:meth:`emissions` in numpy."""
        lengths = np.array([len(tokens) for tokens in sentences])
        longest = int(lengths.max())
        scores = self._scores_of([token for tokens in sentences for token in tokens])
        # each sentence's rows in a grid with empty rows either side, so neighbours never cross sentences
        pad = max(map(abs, _CONTEXT))
        grid = np.zeros((len(sentences), longest + 2 * pad, *scores.shape[1:]), dtype=scores.dtype)
        sentence_of = np.repeat(np.arange(len(sentences)), lengths)  # of each token, and its place in it
        position_of = np.arange(len(scores)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        grid[sentence_of, position_of + pad] = scores
        emitted = grid[:, pad:longest + pad, 0].copy()
        for position, offset in enumerate(_CONTEXT, start=1):  # the word at i + offset is seen by token i
            emitted += grid[:, pad + offset:pad + offset + longest, position]
        emitted[:, 0] += self._boundaries[0]
        emitted[np.arange(len(sentences)), lengths - 1] += self._boundaries[1]
        # features of word pairs and of the sentence, summed per token in the order training lists them; a
        # sentence has one bigram more than tokens, so token i's bigrams are i and i + 1
        pairs_of_keys = [pair for tokens in sentences for pair in _key_pairs(tokens)]
        places = map(self._bigram_places.get, pairs_of_keys, repeat(len(self._bigram_places)))
        rows = self._bigram_rows[np.fromiter(places, dtype=np.intp, count=len(pairs_of_keys))]
        at = np.arange(len(scores)) + sentence_of
        pairs = self.weights[rows[at, 0]] + self.weights[rows[at + 1, 1]]
        capitals = [index for index, tokens in enumerate(sentences) if _in_capitals(tokens)]
        if capitals:
            pairs[np.isin(sentence_of, capitals)] += self._sentence_rows[0]
        if self._pair_rows:
            pairs += self._shape_pair_scores(sentences, at + sentence_of + 1)
        pairs[np.cumsum(lengths) - lengths] += self._sentence_rows[1]
        emitted[sentence_of, position_of] += pairs
        return emitted

    def _shape_pair_scores(self, sentences: list[list[Token]], at: np.ndarray) -> np.ndarray:
        """The summed weights of each token's shape-and-word pairs; ``at``: each token's place among the
        sentences laid end to end as :func:`_word_shape_pairs` lays them."""
        pairs = _word_shape_pairs(sentences)
        none = len(self.attribute_ids)
        scores = np.zeros((len(at), len(self.labels)))
        for table, (which, offset) in zip(self._pair_rows, _PAIR_PLACES):
            rows = np.fromiter(map(table.get, pairs[which], repeat(none)), dtype=np.int64, count=len(pairs[which]))
            scores += self.weights[rows[at + offset]]
        return scores

    def decode(self, sentences: list[list[Token]]) -> list[list[str]]:
        """The label sequence of each sentence (:meth:`_decode_group`), over sentences of similar length in
        step, in groups of at most :data:`_DECODE_CELLS` padded tokens (one huge sentence pads no other)."""
        tagged: list[list[str]] = [[] for _ in sentences]
        group: list[int] = []
        for index in sorted(range(len(sentences)), key=lambda i: len(sentences[i])):
            if group and (len(group) + 1) * len(sentences[index]) > _DECODE_CELLS:
                self._decode_group(sentences, group, tagged)
                group = []
            group.append(index)
        if group:
            self._decode_group(sentences, group, tagged)
        return tagged

    def _decode_group(self, sentences: list[list[Token]], group: list[int], tagged: list[list[str]]) -> None:
        """Posterior decoding of the sentences ``group`` indexes, shortest first, into ``tagged``: each
        token's label probabilities given its whole sentence (forward-backward), then the valid IOB
        sequence with the most log-probability (Viterbi over them)."""
        lengths = np.array([len(sentences[index]) for index in group], dtype=np.int64)
        emitted = self.emissions([sentences[index] for index in group])
        marginals = np.empty_like(emitted)
        paths = np.zeros(emitted.shape[:2], dtype=np.int8)
        log_marginals(emitted, lengths, self.transitions, marginals, scaled=self._scaled)
        marginals[:, 0] += self._iob_start
        (_compiled_best_paths or _best_paths_numpy)(marginals, lengths, self._iob_transitions, paths)
        labels = self.labels
        for row, index in enumerate(group):
            tagged[index] = [labels[label] for label in paths[row, :lengths[row]].tolist()]


def _logsumexp(scores: np.ndarray, axis: int) -> np.ndarray:
    top = scores.max(axis=axis, keepdims=True)
    return (np.log(np.exp(scores - top).sum(axis=axis, keepdims=True)) + top).squeeze(axis)


def _scalable(transitions: np.ndarray) -> bool:
    """Whether the transition scores lie within :data:`_SCALED_RANGE` of each other (a trained model's, ±10, do)."""
    return float(transitions.max() - transitions.min()) <= _SCALED_RANGE


def log_marginals(emitted: np.ndarray, lengths: np.ndarray, transitions: np.ndarray, out: np.ndarray,
                  *, scaled: bool | None = None) -> None:
    """Each token's log label probabilities given its sentence (forward-backward) into ``out``, for
    ``emitted`` scores (sentences × tokens × labels, float32, sentences sorted by length); floored at 1e-12.
    The C loop scales probabilities rather than summing logs, so transition scores further apart than
    :data:`_SCALED_RANGE` take the numpy loop; ``scaled`` is :func:`_scalable` of ``transitions`` when a
    caller already knows it (a model, once), else it is worked out here."""
    if _compiled_log_marginals is not None and (_scalable(transitions) if scaled is None else scaled):
        _compiled_log_marginals(emitted, lengths, transitions, out)
    else:
        _log_marginals_numpy(emitted, lengths, transitions, out)


def _log_marginals_numpy(emitted: np.ndarray, lengths: np.ndarray, transitions: np.ndarray, out: np.ndarray) -> None:
    """:func:`log_marginals` in numpy: the reference for the compiled ``_viterbi.log_marginals``."""
    scores = emitted.astype(np.float64)
    forward, backward = np.zeros_like(scores), np.zeros_like(scores)
    forward[:, 0] = scores[:, 0]
    going = np.searchsorted(lengths, np.arange(scores.shape[1]), side="right")  # first sentence still going
    for position in range(1, scores.shape[1]):
        first = going[position]
        forward[first:, position] = _logsumexp(forward[first:, position - 1, :, None] + transitions, 1) + scores[first:, position]
    for position in range(scores.shape[1] - 2, -1, -1):
        first = going[position + 1]
        backward[first:, position] = _logsumexp(transitions + (scores[first:, position + 1] + backward[first:, position + 1])[:, None, :], 2)
    both = forward + backward
    for row, length in enumerate(lengths.tolist()):
        both[row, :length] -= _logsumexp(forward[row, length - 1], 0)
    out[:] = np.log(np.exp(both) + 1e-12)


def _best_paths_numpy(emitted: np.ndarray, lengths: np.ndarray, transitions: np.ndarray, paths: np.ndarray) -> None:
    """Each sentence's best labels into ``paths`` (sentences × tokens), sentences sorted by length: the
    reference for the compiled ``_viterbi.best_paths``, which does the same in C."""
    best = emitted[:, 0].astype(np.float64)
    back = np.zeros(emitted.shape, dtype=np.int8)
    # the group runs from its shortest sentence to its longest: at each position only a tail of it goes on
    going = np.searchsorted(lengths, np.arange(emitted.shape[1]), side="right")
    for position in range(1, emitted.shape[1]):
        first = going[position]
        candidates = best[first:, :, None] + transitions  # sentence × previous label × label
        back[first:, position] = candidates.argmax(1)
        best[first:] = candidates.max(1) + emitted[first:, position]
    for row, length in enumerate(lengths.tolist()):
        label = int(best[row].argmax())
        path = [label]
        for step in reversed(back[row, 1:length].tolist()):  # plain lists: cheaper to index than numpy
            label = step[label]
            path.append(label)
        paths[row, :length] = path[::-1]


@cache
def _model(language: str) -> _Model | None:
    """The model of ``language`` (≈ 1 s to read, once), or ``None`` without its file."""
    path = model_path(language)
    return _Model(path) if path.is_file() else None


def bio(label: str) -> str:
    """A model label over PER/LOC/ORG: the models also learnt MISC (it helps them), which the pipeline reads as ``O``."""
    return "O" if label.endswith("MISC") else label


def tag_sentences(sentences: list[list[Token]]) -> list[list[str]]:
    """IOB2 labels (``B-PER``, ``I-LOC`` …, ``O``) for each sentence's tokens, from its language's model;
    all ``O`` without the model file."""
    tagged: list[list[str]] = [["O"] * len(tokens) for tokens in sentences]
    by_language: dict[str, list[int]] = {}
    for index, tokens in enumerate(sentences):
        if tokens:
            by_language.setdefault(language_of(tokens), []).append(index)
    for language, indices in by_language.items():
        model = _model(language)
        if model is not None:
            read = {label: bio(label) for label in model.labels}
            for index, labels in zip(indices, model.decode([sentences[i] for i in indices])):
                tagged[index] = list(map(read.__getitem__, labels))
    return tagged


def tag(tokens: list[Token]) -> list[str]:
    """IOB2 labels for one sentence's tokens (see :func:`tag_sentences`)."""
    return tag_sentences([tokens])[0]
