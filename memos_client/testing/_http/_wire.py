"""Wire-level values: the emulator's response type, its error, and the MemOS envelope.

Everything here is plain data. Nothing reads sockets or clocks; the transports
and the HTTP server turn a `FakeResponse` into real bytes on their own side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

__all__ = [
    "ApiError",
    "Disconnect",
    "FakeResponse",
    "bad_request",
    "envelope",
    "json_response",
]

Disconnect = Literal["before", "after"]
"""How a request's connection is dropped: before it was processed, or after."""

JSON_TYPE = "application/json"


@dataclass(frozen=True)
class FakeResponse:
    """What `FakeMemOS.handle()` answers: an HTTP response, or a dropped connection.

    Attributes:
        status: the HTTP status code (0 when dropped before processing).
        headers: response headers (lower-case names).
        body: the raw response body.
        delay: seconds of real time the caller should wait before delivering the
            response (latency faults on a real clock; always 0 on a manual clock,
            which has already been advanced).
        disconnect: when set, the caller must not deliver the response but drop
            the connection: `"before"` means the request was not processed,
            `"after"` means it was processed and stored.
        disconnect_error: for `"after"`, which client error an in-process
            transport raises: `"timeout"` (`httpx.ReadTimeout`) or `"disconnect"`
            (`httpx.RemoteProtocolError`).
        chunks: the body in the pieces a streaming server sends them (chat's
            server-sent events); empty for an ordinary one-piece body. `body` is
            always the whole body.
        cut_after: when set, deliver only this many pieces of the body and then
            drop the connection (a stream cut off mid-way).
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    disconnect: Disconnect | None = None
    disconnect_error: Literal["timeout", "disconnect"] = "timeout"
    chunks: tuple[bytes, ...] = ()
    cut_after: int | None = None

    @property
    def streamed(self) -> bool:
        """Whether the body goes out piece by piece (a stream, or a body that is cut)."""
        return bool(self.chunks) or self.cut_after is not None

    @property
    def pieces(self) -> tuple[bytes, ...]:
        """The body's pieces to deliver, already cut short when `cut_after` is set."""
        pieces = self.chunks or (self.body,)
        return pieces if self.cut_after is None else pieces[: self.cut_after]

    def json(self) -> Any:
        """The body decoded as JSON (raises `ValueError` when it is not JSON)."""
        return json.loads(self.body)

    @property
    def reason(self) -> str:
        """The standard reason phrase for `status` (`"OK"`, `"Bad Gateway"`, ...)."""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""


class ApiError(Exception):
    """A business error: the handler refuses the request with a MemOS error code.

    Raised inside endpoint handlers and turned into the documented envelope
    `{"code": <code>, "data": null, "message": <message>}`, normally in HTTP 200.
    """

    def __init__(self, code: int, message: str, *, http_status: int = 200) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status


def bad_request(detail: str, *, http_status: int = 200) -> ApiError:
    """A 40000 error whose message names what was wrong (never a bare `{0}` placeholder)."""
    return ApiError(40000, f"Invalid request parameters: {detail}", http_status=http_status)


def envelope(code: int, data: Any, message: str) -> dict[str, Any]:
    """The MemOS response envelope."""
    return {"code": code, "data": data, "message": message}


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, keeping non-ASCII text readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> FakeResponse:
    """A JSON response with the right content type."""
    merged = {"content-type": JSON_TYPE, **(headers or {})}
    return FakeResponse(status=status, headers=merged, body=encode_json(value))
