"""What a client's tracing hooks call, without importing OpenTelemetry.

A client traces only when `memos_client.otel.instrument()` has given it a `Tracing`
(`client._tracing`); otherwise each call costs one `is None` check. The protocols
here are what the client needs of it: a span around each request (`call`), around
each wait (`wait`) and around each batch (`batch`). `memos_client.otel` implements
them; waits and batches, which are slow anyway, use `wait_span` and `batch_span`,
which hand back a do-nothing record when tracing is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ._batch import BatchResult
    from ._core._spec import Reply, RequestSpec

__all__ = ["BatchRecord", "CallRecord", "Tracing", "WaitRecord", "batch_span", "wait_span"]


class CallRecord(Protocol):
    """The span of one call, told what happened to it."""

    def retrying(self, attempt: int) -> None:
        """Attempt number `attempt` (2 for the first retry) is about to be sent."""

    def answered(self, reply: Reply) -> Reply:
        """The call got `reply` (returned, so the caller can return it on)."""
        ...


class WaitRecord(Protocol):
    def finished(self, outcomes: Sequence[object], /) -> None:
        """The wait ended with these outcomes (readings or errors)."""


class BatchRecord(Protocol):
    def finished(self, result: BatchResult[Any], /) -> None:
        """The batch ended with this result."""


class Tracing(Protocol):
    """What an instrumented client traces with (`memos_client.otel.Tracing`)."""

    def call(self, client: Any, spec: RequestSpec) -> AbstractContextManager[CallRecord]: ...

    def wait(
        self, client: Any, handles: Sequence[Any], timeout: float | None, concurrency: int
    ) -> AbstractContextManager[WaitRecord]: ...

    def batch(self, client: Any, concurrency: int) -> AbstractContextManager[BatchRecord]: ...


class _Untraced:
    """The record of a wait or batch when tracing is off: it records nothing."""

    def finished(self, outcome: object, /) -> None:
        pass


UNTRACED = _Untraced()


def wait_span(
    client: Any, handles: Sequence[Any], timeout: float | None, concurrency: int
) -> AbstractContextManager[WaitRecord]:
    """A span around a wait on `handles`, if `client` is traced."""
    tracing: Tracing | None = client._tracing
    if tracing is None:
        return nullcontext(UNTRACED)
    return tracing.wait(client, handles, timeout, concurrency)


def batch_span(client: Any, concurrency: int) -> AbstractContextManager[BatchRecord]:
    """A span around an `add_many`, if `client` is traced."""
    tracing: Tracing | None = client._tracing
    if tracing is None:
        return nullcontext(UNTRACED)
    return tracing.batch(client, concurrency)
