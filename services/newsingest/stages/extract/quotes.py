"""Direct and reported quotes with their speakers, in Arabic and English news.

Direct quotes are spans in “…”, «…», „…“ or "…" (paired per paragraph; a quote left open runs to
the paragraph's end). The speaker comes from the nearest verb of saying: the noun phrase after an
Arabic verb up to "إن/أن"/":" ("وقال زاهر سحلول، وهو طبيب …، إن"), "بحسب/وفقا لـ X", or the
English subject before or after "said". The phrase resolves to the PERSON (else ORG, else a leading
LOC) mention inside it; an unknown name becomes a new PERSON mention. A verb without a subject
("وأضاف أن", "he said"), a quote chained in the same sentence, or a paragraph that is only a quote
takes the last speaker; a paragraph "– Name, title" right after a quote names its speaker.
Reported speech ("قال X إن …", "X said that …" without marks) is kept as ``kind: reported``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from newsingest.stages.extract.entities import Mention, definite_words, looks_like_name
from newsingest.text import lexicon as lx
from newsingest.text.sentences import sentence_starts
from newsingest.text.tokens import Token, key_test, keys_with_stem_in, proclitic_splits, where_key

_CLOSERS = {"“": "”“", "”": "“”", "«": "»", "»": "«", "„": "“”", '"': '"'}
_QUOTE_MARK = re.compile("[" + "".join(_CLOSERS) + "]")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_NON_SPACE = re.compile(r"\S")
_SENTENCE_MARKS = frozenset(".!?؟;؛")

_DASH_ATTRIBUTION = re.compile(r"[–—-]\s*(?P<name>[^،,\n(]{2,60}?)\s*(?:[،,(]|$)")
_MAX_PHRASE = 15
_MAX_LOOKBACK = 60  # tokens searched back from a quote for its verb of saying (keeps long runs linear)
_MAX_NAME_WORDS = 4
_MAX_AFTER_QUOTE = 10  # tokens after a quote searched for its verb: '…," Wales' team physiotherapist Mark Davies said'
_MIN_UNATTRIBUTED_WORDS = 4  # a shorter quoted phrase no one said is a title or a name: “بيت المثقفين العرب”
_MIN_REPORTED_WORDS = 4
_SPEAKER_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 2}


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is attributed to, and where the text names them."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote: its words, span, ``direct``/``reported`` and speaker (None when unknown)."""

    text: str
    start: int
    end: int
    kind: str
    speaker: Speaker | None


NOBODY = Speaker("", 0, 0)  # a subject that is a source ("التقارير"), not a speaker: no fallback to the last one


class _Context:
    """Tokens, mentions and the running "last named speaker" of one article."""

    def __init__(self, text: str, tokens: list[Token], mentions: list[Mention]) -> None:
        self.text = text
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.new_mentions: list[Mention] = []
        self.common = definite_words(tokens)
        self.last: Speaker | None = None
        self.cues = where_key(_MAY_CUE, tokens)  # the tokens that may be a verb of saying or "according to"
        # Per token: first token of its sentence, and index of the sentence mark ending it (or len).
        self.sentence_first: list[int] = []
        self.sentence_last: list[int] = []
        starts = [*sentence_starts(tokens, text), len(tokens)]
        for first, end in zip(starts, starts[1:]):
            last = end - 1 if tokens[end - 1].text in _SENTENCE_MARKS else end  # the mark, or past the run
            self.sentence_first += [first] * (end - first)
            self.sentence_last += [last] * (end - first)

    def cues_in(self, low: int, high: int) -> list[int]:
        """Indices of the cue tokens in ``low..high-1``, in order."""
        return self.cues[bisect.bisect_left(self.cues, low):bisect.bisect_left(self.cues, high)]

    def token_at(self, offset: int) -> int:
        return bisect.bisect_left(self.starts, offset)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        index = bisect.bisect_left(self.mention_starts, start)
        found = []
        while index < len(self.mentions) and self.mentions[index].start < end:
            found.append(self.mentions[index])
            index += 1
        return found


def _is_say(token: Token) -> bool:
    return _says(token.key) if token.is_arabic else token.key in lx.EN_SAY


