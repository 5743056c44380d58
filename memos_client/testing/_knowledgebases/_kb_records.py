"""Knowledge-base records: knowledge bases, their files, and the skills uploaded to them.

Plain data, like `_store`'s records. A file moves `running` -> `completed` |
`failed` when `_kb_pipeline` processes it; a completed document owns the chunk
memories it produced (`memory_ids`), a completed skill file owns its skills.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .._memories._records import Scope
from .._tasks._records import TaskFate

__all__ = ["MB", "FileStatus", "FileType", "KnowledgeBase", "KnowledgeBaseFile", "StoredSkill"]

MB = 1024 * 1024
FileType = Literal["document", "skill"]
FileStatus = Literal["running", "completed", "failed"]
KB_CONVERSATION = "default_session"


@dataclass
class KnowledgeBase:
    """A knowledge base of the project."""

    id: str
    name: str
    description: str | None
    create_time: int


@dataclass
class KnowledgeBaseFile:
    """One uploaded file and its processing state.

    Attributes:
        data: the bytes received (`None` for a URL, fetched when processed).
        url: the URL the file is to be fetched from, if it was given as one.
        due: when processing is due (monotonic clock seconds).
        fate: what processing does (fault injection): parse, fail, or never finish.
        reason: why it `failed`, once it has.
    """

    id: str
    knowledgebase_id: str
    type: FileType
    name: str
    size: int
    status: FileStatus
    due: float
    fate: TaskFate
    create_time: int
    update_time: int
    data: bytes | None = None
    url: str | None = None
    mime_type: str | None = None
    reason: str | None = None
    fail_reason: str | None = None
    memory_ids: list[str] = field(default_factory=list)
    skill_ids: list[str] = field(default_factory=list)

    @property
    def size_mb(self) -> float:
        """The size in MB, two decimals, never 0 for a non-empty file."""
        value = round(self.size / MB, 2)
        return 0.01 if value == 0 and self.size > 0 else value

    def receipt(self) -> dict[str, Any]:
        """The file as an upload answers it (`sizeMB` a number)."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "sizeMB": self.size_mb,
            "status": self.status,
        }

    def detail(self) -> dict[str, Any]:
        """The file as `get/knowledgebase-file` lists it (`size` a string); failures say why."""
        item: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "size": f"{self.size_mb:.2f}MB",
            "status": self.status,
        }
        if self.status == "failed" and self.reason:
            item["reason"] = self.reason
        return item


@dataclass
class StoredSkill:
    """A skill uploaded as a knowledge-base file (`skill_detail_list` item)."""

    id: str
    knowledgebase_id: str
    file_id: str
    name: str
    description: str
    procedure: str
    create_time: int
    update_time: int
    others: dict[str, str] = field(default_factory=dict)
    status: str = "activated"
    confidence: float = 0.99
    tags: list[str] = field(default_factory=lambda: ["knowledgebase", "skill"])
    conversation_id: str = KB_CONVERSATION
    scope: Scope = field(default_factory=Scope)

    def item(self) -> dict[str, Any]:
        """The skill as search returns it, without `relativity`."""
        return {
            "id": self.id,
            "skill_value": {
                "name": self.name,
                "description": self.description,
                "procedure": self.procedure,
                "experience": [],
                "preference": [],
                "examples": [],
                "script": {},
                "others": dict(self.others),
            },
            "skill_url": f"https://memos.fake/skills/{self.id}/SKILL.md",
            "skill_type": "uploaded",
            "create_time": self.create_time,
            "update_time": self.update_time,
            "conversation_id": self.conversation_id,
            "status": self.status,
            "confidence": self.confidence,
            "tags": list(self.tags),
        }

    def search_text(self) -> str:
        """What search matches: name, description and procedure."""
        return f"{self.name}\n{self.description}\n{self.procedure}"
