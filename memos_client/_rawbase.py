"""What `client.with_raw_response` does without I/O, shared by both clients: the raw
response's fields, the proxy's choice of what it wraps, and the capture of replies.

The subclasses in `_async` (and `_sync`, generated from them) add `parse()` and the
wrapper that runs a call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

import httpx

from ._context import CAPTURE
from ._exceptions import UsageError

if TYPE_CHECKING:
    from ._core._spec import Reply

__all__ = ["RawProxyBase", "RawResponseBase", "capture", "last_reply"]

T = TypeVar("T")


class RawResponseBase(Generic[T]):
    """The HTTP answer of one call, and its usual typed result through `parse()`."""

    def __init__(self, reply: Reply, parsed: T, request_id: str | None = None) -> None:
        self._reply = reply
        self._parsed = parsed
        self._request_id = request_id

    @property
    def http_response(self) -> httpx.Response:
        """The httpx response (its body already read)."""
        response: httpx.Response = self._reply.response
        return response

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer (the last one, when the call was retried)."""
        return self._reply.http_status

    @property
    def headers(self) -> httpx.Headers:
        """The answer's HTTP headers (case-insensitive)."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's request id (`x-request-id` and the like), for support tickets:
        the one the parsed result carries as `._request_id`."""
        return self._request_id

    @property
    def elapsed(self) -> float:
        """Seconds from sending the request to having read the answer, measured by the
        SDK, so it works over any transport, the emulator's in-process one included."""
        return self._reply.elapsed

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [{self.status_code}] request_id={self.request_id!r} "
            f"elapsed={self.elapsed * 1000:.1f} ms>"
        )

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} cannot be pickled: its request carries your API key; "
            "pickle what parse() returns"
        )


class RawProxyBase:
    """What `client.with_raw_response` (or a resource under it) is: the same calls,
    answered with a raw response. Subclasses declare one typed slot per call and say
    how to run one (`_wrap`); any other name is refused, saying why."""

    def __init__(self, target: Any) -> None:
        self._target = target

    if not TYPE_CHECKING:  # for type checkers an unknown name stays an error

        def __getattr__(self, name: str) -> NoReturn:
            getattr(self._target, name)  # an AttributeError for a name nothing has
            raise UsageError(
                f"with_raw_response.{name} is not available: it does not send exactly one "
                "request; call it on the client itself"
            )

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        """`method`, answering with a raw response."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._target).__name__}>"


@contextmanager
def capture() -> Iterator[list[Reply]]:
    """Collect the replies received inside the block (see `_context.CAPTURE`)."""
    replies: list[Reply] = []
    token = CAPTURE.set(replies)
    try:
        yield replies
    finally:
        CAPTURE.reset(token)


def last_reply(replies: list[Reply]) -> Reply:
    """The reply a call answered with: the last one received (several when retried)."""
    if not replies:
        raise UsageError("this call answered without a request to show as raw")
    return replies[-1]
