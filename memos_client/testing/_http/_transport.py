"""`FakeTransport`: one httpx transport, sync and async, that calls the fake in process.

Pass it to `httpx.Client(transport=...)` or `httpx.AsyncClient(transport=...)`.
Dropped-connection faults surface as the errors a real network would raise:
`httpx.ConnectError` before processing, `httpx.ReadTimeout` or
`httpx.RemoteProtocolError` after it. Streamed bodies (chat's server-sent
events) are delivered piece by piece; a body cut short (`Fault.stream_cut`)
raises `httpx.RemoteProtocolError` while it is read, after the pieces sent.
The raw, still-escaped path and its query go to the fake, as a server sees them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from .._clock import RealClock
from ._wire import FakeResponse

if TYPE_CHECKING:
    from .._fake import FakeMemOS

__all__ = ["FakeTransport"]


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An in-process transport for a `FakeMemOS`; usable by sync and async clients alike."""

    def __init__(self, fake: FakeMemOS[Any]) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        response = self._fake.handle(request.method, _raw_path(request), request.headers, body)
        if response.delay > 0:
            self._fake.clock.sleep(response.delay)
        return _deliver(request, response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = self._fake.handle(request.method, _raw_path(request), request.headers, body)
        if response.delay > 0:
            if isinstance(self._fake.clock, RealClock):
                from anyio import sleep  # httpx's own dependency; works on asyncio and trio

                await sleep(response.delay)
            else:
                self._fake.clock.sleep(response.delay)
        return _deliver(request, response)

    def __repr__(self) -> str:
        return f"FakeTransport({self._fake!r})"


def _raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii")


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered piece by piece, and cut off when the fault says so."""

    def __init__(self, response: FakeResponse, request: httpx.Request) -> None:
        self._pieces = response.pieces
        self._cut = response.cut_after is not None
        self._request = request

    def _broken(self) -> httpx.RemoteProtocolError:
        return httpx.RemoteProtocolError(
            "MemOS emulator: connection dropped in the middle of the response body (injected)",
            request=self._request,
        )

    def __iter__(self) -> Iterator[bytes]:
        yield from self._pieces
        if self._cut:
            raise self._broken()

    def __aiter__(self) -> AsyncIterator[bytes]:
        # An iterator object, not an async generator: a reader that stops early leaves
        # nothing for trio to report as garbage collected half-way.
        return _AsyncPieces(iter(self._pieces), self._broken if self._cut else None)


class _AsyncPieces:
    """The pieces of a body, then the injected break, for an async reader."""

    def __init__(
        self, pieces: Iterator[bytes], broken: Callable[[], httpx.RemoteProtocolError] | None
    ) -> None:
        self._pieces = pieces
        self._broken = broken

    def __aiter__(self) -> _AsyncPieces:
        return self

    async def __anext__(self) -> bytes:
        for piece in self._pieces:
            return piece
        if self._broken is not None:
            broken, self._broken = self._broken, None
            raise broken()
        raise StopAsyncIteration


def _deliver(request: httpx.Request, response: FakeResponse) -> httpx.Response:
    if response.disconnect == "before":
        raise httpx.ConnectError(
            "MemOS emulator: connection dropped before the request was processed (injected)",
            request=request,
        )
    if response.disconnect == "after":
        message = "MemOS emulator: connection dropped after the request was processed (injected)"
        if response.disconnect_error == "timeout":
            raise httpx.ReadTimeout(message, request=request)
        raise httpx.RemoteProtocolError(message, request=request)
    if response.streamed:
        return httpx.Response(
            response.status,
            headers=list(response.headers.items()),
            stream=_Body(response, request),
            request=request,
        )
    return httpx.Response(
        response.status,
        headers=list(response.headers.items()),
        content=response.body,
        request=request,
    )
