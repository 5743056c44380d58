"""Chat with memory (answers and streams), and the stateless model endpoints: extract
and rerank (memos-api.md sections 3.10 to 3.12)."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx
from typing_extensions import Self, Unpack

from .. import types as _types
from .._core import _decode
from .._core._api import endpoint
from .._core._spec import RequestSpec
from .._core._sse import DONE, LineSplitter, SSEParser, as_text
from .._core._transport import connection_error
from .._exceptions import UsageError
from ._base import AsyncAPIClient, RequestOptions

if TYPE_CHECKING:
    from ..types import ChatEvent, ChatResponse, ExtractResult, RerankResult
    from ..types._params import ChatParams, ExtractParams, RerankParams

__all__ = ["AsyncChatStream", "AsyncModelEndpoints"]

CHAT = endpoint("chat")
CHAT_STREAM = endpoint("chat_stream")
EXTRACT = endpoint("extract")
RERANK = endpoint("rerank")


class AsyncChatStream:
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
        self._client = client
        self._spec = spec
        self._options = options
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._answer: Any = None
        self._started = False
        self._consumed = False
        self._finished = False
        self._pending: deque[ChatEvent] = deque()
        hint = spec.check_hint if spec.kind == "write" else None
        self._parser = SSEParser(processing_hint=hint)
        self._splitter = LineSplitter()

    async def __aenter__(self) -> Self:
        await self._start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        if self._consumed:
            raise UsageError("a chat stream can be read only once; start a new one")
        self._consumed = True
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
        event = self._pending.popleft()
        if event.type == "end":
            self._finish()
        return event

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

    def _finish(self) -> None:
        self._finished = True
        self._pending.clear() if self._pending and self._pending[-1].type != "end" else None

    async def _start(self) -> None:
        if self._started:
            return
        self._started = True
        reply = await self._client._send(self._spec, self._options, stream=True)
        if isinstance(reply.data, httpx.Response):
            self._response = reply.data
        else:
            self._answer = reply.data  # the server answered in one piece after all

    async def _fill(self) -> None:
        """Read on until at least one event is pending or the stream is over."""
        await self._start()
        response = self._response
        if response is None:
            answer = self._client._parse(
                _decode.model, _types.ChatResponse, self._answer, "chat"
            ).response
            self._pending.append(_types.ChatEvent(type="text", data=as_text(answer)))
            self._pending.append(_types.ChatEvent(type="end"))
            self._finished = True
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

    def _take(self, lines: list[str], *, last: bool) -> None:
        """Parse lines into pending events. Each line has the API key hidden first, so
        that no frame that could end up in a traceback (the parser's) holds one."""
        hide = self._client._config.api_key.redactor().text
        items = [item for line in lines for item in self._parser.feed(hide(line))]
        if last:
            items += self._parser.close()
            self._finished = True
        for item in items:
            if item == DONE:
                self._finished = True
                return
            self._pending.append(_types.ChatEvent(type=item[0], data=item[1]))


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
