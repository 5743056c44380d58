"""Which memory kinds a read asks for: `include_memory_view`, else the legacy switches.

Shared by `search/memory`, `get/memory` and `chat`. When `include_memory_view`
is given it decides alone (the legacy `include_*` switches are then ignored);
an unknown view name is an HTTP 400 with code 40000, as observed on the service.
"""

from __future__ import annotations

from typing import Any

from .._http._params import optional_bool, optional_str_list
from .._http._wire import bad_request

__all__ = ["LISTS", "VIEWS", "requested_views"]

VIEWS = ("detail_factual", "preference", "tool_memory", "skill", "event", "profile")
"""The memory view names (memos-api.md 4.4), in response-list order."""

LISTS = {
    "detail_factual": "memory_detail_list",
    "preference": "preference_detail_list",
    "tool_memory": "tool_memory_detail_list",
    "skill": "skill_detail_list",
    "event": "event_detail_list",
    "profile": "profile_detail_list",
}
"""The response list of each view."""


def requested_views(body: dict[str, Any], *, tool_memory: bool, skill: bool = False) -> set[str]:
    """The views a read fills; `tool_memory`/`skill` are the legacy switches' defaults."""
    include_preference = optional_bool(body, "include_preference", True)
    include_tool_memory = optional_bool(body, "include_tool_memory", tool_memory)
    include_skill = optional_bool(body, "include_skill", skill)
    if body.get("include_memory_view") is not None:
        names = optional_str_list(body, "include_memory_view")
        unknown = sorted(set(names) - set(VIEWS))
        if unknown:
            # Observed on the live service: an unknown view name is an HTTP 400.
            raise bad_request(
                f"include_memory_view has unknown views {unknown}; use {list(VIEWS)}",
                http_status=400,
            )
        return set(names)
    views = {"detail_factual"}
    if include_preference:
        views.add("preference")
    if include_tool_memory:
        views.add("tool_memory")
    if include_skill:
        views.add("skill")
    return views
