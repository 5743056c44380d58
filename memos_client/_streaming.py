"""`ChatStreamBase`: the I/O-free part of a streamed chat answer, shared by the async
chat stream and the generated sync one.

It turns the answer's lines into typed `ChatEvent`s queued until they are read, and
knows when the stream is over. The subclasses in `_async` (and `_sync`, generated
from them) send the request, read the chunks and close the connection.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import httpx
from typing_extensions import ParamSpec

from . import types as _types
from ._core import _decode
from ._core._sse import DONE, LineSplitter, SSEParser, as_text
from ._exceptions import UsageError

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._core._spec import Reply, RequestSpec
    from .types import ChatEvent

__all__ = ["ChatStreamBase", "StreamClient"]

P = ParamSpec("P")
T = TypeVar("T")


class StreamClient(Protocol):
    """What a chat stream needs from its client, I/O aside."""

    @property
    def _config(self) -> ClientConfig: ...

    def _parse(self, decoder: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T: ...


C = TypeVar("C", bound=StreamClient)


class ChatStreamBase(Generic[C]):
    """A streamed chat answer's state: the events parsed and not yet read."""

    def __init__(self, client: C, spec: RequestSpec) -> None:
        self._client = client
        self._spec = spec
        self._response: httpx.Response | None = None
        self._answer: Any = None
        self._started = False
        self._consumed = False
        self._finished = False
        self._pending: deque[ChatEvent] = deque()
        hint = spec.check_hint if spec.kind == "write" else None
        self._parser = SSEParser(processing_hint=hint)
        self._splitter = LineSplitter()

    def _claim(self) -> None:
        """Mark the stream as being read: it can be read only once."""
        if self._consumed:
            raise UsageError("a chat stream can be read only once; start a new one")
        self._consumed = True

    def _next_event(self) -> ChatEvent:
        """The first pending event; an `end` event finishes the stream."""
        event = self._pending.popleft()
        if event.type == "end":
            self._finish()
        return event

    def _finish(self) -> None:
        self._finished = True
        self._pending.clear() if self._pending and self._pending[-1].type != "end" else None

    def _begin(self, reply: Reply) -> None:
        """Keep the streamed response, or the answer if the server sent it in one piece."""
        if isinstance(reply.data, httpx.Response):
            self._response = reply.data
        else:
            self._answer = reply.data  # the server answered in one piece after all

    def _take_answer(self) -> None:
        """Queue an answer sent in one piece: its text, then the end."""
        answer = self._client._parse(
            _decode.model, _types.ChatResponse, self._answer, "chat"
        ).response
        self._pending.append(_types.ChatEvent(type="text", data=as_text(answer)))
        self._pending.append(_types.ChatEvent(type="end"))
        self._finished = True

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
