"""`client.with_raw_response`: any call, answered with the HTTP response it came from.

```python
raw = await client.with_raw_response.search("where?", user_id="u1")
raw.status_code, raw.headers, raw.request_id, raw.elapsed
hits = await raw.parse()  # the usual SearchResult
raw = await client.with_raw_response.memories.list(user_id="u1")  # resources too
```

It works for every call that sends one request and decodes its answer: the proxy
runs the call as usual while a context variable collects the replies it received
(several when retried; the last one is the answer). Calls that send nothing yet
(`chat_stream`, `iter_pages`, `task`) or many (`wait_all`) are refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

import httpx

from .._context import CAPTURE, REQUEST_ID
from .._exceptions import UsageError

if TYPE_CHECKING:
    from .._core._spec import Reply

__all__ = ["AsyncRawProxy", "AsyncRawResponse"]

T = TypeVar("T")
NOT_ONE_REQUEST = frozenset(
    {"chat_stream", "iter_pages", "task", "handle", "wait_all", "with_options", "close", "aclose"}
)


class AsyncRawResponse(Generic[T]):
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
        return self._reply.http_status

    @property
    def headers(self) -> httpx.Headers:
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

    async def parse(self) -> T:
        """The usual typed result of the call."""
        return self._parsed

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


class AsyncRawProxy:
    """What `client.with_raw_response` (or a resource under it) is: the same calls,
    answered with an `AsyncRawResponse`."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if name in NOT_ONE_REQUEST or name.startswith("_"):
            raise UsageError(
                f"with_raw_response.{name} is not available: it does not send exactly one "
                "request; call it on the client itself"
            )
        if hasattr(attribute, "_client") and not callable(attribute):
            return AsyncRawProxy(attribute)  # a resource: client.with_raw_response.memories
        if not callable(attribute):
            raise AttributeError(name)
        return _raw_call(attribute)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._target).__name__}>"


def _raw_call(method: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> AsyncRawResponse[Any]:
        replies: list[Reply] = []
        token = CAPTURE.set(replies)
        try:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        finally:
            CAPTURE.reset(token)
        if not replies:
            raise UsageError("this call answered without a request to show as raw")
        reply = replies[-1]
        return AsyncRawResponse(reply, result, REQUEST_ID.get())

    call.__name__ = getattr(method, "__name__", "call")
    call.__doc__ = method.__doc__
    return call
