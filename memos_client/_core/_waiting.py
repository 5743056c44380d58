"""The wait loop's decisions, without I/O: when to poll each handle, and what each
answer means (final, transient, fatal, past the deadline).

`WaitPlan` is driven by `wait()` and `wait_all()` on both clients: they ask it which
handles are due, poll those, and hand each result back. Due handles come off a heap
ordered by next poll time (`PollQueue`), so a plan over n handles costs O(log n) per
poll, not a scan of every pending handle. Its state is flat arrays, about 40 bytes a
handle, so waiting on 100,000 handles stays under 100 MB with the handles and their
results. The handles themselves decide what a reading
means for them (`_observe`, `_settled`, `_timeout_error`), which is also I/O-free.

When to poll comes from `_polling`: the default schedule, or one learned from the
tasks the client has seen finish (`learned`, kept on the client), and a cap on polls
per second across the whole wait (`poll_rate`). The deadline rules over both: every
handle still pending at the deadline gets one last check there, except that under a
rate cap only as many as the cap allows, plus one, are polled; the rest time out.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from .._exceptions import MemOSError, TaskError, TaskTimeoutError
from ._polling import (
    PollPolicy,
    RefineEstimator,
    deadline_for,
    is_terminal,
    poll_rate_for,
    remaining,
)

__all__ = ["POLL_POLICY", "Learned", "PollQueue", "Reading", "WaitPlan", "Watchable"]

POLL_POLICY = PollPolicy()

Learned = MutableMapping[str, RefineEstimator]
"""What a client has learned about how long work takes, per kind of handle (its noun)."""


class Reading(Protocol):
    """A status reading: a `TaskStatus` or a `KnowledgeBaseFile`."""

    @property
    def status(self) -> str | None: ...


S = TypeVar("S", bound=Reading)


class Watchable(Protocol[S]):
    """What the plan needs from a handle (its I/O, `_poll`, stays with the client)."""

    noun: ClassVar[str]
    """The kind of handle ("task", "file"): each kind's timings are learned apart."""

    @property
    def _born(self) -> float | None:
        """When this process saw the work start (client clock), if it did."""
        ...

    @property
    def id(self) -> str | None: ...

    @property
    def status(self) -> str | None:
        """The last status seen (None before any)."""
        ...

    @property
    def done(self) -> bool: ...

    @property
    def trackable(self) -> bool: ...

    def _settled(self) -> S: ...

    def _observe(self, reading: S) -> bool: ...

    def _timeout_error(self, waited: float, last_error: MemOSError | None) -> TaskTimeoutError: ...


class PollQueue:
    """A binary min-heap of (time, index) pairs, ordered by time then index, in two
    flat arrays: 16 bytes an entry where `heapq`'s tuples cost over 100, which
    matters at 100,000 handles. Push and pop are O(log n)."""

    def __init__(self) -> None:
        self._at = array("d")
        self._index = array("q")

    def __len__(self) -> int:
        return len(self._at)

    def first(self) -> float:
        """The earliest time queued (the queue must not be empty)."""
        return self._at[0]

    def push(self, at: float, index: int) -> None:
        times, indexes = self._at, self._index
        times.append(at)
        indexes.append(index)
        self._sift_up(len(times) - 1, at, index)

    def pop(self) -> int:
        """The index queued with the earliest time, taken off the queue."""
        times, indexes = self._at, self._index
        first = indexes[0]
        at, index = times.pop(), indexes.pop()
        size = len(times)
        if size:
            # heapq's way: move the hole at the root down to a leaf along the earlier
            # children, then sift the last entry up from there (fewer comparisons).
            hole = 0
            child = 1
            while child < size:
                right = child + 1
                if right < size and _before(
                    times[right], indexes[right], times[child], indexes[child]
                ):
                    child = right
                times[hole], indexes[hole] = times[child], indexes[child]
                hole = child
                child = 2 * hole + 1
            self._sift_up(hole, at, index)
        return first

    def _sift_up(self, hole: int, at: float, index: int) -> None:
        times, indexes = self._at, self._index
        while hole > 0:
            parent = (hole - 1) >> 1
            if not _before(at, index, times[parent], indexes[parent]):
                break
            times[hole], indexes[hole] = times[parent], indexes[parent]
            hole = parent
        times[hole], indexes[hole] = at, index


def _before(at: float, index: int, other_at: float, other_index: int) -> bool:
    return at < other_at or (at == other_at and index < other_index)


