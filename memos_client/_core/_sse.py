"""Parse MemOS chat's server-sent events, line by line (memos-api.md section 3.10).

Each event's `data:` is JSON `{"type": "reasoning" | "text" | "end", "data": "..."}`.
The stream ends on an `end` event or a `data: [DONE]` line (sources disagree, so
both work). Comments (`: keep-alive`), `event:`/`id:`/`retry:` fields and blank
`data:` lines are skipped. A `data:` payload may span several lines; it is
dispatched as soon as it parses, or at the blank line that ends the event.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .._exceptions import APIError
from ._envelope import SUCCESS_CODES, bounded, code_of, text_of
from ._errors import api_error

__all__ = ["DONE", "LineSplitter", "SSEParser", "as_text"]

DONE = "[DONE]"
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineSplitter:
    """Bytes in, lines out, as the SSE spec says: UTF-8 (bad bytes replaced), lines
    ended by CR, LF or CRLF only. (`httpx`'s `iter_lines` also splits on NEL, U+2028
    and the like, which an event's text may hold.) A CR at the end of a chunk waits
    for the next one, in case an LF follows."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""

    def feed(self, chunk: bytes) -> list[str]:
        text = self._buffer + self._decoder.decode(chunk)
        if text.endswith("\r"):
            text, self._buffer = text[:-1], "\r"
        else:
            self._buffer = ""
        parts = LINE_BREAK.split(text)
        self._buffer = parts.pop() + self._buffer
        return parts

    def close(self) -> list[str]:
        text = self._buffer + self._decoder.decode(b"", final=True)
        self._buffer = ""
        return [line for line in LINE_BREAK.split(text) if line] if text else []


@dataclass
class SSEParser:
    """Feed lines (without their newline); get back `(type, data)` pairs or `DONE`."""

    path: str = "chat"
    # For a chat that stores the turn (a write): how to check whether it landed.
    processing_hint: str | None = None
    _pending: list[str] = field(default_factory=list)
    finished: bool = False

    def feed(self, line: str) -> list[tuple[str, str] | str]:
        """The events completed by this line, in order. Raises on an error event."""
        if self.finished:
            return []
        if not line.strip():
            return self._flush(force=True)
        if line.startswith(":"):
            return []
        name, _, value = line.partition(":")
        if name != "data":
            return []
        self._pending.append(value[1:] if value.startswith(" ") else value)
        return self._flush(force=False)

    def close(self) -> list[tuple[str, str] | str]:
        """Whatever the last, unterminated event held."""
        return self._flush(force=True)

    def _flush(self, *, force: bool) -> list[tuple[str, str] | str]:
        raw = "\n".join(self._pending).strip()
        if not raw:
            self._pending.clear()
            return []
        if raw == DONE:
            self._pending.clear()
            self.finished = True
            return [DONE]
        try:
            payload = json.loads(raw)
        except ValueError:
            if not force:
                return []  # a JSON payload spread over several data lines: wait for more
            self._pending.clear()
            return [("text", raw)]  # plain text data, taken as it is
        except RecursionError:
            self._pending.clear()
            return [("text", raw)]  # nested too deeply to be an event: taken as text
        self._pending.clear()
        event = self._event(payload)
        if event[0] == "end":
            self.finished = True
        return [event]

    def _event(self, payload: Any) -> tuple[str, str]:
        if isinstance(payload, dict):
            if "type" in payload:
                return text_of(payload["type"]), as_text(payload.get("data"))
            code = code_of(payload)
            if code is not None and code not in SUCCESS_CODES:
                raise self._error(code, payload)
        return "text", as_text(payload)

    def _error(self, code: int, payload: dict[str, Any]) -> APIError:
        return api_error(
            code=code,
            message=text_of(payload.get("message")),
            http_status=200,
            method="POST",
            path=self.path,
            request_id=None,
            body=bounded(payload),
            processing_hint=self.processing_hint,
        )


def as_text(data: object) -> str:
    """An event's data as text: strings as sent, other JSON re-encoded."""
    if isinstance(data, str):
        return data
    if data is None:
        return ""
    try:
        return json.dumps(data, ensure_ascii=False)
    except (RecursionError, ValueError):
        return text_of(data)
