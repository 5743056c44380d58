"""Task models: what add/message answers and what get/status reports (memos-api.md 3.9)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeAlias

from pydantic import Field

from ._base import MemOSModel, items, retyped

__all__ = [
    "AddResult",
    "CompletedTaskStatus",
    "MemoryViewIds",
    "MemoryViews",
    "TaskState",
    "TaskStatus",
]

TaskState: TypeAlias = Literal["running", "completed", "failed"] | str
"""`running` -> `completed` | `failed`; unknown strings are kept and waited through."""


class AddResult(MemOSModel):
    """The answer of add/message (and add/feedback)."""

    success: bool | None = None
    task_id: str | None = None
    """The id to poll with `get_status`; None when the server did not send one."""
    status: TaskState | None = None
    """`running` in async mode, `completed` when sync mode finished."""

    _repr_fields = ("task_id", "status")


class MemoryViewIds(MemOSModel):
    """The ids a task touched in one memory view."""

    memory_ids: list[str] = Field(default_factory=list)


class MemoryViews(MemOSModel):
    """What a completed task did: counts, and the ids it touched per memory view."""

    added: int | None = None
    updated: int | None = None
    deleted: int | None = None
    detail_factual: MemoryViewIds | None = None
    preference: MemoryViewIds | None = None
    tool_memory: MemoryViewIds | None = None
    skill: MemoryViewIds | None = None
    event: MemoryViewIds | None = None
    profile: MemoryViewIds | None = None

    def _shown(self) -> Iterator[tuple[str, object]]:
        """The counts, then each view's ids as `<view>_ids`."""
        for name, value in super()._shown():
            if isinstance(value, MemoryViewIds):
                yield f"{name}_ids", value.memory_ids
            else:
                yield name, value

    def memory_ids(self, view: str | None = None) -> list[str]:
        """The ids touched in `view` (e.g. "preference"), or in every view when None."""
        views = [view] if view is not None else _VIEW_NAMES + list(self.model_extra or {})
        ids: list[str] = []
        for name in views:
            entry = getattr(self, name, None)
            if isinstance(entry, dict):
                entry = entry.get("memory_ids")
            elif isinstance(entry, MemoryViewIds):
                entry = entry.memory_ids
            ids.extend(items(entry, str))
        return ids


_VIEW_NAMES = ["detail_factual", "preference", "tool_memory", "skill", "event", "profile"]


class TaskStatus(MemOSModel):
    """One reading of an async task from get/status.

    `memory_views` appears once the task completes. The legacy list-shaped answer
    (`data: [{"status": ...}]`) is normalised into this model.
    """

    task_id: str | None = None
    status: TaskState | None = None
    """`running`, `completed` or `failed`; another string means "not final yet"."""
    memory_views: MemoryViews | None = None
    """Counts and ids of what the task changed (once completed)."""

    _repr_fields = ("task_id", "status", "added", "updated", "deleted")

    def _shown(self) -> Iterator[tuple[str, object]]:
        """The fields, with what `memory_views` holds (counts, ids) in its place."""
        for name, value in super()._shown():
            if isinstance(value, MemoryViews):
                yield from value._shown()
            else:
                yield name, value

    @property
    def done(self) -> bool:
        """Whether the status is final (`completed` or `failed`)."""
        return self.status in ("completed", "failed")


class CompletedTaskStatus(TaskStatus):
    """What `task.wait()` returns: a final status that did not fail, so its `status`
    type says so. (`wait()` raises `TaskFailedError` for a failed task.)"""

    status: Literal["completed"] = "completed"  # pyright: ignore[reportIncompatibleVariableOverride]

    @classmethod
    def of(cls, reading: TaskStatus) -> CompletedTaskStatus:
        """`reading` as a `CompletedTaskStatus`, unknown fields kept, nothing re-checked."""
        return retyped(cls, reading)
