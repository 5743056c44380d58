"""Checks for the `messages` of add/message (memos-api.md section 4.1).

Plain dicts in the OpenAI chat format are accepted as they are, as are the TypedDicts
in `memos_client.types`. The checks catch the mistakes that cost a round trip:
an empty list, a missing role or content, `role="function"` (a 50143 on the server),
tool results without `tool_call_id`, and tool-call arguments passed as a dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._validate import fail

__all__ = ["ROLES", "check_messages", "present"]

ROLES = ("user", "assistant", "system", "tool")
MESSAGE_KEYS = (
    "role",
    "content",
    "chat_time",
    "tool_calls",
    "tool_call_id",
    "role_id",
    "role_name",
)
PLAIN_ROLES = frozenset({"user", "assistant", "system"})
PART_PAYLOADS = {"text": "text", "image_url": "url", "file": "file_data"}


def check_messages(value: object, *, field: str = "messages") -> list[Any]:
    """Validate the messages and return them as a list ready to send."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        fail(
            field,
            f"must be a list of messages such as [{{'role': 'user', 'content': 'hi'}}], "
            f"not {type(value).__name__}",
        )
    if not value:
        fail(field, "is empty; pass at least one message")
    return [_check_message(f"{field}[{index}]", message) for index, message in enumerate(value)]


def _check_message(where: str, message: object) -> Any:
    if type(message) is dict and len(message) == 2:  # the common turn: role and text only
        role, content = message.get("role"), message.get("content")
        if role in PLAIN_ROLES and type(content) is str and content.strip():
            return message
    if not isinstance(message, Mapping):
        fail(where, f"must be a dict with 'role' and 'content', not {type(message).__name__}")
    _check_keys(where, message)
    role = message.get("role")
    if role == "function":
        fail(
            f"{where}.role",
            "'function' is rejected by MemOS; send tool results as role='tool' with the "
            "tool_call_id of the assistant's tool call",
        )
    if role not in ROLES:
        fail(f"{where}.role", f"must be one of {', '.join(ROLES)}, not {role!r}")
    _check_content(where, role, message)
    if message.get("tool_calls") is not None:
        _check_tool_calls(f"{where}.tool_calls", message["tool_calls"])
    if role == "tool" and not message.get("tool_call_id"):
        fail(f"{where}.tool_call_id", "is required on a role='tool' message")
    for name in ("chat_time", "tool_call_id", "role_id", "role_name"):
        if message.get(name) is not None and not isinstance(message[name], str):
            fail(f"{where}.{name}", f"must be a string, not {type(message[name]).__name__}")
    return present(message)


def present(message: Mapping[str, Any]) -> dict[str, Any]:
    """The message's keys that have a value: None means "absent", never JSON null.

    Content parts get the same treatment, so no null is sent at any level we build.
    """
    if all(value is not None for value in message.values()):
        content = message.get("content")
        if not isinstance(content, list) or all(
            not isinstance(part, Mapping) or None not in part.values() for part in content
        ):
            return message if isinstance(message, dict) else dict(message)
    kept = {name: value for name, value in message.items() if value is not None}
    if isinstance(kept.get("content"), list):
        kept["content"] = [
            {k: v for k, v in part.items() if v is not None} if isinstance(part, Mapping) else part
            for part in kept["content"]
        ]
    return kept


def _check_keys(where: str, message: Mapping[str, Any]) -> None:
    """A key that looks like a misspelt known one is refused, naming the fix. Other
    unknown keys pass through, so a field MemOS adds later can be sent already."""
    for key in message:
        if key in MESSAGE_KEYS or not isinstance(key, str):
            continue
        import difflib  # only for an unknown key: kept out of start-up

        close = difflib.get_close_matches(key, MESSAGE_KEYS, n=1, cutoff=0.75)
        if close:
            fail(where, f"unknown key {key!r}; did you mean {close[0]!r}?")


def _check_content(where: str, role: str, message: Mapping[str, Any]) -> None:
    content = message.get("content")
    if content is None or content == [] or (isinstance(content, str) and not content.strip()):
        if role == "assistant" and message.get("tool_calls"):
            return
        fail(f"{where}.content", "is empty; every message needs text or content parts")
    if isinstance(content, str):
        return
    if not isinstance(content, Sequence) or isinstance(content, bytes):
        fail(f"{where}.content", f"must be a string or a list of parts, not {type(content)}")
    for index, part in enumerate(content):
        _check_part(f"{where}.content[{index}]", part)


def _check_part(where: str, part: object) -> None:
    if not isinstance(part, Mapping):
        fail(where, f"must be a dict such as {{'type': 'text', 'text': '...'}}, not {part!r}")
    kind = part.get("type")
    if kind not in PART_PAYLOADS:
        fail(f"{where}.type", f"must be one of {', '.join(PART_PAYLOADS)}, not {kind!r}")
    if kind == "text":
        if not isinstance(part.get("text"), str):
            fail(f"{where}.text", "must be a string")
        return
    payload = part.get(kind)
    key = PART_PAYLOADS[kind]
    if not isinstance(payload, Mapping) or not isinstance(payload.get(key), str):
        fail(f"{where}.{kind}", f"must be a dict with a string {key!r} (a URL or base64 data)")


def _check_tool_calls(where: str, calls: object) -> None:
    if not isinstance(calls, Sequence) or isinstance(calls, (str, bytes)):
        fail(where, "must be a list of OpenAI-style tool calls")
    for index, call in enumerate(calls):
        here = f"{where}[{index}]"
        function = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            fail(here, "must look like {'id': ..., 'type': 'function', 'function': {'name': ...}}")
        if not isinstance(function.get("arguments"), str):
            fail(
                f"{here}.function.arguments",
                "must be a JSON string, as in OpenAI's format: use json.dumps(arguments)",
            )
