"""Poll one or many tasks to a final state under one deadline.

Used by `AsyncTask.wait()` (one task) and `AsyncMemOS.wait_all()` (many, with at most
`concurrency` polls in flight). Each task follows the poll schedule of
`_core._polling`; transient poll errors are ridden out until the deadline, fatal ones
settle the task at once. The last poll happens at the deadline, never after a sleep
past it. Status callbacks run in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Union

from .._compat import agather
from .._core._polling import COMPLETED, FAILED, PollPolicy, deadline_for, remaining
from .._exceptions import MemOSError, TaskError, TaskTimeoutError

if TYPE_CHECKING:
    from ..types import TaskStatus
    from ._client import AsyncMemOS
    from ._task import AsyncTask

__all__ = ["POLL_POLICY", "Outcome", "wait_tasks"]

POLL_POLICY = PollPolicy()
Outcome = Union["TaskStatus", MemOSError]
PollResult = tuple[Union["TaskStatus", MemOSError], float | None]


@dataclass
class _Watch:
    task: AsyncTask
    next_at: float
    polls: int = 0
    outcome: Outcome | None = None


async def wait_tasks(
    client: AsyncMemOS,
    tasks: Sequence[AsyncTask],
    *,
    timeout: float | None,
    concurrency: int = 1,
    on_update: Callable[[TaskStatus], object] | None = None,
) -> list[Outcome]:
    """Poll `tasks` until each is final or the deadline passes; outcomes in input order."""
    started = client._clock()
    deadline = deadline_for(timeout, started)
    watches = [_Watch(task, next_at=started) for task in tasks]
    for watch in watches:
        if watch.task.done or not watch.task.trackable:
            watch.outcome = _settled(watch.task)
    pending = [watch for watch in watches if watch.outcome is None]
    while pending:
        now = client._clock()
        due = sorted((w for w in pending if w.next_at <= now), key=lambda w: w.next_at)
        if not due:
            await client._sleep(min(w.next_at for w in pending) - now)
            continue
        batch = due[:concurrency]
        left = remaining(deadline, now)
        results = await agather([partial(_poll, watch.task, left) for watch in batch])
        now = client._clock()
        for watch, result in zip(batch, results, strict=True):
            _apply(client, watch, result, now, deadline, started, on_update)
        pending = [watch for watch in pending if watch.outcome is None]
    return [watch.outcome for watch in watches if watch.outcome is not None]


async def _poll(task: AsyncTask, left: float | None) -> PollResult:
    client = task._bound()
    try:
        return await client._poll_status(task._require_id(), left)
    except MemOSError as error:
        return error, getattr(error, "retry_after", None)


def _apply(
    client: AsyncMemOS,
    watch: _Watch,
    result: PollResult,
    now: float,
    deadline: float | None,
    started: float,
    on_update: Callable[[TaskStatus], object] | None,
) -> None:
    reading, hint = result
    task = watch.task
    if isinstance(reading, MemOSError):
        if not client._retry_policy.is_transient(reading):
            watch.outcome = reading
            return
    else:
        if task._observe(reading) and on_update is not None:
            on_update(reading)
        if reading.status in (COMPLETED, FAILED):
            watch.outcome = _settled(task)
            return
    if deadline is not None and now >= deadline:
        watch.outcome = TaskTimeoutError(
            f"task {task.id!r} is still {task.status or 'unconfirmed'!s} after "
            f"{now - started:.1f} s; it was not cancelled on the server: keep waiting with "
            f"client.task({task.id!r}).wait()",
            task_id=task.id,
            last_status=task.last_status,
            waited=now - started,
        )
        return
    watch.polls += 1
    delay = POLL_POLICY.delay(watch.polls, client._random(), hint)
    watch.next_at = now + delay if deadline is None else min(now + delay, deadline)


def _settled(task: AsyncTask) -> Outcome:
    try:
        return task._settled()
    except TaskError as error:
        return error
