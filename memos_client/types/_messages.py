"""TypedDicts for request messages (memos-api.md section 4.1), in the OpenAI chat format.

Plain dicts work just as well; these give editors and type checkers the shape.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from typing_extensions import Required, TypedDict

__all__ = [
    "ContentPart",
    "FileData",
    "FilePart",
    "FunctionCall",
    "ImagePart",
    "ImageURL",
    "MessageParam",
    "Role",
    "TextPart",
    "ToolCall",
]

Role: TypeAlias = Literal["user", "assistant", "system", "tool"]


class TextPart(TypedDict):
    type: Literal["text"]
    text: str


class ImageURL(TypedDict):
    url: str
    """A public URL, or a `data:image/...;base64,` URI."""


class ImagePart(TypedDict):
    type: Literal["image_url"]
    image_url: ImageURL


class FileData(TypedDict):
    file_data: str
    """A public URL or base64 content of a pdf, docx, doc, txt, json, md or xml file."""


class FilePart(TypedDict):
    type: Literal["file"]
    file: FileData


ContentPart: TypeAlias = TextPart | ImagePart | FilePart
"""A multimodal part. Any image or file part makes MemOS process the add asynchronously."""


class FunctionCall(TypedDict):
    name: str
    arguments: str
    """The arguments as a JSON string (`json.dumps(...)`), as in OpenAI's format."""


class ToolCall(TypedDict):
    id: str
    type: Literal["function"]
    function: FunctionCall


class MessageParam(TypedDict, total=False):
    """One conversation turn for `add`."""

    role: Required[Role]
    content: str | list[ContentPart]
    """Text, or a list of parts; may be omitted on an assistant turn with `tool_calls`."""
    chat_time: str
    """When it was said, any readable form; the server uses Beijing time if omitted."""
    tool_calls: list[ToolCall]
    """Assistant tool calls; a later `role="tool"` turn answers each by `tool_call_id`."""
    tool_call_id: str
    """On a `tool` turn: the id of the call it answers."""
    role_id: str
    """Group chat: which of the listed users or agents said this."""
    role_name: str
    """Group chat: the speaker's display name."""
