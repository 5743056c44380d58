"""Build the messages `add` takes: text, images, files and tool-call turns.

```python
from memos_client import messages as m

client.add(
    [
        m.user("What's the weather in Beijing?"),
        m.assistant(tool_calls=[m.tool_call("get_weather", {"location": "Beijing"}, id="c1")]),
        m.tool("c1", {"temperature": "7C"}),
        m.user("Look at my ticket", m.image("https://example.com/ticket.png")),
    ],
    user_id="u1",
)
```

Each builder returns a plain dict typed as `MessageParam`. Tool memory needs the
assistant's `tool_calls` and a `tool` turn answering each by `tool_call_id`.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from ._core._messages import check_messages
from ._exceptions import InvalidRequestError
from .types._messages import (
    ContentPart,
    FilePart,
    ImagePart,
    MessageParam,
    TextPart,
    ToolCall,
)

__all__ = [
    "assistant",
    "file",
    "image",
    "image_bytes",
    "system",
    "text",
    "tool",
    "tool_call",
    "user",
]


def text(value: str) -> TextPart:
    """A text part, for mixing with images and files."""
    return {"type": "text", "text": value}


def image(url: str) -> ImagePart:
    """An image part: a public URL or a `data:image/...;base64,` URI."""
    return {"type": "image_url", "image_url": {"url": url}}


def image_bytes(data: bytes, mime_type: str = "image/png") -> ImagePart:
    """An image part from bytes, sent inline as a base64 data URI."""
    return image(f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}")


def file(file_data: str) -> FilePart:
    """A document part: a public URL or base64 content (pdf, docx, doc, txt, json, md, xml)."""
    return {"type": "file", "file": {"file_data": file_data}}


def user(*content: str | ContentPart, **extra: str) -> MessageParam:
    """A user turn. One string stays a string; several pieces become parts.

    Keyword arguments: `chat_time`, and in group chat `role_id` / `role_name`.
    """
    return _checked(_message("user", content, extra))


def system(content: str, **extra: str) -> MessageParam:
    """A system turn."""
    return _checked(_message("system", (content,), extra))


def assistant(
    *content: str | ContentPart, tool_calls: Sequence[ToolCall] | None = None, **extra: str
) -> MessageParam:
    """An assistant turn: text, and/or the tool calls it made."""
    message = _message("assistant", content, extra, allow_empty=tool_calls is not None)
    if tool_calls is not None:
        message["tool_calls"] = list(tool_calls)
    return _checked(message)


def tool_call(name: str, arguments: Mapping[str, Any] | str, *, id: str | None = None) -> ToolCall:
    """One OpenAI-style tool call; `arguments` are JSON-encoded when given as a dict."""
    encoded = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {
        "id": id or f"call_{uuid.uuid4().hex[:12]}",
        "type": "function",
        "function": {"name": name, "arguments": encoded},
    }


def tool(tool_call_id: str, result: str | Mapping[str, Any], **extra: str) -> MessageParam:
    """A tool result answering the call with `tool_call_id`; a dict result is JSON-encoded."""
    content = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
    message = _message("tool", (content,), extra)
    message["tool_call_id"] = tool_call_id
    return _checked(message)


def _message(
    role: Literal["user", "assistant", "system", "tool"],
    content: tuple[str | ContentPart, ...],
    extra: Mapping[str, str],
    *,
    allow_empty: bool = False,
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": role}
    if len(content) == 1 and isinstance(content[0], str):
        message["content"] = content[0]
    elif content:
        message["content"] = [text(part) if isinstance(part, str) else part for part in content]
    elif not allow_empty:
        raise InvalidRequestError(
            f"content: this {role} message needs text or parts", field="content"
        )
    for key, value in extra.items():
        if key not in ("chat_time", "role_id", "role_name"):
            raise TypeError(f"unexpected keyword {key!r}; use chat_time, role_id or role_name")
        message[key] = value
    return message


def _checked(message: dict[str, Any]) -> MessageParam:
    """The message, checked as `add` will check it, typed as what it now is."""
    check_messages([message])
    return cast("MessageParam", message)
