"""Recall: the search logic shared by `search/memory` and `chat` (memos-api.md 3.2).

Candidates per view:

* facts (`detail_factual`): the subject's own active memories (category `user`),
  every public memory of the project (category `public`), and the chunks of the
  knowledge bases the request lists (category `knowledgebase`);
* preferences: own and public;
* skills: the skills uploaded to the listed knowledge bases;
* profile: the subject's bound profile fields that hold a value.

Only `activated` records are recalled (`update/memory` may set another status).
`filter` narrows facts, preferences and skills by category (profile fields carry
no write-time metadata, so it does not apply to them). Everything is scored by
`_relevance` (the `relativity` of each item), cut at the threshold (default 0.45,
0 disables it), ranked and truncated per list. `conversation_id` is a soft boost:
memories of that conversation rank `CONVERSATION_BOOST` higher, never filtered.

Facts and preferences are found through the store's indexes (`_index.Records`):
the subject's own, the public ones, the listed knowledge bases' chunks; and they
are scored through the inverted index of their text, so a search touches only the
subject's records, and scores only those sharing a word or topic with the query.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._http._params import optional_str_list
from .._http._wire import ApiError
from .._profiles._instances import profile_items
from .._store import Store
from ._filters import Category, Filter, Filterable
from ._index import Records
from ._relevance import DocumentPool, Pool, document, pool_scores
from ._views import LISTS, VIEWS

__all__ = [
    "CONVERSATION_BOOST",
    "DEFAULT_RELATIVITY",
    "MAX_LIMIT",
    "PREFERENCE_NOTE",
    "Recall",
    "knowledgebase_scope",
    "recall",
    "threshold_of",
]

DEFAULT_RELATIVITY = 0.45
CONVERSATION_BOOST = 0.1
MAX_LIMIT = 25
PREFERENCE_NOTE = (
    "\n# Note:\nFactual memory is a summary of facts, while preference memory is a summary of "
    "the user's preferences. Follow the preferences when they fit the request; the user's "
    "current instructions win when they conflict."
)


class Recallable(Filterable, Protocol):
    """What recall needs of a record: what filters read, plus its conversation and item."""

    @property
    def conversation_id(self) -> str: ...

    def item(self) -> dict[str, Any]: ...

    def search_text(self) -> str: ...


@dataclass(frozen=True)
class Recall:
    """A validated recall request."""

    query: str
    kind: str
    subject: str
    views: set[str]
    scope_filter: Filter = field(default_factory=Filter)
    knowledgebases: frozenset[str] = frozenset()
    limits: Mapping[str, int] = field(default_factory=dict)
    threshold: float = DEFAULT_RELATIVITY
    conversation: str | None = None


def threshold_of(body: dict[str, Any]) -> float:
    """The `relativity` threshold: 0..1 (40012 otherwise), 0.45 by default."""
    value = body.get("relativity")
    if value is None:
        return DEFAULT_RELATIVITY
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ApiError(40012, "relativity must be a number between 0 and 1")
    return float(value)


def knowledgebase_scope(store: Store, body: dict[str, Any]) -> frozenset[str]:
    """The knowledge bases `knowledgebase_ids` lists (`["all"]`: every one); 50123 if unknown."""
    wanted = optional_str_list(body, "knowledgebase_ids")
    if "all" in wanted:
        return frozenset(store.knowledgebases)
    unknown = [kb_id for kb_id in wanted if kb_id not in store.knowledgebases]
    if unknown:
        raise ApiError(50123, f"knowledge base not linked to this project: {unknown[0]}")
    return frozenset(wanted)


def recall(store: Store, request: Recall) -> dict[str, Any]:
    """The six lists (each item with its `relativity`) and the `preference_note`."""
    pools: dict[str, _Candidates] = {}
    views = request.views
    if "detail_factual" in views:
        pools["detail_factual"] = _indexed(store.memories, request)
    if "preference" in views:
        pools["preference"] = _indexed(store.preferences, request)
    if "skill" in views and request.knowledgebases:  # skills are seen only through their KB
        pools["skill"] = _listed(_visible(store.skills.values(), request))
    if "profile" in views:
        pools["profile"] = _listed(list(profile_items(store, request.kind, request.subject)))
    scores = pool_scores(request.query, [candidates.pool for candidates in pools.values()])
    scored = dict(zip(pools, scores, strict=True))
    data: dict[str, Any] = {}
    for view in VIEWS:
        ranked: list[tuple[Recallable, float]] = []
        if view in pools:
            ranked = _rank(pools[view], scored[view], request.threshold, request.conversation)
            ranked = ranked[: request.limits.get(view, MAX_LIMIT)]
        data[LISTS[view]] = [{**record.item(), "relativity": score} for record, score in ranked]
    data["preference_note"] = PREFERENCE_NOTE if data["preference_detail_list"] else ""
    return data


@dataclass(frozen=True)
class _Candidates:
    """A view's visible records by key, their scan order, and how to score them."""

    records: Mapping[Hashable, Recallable]
    rank: Callable[[Any], int]
    """A record's scan position by key (the last tie-break: the later stored first)."""
    pool: Pool


