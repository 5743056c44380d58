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

__all__ = ["ADD_CHECK_HINT", "add_message", "get_status", "search_memory"]

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
            "conversation_id": _optional_id("conversation_id", conversation_id),
            "messages": check_messages(messages),
            "app_id": _optional_id("app_id", app_id, max_length=None),
            "tags": None if tags is None else check.string_list("tags", tags),
            "info": None if info is None else check.mapping("info", info),
            "allow_public": _optional_bool("allow_public", allow_public),
            "allow_knowledgebase_ids": _optional_list(
                "allow_knowledgebase_ids", allow_knowledgebase_ids
            ),
            "async_mode": _optional_bool("async_mode", async_mode),
            "allow_memory_view": None
            if allow_memory_view is None
            else check.memory_views("allow_memory_view", allow_memory_view),
            "custom_extract_prompt": _extract_prompts(custom_extract_prompt),
            "source": source,
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
            "conversation_id": _optional_id("conversation_id", conversation_id),
            "filter": None if filter is None else check.mapping("filter", filter),
            "knowledgebase_ids": _optional_list("knowledgebase_ids", knowledgebase_ids),
            "memory_limit_number": _search_limit("memory_limit_number", memory_limit_number),
            "include_preference": _optional_bool("include_preference", include_preference),
            "preference_limit_number": _search_limit(
                "preference_limit_number", preference_limit_number
            ),
            "include_tool_memory": _optional_bool("include_tool_memory", include_tool_memory),
            "tool_memory_limit_number": _search_limit(
                "tool_memory_limit_number", tool_memory_limit_number
            ),
            "include_skill": _optional_bool("include_skill", include_skill),
            "skill_limit_number": _search_limit("skill_limit_number", skill_limit_number),
            "relativity": None
            if relativity is None
            else check.unit_interval("relativity", relativity),
            "include_memory_view": None
            if include_memory_view is None
            else check.memory_views("include_memory_view", include_memory_view),
            "context_format": context_format,
            "source": source,
        }
    )
    return RequestSpec("POST", "search/memory", "read", body)


def get_status(task_id: object) -> RequestSpec:
    body = {"task_id": check.identifier("task_id", task_id, max_length=None)}
    return RequestSpec("POST", "get/status", "read", body)


def _optional_id(field: str, value: object, *, max_length: int | None = 100) -> str | None:
    return None if value is None else check.identifier(field, value, max_length=max_length)


def _optional_bool(field: str, value: object) -> bool | None:
    return None if value is None else check.boolean(field, value)


def _optional_list(field: str, value: object) -> list[str] | None:
    return None if value is None else check.string_list(field, value)


def _search_limit(field: str, value: object) -> int | None:
    return None if value is None else check.limit(field, value, low=1, high=MAX_SEARCH_LIMIT)


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
