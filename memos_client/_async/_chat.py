"""Chat with memory (answers and streams), and the stateless model endpoints: extract
and rerank (memos-api.md sections 3.10 to 3.12)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING

import httpx
from typing_extensions import Self, Unpack

from .._core._api import endpoint
from .._core._spec import RequestSpec
from .._core._transport import connection_error
from .._streaming import ChatStreamBase
from ._base import AsyncAPIClient, RequestOptions

if TYPE_CHECKING:
    from ..types import ChatEvent, ChatResponse, ExtractResult, RerankResult
    from ..types._params import ChatParams, ExtractParams, RerankParams

__all__ = ["AsyncChatStream", "AsyncModelEndpoints"]

CHAT = endpoint("chat")
CHAT_STREAM = endpoint("chat_stream")
EXTRACT = endpoint("extract")
RERANK = endpoint("rerank")


class AsyncChatStream(ChatStreamBase[AsyncAPIClient]):
    """A streamed chat answer: iterate its typed events, or collect the text.

    ```python
    async with client.chat_stream("Where am I going?", user_id="u1", conversation_id="c1") as s:
        async for event in s:  # event.type: "reasoning", "text" or "end"
            print(event.data, end="")
    ```

    The request is sent on entering the `async with` block (or on the first
    iteration). The stream ends on an `end` event or `[DONE]`; leaving the block
    early closes the connection. `await s.text()` joins the `text` chunks.

    The stream is its own iterator (no generator is left half-read when you stop
    early), so it closes cleanly on asyncio and trio alike.
    """

    def __init__(self, client: AsyncAPIClient, spec: RequestSpec, options: RequestOptions) -> None:
        super().__init__(client, spec)
        self._options = options
        self._chunks: AsyncIterator[bytes] | None = None

    async def __aenter__(self) -> Self:
        await self._start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        self._claim()
        return self

    async def __anext__(self) -> ChatEvent:
        try:
            while not self._pending:
                if self._finished:
                    raise StopAsyncIteration
                await self._fill()
        except BaseException:
            await self.aclose()
            raise
        return self._next_event()

    async def text(self) -> str:
        """The whole answer: every `text` chunk joined (reasoning left out)."""
        return "".join([event.data async for event in self if event.type == "text"])

    async def aclose(self) -> None:
        """Release the connection; safe to call more than once."""
        self._finish()
        chunks, self._chunks = self._chunks, None
        closer = getattr(chunks, "aclose", None)
        if closer is not None:
            await closer()
        response, self._response = self._response, None
        if response is not None:
            await response.aclose()

    async def _start(self) -> None:
        if self._started:
            return
        self._started = True
        self._begin(await self._client._send(self._spec, self._options, stream=True))

    async def _fill(self) -> None:
        """Read on until at least one event is pending or the stream is over."""
        await self._start()
        response = self._response
        if response is None:
            self._take_answer()
            return
        if self._chunks is None:
            self._chunks = response.aiter_bytes()
        hide = self._client._config.api_key.redactor().data
        try:
            # Hidden before it is bound: this frame may end up in a traceback. A key
            # cut in two by a chunk boundary is hidden once its line is whole (`_take`).
            chunk = hide(await self._chunks.__anext__())
        except StopAsyncIteration:
            self._take(self._splitter.close(), last=True)
            return
        except httpx.RequestError as exc:
            error = self._client._hide(connection_error(exc, self._spec, str(response.request.url)))
        else:
            self._take(self._splitter.feed(chunk), last=False)
            return
        raise error  # outside the except block: the httpx error holds the request


class AsyncModelEndpoints(AsyncAPIClient):
    """Chat, extract and rerank; `AsyncMemOS` inherits them."""

    async def chat(self, query: str, **params: Unpack[ChatParams]) -> ChatResponse:
        """Answer `query` with MemOS's model, using the user's memories (chat).

        `user_id` and `conversation_id` are required; every documented chat field is
        a keyword argument (see `ChatParams`). The turn is written to memory unless
        `add_message_on_answer=False`; only then is a timed-out chat retried.
        """
        answer: ChatResponse = await self._call(CHAT, params, query)
        return answer

    def chat_stream(self, query: str, **params: Unpack[ChatParams]) -> AsyncChatStream:
        """Like `chat`, streamed: returns the stream itself (not awaited); use it with
        `async with` and iterate its `ChatEvent`s. Arguments are checked at once."""
        spec, options = self._prepare(CHAT_STREAM, params, (query,))
        self._payload(spec, options)  # a body that cannot be sent fails here, at once
        return AsyncChatStream(self, spec, options)

    async def extract(
        self, messages: Sequence[Mapping[str, str]], **params: Unpack[ExtractParams]
    ) -> ExtractResult:
        """Extract facts and preferences from `{role, content}` messages without storing
        anything (extract/memory). `extraction_types`: `memory`, `preference` (default both)."""
        result: ExtractResult = await self._call(EXTRACT, params, messages)
        return result

    async def rerank(
        self, query: str, documents: Sequence[str], **params: Unpack[RerankParams]
    ) -> RerankResult:
        """Rank `documents` by relevance to `query`, best first (rerank). `model`:
        `memos-reranker-0.6b` or `memos-reranker-4b`. Accepts the enveloped and the
        bare answer shapes that MemOS has used."""
        result: RerankResult = await self._call(RERANK, params, query, documents)
        return result
