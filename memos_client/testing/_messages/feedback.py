"""`POST /add/feedback`: a natural-language correction, always async (memos-api.md 3.7).

Answers `{success, task_id, status: "running"}` at once; the task completes
`refine_delay` later like an add (`get/status` then shows its `memory_views`),
and applies the feedback by rule (`_feedback`): a keyword replacement rewrites
the user's matching memories (`updated`), anything else is stored as a new
`UserMemory` correction (`added`). Task faults apply as to `add/message`.
"""

from __future__ import annotations

from typing import Any

from .._call import VIEWS, Call
from .._clock import format_chat_time
from .._http._params import (
    conversation_id,
    optional_bool,
    optional_str,
    optional_str_list,
    required_id,
    required_str,
)
from .._memories._records import Scope
from .._tasks._records import TaskRecord
from ._parse import Message

__all__ = ["add_feedback"]

DEFAULT_CONVERSATION = "default_session"


def add_feedback(call: Call) -> dict[str, Any]:
    """Open the feedback task."""
    body, store = call.body, call.store
    user_id = required_id(body, "user_id")
    content = required_str(body, "feedback_content")
    conversation = conversation_id(body) or DEFAULT_CONVERSATION
    agent_id = optional_str(body, "agent_id")
    feedback_time = optional_str(body, "feedback_time")
    scope = Scope(
        user_ids=(user_id,),
        agent_ids=(agent_id,) if agent_id else (),
        app_id=optional_str(body, "app_id"),
        public=optional_bool(body, "allow_public", False),
    )
    optional_str_list(body, "allow_knowledgebase_ids")
    chat_time = feedback_time or format_chat_time(store.clock.wall())
    message = Message("user", content, chat_time, frozenset(), {"role": "user", "content": content})
    task = TaskRecord(
        id=store.ids(),
        status="running",
        due=store.clock.now() + store.refine_delay,
        fate=call.fate,
        conversation_id=conversation,
        scope=scope,
        messages=(message,),
        views=frozenset(VIEWS),
        kind="feedback",
        feedback=content,
    )
    store.add_task(task)
    return {"success": True, "task_id": task.id, "status": task.status}
