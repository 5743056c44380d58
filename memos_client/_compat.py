"""Paired async/sync primitives, so `scripts/unasync.py` only ever renames.

`_async` code uses `asleep`, `agather` and `AsyncLoopGuard`; the generated `_sync`
code uses `sleep`, `gather` and `LoopGuard`. The async ones run on anyio, so
`AsyncMemOS` works under asyncio and trio alike (httpx does too). anyio and thread
pools are imported lazily so that nobody pays for what they do not use.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from contextvars import copy_context
from typing import Any, TypeAlias, TypeVar

__all__ = [
    "AsyncLoopGuard",
    "AsyncWorkers",
    "AsyncSleep",
    "LoopGuard",
    "Sleep",
    "Workers",
    "agather",
    "asleep",
    "gather",
    "sleep",
]

T = TypeVar("T")

AsyncSleep: TypeAlias = Callable[[float], Awaitable[None]]
Sleep: TypeAlias = Callable[[float], None]


async def asleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def agather(calls: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run the calls concurrently and return their results in order."""
    if len(calls) == 1:
        return [await calls[0]()]
    import anyio

    results: list[T] = []
    slots: dict[int, T] = {}

    async def run(index: int, call: Callable[[], Awaitable[T]]) -> None:
        slots[index] = await call()

    try:
        async with anyio.create_task_group() as group:
            for index, call in enumerate(calls):
                group.start_soon(run, index, call)
    except BaseException as error:
        raise unwrapped(error) from None
    results.extend(slots[index] for index in range(len(calls)))
    return results


def gather(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run the calls on worker threads (the sync client is thread-safe), results in order."""
    if len(calls) == 1:
        return [calls[0]()]
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="memos-poll")
    # Each call runs in a copy of the caller's context, as a task would: a trace's
    # current span, for one, goes on in the thread.
    contexts = [copy_context() for _ in calls]
    try:
        results = list(pool.map(lambda context, call: context.run(call), contexts, calls))
    except BaseException:
        # Ctrl-C (or any failure) returns at once; polls in flight finish on their own.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def unwrapped(error: BaseException) -> BaseException:
    """The one error a task group wrapped in a group, or the group itself."""
    inner = getattr(error, "exceptions", None)
    return inner[0] if inner is not None and len(inner) == 1 else error


class AsyncWorkers:
    """Runs calls concurrently and hands back each result as it finishes.

    The caller decides when to `start` one (it keeps its own limit); `next_done()`
    waits for any of them. Leaving the block with an error cancels what is running.
    Calls must not raise: they return their error as a value.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit

    async def __aenter__(self) -> AsyncWorkers:
        import anyio

        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._send, self._receive = anyio.create_memory_object_stream[Any](self._limit)
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if exc_info[0] is not None:
            self._group.cancel_scope.cancel()
        try:
            await self._group.__aexit__(*exc_info)
        except BaseException as error:
            raise unwrapped(error) from None  # the caller's own error, as the sync one raises
        finally:
            self._send.close()
            self._receive.close()

    def start(self, call: Callable[[], Awaitable[Any]]) -> None:
        self._group.start_soon(self._run, call)

    async def next_done(self) -> Any:
        return await self._receive.receive()

    async def _run(self, call: Callable[[], Awaitable[Any]]) -> None:
        await self._send.send(await call())


class Workers:
    """Runs calls on at most `limit` threads and hands back each result as it
    finishes (the sync client is thread-safe). Leaving the block with an error
    stops waiting at once; calls in flight finish on their own.

    Each finished call lands in a queue, so `next_done()` costs the same however many
    calls are in flight (`concurrent.futures.wait` would hook every pending future on
    each call, which made the batch's driver thread its bottleneck).
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit

    def __enter__(self) -> Workers:
        from concurrent.futures import Future, ThreadPoolExecutor
        from queue import SimpleQueue

        self._pool = ThreadPoolExecutor(max_workers=self._limit, thread_name_prefix="memos-batch")
        self._done: SimpleQueue[Future[Any]] = SimpleQueue()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._pool.shutdown(wait=exc_info[0] is None, cancel_futures=True)

    def start(self, call: Callable[[], Any]) -> None:
        # In a copy of the caller's context, as `gather` runs its calls.
        self._pool.submit(copy_context().run, call).add_done_callback(self._done.put)

    def next_done(self) -> Any:
        return self._done.get().result()


class AsyncLoopGuard:
    """Binds an async client to the first event loop it runs on, and says so when misused.

    httpx connections belong to one loop; reusing them from another fails later with
    an obscure "Event loop is closed". This fails at once with the reason. A loop is
    told apart by a marker kept in an anyio `RunVar`, which lives as long as its loop,
    on asyncio and trio alike.
    """

    def __init__(self) -> None:
        self._marker: object | None = None

    def check(self) -> None:
        marker = _loop_marker()
        if self._marker is None:
            self._marker = marker
        elif self._marker is not marker:
            from ._exceptions import UsageError

            raise UsageError(
                "this AsyncMemOS client was first used on another event loop; an async "
                "client belongs to one loop. Create one client per loop (per asyncio.run "
                "or trio.run), e.g. `async with AsyncMemOS() as client:` inside the coroutine."
            )


_LOOP_MARKER: Any = None


def _loop_marker() -> object:
    """An object unique to the running event loop."""
    global _LOOP_MARKER
    if _LOOP_MARKER is None:
        from anyio.lowlevel import RunVar

        _LOOP_MARKER = RunVar("memos_client_loop")
    marker = _LOOP_MARKER.get(None)
    if marker is None:
        marker = object()
        _LOOP_MARKER.set(marker)
    return marker


class LoopGuard:
    """Sync clients have no event loop to be bound to: they may be shared across threads."""

    def check(self) -> None:
        return None
