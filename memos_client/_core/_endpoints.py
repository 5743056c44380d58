"""Request builders for the core loop: add/message, search/memory and get/status.

Each builder validates its arguments (raising before anything is sent) and returns
a `RequestSpec` whose body holds only the fields that were set, under their wire names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _validate as check
from ._messages import check_messages
from ._spec import RequestSpec, compact

__all__ = [
    "ADD_CHECK_HINT",
    "add_message",
    "get_status",
    "recall_fields",
    "search_limit",
    "search_memory",
]

MAX_SEARCH_LIMIT = 25
EXTRACT_PROMPT_KEYS = (*check.MEMORY_VIEWS, "image", "document")
ADD_CHECK_HINT = (
    "search for it (client.search) or, if you hold its task id, check "
    "client.get_status(task_id) before sending it again"
)


def add_message(
    messages: object,
    *,
    user_id: str | Sequence[str] | None,
    agent_id: str | Sequence[str] | None,
    conversation_id: str | None,
    app_id: str | None,
    tags: Sequence[str] | None,
    info: Mapping[str, Any] | None,
    allow_public: bool | None,
    allow_knowledgebase_ids: Sequence[str] | None,
    async_mode: bool | None,
    allow_memory_view: Sequence[str] | None,
    custom_extract_prompt: Mapping[str, str] | None,
    source: str | None,
) -> RequestSpec:
    check.at_least_one_subject(user_id, agent_id)
    body = compact(
        {
            "user_id": check.subject("user_id", user_id, allow_list=True),
            "agent_id": check.subject("agent_id", agent_id, allow_list=True),
            "conversation_id": check.optional(check.identifier, "conversation_id", conversation_id),
            "messages": check_messages(messages),
            "app_id": check.optional(check.identifier, "app_id", app_id, max_length=None),
            "tags": check.optional(check.tags, "tags", tags),
            "info": check.optional(check.info, "info", info),
            "allow_public": check.optional(check.boolean, "allow_public", allow_public),
            "allow_knowledgebase_ids": check.optional(
                check.string_list, "allow_knowledgebase_ids", allow_knowledgebase_ids
            ),
            "async_mode": check.optional(check.boolean, "async_mode", async_mode),
            "allow_memory_view": check.optional(
                check.memory_views, "allow_memory_view", allow_memory_view
            ),
            "custom_extract_prompt": _extract_prompts(custom_extract_prompt),
            "source": check.optional(check.text, "source", source),
        }
    )
    return RequestSpec(
        "POST", "add/message", "write", body, allow_empty=True, check_hint=ADD_CHECK_HINT
    )


def search_memory(
    query: object,
    *,
    user_id: str | None,
    agent_id: str | None,
    conversation_id: str | None,
    filter: Mapping[str, Any] | None,
    knowledgebase_ids: Sequence[str] | None,
    memory_limit_number: int | None,
    include_preference: bool | None,
    preference_limit_number: int | None,
    include_tool_memory: bool | None,
    tool_memory_limit_number: int | None,
    include_skill: bool | None,
    skill_limit_number: int | None,
    relativity: float | None,
    include_memory_view: Sequence[str] | None,
    context_format: str | None,
    source: str | None,
) -> RequestSpec:
    check.exactly_one_subject(user_id, agent_id)
    body = compact(
        {
            "query": check.text("query", query),
            "user_id": check.subject("user_id", user_id, allow_list=False),
            "agent_id": check.subject("agent_id", agent_id, allow_list=False),
            "conversation_id": check.optional(check.identifier, "conversation_id", conversation_id),
            **recall_fields(
                filter=filter,
                knowledgebase_ids=knowledgebase_ids,
                memory_limit_number=memory_limit_number,
                include_preference=include_preference,
                preference_limit_number=preference_limit_number,
                relativity=relativity,
            ),
            "include_tool_memory": check.optional(
                check.boolean, "include_tool_memory", include_tool_memory
            ),
            "tool_memory_limit_number": search_limit(
                "tool_memory_limit_number", tool_memory_limit_number
            ),
            "include_skill": check.optional(check.boolean, "include_skill", include_skill),
            "skill_limit_number": search_limit("skill_limit_number", skill_limit_number),
            "include_memory_view": check.optional(
                check.memory_views, "include_memory_view", include_memory_view
            ),
            "context_format": check.optional(check.text, "context_format", context_format),
            "source": check.optional(check.text, "source", source),
        }
    )
    return RequestSpec("POST", "search/memory", "read", body)


def get_status(task_id: object) -> RequestSpec:
    body = {"task_id": check.identifier("task_id", task_id, max_length=None)}
    return RequestSpec("POST", "get/status", "read", body)


def recall_fields(
    *,
    filter: Mapping[str, Any] | None,
    knowledgebase_ids: Sequence[str] | None,
    memory_limit_number: int | None,
    include_preference: bool | None,
    preference_limit_number: int | None,
    relativity: float | None,
) -> dict[str, Any]:
    """The recall options that search and chat share, checked the same way."""
    return {
        "filter": check.optional(check.mapping, "filter", filter),
        "knowledgebase_ids": check.optional(
            check.string_list, "knowledgebase_ids", knowledgebase_ids
        ),
        "memory_limit_number": search_limit("memory_limit_number", memory_limit_number),
        "include_preference": check.optional(
            check.boolean, "include_preference", include_preference
        ),
        "preference_limit_number": search_limit("preference_limit_number", preference_limit_number),
        "relativity": check.optional(check.unit_interval, "relativity", relativity),
    }


def search_limit(field: str, value: object) -> int | None:
    """A per-kind recall limit: 1..25 when set (also used by chat)."""
    return check.optional(check.limit, field, value, low=1, high=MAX_SEARCH_LIMIT)


def _extract_prompts(value: Mapping[str, str] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    prompts = check.mapping("custom_extract_prompt", value)
    for key, prompt in prompts.items():
        if key not in EXTRACT_PROMPT_KEYS:
            check.fail(
                f"custom_extract_prompt[{key!r}]",
                f"unknown key; use one of {', '.join(EXTRACT_PROMPT_KEYS)}",
            )
        check.text(f"custom_extract_prompt[{key!r}]", prompt)
    return prompts
