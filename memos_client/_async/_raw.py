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
(`chat_stream`, `iter_pages`, `task`) or many (`wait_all`) are refused. What does no
I/O lives in `memos_client._rawbase`, shared with the other client.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .._context import REQUEST_ID
from .._rawbase import RawProxyBase, RawResponseBase, capture, last_reply

__all__ = ["AsyncRawProxy", "AsyncRawResponse"]

T = TypeVar("T")


class AsyncRawResponse(RawResponseBase[T]):
    """The HTTP answer of one call, and its usual typed result through `parse()`."""

    async def parse(self) -> T:
        """The usual typed result of the call."""
        return self._parsed


class AsyncRawProxy(RawProxyBase):
    """What `client.with_raw_response` (or a resource under it) is: the same calls,
    answered with a raw response (`AsyncRawResponse`)."""

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def call(*args: Any, **kwargs: Any) -> AsyncRawResponse[Any]:
            with capture() as replies:
                result = method(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
            return AsyncRawResponse(last_reply(replies), result, REQUEST_ID.get())

        return call
