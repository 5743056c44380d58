"""Settling: finish everything whose time has come, in due order.

Nothing runs in the background. Every request (and every inspection) first
calls `settle`, which finishes the running tasks (`add/message`, `chat` turns,
`add/feedback`) and processes the running knowledge-base files whose due time
has passed on the fake's clock, earliest first (ties: tasks, then files, each in
creation order). They wait in the store's due-time queue, so settling costs
nothing when nothing is due, however many tasks the store holds.
"""

from __future__ import annotations

from .._knowledgebases._kb_pipeline import process_file
from .._knowledgebases._kb_records import KnowledgeBaseFile
from .._memories._pipeline import finish
from .._messages._feedback import apply_feedback
from .._store import Store

__all__ = ["settle"]


def settle(store: Store) -> None:
    """Finish every running task and file whose due time has passed, earliest first."""
    for item in store.due(store.clock.now()):
        if isinstance(item, KnowledgeBaseFile):
            process_file(store, item)
        elif item.kind == "feedback":
            finish(store, item, apply_feedback)
        else:
            finish(store, item)
