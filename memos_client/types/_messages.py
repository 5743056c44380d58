"""TypedDicts for request messages (memos-api.md section 4.1), in the OpenAI chat format.

Plain dicts work just as well; these give editors and type checkers the shape.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from typing_extensions import Required, TypedDict

__all__ = [
    "ContentPart",
    "FileData",
    "FileMessage",
    "FilePart",
    "FunctionCall",
    "ImagePart",
    "ImageURL",
    "MessageParam",
    "MultimodalMessage",
    "Role",
    "TextMessage",
    "TextPart",
    "ToolCall",
    "ToolCallMessage",
    "ToolResultMessage",
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


class _Turn(TypedDict, total=False):
    chat_time: str
    """When it was said, any readable form; the server uses Beijing time if omitted."""
    role_id: str
    """Group chat: which of the listed users or agents said this."""
    role_name: str
    """Group chat: the speaker's display name."""


class TextMessage(_Turn, total=False):
    """A plain turn: `{"role": "user", "content": "I love tea"}`."""

    role: Required[Literal["user", "assistant", "system"]]
    content: Required[str]


class MultimodalMessage(_Turn, total=False):
    """A turn with parts: text, images and files. MemOS processes it asynchronously."""

    role: Required[Literal["user", "assistant", "system"]]
    content: Required[list[ContentPart]]


class FileMessage(_Turn, total=False):
    """A turn that shares a document: text and file parts."""

    role: Required[Literal["user", "assistant", "system"]]
    content: Required[list[TextPart | FilePart]]


class ToolCallMessage(_Turn, total=False):
    """An assistant turn that calls tools; a later `role="tool"` turn answers each."""

    role: Required[Literal["assistant"]]
    tool_calls: Required[list[ToolCall]]
    content: str | list[ContentPart]
    """Optional text alongside the calls."""


class ToolResultMessage(_Turn, total=False):
    """A tool's answer to the call with `tool_call_id`."""

    role: Required[Literal["tool"]]
    tool_call_id: Required[str]
    content: Required[str | list[ContentPart]]


MessageParam: TypeAlias = (
    TextMessage | MultimodalMessage | FileMessage | ToolCallMessage | ToolResultMessage
)
"""One conversation turn for `add`, in the OpenAI chat format. A type checker refuses
a misspelt key or role: `{"role": "usr", "contnt": "hi"}` fits none of these."""
