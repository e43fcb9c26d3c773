"""The extract transform: a cleaned article plus its entities, quotes, counts, dates and social references.

Orchestration only; the extractors live in ``newsingest.nlp`` and share one tokenisation. Every span
is a character range of the record's ``text``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from newsingest.runtime.clock import parse_timestamp
from newsingest.stages.extract.coref import build_entities, propagate
from newsingest.stages.extract.counts import find_counts
from newsingest.stages.extract.entities import recognise
from newsingest.stages.extract.quotes import Quote, find_quotes
from newsingest.stages.extract.social_refs import find_social_refs, merge_social
from newsingest.text.dates import find_dates
from newsingest.text.sentences import sentence_ids
from newsingest.text.tokens import tokenize

_HEADLINE_MAX_WORDS = 20
_HEADLINE_END = re.compile(r"[.!…:،,;؛]\s*$")


def _headline(paragraphs: list[str]) -> str | None:
    """The first paragraph when it reads as a headline: short, one line, no closing full stop."""
    if not paragraphs:
        return None
    first = paragraphs[0].strip()
    if "\n" in first or len(first.split()) > _HEADLINE_MAX_WORDS or _HEADLINE_END.search(first):
        return None
    return first


def extract(record: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the cleaned ``record`` as a ``newsingest.extracted/1`` record; ``record`` is left as it was.

    Only what changes is copied (the top level, provenance); the text, paragraphs and metadata are shared.
    """
    output = {**record, "provenance": copy.deepcopy(record["provenance"])}
    output["schema"] = "newsingest.extracted/1"
    text: str = record["text"]
    if output.get("title") is None:
        output["title"] = _headline(record["paragraphs"])
        if output["title"] is not None:
            output["provenance"].setdefault("warnings", []).append("extract: title taken from the first paragraph")

    tokens = tokenize(text)
    mentions = recognise(text)
    quotes, speakers = find_quotes(text, tokens, mentions)
    entities = build_entities(text, propagate(text, tokens, mentions + speakers, speakers) if speakers else mentions)
    entity_at = {(m["start"], m["end"]): e for e in entities for m in e["mentions"]}

    published = parse_timestamp(record.get("published_at"))
    dates = find_dates(text, published.date() if published else None, tokens)

    output["entities"] = entities
    output["quotes"] = [_quote_record(q, entity_at) for q in quotes]
    output["counts"] = [c.as_dict() for c in find_counts(text, tokens, sentence_ids(tokens, text),
                                                         [(d.start, d.end) for d in dates])]
    output["dates"] = [d.as_dict() for d in dates]
    output["social"] = output["social"] + merge_social(find_social_refs(text), output["social"])
    return output


def _quote_record(quote: Quote, entity_at: dict[tuple[int, int], dict[str, Any]]) -> dict[str, Any]:
    speaker = quote.speaker
    entity = entity_at.get((speaker.start, speaker.end)) if speaker else None
    return {
        "text": quote.text,
        "speaker": entity["text"] if entity else speaker.text if speaker else None,
        "speaker_entity_id": entity["id"] if entity else None,
        "kind": quote.kind,
        "start": quote.start,
        "end": quote.end,
    }
