"""`HandleBase`: the I/O-free part of task and knowledge-base file handles, shared by
the async handles and the generated sync ones.

A handle holds an id and the last status seen; it says whether that status is final,
what a failure or a timeout reads like, and how it pickles: to its id and last status
(never the client or key). The subclasses in `_async` (and `_sync`, generated from
them) add the I/O: `refresh()`, `wait()` and how to read a status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, cast

from . import _display as display
from ._core._polling import FAILED, is_terminal
from ._core._waiting import Reading
from ._exceptions import MemOSError, TaskError, TaskFailedError, TaskTimeoutError, UsageError

if TYPE_CHECKING:
    from ._config import ClientConfig

__all__ = ["Deferred", "HandleBase", "HandleClient"]

E = TypeVar("E", bound=BaseException)
S = TypeVar("S", bound=Reading)


class HandleClient(Protocol):
    """What a handle needs from the client it is bound to, I/O aside."""

    @property
    def _config(self) -> ClientConfig: ...

    def _hide(self, error: E) -> E: ...


C = TypeVar("C", bound=HandleClient)


class Deferred(Generic[S]):
    """A first reading not built yet: its status, known at once, and how to build the
    whole reading, which is done the first time something reads it. A write's answer
    implies its task's first status; most callers never look at it, so the SDK does
    not decode it into a model on every add."""

    __slots__ = ("build", "status")

    def __init__(self, status: str | None, build: Callable[[], S]) -> None:
        self.status = status
        self.build = build


class HandleBase(Generic[C, S]):
    """A handle on server-side processing that ends `completed` or `failed`.

    `C` is the client type it binds to, `S` the status reading it holds.
    """

    noun: ClassVar[str] = "task"
    rebind_hint: ClassVar[str] = "client.task(handle)"

    def __init__(
        self,
        client: C | None,
        handle_id: str | None,
        last_status: S | Deferred[S] | None = None,
        *,
        untracked_reason: str | None = None,
    ) -> None:
        self._client = client
        self._id = handle_id
        self._pending: Callable[[], S] | None = None
        if isinstance(last_status, Deferred):
            self._reading: S | None = None
            self._pending = last_status.build
        else:
            self._reading = last_status if last_status is None else self._hidden(last_status)
        self._untracked_reason = untracked_reason or (
            f"the server sent no {self.noun} id" if handle_id is None else None
        )
        # When this process saw the work start, for adaptive polling: for a handle made
        # from a write's answer (bound, not final yet). None for one made from an id,
        # whose start nobody here saw, and for an unpickled one (clocks differ across
        # processes); re-binding a handle with a status starts its clock again.
        self._born: float | None = None
        if client is not None and last_status is not None and not is_terminal(last_status.status):
            clock: Callable[[], float] = cast(Any, client)._clock  # its runtime's clock
            self._born = clock()

    @property
    def _last(self) -> S | None:
        """The last reading seen (a deferred first one is built, and hidden, here)."""
        pending = self._pending
        if pending is not None:
            self._pending = None
            self._reading = self._hidden(pending())
        return self._reading

    @_last.setter
    def _last(self, reading: S | None) -> None:
        self._pending = None
        self._reading = reading

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

    def _bound(self) -> C:
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
        """`Task(id='t-1', status='running')`, or why it cannot be tracked."""
        if self._id is None and not self.done:
            return display.line(type(self).__name__, [f"untracked: {self._untracked_reason}"])
        return display.line(
            type(self).__name__, [display.arg("id", self._id), display.arg("status", self.status)]
        )

    def _repr_html_(self) -> str:
        """The id and status, then what the last reading says (counts, name...)."""
        pairs: list[tuple[str, object]] = [("id", self._id), ("status", self.status)]
        if self._id is None and not self.done:
            pairs.append(("untracked", self._untracked_reason))
        from .types._base import MemOSModel  # loaded with the first answer anyway

        if isinstance(self._last, MemOSModel):
            shown = self._last._shown()
            pairs += [(k, v) for k, v in shown if k not in ("id", "task_id", "status")]
        return display.fields_table(type(self).__name__, pairs)

    def __reduce__(self) -> tuple[object, ...]:
        state = {"_untracked_reason": self._untracked_reason}
        return (type(self), (None, self._id, self._last), state)
