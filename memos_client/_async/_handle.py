"""`AsyncHandle`: what task handles and knowledge-base file handles share.

A handle holds an id and the last status seen, and `wait()` polls until the status is
final (`completed` or `failed`). Subclasses say how to read their status. Handles
pickle to their id and last status (never the client or key); re-bind one with
`client.task(handle)` or `client.knowledgebases.files.handle(handle)`. What does no
I/O lives in `HandleBase`, shared with the other client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .._handles import HandleBase, S
from ._waiting import wait_handles

if TYPE_CHECKING:
    from ._client import AsyncMemOS

__all__ = ["AsyncHandle"]


class AsyncHandle(HandleBase["AsyncMemOS", S]):
    """A handle on server-side processing that ends `completed` or `failed`."""

    async def refresh(self) -> S:
        """Read the status once and remember it."""
        reading = self._hidden(await self._read(self._bound(), self._require_id()))
        self._last = reading
        return reading

    async def wait(
        self,
        timeout: float | None = 300.0,
        *,
        on_update: Callable[[S], object] | None = None,
        progress: bool = False,
    ) -> S:
        """Poll until final and return the last reading.

        The first check is immediate, then the delay grows from 0.25 s to 5 s; once
        the client has seen 20 tasks finish, polls follow how long they took (see
        docs/tasks.md). A final handle returns without a request. `on_update` sees
        each new status.

        Args:
            timeout: seconds to wait (default 300); `None` waits forever, explicitly.
            on_update: called with each new status while waiting.
            progress: show the wait as it goes, on every poll: time waited, polls so
                far, current status (a tqdm bar with the `[progress]` extra, in a
                notebook too; else a line on stderr every 2 s and on each change).

        Raises:
            TaskFailedError: processing failed.
            TaskTimeoutError: still running at the deadline (nothing is cancelled).
            TaskError: there is no id to poll (see `trackable`).
            APIError: a fatal error while polling (bad key, unknown id).
        """
        if self.done or not self.trackable:
            return self._settled()
        client = self._bound()
        [outcome] = await wait_handles(
            client, [self], timeout=timeout, on_update=on_update, progress=progress
        )
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _read(self, client: AsyncMemOS, handle_id: str) -> S:
        raise NotImplementedError

    async def _poll(self, left: float | None) -> tuple[S, float | None]:
        raise NotImplementedError
