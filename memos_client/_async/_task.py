"""`AsyncTask`: a handle on a MemOS async task (add/message, add/feedback).

It holds the task id and the last status seen; `wait()` polls get/status until the
task is final, which gives sync mode on top of async mode. Handles pickle to their id
and last status (never the client or key); re-bind one with `client.task(handle)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .._core._polling import COMPLETED, FAILED
from .._exceptions import TaskError, TaskFailedError
from ._waiting import wait_tasks

if TYPE_CHECKING:
    from ..types import TaskStatus
    from ._client import AsyncMemOS

__all__ = ["AsyncTask"]

UNTRACKED = (
    "the server accepted the write but sent no task id (an empty 2xx answer), so it "
    "cannot be tracked; search for the memory to confirm it arrived"
)


class AsyncTask:
    """A handle on an async MemOS task.

    ```python
    task = await client.add(messages, user_id="u1", conversation_id="c1")
    final = await task.wait(timeout=120)  # TaskStatus; raises if it failed
    ```
    """

    def __init__(
        self,
        client: AsyncMemOS | None,
        task_id: str | None,
        last_status: TaskStatus | None = None,
        *,
        untracked_reason: str | None = None,
    ) -> None:
        self._client = client
        self._id = task_id
        self._last = last_status
        self._untracked_reason = untracked_reason or (UNTRACKED if task_id is None else None)

    @property
    def id(self) -> str | None:
        """The task id, or None when the server gave none (see `trackable`)."""
        return self._id

    @property
    def status(self) -> str | None:
        """The last status seen: `running`, `completed`, `failed`, or None if unknown yet."""
        return self._last.status if self._last is not None else None

    @property
    def last_status(self) -> TaskStatus | None:
        """The last full `TaskStatus` seen (with `memory_views` once completed)."""
        return self._last

    @property
    def done(self) -> bool:
        """Whether the last status seen is final (`completed` or `failed`)."""
        return self.status in (COMPLETED, FAILED)

    @property
    def trackable(self) -> bool:
        """False when the server accepted the write without a task id to poll."""
        return self._id is not None

    async def refresh(self) -> TaskStatus:
        """Read the status once (one get/status call) and remember it."""
        client = self._bound()
        status = await client.get_status(self._require_id())
        self._last = status
        return status

    async def wait(
        self,
        timeout: float | None = 300.0,
        *,
        on_update: Callable[[TaskStatus], object] | None = None,
    ) -> TaskStatus:
        """Poll until the task is final and return its `TaskStatus`.

        The first check is immediate, then the delay grows from 0.25 s to 5 s. A final
        handle (sync mode, or already seen completed) returns without a request.
        `on_update` sees each new status.

        Args:
            timeout: seconds to wait (default 300); `None` waits forever, explicitly.

        Raises:
            TaskFailedError: the task failed.
            TaskTimeoutError: still running at the deadline (the task is not cancelled).
            TaskError: the task has no id to poll (see `trackable`).
            APIError: a fatal error while polling (bad key, unknown task).
        """
        if self.done or not self.trackable:
            return self._settled()
        outcome = (await wait_tasks(self._bound(), [self], timeout=timeout, on_update=on_update))[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _settled(self) -> TaskStatus:
        """The result of a handle that needs no polling: final, or untrackable."""
        if self._id is None and not self.done:
            raise TaskError(f"task cannot be waited on: {self._untracked_reason}")
        status = self._last
        assert status is not None
        if status.status == FAILED:
            raise TaskFailedError(
                failure_message(self._id, status), task_id=self._id, status=status
            )
        return status

    def _observe(self, status: TaskStatus) -> bool:
        """Remember a polled status; True when its state differs from the last one."""
        changed = self._last is None or self._last.status != status.status
        self._last = status
        return changed

    def _bound(self) -> AsyncMemOS:
        if self._client is None:
            raise RuntimeError(
                "this task handle is not bound to a client (it was unpickled or built "
                "by hand); re-bind it with client.task(handle)"
            )
        return self._client

    def _require_id(self) -> str:
        if self._id is None:
            raise TaskError(f"task has no id: {self._untracked_reason}")
        return self._id

    def __repr__(self) -> str:
        if self._id is None and not self.done:
            return f"<{type(self).__name__} untracked: {self._untracked_reason}>"
        return f"<{type(self).__name__} id={self._id!r} status={self.status!r}>"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (None, self._id, self._last),
            {"_untracked_reason": self._untracked_reason},
        )


def failure_message(task_id: str | None, status: TaskStatus) -> str:
    extra = status.model_extra or {}
    detail = extra.get("error") or extra.get("message") or extra.get("reason")
    text = f"task {task_id!r} failed on the server"
    return f"{text}: {detail}" if detail else text