class WaitPlan(Generic[S]):
    """Poll `handles` until each is final or the deadline passes (see the module doc).

    Handles are named by their index in `handles`. `learned` is the client's record
    of how long work takes (None: neither use nor add to one). `poll_rate` caps the
    polls started per second (None: no cap).
    """

    def __init__(
        self,
        handles: Sequence[Any],
        *,
        started: float,
        timeout: float | None,
        is_transient: Callable[[BaseException], bool],
        random: Callable[[], float],
        on_update: Callable[[S], object] | None = None,
        policy: PollPolicy = POLL_POLICY,
        learned: Learned | None = None,
        poll_rate: float | None = None,
    ) -> None:
        self.handles = handles
        self.started = started
        self.deadline = deadline_for(timeout, started)
        self.is_transient = is_transient
        self.random = random
        self.on_update = on_update
        self.policy = policy
        self.learned = learned
        self.rate = poll_rate_for(poll_rate)
        self._over_cap = False  # the one poll the deadline may add past the rate cap
        self._outcomes: list[S | MemOSError | None] = [None] * len(handles)
        self._errors: dict[int, MemOSError] = {}  # the last poll's error, while transient
        # For learning: when each handle was last seen running, and seen final.
        self._running_at = array("d", [math.nan]) * len(handles)
        self._final_at = array("d", [math.nan]) * len(handles)
        self._queue = PollQueue()
        for index, handle in enumerate(handles):
            if handle.done or not handle.trackable:
                self._outcomes[index] = _settled(handle)
            else:
                self._queue.push(self._first_poll(handle), index)
        self._pending = len(self._queue)

    @property
    def finished(self) -> bool:
        return self._pending == 0

    @property
    def settled(self) -> int:
        """How many handles have their outcome (final, failed or given up on)."""
        return len(self.handles) - self._pending

    def wake_at(self) -> float:
        """When a poll may next be due (only while not finished): the earliest handle's
        time, later if the rate cap says so, but never past the deadline."""
        at = self._queue.first()
        if self.rate is not None:
            at = max(at, self.rate.next_start())
            if self.deadline is not None:
                at = min(at, self.deadline)
        return at

    def due(self, now: float, limit: int) -> list[int]:
        """Up to `limit` handles to poll at `now`, earliest first, taken off the queue.

        Under a rate cap, only as many as it allows. At the deadline the cap may be
        exceeded by one poll; the other handles still due then time out unpolled.
        """
        batch: list[int] = []
        queue = self._queue
        while queue and queue.first() <= now and len(batch) < limit:
            if not self._may_poll(now):
                if self.deadline is None or now < self.deadline:
                    break
                self._time_out(queue.pop(), now)
                continue
            batch.append(queue.pop())
        return batch

    def left(self, now: float) -> float | None:
        """Seconds before the deadline, for the HTTP timeout of a poll."""
        return remaining(self.deadline, now)

    def record(self, index: int, result: S | MemOSError, hint: float | None, now: float) -> None:
        """What a poll of `handles[index]` answered: settle it, or schedule its next poll."""
        handle = self.handles[index]
        if isinstance(result, MemOSError):
            if not self.is_transient(result):
                return self._settle(index, result)
            self._errors[index] = result
        else:
            self._errors.pop(index, None)
            if handle._observe(result) and self.on_update is not None:
                self.on_update(result)
            if is_terminal(result.status):
                self._final_at[index] = now
                return self._settle(index, _settled(handle))
            self._running_at[index] = now
        if self.deadline is not None and now >= self.deadline:
            return self._time_out(index, now)
        self._queue.push(self._next_poll(handle, hint, now), index)

    def outcomes(self) -> list[S | MemOSError]:
        """Each handle's final reading or error, in input order (once finished)."""
        return cast("list[S | MemOSError]", self._outcomes)

    def _may_poll(self, now: float) -> bool:
        """Whether the rate cap lets a poll start at `now` (and count it if so)."""
        if self.rate is None:
            return True
        if self.rate.next_start() <= now:
            self.rate.take(now)
            return True
        if self.deadline is not None and now >= self.deadline and not self._over_cap:
            self._over_cap = True
            return True
        return False

    def _schedule(self, handle: Any) -> tuple[float, ...] | None:
        """The learned poll ages for `handle`'s kind; None without a known start or data."""
        if self.learned is None or handle._born is None:
            return None
        estimator = self.learned.get(handle.noun)
        return None if estimator is None else estimator.schedule()

    def _first_poll(self, handle: Any) -> float:
        """At once, unless a learned schedule says the work is not likely done yet."""
        schedule = self._schedule(handle)
        if schedule is not None:
            age = self.started - handle._born
            delay = self.policy.learned_delay(schedule, age, self.random())
            if delay is not None:
                return self._capped(self.started + delay)
        return self.started

    def _next_poll(self, handle: Any, hint: float | None, now: float) -> float:
        delay = None
        if hint is None:
            schedule = self._schedule(handle)
            if schedule is not None:
                delay = self.policy.learned_delay(schedule, now - handle._born, self.random())
        if delay is None:  # a hint, no data, or past what was learned
            delay = self.policy.delay(now - self.started, self.random(), hint)
        return self._capped(now + delay)

    def _capped(self, at: float) -> float:
        """A poll is never scheduled past the deadline."""
        return at if self.deadline is None else min(at, self.deadline)

    def _learn(self) -> None:
        """Tell the client how long the work took, once the whole wait is over.

        Only then: mid-wait, the tasks seen finish are the quick ones, and learning from
        them alone would bias the estimate low. Each handle whose start this process saw
        was running then (or at its last non-final reading) and final when seen so; one
        that timed out was still running at its last reading. In input order, so the
        client keeps an unbiased sample when it keeps only the latest.
        """
        if self.learned is None:
            return
        for index, handle in enumerate(self.handles):
            born = handle._born
            if born is None:
                continue
            running_at, final_at = self._running_at[index], self._final_at[index]
            low = 0.0 if math.isnan(running_at) else running_at - born
            if not math.isnan(final_at):
                high = final_at - born
            elif low > 0 and isinstance(self._outcomes[index], TaskTimeoutError):
                high = math.inf
            else:  # settled without a poll, by a fatal error, or nothing seen
                continue
            estimator = self.learned.get(handle.noun)
            if estimator is None:
                estimator = self.learned.setdefault(handle.noun, RefineEstimator())
            estimator.observe(low, high)

    def _time_out(self, index: int, now: float) -> None:
        error = self.handles[index]._timeout_error(
            now - self.started, self._errors.pop(index, None)
        )
        self._settle(index, error)

    def _settle(self, index: int, outcome: S | MemOSError) -> None:
        self._outcomes[index] = outcome
        self._errors.pop(index, None)
        self._pending -= 1
        if self._pending == 0:
            self._learn()


def _settled(handle: Watchable[S]) -> S | MemOSError:
    try:
        return handle._settled()
    except TaskError as error:
        return error
