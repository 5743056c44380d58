"""Poll one or many handles (tasks, knowledge-base files) to a final state under one deadline.

Used by `wait()` on a handle and by `AsyncMemOS.wait_all()` (many, with at most
`concurrency` polls in flight). Each handle follows the poll schedule of
`_core._polling`; transient poll errors are ridden out until the deadline, fatal ones
settle the handle at once. The last poll happens at the deadline, never after a sleep
past it. Status callbacks run in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from .._compat import agather
from .._core._polling import PollPolicy, deadline_for, is_terminal, remaining
from .._exceptions import MemOSError, TaskError, TaskTimeoutError

if TYPE_CHECKING:
    from ._base import AsyncAPIClient

__all__ = ["POLL_POLICY", "AsyncPollable", "wait_handles"]

POLL_POLICY = PollPolicy()


class Reading(Protocol):
    """A status reading: a `TaskStatus` or a `KnowledgeBaseFile`."""

    @property
    def status(self) -> str | None: ...


S = TypeVar("S", bound=Reading)


class AsyncPollable(Protocol[S]):
    """What the poller needs from a handle."""

    @property
    def done(self) -> bool: ...

    @property
    def trackable(self) -> bool: ...

    def _settled(self) -> S: ...

    def _observe(self, reading: S) -> bool: ...

    async def _poll(self, left: float | None) -> tuple[S, float | None]: ...

    def _timeout_error(self, waited: float, last_error: MemOSError | None) -> TaskTimeoutError: ...


@dataclass
class _Watch(Generic[S]):
    handle: AsyncPollable[S]
    next_at: float
    polls: int = 0
    outcome: S | MemOSError | None = None
    last_error: MemOSError | None = None


async def wait_handles(
    client: AsyncAPIClient,
    handles: Sequence[AsyncPollable[S]],
    *,
    timeout: float | None,
    concurrency: int = 1,
    on_update: Callable[[S], object] | None = None,
) -> list[S | MemOSError]:
    """Poll `handles` until each is final or the deadline passes; outcomes in input order."""
    started = client._clock()
    deadline = deadline_for(timeout, started)
    watches = [_Watch(handle, next_at=started) for handle in handles]
    for watch in watches:
        if watch.handle.done or not watch.handle.trackable:
            watch.outcome = _settled(watch.handle)
    pending = [watch for watch in watches if watch.outcome is None]
    while pending:
        now = client._clock()
        due = sorted((w for w in pending if w.next_at <= now), key=lambda w: w.next_at)
        if not due:
            await client._sleep(min(w.next_at for w in pending) - now)
            continue
        batch = due[:concurrency]
        left = remaining(deadline, now)
        results = await agather([partial(_poll, watch.handle, left) for watch in batch])
        now = client._clock()
        for watch, result in zip(batch, results, strict=True):
            _apply(client, watch, result, now, deadline, started, on_update)
        pending = [watch for watch in pending if watch.outcome is None]
    return [watch.outcome for watch in watches if watch.outcome is not None]


async def _poll(
    handle: AsyncPollable[S], left: float | None
) -> tuple[S | MemOSError, float | None]:
    try:
        return await handle._poll(left)
    except MemOSError as error:
        return error, getattr(error, "retry_after", None)


def _apply(
    client: AsyncAPIClient,
    watch: _Watch[S],
    result: tuple[S | MemOSError, float | None],
    now: float,
    deadline: float | None,
    started: float,
    on_update: Callable[[S], object] | None,
) -> None:
    reading, hint = result
    handle = watch.handle
    if isinstance(reading, MemOSError):
        if not client._retry_policy.is_transient(reading):
            watch.outcome = reading
            return
        watch.last_error = reading
    else:
        watch.last_error = None
        if handle._observe(reading) and on_update is not None:
            on_update(reading)
        if is_terminal(reading.status):
            watch.outcome = _settled(handle)
            return
    if deadline is not None and now >= deadline:
        watch.outcome = handle._timeout_error(now - started, watch.last_error)
        return
    watch.polls += 1
    delay = POLL_POLICY.delay(watch.polls, client._random(), hint)
    watch.next_at = now + delay if deadline is None else min(now + delay, deadline)


def _settled(handle: AsyncPollable[S]) -> S | MemOSError:
    try:
        return handle._settled()
    except TaskError as error:
        return error
