"""Paired async/sync primitives, so `scripts/unasync.py` only ever renames.

`_async` code uses `asleep`, `agather` and `AsyncLoopGuard`; the generated `_sync`
code uses `sleep`, `gather` and `LoopGuard`. asyncio and thread pools are imported
lazily so that nobody pays for what they do not use.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeAlias, TypeVar

__all__ = [
    "AsyncLoopGuard",
    "AsyncSleep",
    "LoopGuard",
    "Sleep",
    "agather",
    "asleep",
    "gather",
    "sleep",
]

T = TypeVar("T")

AsyncSleep: TypeAlias = Callable[[float], Awaitable[None]]
Sleep: TypeAlias = Callable[[float], None]


async def asleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def agather(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run the calls concurrently and return their results in order."""
    if len(calls) == 1:
        return [await calls[0]()]
    import asyncio

    return list(await asyncio.gather(*(call() for call in calls)))


def gather(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run the calls on worker threads (the sync client is thread-safe), results in order."""
    if len(calls) == 1:
        return [calls[0]()]
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="memos-poll")
    try:
        results = list(pool.map(lambda call: call(), calls))
    except BaseException:
        # Ctrl-C (or any failure) returns at once; polls in flight finish on their own.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


class AsyncLoopGuard:
    """Binds an async client to the first event loop it runs on, and says so when misused.

    httpx connections belong to one loop; reusing them from another fails later with
    an obscure "Event loop is closed". This fails at once with the reason.
    """

    def __init__(self) -> None:
        self._loop: weakref.ref[object] | None = None

    def check(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = weakref.ref(loop)
        elif self._loop() is not loop:
            from ._exceptions import UsageError

            raise UsageError(
                "this AsyncMemOS client was first used on another event loop; an async "
                "client belongs to one loop. Create one client per loop (per asyncio.run), "
                "e.g. `async with AsyncMemOS() as client:` inside the coroutine."
            )


class LoopGuard:
    """Sync clients have no event loop to be bound to: they may be shared across threads."""

    def check(self) -> None:
        return None
