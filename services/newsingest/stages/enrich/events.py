"""Event coding: who did what to whom, where and when, one event per sentence and kind, from trigger lexicons.

Kinds follow ACLED's sub-event types and CAMEO's codes (``KINDS``). A sentence holds an event of a
kind when one of the kind's trigger words (English, or an Arabic stem with its clitics) is in it:

* actor — the entity or actor phrase ("government forces", "قوات النظام") nearest before the trigger
  in the trigger's own clause, or, for Arabic verb-first sentences ("وشنت روسيا ضربات جوية"), the one
  right after it. Never a source, addressee or beneficiary ("according to X", "وفقا للمرصد", "told
  CNN", "لموقع ميدل إيست آي", "مناهضة للأسد"), nor a speaker whose reported clause holds the trigger
  ("X said that …", "قال X إن …"). A passive or nominal killing or arrest ("were killed", "قُتل", "مقتل") has
  no actor unless the text names one ("by X", "على يد X"); the victims before it are its target;
* target — the first other actor after the trigger (people and organisations, not places);
* locations — the geocoded places mentioned in the sentence, those after the trigger first;
* date — the extracted date mention in the sentence nearest the trigger (its resolved ``date`` may be
  ``null`` when the publication date is unknown);
* evidence — the sentence itself, with its offsets.

A statement is coded only when nothing else is and its actor is known. In a sport story the words of
war are figures of speech ("a cup clash", "captured the title", "withdrew from the squad"): clashes,
strikes, shelling, captures and withdrawals are not coded there.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from newsingest.stages.enrich.topics import SPORT
from newsingest.text.sentences import sentence_starts
from newsingest.text.tokens import Token, tokenize

T = TypeVar("T")
_ORDER = itemgetter(1)  # of a span as _Spans keeps it: (start, order given, end, item)


@dataclass(frozen=True)
class Kind:
    name: str
    acled: str  # ACLED sub-event type (or the closest)
    cameo: str  # CAMEO event code


def _ar(*stems: str) -> str:
    """Arabic stems (folded: ا for أإآ, ه for ة, ي for ى) with optional proclitics and any suffix."""
    return r"(?<!\S)(?:[وف]?(?:[بلك]|ال|بال|لل)?)(?:" + "|".join(stems) + r")\S*"


def _en(*words: str) -> str:
    return r"\b(?:" + "|".join(words) + r")\b"


# kind → (English trigger words, Arabic trigger stems), as patterns over the sentence's folded tokens joined by spaces.
_TRIGGERS: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Kind("air_strike", "Air/drone strike", "195"): (
        (r"air ?strikes?", r"air raids?", r"drone strikes?", r"drone attacks?", r"warplanes?", r"bombed", r"bombing", r"airstrikes?"),
        (r"ضربه جويه", r"ضربات جويه", r"غارات?", r"غاره", r"قصف جوي", r"طائرات مسيره", r"مسيرات?")),
    Kind("shelling", "Shelling/artillery/missile attack", "194"): (
        (r"shell(?:ed|ing|s)?", r"artillery", r"mortars?", r"rockets? (?:fire|attacks?)", r"missile (?:strikes?|attacks?)"),
        (r"قصف(?! جوي)", r"مدفعيه", r"هاون", r"صواريخ")),
    Kind("armed_clash", "Armed clash", "190"): (
        (r"clash(?:es|ed)?", r"fighting", r"fought", r"gun ?battles?", r"firefights?", r"battles? (?:for|with|between)"),
        (r"اشتباك", r"اشتبك", r"معارك", r"معركه", r"^قتال", r"مواجهات")),
    Kind("capture", "Non-state actor overtakes territory / Government regains territory", "192"): (
        (r"captur(?:e|ed|es|ing)", r"seiz(?:e|ed|es|ing)", r"took control", r"taken control", r"take control", r"overr(?:an|un)", r"fell to", r"gained control"),
        (r"استول[يا]", r"سيطر", r"سقوط", r"سقطت")),
    Kind("withdrawal", "Withdrawal / retreat", "0874"): (
        (r"withdr(?:ew|awn|aw|aws|awing|awal)", r"pull(?:ed|s|ing)? (?:out|back)", r"retreat(?:ed|s|ing)?"),
        (r"[ايتن]?نسح(?:ا)?ب", r"تراجع")),
    Kind("protest", "Peaceful protest", "14"): (
        (r"protest(?:s|ed|ers|ing)?", r"demonstrat(?:ion|ions|ors|ed)", r"rall(?:y|ies|ied)", r"marched"),
        (r"احتجاج", r"احتج", r"تظاهر", r"مظاهر(?:ه|ات)", r"متظاهر")),
    Kind("arrest", "Arrests", "173"): (
        (r"arrest(?:ed|s|ing)?", r"detain(?:ed|s|ing)?", r"in custody"),
        (r"اعتقال", r"اعتقل", r"احتجاز", r"احتجز", r"القبض علي")),
    Kind("killing", "Attack", "18"): (
        (r"kill(?:ed|ing|s)?", r"murder(?:ed|s)?", r"assassinat(?:ed|ion)", r"shot dead"),
        (r"قتل", r"مقتل", r"اغتيال", r"اغتيل")),
    Kind("evacuation", "Evacuation / travel advisory", "0233"): (
        (r"evacuat(?:e|ed|es|ing|ion)", r"to leave the country", r"leave (?:the country|immediately)", r"travel advisory"),
        (r"مغادره", r"اجلاء", r"اخلاء")),
    Kind("statement", "Statement", "010"): (
        (r"said", r"says", r"stated", r"announced"),
        (r"قال", r"اعلن", r"اكد", r"اوضح", r"صرح")),
}
KINDS = tuple(_TRIGGERS)
_FIGURATIVE_IN_SPORT = frozenset({"air_strike", "shelling", "armed_clash", "capture", "withdrawal"})
_PATTERNS = {kind: re.compile(_en(*english) + "|" + _ar(*arabic)) for kind, (english, arabic) in _TRIGGERS.items()}


def _by_first_letter(patterns: list[str]) -> list[str]:
    """The same alternatives, those starting with a plain letter grouped under it (``a(?:ir raids?|rtillery)``):
    the regex engine then tries a group only where its letter is."""
    groups: dict[str, list[str]] = {}
    rest = []
    for pattern in patterns:
        if pattern[0].isalpha() and pattern[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(pattern[0], []).append(pattern[1:])
        else:
            rest.append(pattern)
    return [f"{letter}(?:{'|'.join(tails)})" for letter, tails in groups.items()] + rest


# Where any kind's trigger starts (zero width, so triggers of different kinds may share a start): one scan of the
# article, a sentence per line, finds the few places worth trying each kind's pattern at, instead of a scan per
# sentence and kind. A trigger opens a word (a word boundary before an English one, white space before an Arabic
# one), so it starts the text or follows a non-word character: the scan tries only there (_TRIGGER_AFTER).
_ANY_TRIGGER_AHEAD = ("(?=" + _en(*_by_first_letter([w for english, _ in _TRIGGERS.values() for w in english]))
                      + "|" + _ar(*_by_first_letter([w for _, arabic in _TRIGGERS.values() for w in arabic])) + ")")
_ANY_TRIGGER = re.compile(_ANY_TRIGGER_AHEAD, re.MULTILINE)
_TRIGGER_AFTER = re.compile(r"\W" + _ANY_TRIGGER_AHEAD, re.MULTILINE)


def _trigger_starts(text: str) -> list[int]:
    """The offsets where some kind's trigger may start in ``text``: those ``_ANY_TRIGGER`` finds, in order."""
    starts = [0] if _ANY_TRIGGER.match(text) else []
    return starts + [match.start() + 1 for match in _TRIGGER_AFTER.finditer(text)]


