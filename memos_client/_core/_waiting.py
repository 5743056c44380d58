"""The wait loop's decisions, without I/O: when to poll each handle, and what each
answer means (final, transient, fatal, past the deadline).

`WaitPlan` is driven by `wait()` and `wait_all()` on both clients: they ask it which
handles are due, poll those, and hand each result back. Due handles come off a heap
ordered by next poll time, so a plan over n handles costs O(log n) per poll, not a
scan of every pending handle. The handles themselves decide what a reading means for
them (`_observe`, `_settled`, `_timeout_error`), which is also I/O-free.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from .._exceptions import MemOSError, TaskError, TaskTimeoutError
from ._polling import PollPolicy, deadline_for, is_terminal, remaining

__all__ = ["POLL_POLICY", "Watchable", "Reading", "WaitPlan", "Watch"]

POLL_POLICY = PollPolicy()


class Reading(Protocol):
    """A status reading: a `TaskStatus` or a `KnowledgeBaseFile`."""

    @property
    def status(self) -> str | None: ...


S = TypeVar("S", bound=Reading)


class Watchable(Protocol[S]):
    """What the plan needs from a handle (its I/O, `_poll`, stays with the client)."""

    @property
    def done(self) -> bool: ...

    @property
    def trackable(self) -> bool: ...

    def _settled(self) -> S: ...

    def _observe(self, reading: S) -> bool: ...

    def _timeout_error(self, waited: float, last_error: MemOSError | None) -> TaskTimeoutError: ...


@dataclass
class Watch(Generic[S]):
    """One handle's place in the plan."""

    index: int
    handle: Any
    next_at: float
    polls: int = 0
    outcome: S | MemOSError | None = None
    last_error: MemOSError | None = None


@dataclass
class WaitPlan(Generic[S]):
    """Poll `handles` until each is final or the deadline passes (see the module doc)."""

    handles: Sequence[Any]
    started: float
    timeout: float | None
    is_transient: Callable[[BaseException], bool]
    random: Callable[[], float]
    on_update: Callable[[S], object] | None = None
    policy: PollPolicy = POLL_POLICY
    watches: list[Watch[S]] = field(init=False)
    deadline: float | None = field(init=False)
    _queue: list[tuple[float, int]] = field(init=False)
    _pending: int = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = deadline_for(self.timeout, self.started)
        self.watches = [Watch(i, h, self.started) for i, h in enumerate(self.handles)]
        self._queue = []
        for watch in self.watches:
            if watch.handle.done or not watch.handle.trackable:
                watch.outcome = _settled(watch.handle)
            else:
                self._queue.append((watch.next_at, watch.index))
        heapq.heapify(self._queue)
        self._pending = len(self._queue)

    @property
    def finished(self) -> bool:
        return self._pending == 0

    def wake_at(self) -> float:
        """When the next handle is due (only while not finished)."""
        return self._queue[0][0]

    def due(self, now: float, limit: int) -> list[Watch[S]]:
        """Up to `limit` handles due at `now`, earliest first, taken off the queue."""
        batch: list[Watch[S]] = []
        while self._queue and self._queue[0][0] <= now and len(batch) < limit:
            batch.append(self.watches[heapq.heappop(self._queue)[1]])
        return batch

    def left(self, now: float) -> float | None:
        """Seconds before the deadline, for the HTTP timeout of a poll."""
        return remaining(self.deadline, now)

    def record(
        self, watch: Watch[S], result: S | MemOSError, hint: float | None, now: float
    ) -> None:
        """What a poll answered: settle the handle, or schedule its next poll."""
        handle = watch.handle
        if isinstance(result, MemOSError):
            if not self.is_transient(result):
                return self._settle(watch, result)
            watch.last_error = result
        else:
            watch.last_error = None
            if handle._observe(result) and self.on_update is not None:
                self.on_update(result)
            if is_terminal(result.status):
                return self._settle(watch, _settled(handle))
        if self.deadline is not None and now >= self.deadline:
            return self._settle(watch, handle._timeout_error(now - self.started, watch.last_error))
        watch.polls += 1
        delay = self.policy.delay(watch.polls, self.random(), hint)
        watch.next_at = now + delay if self.deadline is None else min(now + delay, self.deadline)
        heapq.heappush(self._queue, (watch.next_at, watch.index))

    def outcomes(self) -> list[S | MemOSError]:
        """Each handle's final reading or error, in input order."""
        return [watch.outcome for watch in self.watches if watch.outcome is not None]

    def _settle(self, watch: Watch[S], outcome: S | MemOSError) -> None:
        watch.outcome = outcome
        self._pending -= 1


def _settled(handle: Watchable[S]) -> S | MemOSError:
    try:
        return handle._settled()
    except TaskError as error:
        return error
