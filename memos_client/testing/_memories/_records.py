"""Memory records: who a record belongs to (`Scope`), stored memories and preferences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Scope", "StoredMemory", "StoredPreference"]


@dataclass(frozen=True)
class Scope:
    """Who a record belongs to and the metadata it was written with.

    Keys (projects) are not separated: one `FakeMemOS` is one project.
    """

    user_ids: tuple[str, ...] = ()
    agent_ids: tuple[str, ...] = ()
    app_id: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    public: bool = False

    def owned_by(self, kind: str, subject: str) -> bool:
        """Whether `subject` (a user id, or an agent id when `kind == "agent"`) owns this."""
        return subject in (self.agent_ids if kind == "agent" else self.user_ids)


@dataclass
class StoredMemory:
    """A fact memory (`memory_detail_list` item): working, user or long-term."""

    id: str
    memory_key: str
    memory_value: str
    memory_type: str
    tags: list[str]
    confidence: float
    create_time: int
    update_time: int
    conversation_id: str
    scope: Scope
    task_id: str | None = None
    status: str = "activated"
    """Only `activated` memories are recalled and listed (`update/memory` may change it)."""
    retired: bool = False
    """A working memory replaced by its refined memories; never returned by search."""
    knowledgebase_id: str | None = None
    """Set on a knowledge-base chunk: recalled only when the search lists its knowledge base."""
    file_id: str | None = None
    sources: list[dict[str, Any]] | None = None
    """The origin, when it is not the raw messages of `task_id` (feedback, files)."""

    def item(self) -> dict[str, Any]:
        """The memory as search returns it, without `relativity`."""
        return {
            "id": self.id,
            "memory_key": self.memory_key,
            "memory_value": self.memory_value,
            "memory_type": self.memory_type,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "conversation_id": self.conversation_id,
            "status": self.status,
            "confidence": self.confidence,
            "tags": list(self.tags),
        }

    def search_text(self) -> str:
        """What search matches: key, value and the non-system tags."""
        tags = " ".join(tag for tag in self.tags if ":" not in tag)
        return f"{self.memory_key}\n{self.memory_value}\n{tags}"


@dataclass
class StoredPreference:
    """A preference memory (`preference_detail_list` item)."""

    id: str
    preference: str
    preference_type: str
    reasoning: str
    create_time: int
    update_time: int
    conversation_id: str
    scope: Scope
    task_id: str | None = None
    status: str = "activated"

    def item(self) -> dict[str, Any]:
        """The preference as search returns it, without `relativity`."""
        return {
            "id": self.id,
            "preference": self.preference,
            "preference_type": self.preference_type,
            "reasoning": self.reasoning,
            "create_time": self.create_time,
            "update_time": self.update_time,
            "conversation_id": self.conversation_id,
            "status": self.status,
        }

    def search_text(self) -> str:
        """What search matches: the preference and its reasoning."""
        return f"{self.preference}\n{self.reasoning}"
