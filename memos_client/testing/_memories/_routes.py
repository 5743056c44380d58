"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .add_message import add_message
from .list_memory import get_memory
from .memory_detail import get_memory_by_id
from .memory_edits import delete_memory, update_memory
from .search_memory import search_memory

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "add/message": Route(add_message),
    "search/memory": Route(search_memory),
    "get/memory": Route(get_memory),
    "get/memory/{memory_id}": Route(get_memory_by_id, ("GET",), "none"),
    "delete/memory": Route(delete_memory),
    "update/memory": Route(update_memory),
}
