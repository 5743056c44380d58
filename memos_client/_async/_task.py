"""`AsyncTask`: a handle on a MemOS async task (add/message, add/feedback).

`wait()` polls get/status until the task is final, which gives sync mode on top of
async mode. The shared handle behaviour lives in `AsyncHandle`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._handle import AsyncHandle

if TYPE_CHECKING:
    from ..types import TaskStatus
    from ._client import AsyncMemOS

__all__ = ["AsyncTask"]


class AsyncTask(AsyncHandle["TaskStatus"]):
    """A handle on an async MemOS task.

    ```python
    task = await client.add(messages, user_id="u1", conversation_id="c1")
    final = await task.wait(timeout=120)  # TaskStatus; raises if it failed
    ```

    `id`, `status` (the last status seen), `last_status` (the full `TaskStatus`),
    `done`, `trackable`, `refresh()` and `wait(timeout=300, on_update=...)`.
    """

    noun = "task"
    rebind_hint = "client.task(handle)"

    async def _read(self, client: AsyncMemOS, handle_id: str) -> TaskStatus:
        return await client.get_status(handle_id)

    async def _poll(self, left: float | None) -> tuple[TaskStatus, float | None]:
        return await self._bound()._poll_status(self._require_id(), left)
