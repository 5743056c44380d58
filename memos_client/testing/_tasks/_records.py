"""Task records: an async task (`add/message`, `add/feedback`, a chat turn) and its fate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .._memories._records import Scope
from .._messages._parse import Message

__all__ = ["TaskFate", "TaskKind", "TaskRecord", "TaskStatus"]

TaskStatus = Literal["running", "completed", "failed"]
TaskKind = Literal["add", "feedback"]
TaskFate = Literal["normal", "fail", "stuck"]
"""What becomes of a task when it is due: refined, failed, or never finished (faults)."""


@dataclass
class TaskRecord:
    """A task (`add/message`, a `chat` turn, or `add/feedback`) and what finishing it needs."""

    id: str
    status: TaskStatus
    due: float
    fate: TaskFate
    conversation_id: str
    scope: Scope
    messages: tuple[Message, ...]
    tags: tuple[str, ...] = ()
    views: frozenset[str] = frozenset({"detail_factual", "preference"})
    """Kinds refinement may produce (`allow_memory_view`)."""
    working_memory_id: str | None = None
    memory_views: dict[str, Any] | None = None
    """Set on completion: `{added, updated, deleted, <view>: {memory_ids}}`."""
    kind: TaskKind = "add"
    """`add` (a turn from `add/message` or `chat`) or `feedback` (`add/feedback`)."""
    feedback: str | None = None
    """The feedback text of a `feedback` task."""
