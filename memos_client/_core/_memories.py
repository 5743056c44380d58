"""Request builders for stored memories and messages: list, get, delete, update,
message history, and feedback (memos-api.md sections 3.3 to 3.8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from . import _validate as check
from ._spec import RequestSpec, compact

__all__ = [
    "FEEDBACK_CHECK_HINT",
    "MAX_PAGE_SIZE",
    "add_feedback",
    "delete_memories",
    "get_memory",
    "list_memories",
    "list_messages",
    "update_memory",
]

MAX_PAGE = 10**9
MAX_PAGE_SIZE = 50
FEEDBACK_CHECK_HINT = (
    "search for the corrected memory (client.search) before sending the feedback again"
)


def list_memories(
    *,
    user_id: str | None,
    agent_id: str | None,
    page: int | None,
    size: int | None,
    filter: Mapping[str, Any] | None,
    include_preference: bool | None,
    include_tool_memory: bool | None,
    include_memory_view: Sequence[str] | None,
) -> RequestSpec:
    check.exactly_one_subject(user_id, agent_id)
    body = compact(
        {
            "user_id": check.subject("user_id", user_id, allow_list=False),
            "agent_id": check.subject("agent_id", agent_id, allow_list=False),
            "page": check.optional(check.limit, "page", page, low=1, high=MAX_PAGE),
            "size": check.optional(check.limit, "size", size, low=1, high=MAX_PAGE_SIZE),
            "filter": check.optional(check.mapping, "filter", filter),
            "include_preference": check.optional(
                check.boolean, "include_preference", include_preference
            ),
            "include_tool_memory": check.optional(
                check.boolean, "include_tool_memory", include_tool_memory
            ),
            "include_memory_view": check.optional(
                check.memory_views, "include_memory_view", include_memory_view
            ),
        }
    )
    return RequestSpec("POST", "get/memory", "read", body)


def get_memory(memory_id: object) -> RequestSpec:
    """`GET get/memory/{id}`, the id escaped so that `/` or `?` cannot change the path."""
    memory_id = check.identifier("memory_id", memory_id, max_length=None)
    if memory_id.strip() in (".", ".."):
        check.fail("memory_id", "'.' and '..' are path segments, not memory ids")
    return RequestSpec("GET", f"get/memory/{quote(memory_id, safe='')}", "read")


def delete_memories(
    *,
    memory_ids: Sequence[str] | None,
    user_id: str | None,
    agent_id: str | None,
) -> RequestSpec:
    """Exactly one selector: the server refuses a combination (40000 or 40071)."""
    given = [name for name, value in _selectors(memory_ids, user_id, agent_id) if value is not None]
    if len(given) != 1:
        check.fail(
            "memory_ids",
            "pass exactly one of memory_ids=[...], user_id=... (all of a user's memories) or "
            f"agent_id=... (all of an agent's); got {', '.join(given) or 'none'}",
        )
    body: dict[str, Any]
    if memory_ids is not None:
        ids = check.string_list("memory_ids", memory_ids)
        if not ids:
            check.fail("memory_ids", "is empty; pass the ids to delete")
        for index, memory_id in enumerate(ids):
            check.identifier(f"memory_ids[{index}]", memory_id, max_length=None)
        body = {"memory_ids": ids}
    elif user_id is not None:
        body = {"user_id": check.identifier("user_id", user_id)}
    else:
        body = {"agent_id": check.identifier("agent_id", agent_id)}
    return RequestSpec(
        "POST",
        "delete/memory",
        "write",
        body,
        check_hint="list or search the memories to see whether they are gone",
    )


def update_memory(
    memory_id: object, *, content: str | None, title: str | None, status: str | None
) -> RequestSpec:
    memory_id = check.identifier("memory_id", memory_id, max_length=None)
    if content is None and title is None and status is None:
        check.fail("content", "nothing to change: pass content=, title= and/or status=")
    body = compact(
        {
            "memory_id": memory_id,
            "content": check.optional(check.text, "content", content),
            "title": check.optional(check.text, "title", title),
            "status": check.optional(check.text, "status", status),
        }
    )
    return RequestSpec(
        "POST",
        "update/memory",
        "write",
        body,
        check_hint="read the memory back (client.memories.get) to see whether it changed",
    )


def list_messages(
    *, user_id: object, conversation_id: object, message_limit_number: int | None
) -> RequestSpec:
    body = compact(
        {
            "user_id": check.identifier("user_id", user_id),
            "conversation_id": check.identifier("conversation_id", conversation_id),
            "message_limit_number": check.optional(
                check.limit, "message_limit_number", message_limit_number, low=1, high=50
            ),
        }
    )
    return RequestSpec("POST", "get/message", "read", body)


def add_feedback(
    feedback_content: object,
    *,
    user_id: object,
    conversation_id: str | None,
    agent_id: str | None,
    app_id: str | None,
    feedback_time: str | None,
    allow_public: bool | None,
    allow_knowledgebase_ids: Sequence[str] | None,
) -> RequestSpec:
    body = compact(
        {
            "user_id": check.identifier("user_id", user_id),
            "conversation_id": check.optional(check.identifier, "conversation_id", conversation_id),
            "feedback_content": check.text("feedback_content", feedback_content),
            "agent_id": check.optional(check.identifier, "agent_id", agent_id),
            "app_id": check.optional(check.identifier, "app_id", app_id, max_length=None),
            "feedback_time": check.optional(check.text, "feedback_time", feedback_time),
            "allow_public": check.optional(check.boolean, "allow_public", allow_public),
            "allow_knowledgebase_ids": check.optional(
                check.string_list, "allow_knowledgebase_ids", allow_knowledgebase_ids
            ),
        }
    )
    return RequestSpec(
        "POST", "add/feedback", "write", body, allow_empty=True, check_hint=FEEDBACK_CHECK_HINT
    )


def _selectors(*values: object) -> list[tuple[str, object]]:
    return list(zip(("memory_ids", "user_id", "agent_id"), values, strict=True))
