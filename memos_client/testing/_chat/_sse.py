"""Chat's server-sent events: the answer as an `text/event-stream` response.

The sequence (memos-api.md 3.10): a `reasoning` event, the answer in `text`
events of `WORDS_PER_CHUNK` words each, a `: keep-alive` comment after the
first text event, then `{"type": "end", "data": ""}` and a final `data: [DONE]`.
No event has an empty `data:` line: the service sends none, and a client that
parses every `data:` line as JSON would fail on one.
Every event is `event: message\\ndata: <json>\\n\\n`. Each is a separate piece
of the response, so transports can deliver (or cut) the stream event by event.
"""

from __future__ import annotations

import re
from typing import Any

from .._http._wire import FakeResponse, encode_json

__all__ = ["SSE_TYPE", "WORDS_PER_CHUNK", "event_stream", "text_chunks"]

SSE_TYPE = "text/event-stream"
WORDS_PER_CHUNK = 2
KEEP_ALIVE = b": keep-alive\n\n"
DONE = b"data: [DONE]\n\n"


def _event(kind: str, data: str) -> bytes:
    payload: dict[str, Any] = {"type": kind, "data": data}
    return b"event: message\ndata: " + encode_json(payload) + b"\n\n"


def text_chunks(answer: str) -> list[str]:
    """The answer cut into pieces of a few words; joined, they give the answer back."""
    words = re.findall(r"\S+\s*", answer)
    return [
        "".join(words[index : index + WORDS_PER_CHUNK])
        for index in range(0, len(words), WORDS_PER_CHUNK)
    ]


def event_stream(reasoning: str, answer: str) -> FakeResponse:
    """The whole stream as a response of separate pieces."""
    pieces = [_event("reasoning", reasoning)]
    chunks = text_chunks(answer)
    for index, chunk in enumerate(chunks):
        pieces.append(_event("text", chunk))
        if index == 0:
            pieces.append(KEEP_ALIVE)
    if not chunks:
        pieces.append(KEEP_ALIVE)
    pieces += [_event("end", ""), DONE]
    headers = {"content-type": SSE_TYPE, "cache-control": "no-cache"}
    return FakeResponse(200, headers, b"".join(pieces), chunks=tuple(pieces))
