"""The async memory pipeline: rough pass at once, refined pass when due.

Mirrors MemOS's async mode. `write_turn` stores the raw messages and the rough
pass, one searchable `WorkingMemory` tagged `mode:fast`, and opens a task due
`refine_delay` seconds later on the fake's clock. Nothing runs in the
background: `_settle.settle` is called on every request (and inspection) and
finishes the tasks whose time has come, in due order, through `finish`.
Refining turns the turn into `UserMemory`/`LongTermMemory` facts and preferences
(`_extract`), fills the subjects' bound profile fields (`_profiles`), retires
the working memory when it produced anything, and completes the task with its
`memory_views`. Fault-marked tasks fail, or stay running forever, instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .._clock import format_chat_time
from .._messages._parse import Message, render_line
from .._messages._records import StoredMessage
from .._profiles._instances import fill_profiles
from .._store import Store
from .._tasks._records import TaskFate, TaskRecord
from ._extract import extract
from ._index import Indexable, Records, owners_of
from ._records import Scope, StoredMemory, StoredPreference

__all__ = ["REFINED_CONFIDENCE", "Turn", "finish", "memory_views", "snapshot", "write_turn"]

R = TypeVar("R", bound=Indexable)

WORKING_CONFIDENCE = 0.99
REFINED_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Turn:
    """A validated `add/message` request, ready to store."""

    scope: Scope
    conversation_id: str
    messages: tuple[Message, ...]
    tags: tuple[str, ...]
    views: frozenset[str]
    wait: bool
    """Sync mode: refine before answering (`async_mode: false` and no media)."""


def write_turn(store: Store, turn: Turn, fate: TaskFate = "normal") -> TaskRecord:
    """Store a turn's messages and rough pass, open its task, and refine it if `turn.wait`."""
    now_ms = store.now_ms()
    now = store.clock.now()
    task = TaskRecord(
        id=store.ids(),
        status="running",
        due=now if turn.wait else now + store.refine_delay,
        fate=fate,
        conversation_id=turn.conversation_id,
        scope=turn.scope,
        messages=turn.messages,
        tags=turn.tags,
        views=turn.views,
    )
    for message in turn.messages:
        store.add_message(
            StoredMessage(
                id=store.ids(),
                role=message.role,
                content=message.text,
                chat_time=message.chat_time,
                create_time=now_ms,
                conversation_id=turn.conversation_id,
                scope=turn.scope,
                task_id=task.id,
                raw=message.raw,
            )
        )
    working = _working_memory(store, turn, task.id, now_ms)
    store.memories[working.id] = working
    task.working_memory_id = working.id
    store.add_task(task)
    if turn.wait:
        finish(store, task)
    return task


def _working_memory(store: Store, turn: Turn, task_id: str, now_ms: int) -> StoredMemory:
    """The rough pass: the whole turn as one `WorkingMemory`, keyed by its first user line."""
    default_time = format_chat_time(now_ms / 1000)
    lines = [render_line(message, default_time) for message in turn.messages]
    first_user = next(
        (
            line
            for line, message in zip(lines, turn.messages, strict=True)
            if message.role == "user"
        ),
        lines[0],
    )
    return StoredMemory(
        id=store.ids(),
        memory_key=first_user,
        memory_value="".join(f"{line}\n" for line in lines),
        memory_type="WorkingMemory",
        tags=["mode:fast"],
        confidence=WORKING_CONFIDENCE,
        create_time=now_ms,
        update_time=now_ms,
        conversation_id=turn.conversation_id,
        scope=turn.scope,
        task_id=task_id,
    )


def finish(
    store: Store, task: TaskRecord, work: Callable[[Store, TaskRecord], None] | None = None
) -> None:
    """Finish a due task by its fate: do its `work` (refinement by default) and complete it."""
    if task.fate == "stuck":
        return
    if task.fate == "fail":
        task.status = "failed"
        return
    (work or _refine)(store, task)
    task.status = "completed"


def _refine(store: Store, task: TaskRecord) -> None:
    found = extract(task.messages, task.tags)
    now_ms = store.now_ms()
    added = updated = 0
    fact_ids: list[str] = []
    preference_ids: list[str] = []
    if "detail_factual" in task.views:
        for fact in found.facts:
            existing = _same_fact(store, task.scope, fact.memory_value)
            if existing is not None:
                existing.update_time = now_ms
                updated += 1
                fact_ids.append(existing.id)
                continue
            memory = StoredMemory(
                id=store.ids(),
                memory_key=fact.memory_key,
                memory_value=fact.memory_value,
                memory_type=fact.memory_type,
                tags=list(fact.tags),
                confidence=REFINED_CONFIDENCE,
                create_time=now_ms,
                update_time=now_ms,
                conversation_id=task.conversation_id,
                scope=task.scope,
                task_id=task.id,
            )
            store.memories[memory.id] = memory
            added += 1
            fact_ids.append(memory.id)
    if "preference" in task.views:
        for draft in found.preferences:
            same = _same_preference(store, task.scope, draft.preference)
            if same is not None:
                same.update_time = now_ms
                updated += 1
                preference_ids.append(same.id)
                continue
            preference = StoredPreference(
                id=store.ids(),
                preference=draft.preference,
                preference_type=draft.preference_type,
                reasoning=draft.reasoning,
                create_time=now_ms,
                update_time=now_ms,
                conversation_id=task.conversation_id,
                scope=task.scope,
                task_id=task.id,
            )
            store.preferences[preference.id] = preference
            added += 1
            preference_ids.append(preference.id)
    working = store.memories.get(task.working_memory_id or "")
    if (fact_ids or preference_ids) and working is not None:
        working.retired = True
    profile_ids = fill_profiles(store, task) if "profile" in task.views else []
    task.memory_views = memory_views(
        added,
        updated + len(profile_ids),
        detail_factual=fact_ids,
        preference=preference_ids,
        profile=profile_ids,
    )


def memory_views(added: int, updated: int, **touched: Sequence[str]) -> dict[str, Any]:
    """A completed task's `memory_views`: counts, then the ids touched per view."""
    views: dict[str, Any] = {"added": added, "updated": updated, "deleted": 0}
    for view, ids in touched.items():
        if ids:
            views[view] = {"memory_ids": list(ids)}
    return views


def _same_fact(store: Store, scope: Scope, value: str) -> StoredMemory | None:
    """An active refined memory with the same owners and text (dedup, as MemOS does)."""
    for memory in _same_owned(store.memories, scope):
        if (
            not memory.retired
            and memory.memory_type != "WorkingMemory"
            and memory.memory_value == value
            and _same_owners(memory.scope, scope)
        ):
            return memory
    return None


def _same_preference(store: Store, scope: Scope, text: str) -> StoredPreference | None:
    for preference in _same_owned(store.preferences, scope):
        if preference.preference == text and _same_owners(preference.scope, scope):
            return preference
    return None


def _same_owned(records: Records[R], scope: Scope) -> Iterable[R]:
    """The records that may have the same owners as `scope` (all of them if it has none)."""
    owners = owners_of(scope)
    return records.owned(*owners[0]) if owners else records.values()


def _same_owners(left: Scope, right: Scope) -> bool:
    return (set(left.user_ids), set(left.agent_ids)) == (set(right.user_ids), set(right.agent_ids))


def snapshot(task: TaskRecord) -> TaskRecord:
    """A copy of a task that callers may keep without seeing later changes."""
    views = None if task.memory_views is None else dict(task.memory_views)
    return replace(task, memory_views=views)
