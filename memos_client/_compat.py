"""Paired async/sync primitives, so `scripts/unasync.py` only ever renames.

`_async` code uses `asleep`, `agather` and `AsyncLoopGuard`; the generated `_sync`
code uses `sleep`, `gather` and `LoopGuard`. The async ones run on anyio, so
`AsyncMemOS` works under asyncio and trio alike (httpx does too). anyio and thread
pools are imported lazily so that nobody pays for what they do not use.
"""

from __future__ import annotations

import sys
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
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


def unwrapped(error: BaseException, *, first: bool = False) -> BaseException:
    """The one error a task group wrapped in a group, or the group itself; with
    `first=True`, the first of several (as a thread pool would raise it)."""
    inner = getattr(error, "exceptions", None)
    if inner is None or not (len(inner) == 1 or first):
        return error
    return unwrapped(inner[0], first=first)


class AsyncWorkers:
    """Runs calls concurrently; each call carries on with follow-up work of its own
    (an `add_many` sender settles its answer and sends the next item itself).

    Shared state is touched only inside `with workers.locked():` (here a no-op: on
    one event loop, code between awaits never interleaves; the sync `Workers` takes a
    real lock). The caller starts calls, then `await changed()` until one says
    something changed (`notify()`) or ends; `running` counts the calls not ended.
    Leaving the block with an error cancels what is running.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.running = 0

    async def __aenter__(self) -> AsyncWorkers:
        import anyio

        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._changed = anyio.Event()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if exc_info[0] is not None:
            self._group.cancel_scope.cancel()
        try:
            await self._group.__aexit__(*exc_info)
        except BaseException as error:
            # The caller's own error, or a call's first, as the sync one raises them.
            raise unwrapped(error, first=True) from None

    def locked(self) -> AbstractContextManager[object]:
        return nullcontext()

    def start(self, call: Callable[[], Awaitable[Any]]) -> None:
        """Run `call` (from inside `locked()`)."""
        self.running += 1
        self._group.start_soon(self._run, call)

    def notify(self) -> None:
        """Wake `changed()` (from inside `locked()`)."""
        self._changed.set()

    async def changed(self) -> None:
        """Until a call notifies or ends (at once if one did since the last time)."""
        import anyio

        await self._changed.wait()
        self._changed = anyio.Event()

    async def _run(self, call: Callable[[], Awaitable[Any]]) -> None:
        try:
            await call()
        finally:
            self.running -= 1
            self._changed.set()


class Workers:
    """Runs calls on at most `limit` threads; each call carries on with follow-up work
    of its own (the sync client is thread-safe).

    Shared state is touched only inside `with workers.locked():`, one thread at a
    time. The caller starts calls, then `changed()` waits until one says something
    changed (`notify()`) or ends; `running` counts the calls not ended. A call's
    error is raised by the next `changed()`. Leaving the block with an error stops
    waiting at once; calls in flight finish on their own.
    """

    def __init__(self, limit: int) -> None:
        import threading

        self._limit = limit
        self.running = 0
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._news = False
        self._error: BaseException | None = None

    def __enter__(self) -> Workers:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=self._limit, thread_name_prefix="memos-batch")
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._pool.shutdown(wait=exc_info[0] is None, cancel_futures=True)

    def locked(self) -> AbstractContextManager[object]:
        return self._lock

    def start(self, call: Callable[[], Any]) -> None:
        """Run `call` on a thread (from inside `locked()`), in a copy of this context."""
        self.running += 1
        self._pool.submit(copy_context().run, self._run, call)

    def notify(self) -> None:
        """Wake `changed()` (from inside `locked()`)."""
        self._news = True
        self._condition.notify_all()

    def changed(self) -> None:
        """Until a call notifies or ends (at once if one did since the last time)."""
        with self._lock:
            while not self._news:
                self._condition.wait()
            self._news = False
            if self._error is not None:
                raise self._error

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except BaseException as error:
            failure: BaseException | None = error
        else:
            failure = None
        with self._lock:
            self.running -= 1
            if failure is not None and self._error is None:
                self._error = failure
            self.notify()


class AsyncLoopGuard:
    """Binds an async client to the first event loop it runs on, and says so when misused.

    httpx connections belong to one loop; reusing them from another fails later with
    an obscure "Event loop is closed". This fails at once with the reason. A loop is
    told apart by a marker kept in an anyio `RunVar`, which lives as long as its loop,
    on asyncio and trio alike. On asyncio the loop last seen is also remembered,
    weakly, so a call on that same loop skips the `RunVar` lookup (about 1.6 µs).
    """

    def __init__(self) -> None:
        self._marker: object | None = None
        self._asyncio_loop: Callable[[], object] = _NO_LOOP

    def check(self) -> None:
        running = _asyncio_task_loop()
        if running is not None and running is self._asyncio_loop():
            return  # the asyncio loop seen last time (held weakly): nothing to look up
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
        if running is not None:
            try:
                self._asyncio_loop = weakref.ref(running)
            except TypeError:  # a loop that cannot be weakly referenced: always look up
                self._asyncio_loop = _NO_LOOP


def _asyncio_task_loop() -> object | None:
    """The asyncio loop running the current asyncio task, else None.

    Trio in guest mode runs inside an asyncio loop but outside any asyncio task, and
    anyio counts it as trio: its calls must not pass as that loop's.
    """
    asyncio = sys.modules.get("asyncio")  # not imported: no asyncio loop can be running
    if asyncio is None:
        return None
    running: object | None = asyncio._get_running_loop()
    if running is None or asyncio.current_task(running) is None:
        return None
    return running


def _NO_LOOP() -> object:
    """What `AsyncLoopGuard` remembers before it has seen an asyncio loop: no loop."""
    return None


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
