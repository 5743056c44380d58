"""Constants and small builders shared by the tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from memos_client.types import MessageParam

BASE_URL = "https://memos.test/api/openmem/v1"
API_KEY = "sk-test-0123456789abcdef"
MESSAGES: list[MessageParam] = [
    {"role": "user", "content": "I booked a trip to Guangzhou for the summer"}
]


def envelope(data: Any = None, code: int = 0, message: str = "ok") -> dict[str, Any]:
    return {"code": code, "data": data, "message": message}


def ok(data: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=envelope(data), headers=headers)


def business_error(code: int, message: str = "no", status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=envelope(None, code, message))


def accepted(task_id: str = "t1", status: str = "running") -> httpx.Response:
    return ok({"success": True, "task_id": task_id, "status": status})


def status(state: str | None, task_id: str = "t1", **extra: Any) -> httpx.Response:
    return ok({"task_id": task_id, "status": state, **extra})


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given pieces (to both client kinds), optionally
    breaking after `fail_after` pieces, and recording whether the client closed it."""

    def __init__(self, pieces: list[bytes], fail_after: int | None = None) -> None:
        self.pieces = pieces
        self.fail_after = fail_after
        self.served = 0
        self.closed = False

    def _next(self, index: int, piece: bytes) -> bytes:
        if self.fail_after is not None and index >= self.fail_after:
            raise httpx.ReadError("connection reset mid-stream")
        self.served += 1
        return piece

    def __iter__(self) -> Iterator[bytes]:
        for index, piece in enumerate(self.pieces):
            yield self._next(index, piece)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, piece in enumerate(self.pieces):
            yield self._next(index, piece)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse(*events: str | dict[str, Any]) -> list[bytes]:
    """SSE lines for `events` (dicts become `data:` JSON events, strings are raw lines)."""
    lines: list[str] = []
    for event in events:
        if isinstance(event, dict):
            lines += ["event: message", f"data: {json.dumps(event)}", ""]
        else:
            lines.append(event)
    return [("\n".join(lines) + "\n").encode()]


def event_stream(
    pieces: list[bytes], fail_after: int | None = None
) -> tuple[httpx.Response, Chunks]:
    body = Chunks(pieces, fail_after)
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body), body
