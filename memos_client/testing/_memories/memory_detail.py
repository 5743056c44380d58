"""`GET /get/memory/{memory_id}`: one memory with its origin (memos-api.md 3.4).

The only GET route. Clients URL-escape the id; the router unescapes it. Facts
(working memories until retired, refined ones, knowledge-base chunks),
preferences and uploaded skills can be fetched, whatever their `status`.
Profile fields cannot (as documented): they answer 40001 like unknown ids.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._wire import ApiError
from ._items import detail

__all__ = ["get_memory_by_id"]


def get_memory_by_id(call: Call) -> dict[str, Any]:
    """`{id, memory_id, memory, metadata, sources}`; 40001 for unknown ids."""
    memory_id = call.params.get("memory_id", "")
    store = call.store
    memory = store.memories.get(memory_id)
    if memory is not None and not memory.retired:
        return detail(store, memory)
    preference = store.preferences.get(memory_id)
    if preference is not None:
        return detail(store, preference)
    skill = store.skills.get(memory_id)
    if skill is not None:
        return detail(store, skill)
    raise ApiError(40001, f"memory not found: {memory_id}")