# Actor phrases without a named entity, and heads that make a following entity an actor ("forces of X").
_GENERIC_ACTORS = re.compile("|".join((
    _en(r"government forces", r"security forces", r"troops", r"soldiers", r"rebels?", r"insurgents?", r"militants?",
        r"the regime", r"regime forces", r"opposition fighters", r"police", r"protesters", r"the army", r"gunmen"),
    _ar(r"قوات النظام", r"القوات الحكوميه", r"المتمردون", r"المتمردين", r"مقاتلو المعارضه", r"قوات المعارضه",
        r"النظام", r"الشرطه", r"الجيش", r"مسلحون", r"المتظاهرين", r"مقاتلين محليين", r"مقاتلو"),
)))
_FORCES = re.compile(_en(r"forces", r"troops", r"army") + "|" + _ar(r"قوات", r"جيش"))
_ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC"})
# Words right before a mention that make it a source or an addressee, not a doer (folded keys).
_SOURCE_WORDS = frozenset({"according", "told", "to", "citing", "quoting", "وفقا", "بحسب", "حسب", "نقلا", "لدي"})
# A clause boundary between a speaker and what is reported: "that", "إن"/"أن".
_REPORTED_CLAUSE = frozenset({"that", "ان"})
# Arabic one-letter prepositions written on the word ("لموقع", "بقيادة"); "لل" is ل + the article.
_ATTACHED_PREPOSITIONS = ("لل", "ل", "ب")
_PASSIVE_AUXILIARIES = frozenset({"was", "were", "been", "being", "be", "is", "are"})
_AGENT_MARKERS = frozenset({"by", "يد", "برصاص"})  # "killed by X", "على يد X", "برصاص X"
_NOMINAL_KILLING = re.compile(r"^[وف]?(?:ب|ل|ال|بال|لل)?(?:مقتل|اغتيال|اعتقال|احتجاز)")
_DAMMA = "\u064f"
_VICTIM_KINDS = frozenset({"killing", "arrest"})
_KEY = attrgetter("key")
_VERB_FIRST_TOKENS = 3


