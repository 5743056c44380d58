"""`POST /chat`: memory-augmented answer, as JSON or server-sent events (memos-api.md 3.10).

Every documented field is validated (40002 for the three required ones, 40012
for `relativity`, 40000 for anything else malformed), and the SDK's extra
fields (`async_mode`, `internet_search`, ...) are accepted and ignored. The
flow: recall with the search logic (facts, and preferences unless
`include_preference` is false; knowledge bases when listed), compose a
deterministic answer (`_answer`), then, unless `add_message_on_answer` is
false, store the turn (user query + answer) as an async `add/message` would: a
task and a `WorkingMemory`, refined when due. `stream: true` answers
`text/event-stream` (`_sse`); errors are ordinary JSON envelopes either way.
"""

from __future__ import annotations

from typing import Any

from .._call import VIEWS, Call
from .._http._params import (
    conversation_id,
    info_dict,
    optional_bool,
    optional_int,
    optional_number,
    optional_str,
    optional_str_list,
    required,
    required_id,
    required_str,
)
from .._http._wire import FakeResponse, bad_request
from .._memories._filters import parse_filter
from .._memories._pipeline import Turn, write_turn
from .._memories._recall import MAX_LIMIT, Recall, knowledgebase_scope, recall, threshold_of
from .._memories._records import Scope
from .._messages._parse import Message
from ._answer import compose
from ._sse import event_stream

__all__ = ["MODELS", "chat"]

MODELS = ("qwen3-32b", "deepseek-r1", "qwen2.5-72b-instruct")
DEFAULT_MAX_TOKENS = 8192
MAX_MAX_TOKENS = 1_000_000


def _model(body: dict[str, Any]) -> str:
    name = optional_str(body, "model_name")
    if name is not None and name.lower() not in MODELS:
        raise bad_request(f"model_name must be one of {', '.join(MODELS)}, not {name!r}")
    return (name or MODELS[2]).lower()


def _message(role: str, text: str) -> Message:
    return Message(role, text, None, frozenset(), {"role": role, "content": text})


def chat(call: Call) -> dict[str, Any] | FakeResponse:
    """`{response}`, or the event stream."""
    body, store = call.body, call.store
    user_id = required_id(body, "user_id")
    conversation = conversation_id(body)
    if conversation is None:
        raise required("conversation_id")
    query = required_str(body, "query")
    include_preference = optional_bool(body, "include_preference", True)
    request = Recall(
        query=query,
        kind="user",
        subject=user_id,
        views={"detail_factual", "preference"} if include_preference else {"detail_factual"},
        scope_filter=parse_filter(body.get("filter")),
        knowledgebases=knowledgebase_scope(store, body),
        limits={
            "detail_factual": optional_int(body, "memory_limit_number", 9, 1, MAX_LIMIT),
            "preference": optional_int(body, "preference_limit_number", 9, 1, MAX_LIMIT),
        },
        threshold=threshold_of(body),
        conversation=conversation,
    )
    _model(body)
    optional_str(body, "system_prompt")
    stream = optional_bool(body, "stream", False)
    max_tokens = optional_int(body, "max_tokens", DEFAULT_MAX_TOKENS, 1, MAX_MAX_TOKENS)
    optional_number(body, "temperature", 0, 2)
    optional_number(body, "top_p", 0, 1)
    store_turn = optional_bool(body, "add_message_on_answer", True)
    agent_id = optional_str(body, "agent_id")
    scope = Scope(
        user_ids=(user_id,),
        agent_ids=(agent_id,) if agent_id else (),
        app_id=optional_str(body, "app_id"),
        info=info_dict(body, "info", strings_only=True),
        public=optional_bool(body, "allow_public", False),
    )
    tags = optional_str_list(body, "tags")
    optional_str_list(body, "allow_knowledgebase_ids")

    reasoning, answer = compose(query, recall(store, request), max_tokens)
    if store_turn:
        turn = Turn(
            scope=scope,
            conversation_id=conversation,
            messages=(_message("user", query), _message("assistant", answer)),
            tags=tuple(tags),
            views=frozenset(VIEWS),
            wait=False,
        )
        write_turn(store, turn, call.fate)
    if stream:
        return event_stream(reasoning, answer)
    return {"response": answer}
