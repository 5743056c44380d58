"""Request builders for the model endpoints: chat, extract/memory and rerank
(memos-api.md sections 3.10 to 3.12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _validate as check
from ._endpoints import recall_fields
from ._spec import Kind, RequestSpec, compact

__all__ = ["EXTRACTION_TYPES", "chat", "extract_memory", "rerank"]

EXTRACTION_TYPES = ("memory", "preference")
EXTRACT_ROLES = ("user", "assistant", "system")
CHAT_CHECK_HINT = (
    "the answer may have been written to memory: list the conversation's messages "
    "(client.messages.list) before asking again"
)


def chat(
    query: object,
    *,
    user_id: object,
    conversation_id: object,
    stream: bool | None = None,
    filter: Mapping[str, Any] | None = None,
    knowledgebase_ids: Sequence[str] | None = None,
    memory_limit_number: int | None = None,
    include_preference: bool | None = None,
    preference_limit_number: int | None = None,
    relativity: float | None = None,
    model_name: str | None = None,
    system_prompt: str | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    add_message_on_answer: bool | None = None,
    app_id: str | None = None,
    agent_id: str | None = None,
    tags: Sequence[str] | None = None,
    info: Mapping[str, str] | None = None,
    allow_public: bool | None = None,
    allow_knowledgebase_ids: Sequence[str] | None = None,
) -> RequestSpec:
    """A chat turn. It writes the turn to memory unless `add_message_on_answer=False`,
    in which case it has no side effect and may be retried like a read."""
    body = compact(
        {
            "user_id": check.identifier("user_id", user_id),
            "conversation_id": check.identifier("conversation_id", conversation_id),
            "query": check.text("query", query),
            "stream": check.optional(check.boolean, "stream", stream),
            **recall_fields(
                filter=filter,
                knowledgebase_ids=knowledgebase_ids,
                memory_limit_number=memory_limit_number,
                include_preference=include_preference,
                preference_limit_number=preference_limit_number,
                relativity=relativity,
            ),
            "model_name": check.optional(check.text, "model_name", model_name),
            "system_prompt": check.optional(check.text, "system_prompt", system_prompt),
            "max_tokens": check.optional(check.limit, "max_tokens", max_tokens, low=1, high=10**6),
            "temperature": _optional_range("temperature", temperature, 2.0),
            "top_p": _optional_range("top_p", top_p, 1.0),
            "add_message_on_answer": check.optional(
                check.boolean, "add_message_on_answer", add_message_on_answer
            ),
            "app_id": check.optional(check.identifier, "app_id", app_id, max_length=None),
            "agent_id": check.optional(check.identifier, "agent_id", agent_id),
            "tags": check.optional(check.tags, "tags", tags),
            "info": check.optional(check.string_map, "info", info),
            "allow_public": check.optional(check.boolean, "allow_public", allow_public),
            "allow_knowledgebase_ids": check.optional(
                check.string_list, "allow_knowledgebase_ids", allow_knowledgebase_ids
            ),
        }
    )
    kind: Kind = "read" if add_message_on_answer is False else "write"
    accept = "text/event-stream" if stream else "application/json"
    return RequestSpec("POST", "chat", kind, body, check_hint=CHAT_CHECK_HINT, accept=accept)


def extract_memory(
    messages: object, *, extraction_types: Sequence[str] | None, model: str | None
) -> RequestSpec:
    """Stateless extraction: nothing is stored, so it retries like a read."""
    body = compact(
        {
            "messages": _simple_messages(messages),
            "extraction_types": _extraction_types(extraction_types),
            "model": check.optional(check.text, "model", model),
        }
    )
    return RequestSpec("POST", "extract/memory", "read", body)


def rerank(
    query: object, documents: object, *, top_n: int | None, model: str | None
) -> RequestSpec:
    """Rerank candidates. The answer may come without the usual envelope (OAS-New)."""
    docs = check.string_list("documents", documents)
    if not docs:
        check.fail("documents", "is empty; pass the texts to rank")
    body = compact(
        {
            "query": check.text("query", query),
            "documents": docs,
            "top_n": check.optional(check.limit, "top_n", top_n, low=1, high=10**6),
            "model": check.optional(check.text, "model", model),
        }
    )
    return RequestSpec("POST", "rerank", "read", body, bare_ok=True)


def _optional_range(field: str, value: object, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= high:
        check.fail(field, f"must be a number between 0 and {high:g}, not {value!r}")
    return float(value)


def _simple_messages(value: object) -> list[dict[str, str]]:
    """extract/memory takes only `{role, content: str}` turns (no parts, no tools)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        check.fail("messages", "must be a non-empty list of {'role': ..., 'content': '...'}")
    out: list[dict[str, str]] = []
    for index, message in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(message, Mapping):
            check.fail(where, "must be a dict with 'role' and 'content'")
        if message.get("role") not in EXTRACT_ROLES:
            check.fail(f"{where}.role", f"must be one of {', '.join(EXTRACT_ROLES)}")
        check.text(f"{where}.content", message.get("content"))
        out.append({"role": message["role"], "content": message["content"]})
    return out


def _extraction_types(value: object) -> list[str] | None:
    if value is None:
        return None
    kinds = check.string_list("extraction_types", value)
    for index, kind in enumerate(kinds):
        if kind not in EXTRACTION_TYPES:
            check.fail(
                f"extraction_types[{index}]", f"must be one of {', '.join(EXTRACTION_TYPES)}"
            )
    return kinds
