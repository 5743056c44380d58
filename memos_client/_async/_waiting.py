"""Poll one or many handles (tasks, knowledge-base files) to a final state under one deadline.

Used by `wait()` on a handle and by `AsyncMemOS.wait_all()` (many, with at most
`concurrency` polls in flight and, with `poll_rate`, a cap on polls per second). This
is only the I/O: which handle to poll when, and what each answer means, is decided by
`_core._waiting.WaitPlan`. The last poll happens at the deadline, never after a sleep
past it. Status callbacks run in the caller's thread.

What the client learns about how long work takes (`learned`) is kept on the client
object, created on its first wait: the client is built in `_base`, which knows
nothing of waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from .._compat import agather
from .._core._waiting import Learned, Reading, WaitPlan, Watchable
from .._exceptions import MemOSError
from .._progress import WaitProgress
from .._tracing import wait_span

if TYPE_CHECKING:
    from ._base import AsyncAPIClient

__all__ = ["AsyncPollable", "Reading", "learned", "wait_handles"]

S = TypeVar("S", bound=Reading)


class AsyncPollable(Watchable[S], Protocol[S]):
    """A handle the client can poll."""

    async def _poll(self, left: float | None) -> tuple[S, float | None]: ...


def learned(client: AsyncAPIClient) -> Learned:
    """How long work has taken for this client, per kind of handle (set on first use)."""
    found: Learned = vars(client).setdefault("_refine_estimates", {})
    return found


async def wait_handles(
    client: AsyncAPIClient,
    handles: Sequence[AsyncPollable[S]],
    *,
    timeout: float | None,
    concurrency: int = 1,
    on_update: Callable[[S], object] | None = None,
    poll_rate: float | None = None,
    progress: bool = False,
) -> list[S | MemOSError]:
    """Poll `handles` until each is final or the deadline passes; outcomes in input order.
    With `progress`, show how it goes (a tqdm bar, or lines on stderr)."""
    with wait_span(client, handles, timeout, concurrency) as span:
        plan: WaitPlan[S] = WaitPlan(
            handles,
            started=client._clock(),
            timeout=timeout,
            is_transient=client._retry_policy.is_transient,
            random=client._random,
            on_update=on_update,
            learned=learned(client),
            poll_rate=poll_rate,
        )
        shown = (
            WaitProgress(handles, started=plan.started, clock=client._clock) if progress else None
        )
        while not plan.finished:
            now = client._clock()
            batch = plan.due(now, concurrency)
            if batch:
                left = plan.left(now)
                results = await agather([partial(_poll, handles[index], left) for index in batch])
                now = client._clock()
                for index, (result, hint) in zip(batch, results, strict=True):
                    plan.record(index, result, hint, now)
                if shown is not None:
                    shown.polled(batch, plan.settled)
            elif not plan.finished:  # the last ones may have timed out unpolled
                await client._sleep(plan.wake_at() - now)
        outcomes = plan.outcomes()
        if shown is not None:
            shown.close(outcomes)
        span.finished(outcomes)
    return outcomes


async def _poll(
    handle: AsyncPollable[S], left: float | None
) -> tuple[S | MemOSError, float | None]:
    try:
        return await handle._poll(left)
    except MemOSError as error:
        return error, getattr(error, "retry_after", None)
