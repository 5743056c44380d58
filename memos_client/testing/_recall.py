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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ._filters import Category, Filter, Filterable
from ._params import optional_str_list
from ._profiles import profile_items
from ._relevance import document, relativities
from ._store import Store
from ._views import LISTS, VIEWS
from ._wire import ApiError

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
    pools: dict[str, list[Recallable]] = {view: [] for view in VIEWS}
    views = request.views
    if "detail_factual" in views:
        facts = (m for m in store.memories.values() if not m.retired)
        pools["detail_factual"] = _visible(facts, request)
    if "preference" in views:
        pools["preference"] = _visible(store.preferences.values(), request)
    if "skill" in views:
        pools["skill"] = _visible(store.skills.values(), request)
    if "profile" in views:
        pools["profile"] = list(profile_items(store, request.kind, request.subject))
    everything = [record for pool in pools.values() for record in pool]
    scores = relativities(request.query, [document(r.search_text()) for r in everything])
    scored = iter(scores)
    data: dict[str, Any] = {}
    for view in VIEWS:
        pool = [(record, next(scored)) for record in pools[view]]
        ranked = _rank(pool, request.threshold, request.conversation)
        ranked = ranked[: request.limits.get(view, MAX_LIMIT)]
        data[LISTS[view]] = [{**record.item(), "relativity": score} for record, score in ranked]
    data["preference_note"] = PREFERENCE_NOTE if data["preference_detail_list"] else ""
    return data


def _category(record: Recallable, request: Recall) -> Category | None:
    kb_id = getattr(record, "knowledgebase_id", None)
    if kb_id is not None:
        return "knowledgebase" if kb_id in request.knowledgebases else None
    if record.scope.owned_by(request.kind, request.subject):
        return "user"
    if record.scope.public:
        return "public"
    return None


def _visible(records: Iterable[Recallable], request: Recall) -> list[Recallable]:
    """The active records this subject may see that pass the filter."""
    visible: list[Recallable] = []
    for record in records:
        if getattr(record, "status", "activated") != "activated":
            continue
        category = _category(record, request)
        if category is not None and request.scope_filter.allows(record, category):
            visible.append(record)
    return visible


def _rank(
    pool: list[tuple[Recallable, float]], threshold: float, conversation: str | None
) -> list[tuple[Recallable, float]]:
    """Drop hits under the threshold; best first, the conversation's boosted, newest on ties."""
    kept = [(index, hit) for index, hit in enumerate(pool) if threshold == 0 or hit[1] >= threshold]

    def key(entry: tuple[int, tuple[Recallable, float]]) -> tuple[float, int, int]:
        index, (record, score) = entry
        boost = CONVERSATION_BOOST if conversation and record.conversation_id == conversation else 0
        return (-(score + boost), -record.create_time, -index)

    return [hit for _, hit in sorted(kept, key=key)]
