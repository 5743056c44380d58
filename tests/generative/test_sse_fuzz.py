"""The chat stream, fuzzed (issue 7), on both clients, and its pure parser.

- Whatever a `200 text/event-stream` answer holds (comments, `event:`/`id:`/`retry:`
  fields, JSON events of odd types, error events, `[DONE]`, invalid UTF-8, any line
  endings, huge or deeply nested lines) and however it is split into chunks,
  iterating the stream yields `ChatEvent`s or raises a `MemOSError`, nothing else,
  and the response is closed afterwards.
- A well-formed stream round-trips: the events sent are the events received, in
  order, whatever the chunking, line endings, JSON spelling (ASCII-escaped or raw
  UTF-8, on one line or spread over several `data:` lines) and interleaved noise.
- `SSEParser` itself: any lines give `(type, data)` string pairs or `DONE`, or raise
  a `MemOSError`, and nothing comes after the end.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given, strategies as st

from memos_client import MemOSError
from memos_client._core._sse import DONE, SSEParser
from memos_client.types import ChatEvent
from tests.helpers import Chunks

from ._support import (
    FLAVOURS,
    UTF8,
    Call,
    Flavour,
    Recorder,
    Strategy,
    async_client,
    exercise_error,
    perform,
    surrogates,
    sync_client,
)

CHAT = Call(
    "chat_stream",
    ("query",),
    {"query": "Where am I going?", "user_id": "u1", "conversation_id": "c1"},
)
# Everything str.splitlines() splits on; SSE itself ends lines at CR, LF and CRLF only.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
one_line = st.text(UTF8.filter(lambda char: char not in LINE_BREAKS), max_size=20)
small_json: Strategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(UTF8, max_size=12)
    | surrogates,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
error_codes: Strategy[Any] = st.one_of(
    st.sampled_from([40132, 40300, 50000, 40000, 0, 200, -1, 10**30, "40132", "¹", "9" * 4400]),
    small_json,
)


def _data(payload: str | bytes) -> bytes:
    return b"data: " + (
        payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
    )


@st.composite
def json_event(draw: st.DrawFn) -> bytes:
    payload = {
        "type": draw(small_json | st.sampled_from(["text", "reasoning", "end"])),
        "data": draw(small_json),
    }
    if draw(st.booleans()):
        del payload["data"]
    return _data(json.dumps(payload, ensure_ascii=draw(st.booleans())))


@st.composite
def error_event(draw: st.DrawFn) -> bytes:
    payload = {"code": draw(error_codes), "message": draw(small_json)}
    return _data(json.dumps(payload, ensure_ascii=draw(st.booleans())))


@st.composite
def nested_line(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(10, 6000))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"type":', b"}"), (b'{"a":', b"}")]))
    middle = b"" if opener == b"[" else b'"text"'
    return _data(opener * depth + middle + closer * depth)


sse_lines: Strategy[bytes] = st.one_of(
    one_line.map(lambda text: b":" + text.encode()),
    st.tuples(
        st.sampled_from(["event", "id", "retry", "data", "x"]),
        st.sampled_from([":", ": ", ""]),
        one_line,
    ).map(lambda parts: "".join(parts).encode()),
    json_event(),
    error_event(),
    st.sampled_from([b"data: [DONE]", b"data:[DONE]", b"data: [DONE] ", b"data:", b"data: ", b""]),
    one_line.map(_data),
    nested_line(),
    st.integers(1_000, 70_000).map(lambda size: _data(b"x" * size)),  # huge lines
    st.binary(max_size=12).map(_data),  # invalid UTF-8 too
    st.binary(max_size=24),
)
terminators = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def chunked(draw: st.DrawFn, body: bytes) -> list[bytes]:
    """`body` cut at a few arbitrary places."""
    cuts = sorted(set(draw(st.lists(st.integers(0, len(body)), max_size=8))))
    edges = [0, *cuts, len(body)]
    return [
        body[start:end] for start, end in zip(edges, edges[1:], strict=False) if end > start
    ] or [b""]


@st.composite
def junk_streams(draw: st.DrawFn) -> list[bytes]:
    lines = draw(st.lists(sse_lines, max_size=12))
    mixed = draw(st.booleans())
    fixed = draw(terminators)
    body = b"".join(line + (draw(terminators) if mixed else fixed) for line in lines)
    if draw(st.booleans()) and body:
        body = body[: draw(st.integers(0, len(body)))]  # the connection ends mid-line
    return draw(chunked(body))


@dataclass
class Streamed:
    events: list[ChatEvent] | None
    error: MemOSError | None
    chunks: Chunks


def stream(flavour: Flavour, pieces: list[bytes]) -> Streamed:
    """chat_stream against a 200 event-stream of `pieces`; iterated to the end."""
    chunks = Chunks(pieces)

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=chunks)

    try:
        events = perform(flavour, Recorder(respond), CHAT)
    except MemOSError as error:
        return Streamed(None, error, chunks)
    return Streamed(events, None, chunks)


# --------------------------------------------------------------------------- any stream


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(pieces=junk_streams())
def test_any_stream_yields_chat_events_or_raises_a_memos_error_and_is_closed(
    flavour: Flavour, pieces: list[bytes]
) -> None:
    result = stream(flavour, pieces)
    if result.error is not None:
        exercise_error(result.error)
    else:
        assert result.events is not None
        for event in result.events:
            assert isinstance(event, ChatEvent)
            assert isinstance(event.type, str) and isinstance(event.data, str)
            assert repr(event) and event.model_dump()
    assert result.chunks.closed, "the response was not closed"


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(pieces=junk_streams(), stop_after=st.integers(0, 3))
def test_leaving_a_stream_early_closes_it(
    flavour: Flavour, pieces: list[bytes], stop_after: int
) -> None:
    chunks = Chunks(pieces)

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=chunks)

    transport = httpx.MockTransport(respond)
    args, kwargs = CHAT.split()
    try:
        if flavour == "sync":
            with httpx.Client(transport=transport) as http, sync_client(http) as client:
                with client.chat_stream(*args, **kwargs) as chat:
                    for index, _ in enumerate(chat):
                        if index >= stop_after:
                            break
        else:

            async def run() -> None:
                async with httpx.AsyncClient(transport=transport) as http:
                    async with async_client(http) as client:
                        async with client.chat_stream(*args, **kwargs) as chat:
                            index = 0
                            async for _ in chat:
                                if index >= stop_after:
                                    break
                                index += 1

            asyncio.run(run())
    except MemOSError:
        pass
    assert chunks.closed, "the response was not closed"


# --------------------------------------------------------------------------- round trip

event_types = st.sampled_from(["text", "reasoning"]) | st.text(UTF8, min_size=1, max_size=8).filter(
    lambda kind: kind != "end"
)
# Text as a model writes it, with the characters that only look like line breaks.
event_data = st.text(UTF8, max_size=16) | st.text(
    st.sampled_from(["a", " ", "中", '"', "\\", "\n", "\r", *LINE_BREAKS[2:]]), max_size=8
)
noise: Strategy[str] = st.one_of(
    one_line.map(lambda text: ":" + text),
    st.sampled_from(["event: message", "event: delta", "id: 7", "retry: 1000", "data:", "data: "]),
)


@dataclass(frozen=True)
class Conversation:
    """A well-formed stream: the lines to send and the events they must give."""

    lines: tuple[str, ...]
    terminator: str
    expected: tuple[tuple[str, str], ...]

    def body(self) -> bytes:
        return "".join(line + self.terminator for line in self.lines).encode("utf-8")


@st.composite
def conversations(draw: st.DrawFn) -> Conversation:
    events = draw(st.lists(st.tuples(event_types, event_data), max_size=5))
    ending = draw(st.sampled_from(["end", "end then done", "done", "connection closes"]))
    lines: list[str] = []
    for kind, data in events:
        lines += draw(st.lists(noise, max_size=2))
        text = json.dumps(
            {"type": kind, "data": data},
            ensure_ascii=draw(st.booleans()),
            indent=draw(st.sampled_from([None, None, 1])),
        )
        lines += [f"data: {part}" for part in text.split("\n")]
        lines.append("")
    expected = list(events)
    if ending.startswith("end"):
        lines += ['data: {"type": "end", "data": ""}', ""]
        expected.append(("end", ""))
    if ending.endswith("done"):
        lines += ["data: [DONE]", ""]
    if ending != "connection closes":  # nothing after the end counts
        lines += ['data: {"type": "text", "data": "after the end"}', ""]
    return Conversation(tuple(lines), draw(st.sampled_from(["\n", "\r\n", "\r"])), tuple(expected))


@st.composite
def chunked_conversations(draw: st.DrawFn) -> tuple[Conversation, list[bytes]]:
    conversation = draw(conversations())
    return conversation, draw(chunked(conversation.body()))


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=chunked_conversations())
def test_a_well_formed_stream_round_trips_whatever_the_chunking(
    flavour: Flavour, case: tuple[Conversation, list[bytes]]
) -> None:
    conversation, pieces = case
    result = stream(flavour, pieces)
    assert result.error is None, result.error
    assert result.events is not None
    assert [(event.type, event.data) for event in result.events] == list(conversation.expected)
    assert result.chunks.closed


# --------------------------------------------------------------------------- the parser alone


def parse(lines: list[str]) -> tuple[list[tuple[str, str] | str], MemOSError | None]:
    parser = SSEParser()
    items: list[tuple[str, str] | str] = []
    try:
        for line in lines:
            was_finished = parser.finished
            fed = parser.feed(line)
            if was_finished:
                assert fed == [], f"{fed!r} came after the end"
            items += fed
        items += parser.close()
    except MemOSError as error:
        return items, error
    return items, None


parser_lines: Strategy[str] = st.one_of(
    sse_lines.map(lambda raw: raw.decode("utf-8", "replace")),
    st.text(max_size=30),
    noise,
)


@given(lines=st.lists(parser_lines, max_size=15))
def test_the_parser_gives_string_pairs_or_done_or_raises_a_memos_error(lines: list[str]) -> None:
    items, error = parse(lines)
    if error is not None:
        exercise_error(error)
    for item in items:
        if isinstance(item, str):
            assert item == DONE
        else:
            kind, data = item
            assert isinstance(kind, str) and isinstance(data, str)
    ends = [index for index, item in enumerate(items) if item == DONE or item[0] == "end"]
    assert not ends or ends[0] == len(items) - 1, f"items after the end: {items!r}"


@given(conversation=conversations())
def test_the_parser_round_trips_a_well_formed_stream(conversation: Conversation) -> None:
    text = conversation.body().decode("utf-8")
    lines = re.split(r"\r\n|\r|\n", text)[:-1]  # SSE line endings, and only those
    items, error = parse(lines)
    assert error is None, error
    assert [item for item in items if item != DONE] == list(conversation.expected)