def _indexed(records: Records[Any], request: Recall) -> _Candidates:
    """The visible records of an indexed collection, found through its indexes: the
    subject's own, the public ones, and the chunks of the listed knowledge bases."""
    groups: list[Iterable[str]] = [
        records.owned_ids(request.kind, request.subject),
        records.public_ids(),
    ]
    groups += [records.knowledgebase_ids(kb_id) for kb_id in request.knowledgebases]
    by_id = records.by_id
    visible: dict[Hashable, Recallable] = {}
    for group in groups:
        for key in group:
            if key not in visible:
                record = by_id[key]
                if not getattr(record, "retired", False) and _sees(record, request):
                    visible[key] = record
    return _Candidates(visible, records.rank, records.terms.pool(visible.keys()))


def _listed(records: list[Recallable]) -> _Candidates:
    """Visible records scored one by one (skills, profile fields: few per request)."""
    by_position: dict[Hashable, Recallable] = dict(enumerate(records))
    docs = [document(record.search_text()) for record in records]
    return _Candidates(by_position, lambda position: position, DocumentPool(docs))


def _category(record: Recallable, request: Recall) -> Category | None:
    kb_id = getattr(record, "knowledgebase_id", None)
    if kb_id is not None:
        return "knowledgebase" if kb_id in request.knowledgebases else None
    if record.scope.owned_by(request.kind, request.subject):
        return "user"
    if record.scope.public:
        return "public"
    return None


def _sees(record: Recallable, request: Recall) -> bool:
    """Whether the subject may see this record (active, visible, passing the filter)."""
    if getattr(record, "status", "activated") != "activated":
        return False
    category = _category(record, request)
    return category is not None and request.scope_filter.allows(record, category)


def _visible(records: Iterable[Recallable], request: Recall) -> list[Recallable]:
    """The active records this subject may see that pass the filter."""
    return [record for record in records if _sees(record, request)]


def _rank(
    candidates: _Candidates,
    scores: Mapping[Hashable, float],
    threshold: float,
    conversation: str | None,
) -> list[tuple[Recallable, float]]:
    """Drop hits under the threshold; best first, the conversation's boosted, newest on
    ties, then the later stored (with a threshold of 0, every visible record is kept)."""
    if threshold == 0:
        kept = [(key, scores.get(key, 0.0)) for key in candidates.records]
    else:
        kept = [(key, score) for key, score in scores.items() if score >= threshold]

    def order(entry: tuple[Hashable, float]) -> tuple[float, int, int]:
        key, score = entry
        record = candidates.records[key]
        boost = CONVERSATION_BOOST if conversation and record.conversation_id == conversation else 0
        return (-(score + boost), -record.create_time, -candidates.rank(key))

    return [(candidates.records[key], score) for key, score in sorted(kept, key=order)]
