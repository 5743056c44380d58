"""Deterministic lexical relevance: how much of a query a memory covers, from 0 to 1.

The formula (documented so users can reason about thresholds):

    relativity(q, d) = sum(w(t) * m(t, d) for t in T) / sum(w(t) for t in T)

* `T` is the set of the query's content terms (`_text.content_terms`: lower-cased,
  punctuation and stopwords removed, lightly stemmed; CJK text by character).
* `m(t, d)` is 1 when the memory's text (key, value and tags) contains `t`,
  `RELATED` (0.6) when it does not but contains a word of the same lexicon topic
  (`travelling` vs `trip`, both Travel), and 0 otherwise.
* `w(t) = 1 + ln((N + 1) / (df(t) + 1))` is a smoothed inverse document
  frequency over the `N` memories the search can see, `df(t)` being how many of
  them match `t` at all. Rare words weigh more; a word no memory has weighs most,
  so a memory that misses part of the question scores lower.

A memory holding every query word scores 1.0. With the default threshold 0.45 a
memory must cover roughly half of what the query asks about.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ._lexicon import topic_of, topics_in
from ._text import content_terms

__all__ = ["RELATED", "Document", "document", "relativities"]

RELATED = 0.6
"""Credit for a query word met only through a same-topic word in the memory."""


@dataclass(frozen=True)
class Document:
    """A memory's searchable text, reduced to stemmed terms and lexicon topics."""

    terms: frozenset[str]
    topics: frozenset[str]


def document(text: str) -> Document:
    """Index one memory's text."""
    terms = content_terms(text)
    return Document(terms=frozenset(terms), topics=frozenset(topics_in(terms, text)))


def _match(term: str, doc: Document) -> float:
    if term in doc.terms:
        return 1.0
    topic = topic_of(term)
    if topic is not None and topic in doc.topics:
        return RELATED
    return 0.0


def relativities(query: str, docs: Sequence[Document]) -> list[float]:
    """Score every document against `query`, in the same order, rounded to 4 places."""
    terms = list(dict.fromkeys(content_terms(query)))
    if not terms or not docs:
        return [0.0 for _ in docs]
    matches = [[_match(term, doc) for term in terms] for doc in docs]
    size = len(docs)
    weights = []
    for column in range(len(terms)):
        df = sum(1 for row in matches if row[column] > 0)
        weights.append(1.0 + math.log((size + 1) / (df + 1)))
    total = sum(weights)
    return [
        round(sum(weight * hit for weight, hit in zip(weights, row, strict=True)) / total, 4)
        for row in matches
    ]
