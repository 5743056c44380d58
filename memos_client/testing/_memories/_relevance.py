"""Deterministic lexical relevance: how much of a query a memory covers, from 0 to 1.

The formula (documented so users can reason about thresholds):

    relativity(q, d) = sum(w(t) * m(t, d) for t in T(d)) / sum(w(t) for t in T(d))

* `T(d)` is the set of the query's content terms (`_text.content_terms`:
  lower-cased, punctuation and stopwords removed, lightly stemmed, irregular forms
  and the words for liking reduced to one; CJK text by character), except the
  `SOFT` ones that `d` does not hold. Soft terms are the verbs and adverbs
  questions are phrased with (`like`, `go`, `take`, `usually`, ...): a memory that
  holds one gets credit for it, one that does not loses nothing. A memory that
  holds none of the query's other terms scores 0 (when every query term is soft,
  they all count as ordinary terms).
* `m(t, d)` is 1 when the memory's text (key, value and tags) contains `t`,
  `RELATED` (0.6) when it does not but contains a word of a lexicon topic `t`
  belongs to (`travelling` vs `trip`, both Travel; `hobbies` vs `guitar`), and 0
  otherwise.
* `w(t) = 1 + ln((N + 1) / (df(t) + 1))` is a smoothed inverse document
  frequency over the `N` memories the search can see, `df(t)` being how many of
  them match `t` at all. Rare words weigh more; a word no memory has weighs most,
  so a memory that misses part of the question scores lower.

A memory holding every query word scores 1.0. With the default threshold 0.45 a
memory must cover roughly half of what the query asks about. So "Where does the
user like to go outdoors?" (`outdoor`; `like`, `go` are soft) finds "I love hiking
in the Alps" (0.6, `outdoor` and `hike` are both Sports), and "What do I like to
drink?" finds "I love green tea".

Scoring works on pools: a pool answers, for one query term, which of its
documents match it and how well (`Pool.hits`). `DocumentPool` checks a list of
documents one by one; `TermIndex` is an inverted index (term and topic ->
document keys) whose `pool` answers from postings, so a search over a large
store touches only the documents that share a word or a topic with the query.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ._lexicon import topics_in, topics_of
from ._text import LIKING, content_terms, stem

__all__ = [
    "RELATED",
    "SOFT",
    "Document",
    "DocumentPool",
    "Pool",
    "TermIndex",
    "document",
    "pool_scores",
    "query_terms",
    "relativities",
]

RELATED = 0.6
"""Credit for a query word met only through a same-topic word in the memory."""

SOFT = frozenset(
    stem(word)
    for word in """like go want make take use need feel think say spend try plan follow usually
    often always sometimes never really ever upcoming recent recently currently""".split()
) | {LIKING}
"""Query terms that weigh nothing when the query has others (stems; `like` is `LIKING`)."""


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The terms a query is scored on, each once, with whether it is soft (no term is
    soft when all of them are)."""
    terms = list(dict.fromkeys(content_terms(query)))
    if all(term in SOFT for term in terms):
        return [(term, False) for term in terms]
    return [(term, term in SOFT) for term in terms]


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
    if not doc.topics.isdisjoint(topics_of(term)):
        return RELATED
    return 0.0


class Pool(Protocol):
    """Documents to score together: how many there are, and which match a term."""

    def __len__(self) -> int: ...

    def hits(self, term: str) -> dict[Hashable, float]:
        """The key of every document matching `term`, with its credit (> 0)."""
        ...


