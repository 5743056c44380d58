"""Feedback refinement: what a due `add/feedback` task does (memos-api.md 3.7).

Rule-based, like the rest of the pipeline. A *keyword replacement* is
recognised by its phrasing: "replace X with Y", "change X to Y", "X should be Y",
"not X but Y", and 把X改成Y / 把X改为Y. Every active memory and preference of
the user whose text contains X (case-insensitively) gets Y instead, and counts
as `updated`. Any other feedback, or a replacement that matches nothing, is
kept as a new `UserMemory` correction (`added`), tagged `feedback`.
"""

from __future__ import annotations

import re

from .._clock import format_chat_time
from .._memories._phrasing import title
from .._memories._pipeline import REFINED_CONFIDENCE, memory_views
from .._memories._records import StoredMemory
from .._store import Store
from .._tasks._records import TaskRecord

__all__ = ["apply_feedback", "replacement_in"]

DEFAULT_CONVERSATION = "default_session"

_PATTERNS = (
    re.compile(r"\breplace\s+(?P<old>.+?)\s+with\s+(?P<new>.+)", re.IGNORECASE),
    re.compile(r"\bchange\s+(?P<old>.+?)\s+to\s+(?P<new>.+)", re.IGNORECASE),
    re.compile(r"\bnot\s+(?P<old>.+?)\s*,?\s+but\s+(?P<new>.+)", re.IGNORECASE),
    re.compile(r"^(?P<old>.+?)\s+should\s+be\s+(?P<new>.+)", re.IGNORECASE),
    re.compile(r"把(?P<old>.+?)(?:改成|改为|换成)(?P<new>.+)"),
)
_TRAILING = re.compile(
    r"(?:\s+(?:everywhere|instead|in\s+(?:all|my)\s+memor(?:y|ies)))+$", re.IGNORECASE
)
_LEADING = re.compile(r"^(?:please\s+|all\s+)+", re.IGNORECASE)


def _clean(text: str) -> str:
    text = text.strip().rstrip("。！!.;；")
    text = _TRAILING.sub("", text)
    text = _LEADING.sub("", text)
    return text.strip().strip("\"'“”‘’「」")


def replacement_in(feedback: str) -> tuple[str, str] | None:
    """The `(old, new)` keywords of a replacement request, if the feedback is one."""
    for pattern in _PATTERNS:
        match = pattern.search(feedback.strip())
        if match:
            old, new = _clean(match.group("old")), _clean(match.group("new"))
            if old and new and old.lower() != new.lower():
                return old, new
    return None


def apply_feedback(store: Store, task: TaskRecord) -> None:
    """Rewrite the user's matching memories, or store the feedback as a correction."""
    feedback = task.feedback or ""
    replacement = replacement_in(feedback)
    if replacement is not None and _replace(store, task, *replacement):
        return
    _correct(store, task, feedback)


def _replace(store: Store, task: TaskRecord, old: str, new: str) -> bool:
    pattern = re.compile(re.escape(old), re.IGNORECASE)
    now_ms = store.now_ms()
    facts: list[str] = []
    preferences: list[str] = []
    users = task.scope.user_ids
    for memory in store.memories.owned_by_any("user", users):
        if memory.retired:
            continue
        if pattern.search(memory.memory_value) or pattern.search(memory.memory_key):
            memory.memory_value = pattern.sub(new, memory.memory_value)
            memory.memory_key = pattern.sub(new, memory.memory_key)
            memory.update_time = now_ms
            store.memories.reindex(memory.id)
            facts.append(memory.id)
    for preference in store.preferences.owned_by_any("user", users):
        if pattern.search(preference.preference):
            preference.preference = pattern.sub(new, preference.preference)
            preference.update_time = now_ms
            store.preferences.reindex(preference.id)
            preferences.append(preference.id)
    if not facts and not preferences:
        return False
    task.memory_views = memory_views(
        0, len(facts) + len(preferences), detail_factual=facts, preference=preferences
    )
    return True


def _correct(store: Store, task: TaskRecord, feedback: str) -> None:
    now_ms = store.now_ms()
    [message] = task.messages
    memory = StoredMemory(
        id=store.ids(),
        memory_key=title(feedback),
        memory_value=f"Correction from the user: {feedback.strip()}",
        memory_type="UserMemory",
        tags=["feedback", "mode:fine"],
        confidence=REFINED_CONFIDENCE,
        create_time=now_ms,
        update_time=now_ms,
        conversation_id=task.conversation_id or DEFAULT_CONVERSATION,
        scope=task.scope,
        task_id=task.id,
        sources=[
            {
                "type": "chat",
                "role": "user",
                "chat_time": message.chat_time or format_chat_time(now_ms / 1000),
                "content": feedback,
            }
        ],
    )
    store.memories[memory.id] = memory
    task.memory_views = memory_views(1, 0, detail_factual=[memory.id])
