"""Public models: pydantic response models and TypedDict request params.

Names load on first use, so `import memos_client` does not pay for building the
pydantic models until a response is decoded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import MemOSModel, to_datetime
    from ._memories import (
        EventMemory,
        FactMemory,
        MemoryType,
        PreferenceMemory,
        PreferenceType,
        ProfileMemory,
        Skill,
        SkillValue,
        ToolMemory,
        ToolUsage,
    )
    from ._messages import (
        ContentPart,
        FileData,
        FilePart,
        FunctionCall,
        ImagePart,
        ImageURL,
        MessageParam,
        Role,
        TextPart,
        ToolCall,
    )
    from ._search import SearchResult
    from ._tasks import AddResult, MemoryViewIds, MemoryViews, TaskState, TaskStatus

_MODULES = {
    "MemOSModel": "_base",
    "to_datetime": "_base",
    "EventMemory": "_memories",
    "FactMemory": "_memories",
    "MemoryType": "_memories",
    "PreferenceMemory": "_memories",
    "PreferenceType": "_memories",
    "ProfileMemory": "_memories",
    "Skill": "_memories",
    "SkillValue": "_memories",
    "ToolMemory": "_memories",
    "ToolUsage": "_memories",
    "ContentPart": "_messages",
    "FileData": "_messages",
    "FilePart": "_messages",
    "FunctionCall": "_messages",
    "ImagePart": "_messages",
    "ImageURL": "_messages",
    "MessageParam": "_messages",
    "Role": "_messages",
    "TextPart": "_messages",
    "ToolCall": "_messages",
    "SearchResult": "_search",
    "AddResult": "_tasks",
    "MemoryViewIds": "_tasks",
    "MemoryViews": "_tasks",
    "TaskState": "_tasks",
    "TaskStatus": "_tasks",
}

__all__ = [
    "AddResult",
    "ContentPart",
    "EventMemory",
    "FactMemory",
    "FileData",
    "FilePart",
    "FunctionCall",
    "ImagePart",
    "ImageURL",
    "MemOSModel",
    "MemoryType",
    "MemoryViewIds",
    "MemoryViews",
    "MessageParam",
    "PreferenceMemory",
    "PreferenceType",
    "ProfileMemory",
    "Role",
    "SearchResult",
    "Skill",
    "SkillValue",
    "TaskState",
    "TaskStatus",
    "TextPart",
    "ToolCall",
    "ToolMemory",
    "ToolUsage",
    "to_datetime",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