class DocumentPool:
    """A pool of documents checked one by one; keys are their positions."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self._docs = docs

    def __len__(self) -> int:
        return len(self._docs)

    def hits(self, term: str) -> dict[Hashable, float]:
        found: dict[Hashable, float] = {}
        for index, doc in enumerate(self._docs):
            credit = _match(term, doc)
            if credit > 0:
                found[index] = credit
        return found


def pool_scores(query: str, pools: Sequence[Pool]) -> list[dict[Hashable, float]]:
    """Each pool's non-zero scores by key; every pool counts towards `N` and `df`."""
    terms = query_terms(query)
    size = sum(len(pool) for pool in pools)
    if not terms or size == 0:
        return [{} for _ in pools]
    table = [[pool.hits(term) for term, _ in terms] for pool in pools]
    weights = []
    for column in range(len(terms)):
        df = sum(len(row[column]) for row in table)
        weights.append(1.0 + math.log((size + 1) / (df + 1)))
    soft = [is_soft for _, is_soft in terms]
    firm_total = sum(weight for weight, is_soft in zip(weights, soft, strict=True) if not is_soft)
    scores: list[dict[Hashable, float]] = []
    for row in table:
        found: dict[Hashable, float] = {}
        keys = {key for hits, is_soft in zip(row, soft, strict=True) if not is_soft for key in hits}
        for key in keys:
            credits = [hits.get(key, 0.0) for hits in row]
            held = sum(
                weight
                for weight, credit, is_soft in zip(weights, credits, soft, strict=True)
                if is_soft and credit > 0
            )
            points = sum(weight * credit for weight, credit in zip(weights, credits, strict=True))
            found[key] = round(points / (firm_total + held), 4)
        scores.append(found)
    return scores


def relativities(query: str, docs: Sequence[Document]) -> list[float]:
    """Score every document against `query`, in the same order, rounded to 4 places."""
    [scores] = pool_scores(query, [DocumentPool(docs)])
    return [scores.get(index, 0.0) for index in range(len(docs))]


class TermIndex:
    """An inverted index of documents by term and by topic, under caller-given keys.

    Postings are insertion-ordered dicts of keys (smaller than sets); each document
    keeps only the (interned) words it was posted under, as tuples, so that a large
    store stays small.
    """

    def __init__(self) -> None:
        self._posted: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._terms: dict[str, dict[str, None]] = {}
        self._topics: dict[str, dict[str, None]] = {}

    def __len__(self) -> int:
        return len(self._posted)

    def add(self, key: str, text: str) -> None:
        """Index (or re-index) the document `key` with its current text."""
        self.remove(key)
        doc = document(text)
        terms = tuple(_post(self._terms, doc.terms, key))
        topics = tuple(_post(self._topics, doc.topics, key))
        self._posted[key] = (terms, topics)

    def remove(self, key: str) -> None:
        """Forget the document `key` (nothing happens if it is not indexed)."""
        posted = self._posted.pop(key, None)
        if posted is None:
            return
        _unpost(self._terms, posted[0], key)
        _unpost(self._topics, posted[1], key)

    def pool(self, visible: Collection[Hashable]) -> Pool:
        """The indexed documents whose keys are in `visible`, as a pool."""
        return _IndexPool(self, visible)

    def hits(self, term: str, visible: Collection[Hashable]) -> dict[Hashable, float]:
        """The visible documents matching `term`: 1.0 for the term, `RELATED` for its topic."""
        found: dict[Hashable, float] = dict.fromkeys(_within(self._terms.get(term), visible), 1.0)
        for topic in topics_of(term):
            for key in _within(self._topics.get(topic), visible):
                found.setdefault(key, RELATED)
        return found


class _IndexPool:
    def __init__(self, index: TermIndex, visible: Collection[Hashable]) -> None:
        self._index = index
        self._visible = visible

    def __len__(self) -> int:
        return len(self._visible)

    def hits(self, term: str) -> dict[Hashable, float]:
        return self._index.hits(term, self._visible)


def _within(keys: Collection[str] | None, visible: Collection[Hashable]) -> Iterable[Hashable]:
    """The keys that are also visible, walking the smaller side."""
    if not keys:
        return ()
    if len(keys) <= len(visible):
        return [key for key in keys if key in visible]
    return [key for key in visible if key in keys]


def _post(postings: dict[str, dict[str, None]], words: Iterable[str], key: str) -> Iterator[str]:
    """Add `key` under each word; yield the words as stored (one string per word)."""
    for word in map(sys.intern, words):
        postings.setdefault(word, {})[key] = None
        yield word


def _unpost(postings: dict[str, dict[str, None]], words: Iterable[str], key: str) -> None:
    for word in words:
        keys = postings.get(word)
        if keys is not None:
            keys.pop(key, None)
            if not keys:
                del postings[word]
