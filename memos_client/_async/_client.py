"""`AsyncMemOS`: the async MemOS Cloud client (the sync `MemOS` is generated from it)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from .._config import ClientConfig
from .._core import _validate
from .._core._api import endpoint
from .._core._retry import parse_retry_after
from .._exceptions import MemOSError, TaskFailedError, TaskTimeoutError
from .._runtime import AsyncRuntime
from .._tracing import batch_span
from .._types import TaskRef
from ._chat import AsyncModelEndpoints
from ._handle import AsyncHandle
from ._http import AsyncHTTP
from ._knowledgebases import AsyncFileHandle, AsyncKnowledgeBases
from ._memories import AsyncFeedback, AsyncMemories, AsyncMessages
from ._profiles import AsyncProfiles
from ._task import AsyncTask
from ._waiting import wait_handles

if TYPE_CHECKING:
    from .._batch import BatchResult
    from .._core._batch import BatchProgress
    from ..types import KnowledgeBaseFile, MessageParam, SearchResult, TaskStatus
    from ..types._params import AddItem, AddParams, CallOptions, SearchParams
    from ._raw import AsyncRawClient

__all__ = ["AsyncMemOS"]

ADD = endpoint("add")
SEARCH = endpoint("search")
GET_STATUS = endpoint("get_status")


class AsyncMemOS(AsyncModelEndpoints):
    """Async client for MemOS Cloud: add memories, search them, wait for processing.

    ```python
    async with AsyncMemOS() as client:  # api_key= or MEMOS_API_KEY
        task = await client.add([{"role": "user", "content": "I love tea"}], user_id="u1")
        await task.wait()
        hits = await client.search("what does the user drink?", user_id="u1")
    ```

    Args:
        api_key: the project's API key; defaults to `MEMOS_API_KEY`.
        base_url: the API root; defaults to `MEMOS_BASE_URL`, else the region's.
        region: `"cn"` (default) or `"global"`; also `MEMOS_REGION` / `MEMOS_IS_GLOBAL`.
        timeout: seconds or an `httpx.Timeout` (default 60 s, connect 5 s).
        max_retries: retries of transient failures per call (default 2).
        http_client: your own `httpx.AsyncClient` (proxies, limits); used, never changed.
        default_headers: headers added to every request.
        allow_insecure_http: permit `http://` to a non-loopback host.
        runtime: the clock, sleep and randomness waits use (`AsyncRuntime`); for tests
            and emulators that control time.

    Nothing is sent at construction. The client belongs to one event loop.
    """

    memories: AsyncMemories
    """List, read, update and delete stored memories."""
    messages: AsyncMessages
    """A conversation's raw message history."""
    feedback: AsyncFeedback
    """Natural-language corrections of memories."""
    knowledgebases: AsyncKnowledgeBases
    """Knowledge bases and their files."""
    profiles: AsyncProfiles
    """Profile templates and per-subject profiles."""

    def _setup(
        self,
        config: ClientConfig,
        http: AsyncHTTP,
        borrowed: bool = False,
        runtime: AsyncRuntime | None = None,
    ) -> None:
        super()._setup(config, http, borrowed, runtime)
        self.memories = AsyncMemories(self)
        self.messages = AsyncMessages(self)
        self.feedback = AsyncFeedback(self)
        self.knowledgebases = AsyncKnowledgeBases(self)
        self.profiles = AsyncProfiles(self)

    @property
    def with_raw_response(self) -> AsyncRawClient:
        """The same calls, each answered with a raw response (`AsyncRawResponse`): `.status_code`,
        `.headers`, `.request_id`, `.elapsed` and `await .parse()` for the result.

        ```python
        raw = await client.with_raw_response.search("where?", user_id="u1")
        ```
        """
        from ._raw import AsyncRawClient

        return AsyncRawClient(self)

    async def add(self, messages: Sequence[MessageParam], **params: Unpack[AddParams]) -> AsyncTask:
        """Add conversation messages; MemOS turns them into memories (add/message).

        In async mode (the default) the answer comes at once: the turn is searchable
        within milliseconds as a rough `WorkingMemory`, and refined memories follow
        in seconds. `await task.wait()` waits for them. `async_mode=False` asks the
        server to answer only when refinement is done (multimodal input is always
        async). Pass `user_id`, `agent_id` or both; every field is in `AddParams`.

        Raises:
            InvalidRequestError: bad input, before anything is sent.
            APIConnectionError: with `may_have_been_processed=True` the add may have
                landed; it is never re-sent automatically.
        """
        task: AsyncTask = await self._call(ADD, params, messages)
        return task

    async def search(self, query: str, **params: Unpack[SearchParams]) -> SearchResult:
        """Recall the memories relevant to `query` for one user or agent (search/memory).

        Pass exactly one of `user_id` / `agent_id`; every field is in `SearchParams`.
        Limits are 1..25 per kind; unset fields are left to the server's defaults.
        """
        result: SearchResult = await self._call(SEARCH, params, query)
        return result

    async def get_status(self, task_id: str, **options: Unpack[CallOptions]) -> TaskStatus:
        """Read a task's status once (get/status). Unknown ids raise `NotFoundError`."""
        status: TaskStatus = await self._call(GET_STATUS, options, task_id)
        return self._config.api_key.hidden(status)

    async def add_many(
        self,
        items: Iterable[AddItem],
        *,
        concurrency: int = 16,
        journal: str | os.PathLike[str] | None = None,
        resend_in_doubt: bool = False,
        wait: bool = False,
        wait_timeout: float | None = 300.0,
        on_progress: Callable[[BatchProgress], object] | None = None,
        progress: bool = False,
    ) -> BatchResult[AsyncTask]:
        """Add many conversations: at most `concurrency` adds in flight, fewer while the
        server rate-limits, each item read only when it is about to be sent.

        ```python
        items = ({"messages": turns, "user_id": user, "id": key} for user, key, turns in rows)
        result = await client.add_many(items, journal="import.sqlite")
        result.raise_for_errors()
        ```

        Each item is a dict with `messages`, any of `add`'s fields and an optional
        `id`. An add that provably did not land is sent again; one that may have landed
        is never re-sent and counts as in doubt. A quota error stops the batch
        (`result.stopped`). With `journal=` (a SQLite file) a rerun skips what an
        earlier run submitted, sends what it did not, and reports what it was sending
        when it stopped as in doubt (`resend_in_doubt=True` sends those again).
        `wait=True` then waits for refinement (`result.statuses`). `on_progress`
        receives a `BatchProgress`; `progress=True` shows a bar (tqdm) or a line on stderr
        (and, with `wait=True`, the wait's progress too).

        Args:
            items: the item dicts, read lazily (a generator is fine).
            concurrency: at most this many adds in flight, 1..1024 (default 16).
            journal: a SQLite file that makes the import resumable; none by default.
            resend_in_doubt: on resuming, send again the adds the journal left in doubt.
            wait: then wait for every add's refinement (`result.statuses`).
            wait_timeout: the deadline of that wait, in seconds (`None`: none).
            on_progress: called with a `BatchProgress` each time an item settles (on
                `MemOS`, from the batch's worker threads, one call at a time).
            progress: show a progress bar (tqdm when installed) or a line on stderr, for
                the adds and, with `wait=True`, for the wait.
        """
        from ._batch import add_many

        _validate.limit("concurrency", concurrency, low=1, high=1024)
        if isinstance(items, (str, bytes, Mapping)):
            _validate.fail("items", "pass an iterable of item dicts, not a single one")
        with batch_span(self, concurrency) as span:
            result = await add_many(
                self,
                items,
                concurrency=concurrency,
                journal=journal,
                resend_in_doubt=resend_in_doubt,
                on_progress=on_progress,
                progress=progress,
            )
            span.finished(result)
            if wait:
                waited = [
                    (index, task)
                    for index, task in enumerate(result.results)
                    if isinstance(task, AsyncTask) and task.trackable
                ]
                finals = await self.wait_all(
                    [task for _, task in waited],
                    timeout=wait_timeout,
                    concurrency=concurrency,
                    return_exceptions=True,
                    progress=progress,
                )
                result.statuses = [None] * len(result.results)
                for (index, _), final in zip(waited, finals, strict=True):
                    result.statuses[index] = final
        return result

    def task(self, task: str | TaskRef) -> AsyncTask:
        """A handle for a task id from anywhere, or a re-bound (e.g. unpickled) handle.

        Args:
            task: a task id, or a handle (a `AsyncTask`, or one unpickled elsewhere).
        """
        if isinstance(task, str):
            return AsyncTask(self, _validate.identifier("task", task, max_length=None))
        return AsyncTask(self, task.id, task.last_status)

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncTask | str],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: Literal[False] = ...,
        on_update: Callable[[TaskStatus], object] | None = ...,
        progress: bool = ...,
    ) -> list[TaskStatus]: ...

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncTask | str],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: Literal[True],
        on_update: Callable[[TaskStatus], object] | None = ...,
        progress: bool = ...,
    ) -> list[TaskStatus | MemOSError]: ...

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncFileHandle],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: Literal[False] = ...,
        on_update: Callable[[KnowledgeBaseFile], object] | None = ...,
        progress: bool = ...,
    ) -> list[KnowledgeBaseFile]: ...

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncFileHandle],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: Literal[True],
        on_update: Callable[[KnowledgeBaseFile], object] | None = ...,
        progress: bool = ...,
    ) -> list[KnowledgeBaseFile | MemOSError]: ...

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncTask | str],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: bool,
        on_update: Callable[[TaskStatus], object] | None = ...,
        progress: bool = ...,
    ) -> list[TaskStatus] | list[TaskStatus | MemOSError]: ...

    @overload
    async def wait_all(
        self,
        tasks: Iterable[AsyncFileHandle],
        *,
        timeout: float | None = ...,
        concurrency: int = ...,
        poll_rate: float | None = ...,
        return_exceptions: bool,
        on_update: Callable[[KnowledgeBaseFile], object] | None = ...,
        progress: bool = ...,
    ) -> list[KnowledgeBaseFile] | list[KnowledgeBaseFile | MemOSError]: ...

    async def wait_all(
        self,
        tasks: Iterable[AsyncTask | str] | Iterable[AsyncFileHandle],
        *,
        timeout: float | None = 300.0,
        concurrency: int = 16,
        poll_rate: float | None = None,
        return_exceptions: bool = False,
        on_update: Callable[[Any], object] | None = None,
        progress: bool = False,
    ) -> list[Any]:
        """Wait for many tasks (or knowledge-base file handles) under one deadline, with
        at most `concurrency` polls in flight. Task ids may be given as strings.

        `poll_rate` caps the polls started per second across the whole wait (e.g. to
        leave your rate limit to writes); at the deadline it may be exceeded by one
        poll, and tasks it leaves unchecked then time out. Polls follow the schedule
        the client has learned from tasks it saw finish (see docs/tasks.md).

        Returns the final statuses in input order. By default, once every handle has
        settled, a failure raises `TaskFailedError` (saying how many failed), else
        the first other error; `return_exceptions=True` puts each error in its place.

        Args:
            tasks: task or file handles, or task ids.
            timeout: one deadline for all, in seconds (default 300); `None` waits forever.
            concurrency: at most this many polls in flight, 1..1024 (default 16).
            poll_rate: at most this many polls started per second; `None`: no cap.
            return_exceptions: return each error in its place instead of raising.
            on_update: called with each new status of any handle.
            progress: show how many are final and, on every poll, the time waited, the
                polls so far and the statuses (see `wait`).
        """
        _validate.limit("concurrency", concurrency, low=1, high=1024)
        if isinstance(tasks, (str, bytes)):
            _validate.fail("tasks", "pass a list of tasks or task ids, not a single string")
        handles = [self._bind(item) for item in tasks]
        outcomes = await wait_handles(
            self,
            handles,
            timeout=timeout,
            concurrency=concurrency,
            on_update=on_update,
            poll_rate=poll_rate,
            progress=progress,
        )
        if return_exceptions:
            return outcomes
        raise_first_error(outcomes)
        return outcomes

    def _bind(self, item: AsyncTask | AsyncFileHandle | str) -> AsyncHandle[Any]:
        """A handle bound to a client: as given, or re-bound to this one."""
        if isinstance(item, (AsyncTask, AsyncFileHandle)) and item._client is not None:
            return item
        if isinstance(item, AsyncFileHandle):
            return self.knowledgebases.files.handle(item)
        return self.task(item)

    async def _poll_status(
        self, task_id: str, left: float | None
    ) -> tuple[TaskStatus, float | None]:
        """One status poll for `wait()`, with the server's poll hint, if any."""
        status, reply = await self._poll(GET_STATUS, left, task_id)
        return status, parse_retry_after(reply.headers, time.time())


def raise_first_error(outcomes: Sequence[object]) -> None:
    """Raise for `wait_all`: a summary `TaskFailedError` if any failed, else the first error."""
    errors = [outcome for outcome in outcomes if isinstance(outcome, MemOSError)]
    if not errors:
        return
    failed = [error for error in errors if isinstance(error, TaskFailedError)]
    timed_out = [error for error in errors if isinstance(error, TaskTimeoutError)]
    counts = f"{len(failed)} failed, {len(timed_out)} timed out, "
    counts += f"{len(errors) - len(failed) - len(timed_out)} other errors"
    summary = f"{len(errors)} of {len(outcomes)} tasks did not complete ({counts})"
    if failed:
        first = failed[0]
        raise TaskFailedError(
            f"{summary}; first: {first}", task_id=first.task_id, status=first.status
        )
    if timed_out:
        late = timed_out[0]
        raise TaskTimeoutError(
            f"{summary}; first: {late}",
            task_id=late.task_id,
            last_status=late.last_status,
            waited=late.waited,
        )
    raise errors[0]
