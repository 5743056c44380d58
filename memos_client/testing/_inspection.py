"""What tests read back from a `FakeMemOS`: the request log, counters and stored state.

A mixin of `FakeMemOS`, so the fake itself stays about requests. Every reader
settles due work first (as a request would) and hands out copies, so a test
can keep what it read without seeing later changes.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter, deque
from dataclasses import replace
from typing import TypeVar

from ._http._log import RecordedRequest, Stats
from ._knowledgebases._kb_records import KnowledgeBase, KnowledgeBaseFile, StoredSkill
from ._memories._pipeline import snapshot
from ._memories._records import StoredMemory, StoredPreference
from ._messages._records import StoredMessage
from ._profiles._profile_records import ProfileInstance, ProfileTemplate
from ._store import Store
from ._tasks._records import TaskRecord
from ._tasks._settle import settle

__all__ = ["Inspection"]

T = TypeVar("T")


def _belongs(owners: tuple[str, ...], wanted: str | None) -> bool:
    return wanted is None or wanted in owners


def _copies(values: list[T]) -> list[T]:
    return [copy.deepcopy(value) for value in values]


class Inspection:
    """Read-only views of a fake's state (mixed into `FakeMemOS`)."""

    _lock: threading.RLock
    _store: Store
    _log: deque[RecordedRequest]
    _received: Counter[str]
    _answered: Counter[str]

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests seen, oldest first (API keys redacted).

        Only the most recent `request_log_size` are kept (10,000 by default);
        count with `stats`, which is exact whatever the log has dropped.
        """
        with self._lock:
            return list(self._log)

    @property
    def stats(self) -> Stats:
        """Counters of requests and of what is stored (a snapshot)."""
        with self._lock:
            settle(self._store)
            store = self._store
            return Stats(
                received=Counter(self._received),
                answered=Counter(self._answered),
                messages_stored=len(store.messages),
                memories_stored=sum(1 for m in store.memories.values() if not m.retired),
                preferences_stored=len(store.preferences),
                tasks_created=len(store.tasks),
                knowledgebases=len(store.knowledgebases),
                files_stored=len(store.files),
                skills_stored=len(store.skills),
                profile_templates=len(store.templates),
                profile_instances=len(store.profiles),
            )

    def settle(self) -> None:
        """Finish the tasks and files that are due now (requests and inspection do this anyway)."""
        with self._lock:
            settle(self._store)

    def memories(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        include_retired: bool = False,
    ) -> list[StoredMemory]:
        """Copies of the fact memories held, optionally only one subject's, oldest first.

        Knowledge-base chunks are included (they have no owner, so a `user_id`
        or `agent_id` leaves them out); see `files()` for which file made them.
        """
        with self._lock:
            settle(self._store)
            return [
                replace(memory, tags=list(memory.tags))
                for memory in self._store.memories.values()
                if (include_retired or not memory.retired)
                and _belongs(memory.scope.user_ids, user_id)
                and _belongs(memory.scope.agent_ids, agent_id)
            ]

    def preferences(
        self, *, user_id: str | None = None, agent_id: str | None = None
    ) -> list[StoredPreference]:
        """Copies of the preference memories held, optionally only one subject's."""
        with self._lock:
            settle(self._store)
            return [
                replace(preference)
                for preference in self._store.preferences.values()
                if _belongs(preference.scope.user_ids, user_id)
                and _belongs(preference.scope.agent_ids, agent_id)
            ]

    def messages(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        conversation_id: str | None = None,
    ) -> list[StoredMessage]:
        """The raw messages held, optionally one subject's and one conversation's."""
        with self._lock:
            return [
                message
                for message in self._store.messages
                if _belongs(message.scope.user_ids, user_id)
                and _belongs(message.scope.agent_ids, agent_id)
                and (conversation_id is None or message.conversation_id == conversation_id)
            ]

    @property
    def tasks(self) -> dict[str, TaskRecord]:
        """Copies of every task by id, in creation order, after settling due ones."""
        with self._lock:
            settle(self._store)
            return {task_id: snapshot(task) for task_id, task in self._store.tasks.items()}

    @property
    def knowledgebases(self) -> dict[str, KnowledgeBase]:
        """Copies of the knowledge bases by id, in creation order."""
        with self._lock:
            return {kb_id: replace(kb) for kb_id, kb in self._store.knowledgebases.items()}

    def files(self, *, knowledgebase_id: str | None = None) -> list[KnowledgeBaseFile]:
        """Copies of the knowledge-base files (optionally one knowledge base's), after settling."""
        with self._lock:
            settle(self._store)
            return _copies(
                [
                    file
                    for file in self._store.files.values()
                    if knowledgebase_id is None or file.knowledgebase_id == knowledgebase_id
                ]
            )

    def skills(self, *, knowledgebase_id: str | None = None) -> list[StoredSkill]:
        """Copies of the uploaded skills (optionally one knowledge base's), after settling."""
        with self._lock:
            settle(self._store)
            return _copies(
                [
                    skill
                    for skill in self._store.skills.values()
                    if knowledgebase_id is None or skill.knowledgebase_id == knowledgebase_id
                ]
            )

    @property
    def profile_templates(self) -> dict[str, ProfileTemplate]:
        """Copies of the profile templates by id, in creation order."""
        with self._lock:
            return {key: copy.deepcopy(value) for key, value in self._store.templates.items()}

    def profiles(
        self, *, user_id: str | None = None, agent_id: str | None = None
    ) -> list[ProfileInstance]:
        """Copies of the profile instances, optionally one user's or one agent's, after settling."""
        with self._lock:
            settle(self._store)
            return _copies(
                [
                    instance
                    for instance in self._store.profiles.values()
                    if (user_id is None or (instance.kind, instance.subject) == ("user", user_id))
                    and (
                        agent_id is None or (instance.kind, instance.subject) == ("agent", agent_id)
                    )
                ]
            )