@lru_cache(maxsize=65536)
def _says(key: str) -> bool:
    return any(stem in lx.AR_SAY for _, stem in proclitic_splits(key))


_ARABIC_CUES = keys_with_stem_in(lx.AR_SAY | lx.AR_ACCORDING)  # with any proclitics ("وقال", "بحسب")


# The tokens that may be a verb of saying or open "according to" (either script).
_MAY_CUE = key_test(lx.EN_SAY | {"according"} | _ARABIC_CUES)


def _is_according(tokens: list[Token], index: int) -> bool:
    token = tokens[index]
    if token.is_arabic:
        return any(stem in lx.AR_ACCORDING for _, stem in proclitic_splits(token.key))
    return token.key == "according" and index + 1 < len(tokens) and tokens[index + 1].key == "to"


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(inner start, inner end, closed) of the quoted spans in text[start:end]."""
    spans: list[tuple[int, int, bool]] = []
    opened, opener = -1, ""
    for mark in _QUOTE_MARK.finditer(text, start, end):
        position, char = mark.start(), mark.group()
        before = text[position - 1] if position > start else " "
        after = text[position + 1] if position + 1 < end else " "
        if opener and char in _CLOSERS[opener] and not (char == '"' and before.isspace() and not after.isspace()):
            spans.append((opened, position, True))
            opened, opener = -1, ""
        elif opener == '"' and char == '"':  # a new straight quote opens before the last one closed
            spans.append((opened, position, True))
            opened, opener = position + 1, char
        elif not opener and (char != '"' or not after.isspace()):
            opened, opener = position + 1, char
    if opener:
        spans.append((opened, end, False))
    trimmed = []
    for inner_start, inner_end, closed in spans:
        chunk = text[inner_start:inner_end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            trimmed.append((inner_start + left, inner_start + right, closed))
    return trimmed


def _resolve_phrase(ctx: _Context, first: int, last: int, according: bool) -> Speaker | None:
    """The speaker named by tokens first..last (after a verb of saying), or None when it names nobody."""
    tokens = ctx.tokens
    if first > last:
        return None
    lead = tokens[first]
    if lead.key in lx.AR_NON_SPEAKERS:
        return NOBODY
    if lead.key in lx.AR_STOP or lead.key in lx.EN_PRONOUNS:
        return None
    if lead.is_arabic and lead.key.startswith("ل") and not according and not any(
            m.start == lead.start for m in ctx.mentions_in(lead.start, lead.end)):
        return None  # "وقال لموقع …": said *to* someone, the subject is the last speaker
    inside = [m for m in ctx.mentions_in(lead.start, tokens[last].end)
              if m.type in ("PERSON", "ORG") or m.start == lead.start or according]
    if inside:
        best = min(inside, key=lambda m: (_SPEAKER_RANK.get(m.type, 3), m.start))
        return Speaker(best.name, best.start, best.end)
    words: list[Token] = []
    for token in tokens[first:last + 1]:
        if not token.is_word or token.key in lx.AR_STOP or token.key in lx.AR_THAT or (
                words and token.is_arabic and token.key.startswith("ل")):
            break  # "… لصحيفة": the addressee is not part of the speaker
        words.append(token)
    if not words:
        return None
    start, end = words[0].start, words[min(len(words), _MAX_NAME_WORDS) - 1].end
    speaker = Speaker(ctx.text[start:end], start, end)
    if looks_like_name(words[:_MAX_NAME_WORDS], ctx.common):
        ctx.new_mentions.append(Mention("PERSON", start, end, speaker.text))
    return speaker


def _arabic_phrase_end(tokens: list[Token], first: int, limit: int, according: bool) -> int:
    """Last index of the speaker phrase that starts at ``first`` (before "إن", ":" or the limit)."""
    index = first
    while index < limit and index - first < _MAX_PHRASE:
        token = tokens[index]
        if token.key in lx.AR_THAT or token.text == ":" or (according and token.text in "،,"):
            break
        index += 1
    return index - 1


def _attribution(ctx: _Context, low: int, high: int, after_quote: bool = False) -> tuple[bool, Speaker | None]:
    """(found a verb of saying, its speaker) in tokens low..high-1, taking the verb nearest the quote: the
    last (within reach) before it, the first after it."""
    tokens = ctx.tokens
    cues = ctx.cues_in(max(low, high - _MAX_LOOKBACK), high)
    for verb in (cues if after_quote else reversed(cues)):
        according = _is_according(tokens, verb)
        if not (according or _is_say(tokens[verb])):
            continue
        if tokens[verb].is_arabic:
            first = verb + 1 + (according and verb + 1 < high and tokens[verb + 1].key == "ل")  # "وفقا لـ X"
            return True, _resolve_phrase(ctx, first, _arabic_phrase_end(tokens, first, high, according), according)
        return True, _english_subject(ctx, verb, low, high, according)
    return False, None


def _english_subject(ctx: _Context, verb: int, low: int, high: int, according: bool) -> Speaker | None:
    tokens = ctx.tokens
    if according:
        return _resolve_phrase(ctx, verb + 2, min(high - 1, verb + 6), True)
    if verb > low and tokens[verb - 1].key in lx.EN_PRONOUNS:
        return None
    before = [m for m in ctx.mentions_in(tokens[max(low, verb - 12)].start, tokens[verb].start)
              if m.type in ("PERSON", "ORG")]
    if before:  # "David Frost, director general of the British Chambers of Commerce, warned"
        best = max(before, key=lambda m: (m.type == "PERSON", m.start))
        return Speaker(best.name, best.start, best.end)
    after = [m for m in ctx.mentions_in(tokens[verb].end, tokens[min(high, verb + 4) - 1].end + 1)
             if m.type in ("PERSON", "ORG")]
    return Speaker(after[0].name, after[0].start, after[0].end) if after else None


def _sentence_start(ctx: _Context, index: int, floor: int) -> int:
    """First token of the sentence holding token ``index`` (not before ``floor``)."""
    return index if index <= floor else max(floor, ctx.sentence_first[index])


def _sentence_end(ctx: _Context, index: int, ceiling: int) -> int:
    """Index of the sentence mark ending the sentence at token ``index`` (not after ``ceiling``)."""
    return index if index >= ceiling else min(ceiling, ctx.sentence_last[index])


def _paragraph_quotes(ctx: _Context, paragraphs: list[tuple[int, int]], number: int) -> list[Quote]:
    """Direct quotes of one paragraph, and reported speech in its sentences without quote marks, in order."""
    text, tokens = ctx.text, ctx.tokens
    p_start, p_end = paragraphs[number]
    p_first, p_last = ctx.token_at(p_start), ctx.token_at(p_end) - 1
    spans = _quote_spans(text, p_start, p_end)
    span_ends = [q_end for _, q_end, _ in spans]  # spans are in order and disjoint
    items: list[tuple[int, tuple[int, int, bool] | None, int]] = [(s[0], s, 0) for s in spans]
    index = p_first
    while index <= p_last:
        last = _sentence_end(ctx, index, p_last)
        overlap = bisect.bisect_right(span_ends, tokens[index].start)
        if overlap == len(spans) or spans[overlap][0] >= tokens[last].end:
            items.append((tokens[index].start, None, last))
        else:
            items.append((tokens[index].start, None, -1))  # a sentence with quote marks: no reported speech
        index = last + 1
    quotes: list[Quote] = []
    previous_end, previous_speaker = p_first, None
    for position, span, last in sorted(items, key=lambda item: item[0]):
        if span is None:
            quote = _reported(ctx, ctx.token_at(position), last) if last >= 0 else None
        else:
            quote = _direct(ctx, paragraphs, number, span, previous_end, previous_speaker)
            if quote is not None:
                previous_end, previous_speaker = ctx.token_at(quote.end) + 1, quote.speaker
        if quote is not None:
            quotes.append(quote)
    return quotes


def _direct(ctx: _Context, paragraphs: list[tuple[int, int]], number: int, span: tuple[int, int, bool],
            previous_end: int, previous_speaker: Speaker | None) -> Quote | None:
    """The quote in ``span`` with its speaker; None for a short quoted name or an unattributed scare quote."""
    text, tokens = ctx.text, ctx.tokens
    p_start, p_end = paragraphs[number]
    p_first, p_last = ctx.token_at(p_start), ctx.token_at(p_end) - 1
    q_start, q_end, closed = span
    q_first, q_last = ctx.token_at(q_start), ctx.token_at(q_end)
    words = sum(1 for t in tokens[q_first:q_last] if t.is_word)
    if words <= 2 and q_first >= 2 and tokens[q_first - 2].key in lx.QUOTED_NAME_CUES:
        return None
    if words <= _MAX_NAME_WORDS and text[q_end + 1:q_end + 3].lstrip()[:1] == ":":
        return None  # a quoted name introducing what it said: وتابعت "المؤسسة": "…"
    low = max(previous_end, _sentence_start(ctx, q_first - 1, p_first)) if q_first > p_first else q_first
    found, speaker = _attribution(ctx, low, max(low, q_first - 1))
    if not found and closed:
        after = q_last + 1
        found, speaker = _attribution(ctx, after, min(_sentence_end(ctx, after, p_last), after + _MAX_AFTER_QUOTE), True)
    if not found and previous_speaker is not None and low == previous_end:
        found, speaker = True, previous_speaker
    only_quote = _NON_SPACE.search(text, p_start, max(p_start, q_start - 1)) is None
    if not found and only_quote and number + 1 < len(paragraphs):
        speaker = _dash_speaker(ctx, paragraphs[number + 1])
        found = speaker is not None
    if not found and not only_quote and words < _MIN_UNATTRIBUTED_WORDS:
        return None
    if (found or only_quote) and speaker is None:
        speaker = ctx.last
    if speaker is NOBODY:
        speaker = None
    elif speaker is not None:
        ctx.last = speaker
    return Quote(text[q_start:q_end], q_start, q_end, "direct", speaker)


def _dash_speaker(ctx: _Context, paragraph: tuple[int, int]) -> Speaker | None:
    """The speaker of a "– Name, title" line."""
    match = _DASH_ATTRIBUTION.match(ctx.text, paragraph[0], paragraph[1])
    if match is None:
        return None
    start, end = match.span("name")
    inside = [m for m in ctx.mentions_in(start, end) if m.type == "PERSON"]
    if inside:
        return Speaker(inside[0].name, inside[0].start, inside[0].end)
    speaker = Speaker(ctx.text[start:end], start, end)
    if looks_like_name(ctx.tokens[ctx.token_at(start):ctx.token_at(end)], ctx.common):
        ctx.new_mentions.append(Mention("PERSON", start, end, speaker.text))
    return speaker


def _reported(ctx: _Context, first: int, last: int) -> Quote | None:
    """Reported speech in the sentence tokens[first..last]: "قال X إن …" / "X said that …"."""
    tokens = ctx.tokens
    for verb in ctx.cues_in(first, last):
        if not _is_say(tokens[verb]):
            continue
        if tokens[verb].is_arabic:
            end = _arabic_phrase_end(tokens, verb + 1, last, False)
            that = end + 1
            if that > last or tokens[that].key not in lx.AR_THAT:
                continue
            speaker = _resolve_phrase(ctx, verb + 1, end, False)
        elif verb + 1 < last and tokens[verb + 1].key == "that":
            that, speaker = verb + 1, _english_subject(ctx, verb, first, last, False)
        else:
            continue
        body = [t for t in tokens[that + 1:last + 1] if t.text not in ".!?؟;؛"]
        if sum(1 for t in body if t.is_word) < _MIN_REPORTED_WORDS:
            return None
        speaker = ctx.last if speaker is None else speaker
        if speaker is None or speaker is NOBODY:
            return None
        ctx.last = speaker
        start, end = body[0].start, body[-1].end
        return Quote(ctx.text[start:end], start, end, "reported", speaker)
    return None


def find_quotes(text: str, tokens: list[Token], mentions: list[Mention]) -> tuple[list[Quote], list[Mention]]:
    """Quotes in ``text`` in order, and the PERSON mentions of speakers no existing mention covered."""
    ctx = _Context(text, tokens, mentions)
    paragraphs = [m.span() for m in _PARAGRAPH.finditer(text)]
    quotes: list[Quote] = []
    for number in range(len(paragraphs)):
        quotes.extend(_paragraph_quotes(ctx, paragraphs, number))
    return quotes, ctx.new_mentions
