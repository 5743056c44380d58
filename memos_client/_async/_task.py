"""`AsyncTask`: a handle on a MemOS async task (add/message, add/feedback).

`wait()` polls get/status until the task is final, which gives sync mode on top of
async mode. The shared handle behaviour lives in `AsyncHandle`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ._handle import AsyncHandle

if TYPE_CHECKING:
    from ..types import CompletedTaskStatus, TaskStatus
    from ._client import AsyncMemOS

__all__ = ["AsyncTask"]


class AsyncTask(AsyncHandle["TaskStatus"]):
    """A handle on an async MemOS task.

    ```python
    task = await client.add(messages, user_id="u1", conversation_id="c1")
    final = await task.wait(timeout=120)  # TaskStatus; raises if it failed
    ```

    `id`, `status` (the last status seen), `last_status` (the full `TaskStatus`),
    `done`, `trackable`, `refresh()` and `wait(timeout=300, on_update=..., progress=False)`.
    """

    noun = "task"
    rebind_hint = "client.task(handle)"

    async def wait(
        self,
        timeout: float | None = 300.0,
        *,
        on_update: Callable[[TaskStatus], object] | None = None,
        progress: bool = False,
    ) -> CompletedTaskStatus:
        """Poll until final and return the completed status.

        The first check is immediate, then the delay grows from 0.25 s to 5 s; once
        the client has seen 20 tasks finish, polls follow how long they took (see
        docs/tasks.md). A final handle returns without a request. Raises
        `TaskFailedError` if the task failed, `TaskTimeoutError` at the deadline
        (nothing is cancelled on the server).

        Args:
            timeout: seconds to wait (default 300); `None` waits forever, explicitly.
            on_update: called with each new status while waiting.
            progress: show the wait as it goes: a tqdm bar, or lines on stderr.
        """
        from ..types import CompletedTaskStatus

        final = CompletedTaskStatus.of(
            await super().wait(timeout, on_update=on_update, progress=progress)
        )
        self._last = final
        return final

    async def _read(self, client: AsyncMemOS, handle_id: str) -> TaskStatus:
        return await client.get_status(handle_id)

    async def _poll(self, left: float | None) -> tuple[TaskStatus, float | None]:
        return await self._bound()._poll_status(self._require_id(), left)
