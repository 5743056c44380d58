"""`POST /create/knowledgebase` and `POST /delete/knowledgebase` (memos-api.md 3.13).

Deleting a knowledge base (unknown: 50120) removes its files and everything
they produced; searches that list it afterwards are refused with 50123.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import optional_str, required_str
from .._http._wire import ApiError
from .._store import Store
from ._kb_pipeline import remove_knowledgebase
from ._kb_records import KnowledgeBase

__all__ = ["create_knowledgebase", "delete_knowledgebase", "knowledgebase"]


def knowledgebase(store: Store, knowledgebase_id: str) -> KnowledgeBase:
    """The knowledge base with this id (50120 when there is none)."""
    found = store.knowledgebases.get(knowledgebase_id)
    if found is None:
        raise ApiError(50120, f"knowledge base not found: {knowledgebase_id}")
    return found


def create_knowledgebase(call: Call) -> dict[str, Any]:
    """`{id}` of the new knowledge base."""
    body, store = call.body, call.store
    name = required_str(body, "knowledgebase_name")
    description = optional_str(body, "knowledgebase_description")
    created = KnowledgeBase(store.ids(), name, description, store.now_ms())
    store.knowledgebases[created.id] = created
    return {"id": created.id}


def delete_knowledgebase(call: Call) -> dict[str, Any]:
    """`{success: true}`; its files and memories go with it."""
    target = knowledgebase(call.store, required_str(call.body, "knowledgebase_id"))
    remove_knowledgebase(call.store, target.id)
    return {"success": True}
