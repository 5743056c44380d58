"""`AsyncHandle`: what task handles and knowledge-base file handles share.

A handle holds an id and the last status seen, and `wait()` polls until the status is
final (`completed` or `failed`). Subclasses say how to read their status. Handles
pickle to their id and last status (never the client or key); re-bind one with
`client.task(handle)` or `client.knowledgebases.files.handle(handle)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from .._core._polling import FAILED, is_terminal
from .._exceptions import MemOSError, TaskError, TaskFailedError, TaskTimeoutError, UsageError
from ._waiting import Reading, wait_handles

if TYPE_CHECKING:
    from ._client import AsyncMemOS

__all__ = ["AsyncHandle"]

S = TypeVar("S", bound=Reading)
E = TypeVar("E", bound=BaseException)


class AsyncHandle(Generic[S]):
    """A handle on server-side processing that ends `completed` or `failed`."""

    noun: ClassVar[str] = "task"
    rebind_hint: ClassVar[str] = "client.task(handle)"

    def __init__(
        self,
        client: AsyncMemOS | None,
        handle_id: str | None,
        last_status: S | None = None,
        *,
        untracked_reason: str | None = None,
    ) -> None:
        self._client = client
        self._id = handle_id
        self._last = last_status if last_status is None else self._hidden(last_status)
        self._untracked_reason = untracked_reason or (
            f"the server sent no {self.noun} id" if handle_id is None else None
        )

    @property
    def id(self) -> str | None:
        """The id, or None when the server gave none (see `trackable`)."""
        return self._id

    @property
    def status(self) -> str | None:
        """The last status seen: `running`, `completed`, `failed`, or None if unknown yet."""
        return self._last.status if self._last is not None else None

    @property
    def last_status(self) -> S | None:
        """The last full status reading seen."""
        return self._last

    @property
    def done(self) -> bool:
        """Whether the last status seen is final (`completed` or `failed`)."""
        return is_terminal(self.status)

    @property
    def trackable(self) -> bool:
        """False when the server accepted the work without an id to poll."""
        return self._id is not None

    async def refresh(self) -> S:
        """Read the status once and remember it."""
        reading = self._hidden(await self._read(self._bound(), self._require_id()))
        self._last = reading
        return reading

    async def wait(
        self, timeout: float | None = 300.0, *, on_update: Callable[[S], object] | None = None
    ) -> S:
        """Poll until final and return the last reading.

        The first check is immediate, then the delay grows from 0.25 s to 5 s. A final
        handle returns without a request. `on_update` sees each new status.

        Args:
            timeout: seconds to wait (default 300); `None` waits forever, explicitly.

        Raises:
            TaskFailedError: processing failed.
            TaskTimeoutError: still running at the deadline (nothing is cancelled).
            TaskError: there is no id to poll (see `trackable`).
            APIError: a fatal error while polling (bad key, unknown id).
        """
        if self.done or not self.trackable:
            return self._settled()
        outcome = (await wait_handles(self._bound(), [self], timeout=timeout, on_update=on_update))[
            0
        ]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _read(self, client: AsyncMemOS, handle_id: str) -> S:
        raise NotImplementedError

    async def _poll(self, left: float | None) -> tuple[S, float | None]:
        raise NotImplementedError

    def _settled(self) -> S:
        """The result of a handle that needs no polling: final, or untrackable."""
        if self._id is None and not self.done:
            raise TaskError(
                f"{self.noun} cannot be waited on: {self._untracked_reason}", task_id=None
            )
        reading = self._last
        assert reading is not None
        if reading.status == FAILED:
            raise self._hide(
                TaskFailedError(
                    self._failure_message(reading),
                    task_id=self._id,
                    status=reading,  # type: ignore[arg-type]  # S is one of the two readings
                )
            )
        return reading

    def _failure_message(self, reading: S) -> str:
        extra: dict[str, Any] = getattr(reading, "model_extra", None) or {}
        detail = extra.get("error") or extra.get("message") or extra.get("reason")
        text = f"{self.noun} {self._id!r} failed on the server"
        return f"{text}: {detail}" if detail else text

    def _timeout_error(self, waited: float, last_error: MemOSError | None) -> TaskTimeoutError:
        state = f"is still {self.status}" if self.status else "has no status yet"
        if last_error is not None:
            state = f"{state} (its last poll failed: {last_error})"
        error = TaskTimeoutError(
            f"{self.noun} {self._id!r} {state} after {waited:.1f} s; it is not cancelled on "
            f"the server: wait again later with {self.rebind_hint}.wait()",
            task_id=self._id,
            last_status=self._last,  # type: ignore[arg-type]  # S is one of the two readings
            waited=waited,
        )
        error.__cause__ = last_error
        return self._hide(error)

    def _observe(self, reading: S) -> bool:
        """Remember a polled reading; True when its state differs from the last one."""
        changed = self._last is None or self._last.status != reading.status
        self._last = self._hidden(reading)
        return changed

    def _hide(self, error: E) -> E:
        """`error` with the API key hidden (the status it quotes came from the server)."""
        return error if self._client is None else self._client._hide(error)

    def _hidden(self, reading: S) -> S:
        """A reading with any echo of the API key hidden: handles pickle their last one."""
        if self._client is None:
            return reading
        return self._client._config.api_key.hidden(reading)

    def _bound(self) -> AsyncMemOS:
        if self._client is None:
            raise UsageError(
                f"this {self.noun} handle is not bound to a client (it was unpickled or "
                f"built by hand); re-bind it with {self.rebind_hint}"
            )
        return self._client

    def _require_id(self) -> str:
        if self._id is None:
            raise TaskError(f"{self.noun} has no id: {self._untracked_reason}", task_id=None)
        return self._id

    def __repr__(self) -> str:
        if self._id is None and not self.done:
            return f"<{type(self).__name__} untracked: {self._untracked_reason}>"
        return f"<{type(self).__name__} id={self._id!r} status={self.status!r}>"

    def __reduce__(self) -> tuple[object, ...]:
        state = {"_untracked_reason": self._untracked_reason}
        return (type(self), (None, self._id, self._last), state)
