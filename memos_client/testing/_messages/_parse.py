"""Chat messages as `add/message` receives them: validation and plain-text rendering.

A message is OpenAI-shaped: a `role` (`user`, `assistant`, `system`, `tool`), a
`content` that is a string or a list of parts (`text`, `image_url`, `file`), an
optional `chat_time`, and for assistants optional `tool_calls`. Validation
follows the documented codes, including the quirk that `role: "function"` is
answered with 50143 rather than a validation error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .._http._params import required
from .._http._wire import ApiError, bad_request

__all__ = ["ROLES", "Message", "parse_messages", "render_line"]

ROLES = ("user", "assistant", "system", "tool")
_PART_MARKERS = {"image_url": "[image]", "file": "[file]"}


@dataclass(frozen=True)
class Message:
    """One validated message, with its content flattened to text.

    Attributes:
        role: `user`, `assistant`, `system` or `tool`.
        text: text parts joined by spaces, `[image]` / `[file]` for media parts,
            and `[tool call: name {args}]` for an assistant's tool calls.
        chat_time: the caller's `chat_time`, verbatim, if given.
        media: the media part types present (`"image_url"`, `"file"`).
        raw: the message exactly as received.
    """

    role: str
    text: str
    chat_time: str | None
    media: frozenset[str]
    raw: dict[str, Any]


def parse_messages(value: Any) -> list[Message]:
    """Validate the `messages` field of an `add/message` body."""
    if value is None:
        raise required("messages")
    if not isinstance(value, list):
        raise bad_request("messages must be a list of message objects")
    if not value:
        raise ApiError(40003, "messages must not be an empty list")
    return [_parse_one(f"messages[{index}]", item) for index, item in enumerate(value)]


def _parse_one(where: str, item: Any) -> Message:
    if not isinstance(item, dict):
        raise bad_request(f"{where} must be an object")
    role = item.get("role")
    if role in (None, ""):
        raise required(f"{where}.role")
    if role == "function":
        # Documented quirk (ISSUES OCP#11): the legacy OpenAI role fails late, as 50143.
        raise ApiError(50143, "add memory failed")
    if role not in ROLES:
        raise bad_request(f"{where}.role must be one of {', '.join(ROLES)}, not {role!r}")
    chat_time = item.get("chat_time")
    if chat_time is not None and not isinstance(chat_time, str):
        raise bad_request(f"{where}.chat_time must be a string")
    calls = _tool_calls(where, role, item.get("tool_calls"))
    content = item.get("content")
    if content is None or content == "" or content == []:
        if not calls:
            raise required(f"{where}.content")
        text, media = "", frozenset[str]()
    else:
        text, media = _content(where, content)
    if calls:
        text = " ".join(piece for piece in (text, *calls) if piece)
    return Message(role=role, text=text, chat_time=chat_time, media=media, raw=dict(item))


def _content(where: str, content: Any) -> tuple[str, frozenset[str]]:
    if isinstance(content, str):
        return content, frozenset()
    if not isinstance(content, list):
        raise bad_request(f"{where}.content must be a string or a list of parts")
    pieces: list[str] = []
    media: set[str] = set()
    for index, part in enumerate(content):
        at = f"{where}.content[{index}]"
        if not isinstance(part, dict):
            raise bad_request(f"{at} must be an object")
        kind = part.get("type")
        if kind == "text":
            if not isinstance(part.get("text"), str):
                raise bad_request(f"{at}.text must be a string")
            pieces.append(part["text"])
        elif kind == "image_url":
            _require_payload(at, part, "image_url", "url")
            pieces.append(_PART_MARKERS[kind])
            media.add(kind)
        elif kind == "file":
            _require_payload(at, part, "file", "file_data")
            pieces.append(_PART_MARKERS[kind])
            media.add(kind)
        else:
            raise ApiError(40006, f"Unsupported content type: {kind!r} in {at}")
    return " ".join(pieces), frozenset(media)


def _require_payload(at: str, part: dict[str, Any], key: str, inner: str) -> None:
    payload = part.get(key)
    if not isinstance(payload, dict) or not isinstance(payload.get(inner), str):
        raise bad_request(f"{at}.{key}.{inner} must be a string")


def _tool_calls(where: str, role: str, value: Any) -> list[str]:
    if value is None:
        return []
    if role != "assistant":
        raise bad_request(f"{where}.tool_calls is only allowed on assistant messages")
    if not isinstance(value, list) or not all(isinstance(call, dict) for call in value):
        raise bad_request(f"{where}.tool_calls must be a list of objects")
    rendered = []
    for call in value:
        function = call.get("function")
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise bad_request(f"{where}.tool_calls[].function.name must be a string")
        arguments = function.get("arguments", "")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        rendered.append(f"[tool call: {function['name']} {arguments}]".replace(" ]", "]"))
    return rendered


def render_line(message: Message, default_time: str) -> str:
    """One working-memory line: `<role>: [<time>]: <text>`."""
    return f"{message.role}: [{message.chat_time or default_time}]: {message.text}"