@dataclass(frozen=True)
class _Actor:
    start: int
    end: int
    text: str
    entity_id: str | None
    is_place: bool  # a place other than a country: where, not who
    is_country: bool = False
    is_source: bool = False  # a source or an addressee ("according to X", "لموقع X"): never the doer

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "entity_id": self.entity_id}


class _Keyed:
    """A sentence as folded tokens joined by spaces, mapping match offsets back to the source."""

    def __init__(self, tokens: Sequence[Token], text: str) -> None:
        self.tokens = tokens
        self.text = text  # the tokens' keys joined by spaces
        self.offsets = list(accumulate((len(token.key) + 1 for token in tokens[:-1]), initial=0))

    def triggers(self, starts: list[int]) -> dict[Kind, re.Match[str]]:
        """Each kind's first trigger in the sentence (what ``pattern.search`` finds), for the kinds that have one;
        ``starts``: the offsets where some trigger may start."""
        found: dict[Kind, re.Match[str]] = {}
        for kind, pattern in _PATTERNS.items():
            match = next((m for start in starts if (m := pattern.match(self.text, start))), None)
            if match is not None:
                found[kind] = match
        return found

    def span(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_right(self.offsets, start) - 1
        last = max(first, bisect.bisect_left(self.offsets, end) - 1)
        return self.tokens[first].start, self.tokens[last].end


def _keyed_sentences(text: str) -> Iterator[tuple[_Keyed, list[int]]]:
    """The sentences of ``text`` where a trigger may be, each with the offsets where one may start."""
    tokens = tokenize(text)
    keys = list(map(_KEY, tokens))
    bounds = list(pairwise([*sentence_starts(tokens, text), len(tokens)]))
    lines = [" ".join(keys[first:end]) for first, end in bounds]
    line_starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    starts: dict[int, list[int]] = {}
    for start in _trigger_starts("\n".join(lines)):
        line = bisect.bisect_right(line_starts, start) - 1
        starts.setdefault(line, []).append(start - line_starts[line])
    for line, found in starts.items():
        first, end = bounds[line]
        yield _Keyed(tokens[first:end], lines[line]), found


class _Spans(Generic[T]):
    """Items with a character span (an article's entity mentions, place mentions, dates), found by where they
    lie: each event's sentence asks for its own, so a scan of them all per event would grow with the square
    of the text."""

    def __init__(self, spans: Iterable[tuple[int, int, T]]) -> None:
        # (start, order given, end, item), by start
        self._spans = sorted(((start, order, end, item) for order, (start, end, item) in enumerate(spans)), key=itemgetter(0))
        self._starts = [span[0] for span in self._spans]

    def starting_in(self, first: int, last: int) -> list[tuple[int, int, T]]:
        """``(start, end, item)`` of the items that start in ``[first, last]``, in the order given."""
        found = self._spans[bisect.bisect_left(self._starts, first):bisect.bisect_right(self._starts, last)]
        return [(start, end, item) for start, _, end, item in (sorted(found, key=_ORDER) if len(found) > 1 else found)]

    def within(self, first: int, last: int) -> list[tuple[int, int, T]]:
        """``(start, end, item)`` of the items inside ``[first, last]``, in the order given."""
        return [span for span in self.starting_in(first, last) if span[1] <= last]


def _actor_mentions(entities: Sequence[dict[str, Any]]) -> _Spans[dict[str, Any]]:
    """The mentions of an article's actor-type entities, each with its entity."""
    return _Spans((mention["start"], mention["end"], entity) for entity in entities if entity["type"] in _ACTOR_TYPES
                  for mention in entity["mentions"])


def _actors(text: str, keyed: _Keyed, mentions: _Spans[dict[str, Any]], places: dict[str, bool]) -> list[_Actor]:
    """Entity mentions and actor phrases in the sentence; ``places``: entity id → whether it is a country."""
    first, last = keyed.tokens[0].start, keyed.tokens[-1].end
    found = [_Actor(start, end, text[start:end], entity["id"], places.get(entity["id"]) is False, places.get(entity["id"]) is True)
             for start, end, entity in mentions.within(first, last)]
    for match in _GENERIC_ACTORS.finditer(keyed.text):
        start, end = keyed.span(*match.span())
        if not any(a.start <= start < a.end for a in found):
            found.append(_Actor(start, end, text[start:end], None, False))
    for match in _FORCES.finditer(keyed.text):  # "قوات الرئيس بشار الأسد", "Russian forces": the forces act
        start, end = keyed.span(*match.span())
        owner = next((a for a in sorted(found, key=lambda a: a.start) if 0 <= a.start - end <= 12 or 0 <= start - a.end <= 2), None)
        if owner is not None:
            found.remove(owner)
            low, high = min(start, owner.start), max(end, owner.end)
            found.append(_Actor(low, high, text[low:high], owner.entity_id, False))
    return sorted((_marked_as_source(text, keyed.tokens, actor) for actor in found), key=lambda a: a.start)


def _is_prepositional_noun(token: Token) -> bool:
    """An Arabic noun with ل written on it, heading the name after it: "لموقع [ميدل إيست آي]", "لصالح [X]"."""
    return token.is_arabic and token.key.startswith("ل") and not token.key.startswith("ال") and len(token.key) > 3


def _marked_as_source(text: str, tokens: Sequence[Token], actor: _Actor) -> _Actor:
    """The actor, flagged when a preposition written on it or a word before it makes it a source or an addressee."""
    index = next((i for i, t in enumerate(tokens) if t.end > actor.start), 0)
    head, previous = tokens[index], tokens[index - 1] if index else None
    attached = text[head.start:actor.start]  # letters of the word before the mention ("لموقع": "ل")
    attached = attached.removeprefix("و").removeprefix("ف")
    if (head.is_arabic and attached in _ATTACHED_PREPOSITIONS) or (previous is not None and (
            previous.key in _SOURCE_WORDS or _is_prepositional_noun(previous))):
        return dataclasses.replace(actor, is_source=True)
    return actor


_PREPOSITIONS = frozenset(["علي", "من", "الي", "في", "عن"])
_ARTICLE_OR_PREPOSITION = re.compile(r"^(?:[وف]?(?:ال|بال|لل|ب|ل))")


def _verb_first(tokens: Sequence[Token], trigger: tuple[int, int], actor: _Actor) -> bool:
    """An Arabic verb trigger with its subject right after it: "انسحبت قوات النظام", "قصفت قوات النظام"."""
    index = next(i for i, t in enumerate(tokens) if t.end > trigger[0])
    verb, previous = tokens[index], tokens[index - 1] if index else None
    if not verb.is_arabic or _ARTICLE_OR_PREPOSITION.match(verb.key) or (previous and previous.key in _PREPOSITIONS):
        return False
    between = [t for t in tokens if trigger[1] <= t.start < actor.start and t.is_word]
    return len(between) <= 1 and not any(t.key in _PREPOSITIONS for t in between)


def _in_own_clause(tokens: Sequence[Token], actor: _Actor, trigger: tuple[int, int]) -> bool:
    """No "that" or "إن"/"أن" between the actor and the trigger: the actor is not the speaker of a reported clause."""
    return not any(actor.end <= t.start < trigger[0] and t.key in _REPORTED_CLAUSE for t in tokens)


def _is_passive(text: str, tokens: Sequence[Token], trigger: tuple[int, int]) -> bool:
    """A passive or nominal trigger: "were killed", "قُتل", "مقتل", "اعتقال"."""
    index = next(i for i, t in enumerate(tokens) if t.end > trigger[0])
    word = tokens[index]
    if word.is_arabic:
        return _DAMMA in text[word.start:word.end] or bool(_NOMINAL_KILLING.match(word.key))
    return any(t.key in _PASSIVE_AUXILIARIES for t in tokens[max(0, index - 2):index])


def _actor_and_target(actors: list[_Actor], trigger: tuple[int, int], tokens: Sequence[Token],
                      passive: bool = False) -> tuple[_Actor | None, _Actor | None]:
    before = [a for a in actors if a.end <= trigger[0]]
    after = [a for a in actors if a.start >= trigger[1] and not a.is_place]
    doers = [a for a in before if not a.is_source and _in_own_clause(tokens, a, trigger)]
    if passive:  # "X were killed [by Y]": Y acts, X suffers
        agent = next((a for a in after if any(a.start - 12 <= t.start < a.start and t.key in _AGENT_MARKERS for t in tokens)), None)
        victim = next((a for a in reversed(doers) if not a.is_place and not a.is_country), None)
        return agent, victim or next((a for a in after if a is not agent and not a.is_country), None)
    if after and not after[0].is_source and _verb_first(tokens, trigger, after[0]):
        actor: _Actor | None = after[0]
    else:  # the nearest actor before: a person, group or force rather than a country named in passing
        actor = next((a for a in reversed(doers) if not a.is_country and not a.is_place), None) \
            or next((a for a in reversed(doers) if a.is_country), None)
    target = next((a for a in after if a is not actor), None)
    return actor, target


def _nearest(dates: _Spans[dict[str, Any]], span: tuple[int, int], trigger: tuple[int, int]) -> dict[str, Any] | None:
    """The date inside ``span`` nearest the trigger (the first given on a tie), else ``None``."""
    inside = dates.within(*span)
    return min(inside, key=lambda date: abs(date[0] - trigger[0]))[2] if inside else None


def code_events(text: str, entities: Sequence[dict[str, Any]], locations: Sequence[dict[str, Any]],
                dates: Sequence[dict[str, Any]], topic: str | None = None) -> list[dict[str, Any]]:
    """The events of an article: ``text`` with its extracted ``entities`` and ``dates``, geocoded
    ``locations`` and its ``topic`` code (see :mod:`topics`)."""
    skipped = _FIGURATIVE_IN_SPORT if topic == SPORT else frozenset()
    places = {loc["entity_id"]: loc.get("feature_code") == "PCLI" for loc in locations if loc.get("entity_id")}
    spotted = _Spans((m["start"], m["end"], loc) for loc in locations for m in loc["mentions"])
    dated = _Spans((d["start"], d["end"], d) for d in dates if "start" in d)
    mentions = _actor_mentions(entities)
    events: list[dict[str, Any]] = []
    for keyed, starts in _keyed_sentences(text):
        triggers = keyed.triggers(starts)
        if not triggers:
            continue
        tokens = keyed.tokens
        span = (tokens[0].start, tokens[-1].end)
        actors = _actors(text, keyed, mentions, places)
        coded: list[dict[str, Any]] = []
        for kind, match in triggers.items():
            if kind.name in skipped or (kind.name == "statement" and coded):
                continue
            trigger = keyed.span(*match.span())
            passive = kind.name in _VICTIM_KINDS and _is_passive(text, tokens, trigger)
            actor, target = _actor_and_target(actors, trigger, tokens, passive)
            if kind.name == "statement" and actor is None:
                continue
            # after the trigger first, then by place in the text (two places named at one spot: in the order given)
            here = sorted(spotted.starting_in(span[0], span[1] - 1), key=lambda spot, at=trigger[0]: (spot[0] < at, spot[0]))
            named = list({id(loc): loc for _, _, loc in here}.values())
            date = _nearest(dated, span, trigger)
            coded.append({
                "kind": kind.name, "acled": kind.acled, "cameo": kind.cameo,
                "trigger": text[trigger[0]:trigger[1]],
                "actor": actor.as_dict() if actor else None,
                "target": target.as_dict() if target else None,
                "locations": [{k: loc[k] for k in ("name", "lat", "lon", "country_code", "geonames_id")} for loc in named],
                "date": {"text": date["text"], "date": date["date"]} if date else None,
                "evidence": {"text": text[span[0]:span[1]], "start": span[0], "end": span[1]},
            })
        events += coded
    return events
