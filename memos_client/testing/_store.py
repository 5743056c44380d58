"""The emulator's state: memories, preferences, raw messages, tasks, knowledge bases and
profiles, one project.

One container; the records live in their domains (`_memories._records`,
`_messages._records`, `_tasks._records`, `_knowledgebases._kb_records`,
`_profiles._profile_records`). The container does no locking and no HTTP;
`FakeMemOS` holds the lock and the endpoints decide what to store. Ids come from
a seeded generator, so two fakes built with the same seed hand out the same ids.

The container keeps indexes so that no request scans the whole store: memories
and preferences are `_index.Records` (by owner, public, knowledge base, and an
inverted index of their text), raw messages are indexed by task and by
conversation, and running tasks and files wait in a queue ordered by due time
(`schedule` / `due`), which `_settle` pops.
"""

from __future__ import annotations

import heapq
import itertools
import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from ._clock import Clock
from ._memories._index import Records
from ._memories._records import StoredMemory, StoredPreference
from ._messages._records import StoredMessage
from ._tasks._records import TaskRecord

if TYPE_CHECKING:
    from ._knowledgebases._kb_records import KnowledgeBase, KnowledgeBaseFile, StoredSkill
    from ._profiles._profile_records import ProfileInstance, ProfileTemplate, SubjectKind

__all__ = ["Ids", "Store"]


class Ids:
    """Deterministic UUID4-shaped ids from a seeded generator."""

    def __init__(self, seed: int | str) -> None:
        self._rng = random.Random(seed)

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


Scheduled = Union[TaskRecord, "KnowledgeBaseFile"]
"""What settles when due: a task or a knowledge-base file."""


@dataclass
class Store:
    """Everything the fake remembers, in insertion order."""

    clock: Clock
    refine_delay: float
    ids: Ids
    memories: Records[StoredMemory] = field(default_factory=Records)
    preferences: Records[StoredPreference] = field(default_factory=Records)
    messages: list[StoredMessage] = field(default_factory=list)
    """Every raw message, in arrival order; add with `add_message`."""
    tasks: dict[str, TaskRecord] = field(default_factory=dict)
    """Every task by id, in creation order; add with `add_task`."""
    knowledgebases: dict[str, KnowledgeBase] = field(default_factory=dict)
    files: dict[str, KnowledgeBaseFile] = field(default_factory=dict)
    skills: dict[str, StoredSkill] = field(default_factory=dict)
    templates: dict[str, ProfileTemplate] = field(default_factory=dict)
    profiles: dict[tuple[SubjectKind, str, str], ProfileInstance] = field(default_factory=dict)
    """Profile instances by `(kind, subject, template id)`."""
    urls: dict[str, bytes] = field(default_factory=dict)
    """What the offline fake "downloads" for a URL (`FakeMemOS.register_url`)."""

    _messages_by_task: dict[str, list[StoredMessage]] = field(default_factory=dict)
    _messages_by_conversation: dict[tuple[str, str], list[StoredMessage]] = field(
        default_factory=dict
    )
    _queue: list[tuple[float, int, int, int, Scheduled]] = field(default_factory=list)
    _ranks: dict[str, int] = field(default_factory=dict)
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def now_ms(self) -> int:
        """The wall clock in epoch milliseconds, as MemOS stamps records."""
        return int(round(self.clock.wall() * 1000))

    # -- raw messages -----------------------------------------------------------------------

    def add_message(self, message: StoredMessage) -> None:
        """Keep a raw message, indexed by its task and by each user's conversation."""
        self.messages.append(message)
        self._messages_by_task.setdefault(message.task_id, []).append(message)
        for user in dict.fromkeys(message.scope.user_ids):
            key = (user, message.conversation_id)
            self._messages_by_conversation.setdefault(key, []).append(message)

    def messages_of_task(self, task_id: str) -> list[StoredMessage]:
        """The raw messages a task (a turn) stored, in order."""
        return list(self._messages_by_task.get(task_id, ()))

    def conversation(self, user_id: str, conversation_id: str) -> list[StoredMessage]:
        """A user's raw messages in one conversation, in order."""
        return list(self._messages_by_conversation.get((user_id, conversation_id), ()))

    # -- what settles when due --------------------------------------------------------------

    def add_task(self, task: TaskRecord) -> None:
        """Keep a new task; a running one is scheduled for its due time."""
        self.tasks[task.id] = task
        self.schedule(task)

    def schedule(self, item: Scheduled) -> None:
        """Queue a running task or file for its (current) due time.

        Call again whenever an item's `due` changes; entries that no longer match
        their item are dropped when popped.
        """
        if item.status != "running":
            return
        rank = self._ranks.setdefault(item.id, next(self._counter))
        group = 0 if isinstance(item, TaskRecord) else 1
        heapq.heappush(self._queue, (item.due, group, rank, next(self._counter), item))

    def due(self, now: float) -> list[Scheduled]:
        """Pop the running items due by `now`: earliest first, tasks before files on
        ties, then in creation order (each item once, even if queued twice)."""
        found: dict[str, Scheduled] = {}
        queue = self._queue
        while queue and queue[0][0] <= now:
            due, _, _, _, item = heapq.heappop(queue)
            if item.status == "running" and item.due == due and self._holds(item):
                found.setdefault(item.id, item)
        return list(found.values())

    def _holds(self, item: Scheduled) -> bool:
        held = self.tasks if isinstance(item, TaskRecord) else self.files
        return held.get(item.id) is item
