"""Poll one or many handles (tasks, knowledge-base files) to a final state under one deadline.

Used by `wait()` on a handle and by `AsyncMemOS.wait_all()` (many, with at most
`concurrency` polls in flight). This is only the I/O: which handle to poll when, and
what each answer means, is decided by `_core._waiting.WaitPlan`. The last poll
happens at the deadline, never after a sleep past it. Status callbacks run in the
caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from .._compat import agather
from .._core._waiting import Reading, WaitPlan, Watchable
from .._exceptions import MemOSError

if TYPE_CHECKING:
    from ._base import AsyncAPIClient

__all__ = ["AsyncPollable", "Reading", "wait_handles"]

S = TypeVar("S", bound=Reading)


class AsyncPollable(Watchable[S], Protocol[S]):
    """A handle the client can poll."""

    async def _poll(self, left: float | None) -> tuple[S, float | None]: ...


async def wait_handles(
    client: AsyncAPIClient,
    handles: Sequence[AsyncPollable[S]],
    *,
    timeout: float | None,
    concurrency: int = 1,
    on_update: Callable[[S], object] | None = None,
) -> list[S | MemOSError]:
    """Poll `handles` until each is final or the deadline passes; outcomes in input order."""
    plan: WaitPlan[S] = WaitPlan(
        handles,
        started=client._clock(),
        timeout=timeout,
        is_transient=client._retry_policy.is_transient,
        random=client._random,
        on_update=on_update,
    )
    while not plan.finished:
        now = client._clock()
        batch = plan.due(now, concurrency)
        if not batch:
            await client._sleep(plan.wake_at() - now)
            continue
        left = plan.left(now)
        results = await agather([partial(_poll, watch.handle, left) for watch in batch])
        now = client._clock()
        for watch, (result, hint) in zip(batch, results, strict=True):
            plan.record(watch, result, hint, now)
    return plan.outcomes()


async def _poll(
    handle: AsyncPollable[S], left: float | None
) -> tuple[S | MemOSError, float | None]:
    try:
        return await handle._poll(left)
    except MemOSError as error:
        return error, getattr(error, "retry_after", None)
