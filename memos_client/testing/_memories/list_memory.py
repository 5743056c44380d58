"""`POST /get/memory`: one page of a subject's memories, per kind (memos-api.md 3.3).

The subject's own active (`activated`) records only: no public memories of
others, no knowledge-base chunks. Each list is sorted newest first and paged on
its own (`size` applies per kind); `total` is the largest count across kinds,
`pages` follows from it. Facts and preferences carry `sources` and `info`.
`include_tool_memory` defaults to true here (it is false for search); profile
fields appear with the `profile` view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Protocol

from .._call import Call
from .._http._params import optional_int, single_subject
from .._profiles._instances import profile_items
from .._store import Store
from ._filters import Filter, parse_filter
from ._items import listed
from ._records import Scope, StoredMemory, StoredPreference
from ._views import LISTS, VIEWS, requested_views

__all__ = ["MAX_SIZE", "get_memory"]

MAX_SIZE = 50
MAX_PAGE = 10**9


class _Dated(Protocol):
    @property
    def create_time(self) -> int: ...


def _newest_first(records: Iterable[_Dated]) -> list[Any]:
    indexed = list(enumerate(records))
    return [record for _, record in sorted(indexed, key=lambda e: (-e[1].create_time, -e[0]))]


def _own(scope: Scope, status: str, kind: str, subject: str) -> bool:
    return status == "activated" and scope.owned_by(kind, subject)


def _facts(store: Store, kind: str, subject: str, where: Filter) -> list[StoredMemory]:
    return [
        memory
        for memory in store.memories.owned(kind, subject)
        if not memory.retired
        and memory.knowledgebase_id is None
        and _own(memory.scope, memory.status, kind, subject)
        and where.allows(memory, "user")
    ]


def _preferences(store: Store, kind: str, subject: str, where: Filter) -> list[StoredPreference]:
    return [
        preference
        for preference in store.preferences.owned(kind, subject)
        if _own(preference.scope, preference.status, kind, subject)
        and where.allows(preference, "user")
    ]


def get_memory(call: Call) -> dict[str, Any]:
    """The six lists, sliced to the page, and `total`, `size`, `current`, `pages`."""
    body, store = call.body, call.store
    kind, subject = single_subject(body)
    page = optional_int(body, "page", 1, 1, MAX_PAGE)
    size = optional_int(body, "size", 10, 1, MAX_SIZE)
    where = parse_filter(body.get("filter"))
    views = requested_views(body, tool_memory=True)
    pools: dict[str, list[dict[str, Any]]] = {view: [] for view in VIEWS}
    if "detail_factual" in views:
        facts = _newest_first(_facts(store, kind, subject, where))
        pools["detail_factual"] = [listed(store, memory) for memory in facts]
    if "preference" in views:
        preferences = _newest_first(_preferences(store, kind, subject, where))
        pools["preference"] = [listed(store, preference) for preference in preferences]
    if "profile" in views:
        pools["profile"] = [item.item() for item in profile_items(store, kind, subject)]
    start = (page - 1) * size
    data: dict[str, Any] = {LISTS[view]: pools[view][start : start + size] for view in VIEWS}
    total = max(len(pool) for pool in pools.values())
    data.update(total=total, size=size, current=page, pages=math.ceil(total / size))
    return data
