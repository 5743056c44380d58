"""`POST /extract/memory`: stateless extraction (memos-api.md 3.11).

Runs the refinement rules of the pipeline (`_extract`) on the given messages
and returns what they find, storing nothing. Messages take the simple form
only: `{role: user | assistant | system, content: str}`. `extraction_types`
(a non-empty subset of `memory`, `preference`) picks the lists to fill; both
when omitted. `model`, `user_id`, `conversation_id` and `agent_id` are accepted.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import optional_str, optional_str_list, required
from .._http._wire import ApiError, bad_request
from .._memories._extract import extract
from .._messages._parse import Message

__all__ = ["EXTRACTION_TYPES", "extract_memory"]

EXTRACTION_TYPES = ("memory", "preference")
_ROLES = ("user", "assistant", "system")


def _messages(value: Any) -> list[Message]:
    if value is None:
        raise required("messages")
    if not isinstance(value, list):
        raise bad_request("messages must be a list of {role, content} objects")
    if not value:
        raise ApiError(40003, "messages must not be an empty list")
    messages = []
    for index, item in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(item, dict):
            raise bad_request(f"{where} must be an object")
        role, content = item.get("role"), item.get("content")
        if role in (None, ""):
            raise required(f"{where}.role")
        if role not in _ROLES:
            raise bad_request(f"{where}.role must be one of {', '.join(_ROLES)}, not {role!r}")
        if content is None or content == "":
            raise required(f"{where}.content")
        if not isinstance(content, str):
            raise bad_request(f"{where}.content must be a string")
        messages.append(Message(role, content, None, frozenset(), dict(item)))
    return messages


def _types(body: dict[str, Any]) -> set[str]:
    if body.get("extraction_types") is None:
        return set(EXTRACTION_TYPES)
    types = optional_str_list(body, "extraction_types")
    unknown = sorted(set(types) - set(EXTRACTION_TYPES))
    if unknown or not types:
        raise bad_request(
            f"extraction_types must be a non-empty subset of {list(EXTRACTION_TYPES)}"
            + (f", not {unknown}" if unknown else "")
        )
    return set(types)


def extract_memory(call: Call) -> dict[str, Any]:
    """`{success, memory_detail_list, preference_detail_list}`; nothing is stored."""
    body = call.body
    messages = _messages(body.get("messages"))
    types = _types(body)
    for name in ("model", "user_id", "conversation_id", "agent_id"):
        optional_str(body, name)
    found = extract(messages)
    facts = [
        {
            "memory_key": fact.memory_key,
            "memory_value": fact.memory_value,
            "memory_type": fact.memory_type,
            "tags": [tag for tag in fact.tags if tag != "mode:fine"],
        }
        for fact in found.facts
    ]
    preferences = [
        {
            "preference": draft.preference,
            "reasoning": draft.reasoning,
            "preference_type": draft.preference_type,
        }
        for draft in found.preferences
    ]
    return {
        "success": True,
        "memory_detail_list": facts if "memory" in types else [],
        "preference_detail_list": preferences if "preference" in types else [],
    }
