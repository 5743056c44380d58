"""`client.with_raw_response`: any call, answered with the HTTP response it came from.

```python
raw = await client.with_raw_response.search("where?", user_id="u1")
raw.status_code, raw.headers, raw.request_id, raw.elapsed
hits = await raw.parse()  # the usual SearchResult
raw = await client.with_raw_response.memories.list(user_id="u1")  # resources too
```

It works for every call that sends one request and decodes its answer: the proxy
runs the call as usual while a context variable collects the replies it received
(several when retried; the last one is the answer). Each call is a typed slot
(`RawCall`) built from the method it mirrors, so a type checker knows that
`with_raw_response.search(...)` takes `search`'s arguments and that its `parse()`
gives a `SearchResult`. Calls that send nothing yet (`chat_stream`, `iter_pages`,
`task`) or many (`wait_all`) have no slot and are refused. What does no I/O lives in
`memos_client._rawbase`, shared with the other client.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, Generic, TypeVar, cast, overload

from typing_extensions import ParamSpec, Self

from .._context import REQUEST_ID
from .._rawbase import RawProxyBase, RawResponseBase, capture, last_reply
from ._client import AsyncMemOS
from ._knowledgebases import AsyncKnowledgeBaseFiles, AsyncKnowledgeBases
from ._memories import AsyncFeedback, AsyncMemories, AsyncMessages
from ._profiles import AsyncProfiles, AsyncProfileTemplates

__all__ = ["AsyncRawProxy", "AsyncRawResponse"]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


class AsyncRawResponse(RawResponseBase[T]):
    """The HTTP answer of one call, and its usual typed result through `parse()`."""

    async def parse(self) -> T:
        """The usual typed result of the call."""
        return self._parsed


class RawCall(Generic[P, R]):
    """One call of a raw proxy: the method it mirrors, answering with a raw response.

    Typed from that method (its parameters `P`, its result `R`), so the proxy cannot
    drift from the client's signatures.
    """

    def __init__(self, method: Callable[Concatenate[Any, P], Awaitable[R]]) -> None:
        self.name = method.__name__

    @overload
    def __get__(self, proxy: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, proxy: AsyncRawProxy, owner: type[Any]
    ) -> Callable[P, Awaitable[AsyncRawResponse[R]]]: ...
    def __get__(self, proxy: AsyncRawProxy | None, owner: type[Any]) -> Any:
        if proxy is None:
            return self
        return proxy._wrap(getattr(proxy._target, self.name))


class AsyncRawProxy(RawProxyBase):
    """What `client.with_raw_response` and its resources derive from: runs one call of
    the target and answers with an `AsyncRawResponse`."""

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def call(*args: Any, **kwargs: Any) -> AsyncRawResponse[Any]:
            with capture() as replies:
                result = method(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
            return AsyncRawResponse(last_reply(replies), result, REQUEST_ID.get())

        call.__name__ = getattr(method, "__name__", "call")
        call.__doc__ = method.__doc__
        return call


class AsyncRawMemories(AsyncRawProxy):
    """`client.with_raw_response.memories`."""

    list = RawCall(AsyncMemories.list)
    get = RawCall(AsyncMemories.get)
    delete = RawCall(AsyncMemories.delete)
    update = RawCall(AsyncMemories.update)


class AsyncRawMessages(AsyncRawProxy):
    """`client.with_raw_response.messages`."""

    list = RawCall(AsyncMessages.list)


class AsyncRawFeedback(AsyncRawProxy):
    """`client.with_raw_response.feedback`."""

    add = RawCall(AsyncFeedback.add)


class AsyncRawKnowledgeBaseFiles(AsyncRawProxy):
    """`client.with_raw_response.knowledgebases.files`."""

    add = RawCall(AsyncKnowledgeBaseFiles.add)
    list = RawCall(AsyncKnowledgeBaseFiles.list)
    get = RawCall(AsyncKnowledgeBaseFiles.get)
    delete = RawCall(AsyncKnowledgeBaseFiles.delete)
    update = RawCall(AsyncKnowledgeBaseFiles.update)


class AsyncRawKnowledgeBases(AsyncRawProxy):
    """`client.with_raw_response.knowledgebases`."""

    create = RawCall(AsyncKnowledgeBases.create)
    delete = RawCall(AsyncKnowledgeBases.delete)

    @property
    def files(self) -> AsyncRawKnowledgeBaseFiles:
        return AsyncRawKnowledgeBaseFiles(cast(AsyncKnowledgeBases, self._target).files)


class AsyncRawProfileTemplates(AsyncRawProxy):
    """`client.with_raw_response.profiles.templates`."""

    create = RawCall(AsyncProfileTemplates.create)
    update = RawCall(AsyncProfileTemplates.update)
    get = RawCall(AsyncProfileTemplates.get)
    list = RawCall(AsyncProfileTemplates.list)
    delete = RawCall(AsyncProfileTemplates.delete)
    bind = RawCall(AsyncProfileTemplates.bind)


class AsyncRawProfiles(AsyncRawProxy):
    """`client.with_raw_response.profiles`."""

    edit = RawCall(AsyncProfiles.edit)
    delete = RawCall(AsyncProfiles.delete)

    @property
    def templates(self) -> AsyncRawProfileTemplates:
        return AsyncRawProfileTemplates(cast(AsyncProfiles, self._target).templates)


class AsyncRawClient(AsyncRawProxy):
    """`client.with_raw_response`: the client's calls and resources, answered raw."""

    add = RawCall(AsyncMemOS.add)
    search = RawCall(AsyncMemOS.search)
    get_status = RawCall(AsyncMemOS.get_status)
    chat = RawCall(AsyncMemOS.chat)
    extract = RawCall(AsyncMemOS.extract)
    rerank = RawCall(AsyncMemOS.rerank)

    @property
    def memories(self) -> AsyncRawMemories:
        return AsyncRawMemories(self._client.memories)

    @property
    def messages(self) -> AsyncRawMessages:
        return AsyncRawMessages(self._client.messages)

    @property
    def feedback(self) -> AsyncRawFeedback:
        return AsyncRawFeedback(self._client.feedback)

    @property
    def knowledgebases(self) -> AsyncRawKnowledgeBases:
        return AsyncRawKnowledgeBases(self._client.knowledgebases)

    @property
    def profiles(self) -> AsyncRawProfiles:
        return AsyncRawProfiles(self._client.profiles)

    @property
    def _client(self) -> AsyncMemOS:
        return cast(AsyncMemOS, self._target)
