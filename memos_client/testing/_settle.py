"""Settling: finish everything whose time has come, in due order.

Nothing runs in the background. Every request (and every inspection) first
calls `settle`, which finishes the running tasks (`add/message`, `chat` turns,
`add/feedback`) and processes the running knowledge-base files whose due time
has passed on the fake's clock, earliest first (ties in creation order).
"""

from __future__ import annotations

from ._feedback import apply_feedback
from ._kb_pipeline import process_file
from ._kb_records import KnowledgeBaseFile
from ._pipeline import finish
from ._store import Store, TaskRecord

__all__ = ["settle"]


def settle(store: Store) -> None:
    """Finish every running task and file whose due time has passed, earliest first."""
    now = store.clock.now()
    due: list[TaskRecord | KnowledgeBaseFile] = [
        task for task in store.tasks.values() if task.status == "running" and task.due <= now
    ]
    due += [file for file in store.files.values() if file.status == "running" and file.due <= now]
    for item in sorted(due, key=lambda item: item.due):
        if isinstance(item, KnowledgeBaseFile):
            process_file(store, item)
        elif item.kind == "feedback":
            finish(store, item, apply_feedback)
        else:
            finish(store, item)
