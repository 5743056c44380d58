"""Public models: pydantic response models, TypedDict request params, and `FileUpload`.

Names load on first use, so `import memos_client` does not pay for building the
pydantic models until a response is decoded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import (
        MemOSModel,
        Timestamped,
        to_datetime,
    )
    from ._chat import (
        ChatEvent,
        ChatEventType,
        ChatResponse,
        ExtractResult,
        RerankDocument,
        RerankHit,
        RerankResult,
        RerankUsage,
    )
    from ._knowledgebases import (
        AsyncKnowledgeBaseFilePage,
        CompletedKnowledgeBaseFile,
        FileStatus,
        KnowledgeBase,
        KnowledgeBaseFile,
        KnowledgeBaseFilePage,
    )
    from ._listings import (
        AsyncMemoryPage,
        MemoryDetail,
        MemoryPage,
        Message,
        MessageHistory,
        OperationResult,
    )
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
        FileMessage,
        FilePart,
        FunctionCall,
        ImagePart,
        ImageURL,
        MessageParam,
        MultimodalMessage,
        Role,
        TextMessage,
        TextPart,
        ToolCall,
        ToolCallMessage,
        ToolResultMessage,
    )
    from ._params import AddItem, AddParams, CallOptions, ChatOptions, ChatParams, SearchParams
    from ._profiles import (
        AsyncProfileTemplatePage,
        ProfileTemplate,
        ProfileTemplateDeletion,
        ProfileTemplatePage,
    )
    from ._search import MemoryItem, MemoryLists, SearchResult
    from ._tasks import (
        AddResult,
        CompletedTaskStatus,
        MemoryViewIds,
        MemoryViews,
        TaskState,
        TaskStatus,
    )
    from ._uploads import FileUpload, UploadSource

_MODULES = {
    "AsyncProfileTemplatePage": "_profiles",
    "AsyncKnowledgeBaseFilePage": "_knowledgebases",
    "AsyncMemoryPage": "_listings",
    "MemoryItem": "_search",
    "MemOSModel": "_base",
    "Timestamped": "_base",
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
    "MultimodalMessage": "_messages",
    "FileMessage": "_messages",
    "Role": "_messages",
    "TextMessage": "_messages",
    "TextPart": "_messages",
    "ToolCall": "_messages",
    "ToolCallMessage": "_messages",
    "ToolResultMessage": "_messages",
    "MemoryLists": "_search",
    "SearchResult": "_search",
    "AddResult": "_tasks",
    "CompletedKnowledgeBaseFile": "_knowledgebases",
    "CompletedTaskStatus": "_tasks",
    "MemoryViewIds": "_tasks",
    "MemoryViews": "_tasks",
    "TaskState": "_tasks",
    "TaskStatus": "_tasks",
    "MemoryDetail": "_listings",
    "MemoryPage": "_listings",
    "Message": "_listings",
    "MessageHistory": "_listings",
    "OperationResult": "_listings",
    "ChatEvent": "_chat",
    "ChatEventType": "_chat",
    "ChatResponse": "_chat",
    "ExtractResult": "_chat",
    "RerankDocument": "_chat",
    "RerankHit": "_chat",
    "RerankResult": "_chat",
    "RerankUsage": "_chat",
    "FileStatus": "_knowledgebases",
    "KnowledgeBase": "_knowledgebases",
    "KnowledgeBaseFile": "_knowledgebases",
    "KnowledgeBaseFilePage": "_knowledgebases",
    "ProfileTemplate": "_profiles",
    "ProfileTemplateDeletion": "_profiles",
    "ProfileTemplatePage": "_profiles",
    "ChatOptions": "_params",
    "AddItem": "_params",
    "AddParams": "_params",
    "CallOptions": "_params",
    "ChatParams": "_params",
    "SearchParams": "_params",
    "FileUpload": "_uploads",
    "UploadSource": "_uploads",
}

__all__ = [
    "AddItem",
    "AddParams",
    "AddResult",
    "AsyncKnowledgeBaseFilePage",
    "AsyncMemoryPage",
    "AsyncProfileTemplatePage",
    "ChatEvent",
    "ChatEventType",
    "CallOptions",
    "ChatOptions",
    "ChatParams",
    "ChatResponse",
    "CompletedKnowledgeBaseFile",
    "CompletedTaskStatus",
    "ContentPart",
    "EventMemory",
    "ExtractResult",
    "FactMemory",
    "FileData",
    "FileMessage",
    "FilePart",
    "FileStatus",
    "FileUpload",
    "FunctionCall",
    "ImagePart",
    "ImageURL",
    "KnowledgeBase",
    "KnowledgeBaseFile",
    "KnowledgeBaseFilePage",
    "MemOSModel",
    "MemoryDetail",
    "MemoryItem",
    "MemoryLists",
    "MemoryPage",
    "MemoryType",
    "MemoryViewIds",
    "MemoryViews",
    "Message",
    "MessageHistory",
    "MessageParam",
    "MultimodalMessage",
    "OperationResult",
    "PreferenceMemory",
    "PreferenceType",
    "ProfileMemory",
    "ProfileTemplate",
    "ProfileTemplateDeletion",
    "ProfileTemplatePage",
    "RerankDocument",
    "RerankHit",
    "RerankResult",
    "RerankUsage",
    "Role",
    "SearchParams",
    "SearchResult",
    "Skill",
    "SkillValue",
    "TaskState",
    "TaskStatus",
    "TextMessage",
    "TextPart",
    "Timestamped",
    "ToolCall",
    "ToolCallMessage",
    "ToolMemory",
    "ToolResultMessage",
    "ToolUsage",
    "UploadSource",
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
