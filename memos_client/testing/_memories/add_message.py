"""`POST /add/message`: write a turn, answer at once (async) or after refinement (sync).

Validation follows memos-api.md 3.1 and 4.1. A message with an `image_url` or
`file` part forces async mode, as documented. Without `conversation_id` the turn
goes to the `"default_session"` conversation.
"""

from __future__ import annotations

from typing import Any

from .._call import VIEWS, Call
from .._http._params import (
    conversation_id,
    info_dict,
    optional_bool,
    optional_dict,
    optional_str,
    optional_str_list,
    required,
    subject_ids,
)
from .._http._wire import bad_request
from .._messages._parse import parse_messages
from ._pipeline import Turn, write_turn
from ._records import Scope

__all__ = ["DEFAULT_CONVERSATION", "add_message"]

DEFAULT_CONVERSATION = "default_session"


def add_message(call: Call) -> dict[str, Any]:
    """Store the turn and answer `{success, task_id, status}`."""
    body = call.body
    user_ids = subject_ids(body, "user_id")
    agent_ids = subject_ids(body, "agent_id")
    if not user_ids and not agent_ids:
        raise required("user_id or agent_id")
    conversation = conversation_id(body) or DEFAULT_CONVERSATION
    messages = parse_messages(body.get("messages"))
    scope = Scope(
        user_ids=user_ids,
        agent_ids=agent_ids,
        app_id=optional_str(body, "app_id"),
        info=info_dict(body, "info", strings_only=False),
        public=optional_bool(body, "allow_public", False),
    )
    tags = optional_str_list(body, "tags")
    async_mode = optional_bool(body, "async_mode", True)
    views = _allowed_views(body)
    optional_str_list(body, "allow_knowledgebase_ids")
    optional_dict(body, "custom_extract_prompt")
    has_media = any(message.media for message in messages)
    turn = Turn(
        scope=scope,
        conversation_id=conversation,
        messages=tuple(messages),
        tags=tuple(tags),
        views=views,
        wait=not async_mode and not has_media,
    )
    task = write_turn(call.store, turn, call.fate)
    return {"success": task.status != "failed", "task_id": task.id, "status": task.status}


def _allowed_views(body: dict[str, Any]) -> frozenset[str]:
    if body.get("allow_memory_view") is None:
        return frozenset(VIEWS)
    views = optional_str_list(body, "allow_memory_view")
    unknown = sorted(set(views) - set(VIEWS))
    if unknown:
        raise bad_request(f"allow_memory_view has unknown views {unknown}; use {list(VIEWS)}")
    return frozenset(views)
