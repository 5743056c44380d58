"""`POST /get/message`: a conversation's raw messages (memos-api.md 3.8).

The most recent `message_limit_number` (1..50, default 6) user and assistant
messages of that user's conversation, oldest first, content flattened to text
(`[image]`/`[file]` markers for media parts). System and tool messages are
stored but not returned, as the documentation lists only these two roles.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import conversation_id, optional_int, required, required_id

__all__ = ["MAX_MESSAGES", "get_message"]

MAX_MESSAGES = 50
_ROLES = ("user", "assistant")


def get_message(call: Call) -> dict[str, Any]:
    """`{message_detail_list: [{role, content, create_time, update_time, message_id}]}`."""
    body = call.body
    user_id = required_id(body, "user_id")
    conversation = conversation_id(body)
    if conversation is None:
        raise required("conversation_id")
    limit = optional_int(body, "message_limit_number", 6, 1, MAX_MESSAGES)
    messages = [
        message
        for message in call.store.conversation(user_id, conversation)
        if message.role in _ROLES
    ]
    return {
        "message_detail_list": [
            {
                "role": message.role,
                "content": message.content,
                "create_time": message.create_time,
                "update_time": message.create_time,
                "message_id": message.id,
            }
            for message in messages[-limit:]
        ]
    }
