"""chat_stream: typed events across split chunks, terminators, early close, odd answers."""

from __future__ import annotations

import httpx
import pytest
import respx

from memos_client import (
    APIConnectionError,
    AsyncMemOS,
    BadRequestError,
    InvalidRequestError,
    UsageError,
)
from tests.helpers import Chunks, body_of, business_error, event_stream, ok, sse

EVENTS = sse(
    {"type": "reasoning", "data": "Recalling the trip."},
    ": keep-alive",
    "",
    {"type": "text", "data": "You are going "},
    "data:",
    "",
    {"type": "text", "data": "to Guangzhou"},
    {"type": "text", "data": " this summer."},
    {"type": "end", "data": ""},
    "data: [DONE]",
)


def split(body: bytes, size: int) -> list[bytes]:
    return [body[index : index + size] for index in range(0, len(body), size)]


@pytest.mark.anyio
@pytest.mark.parametrize("size", [1, 7, 64, 10_000])
async def test_events_are_typed_whatever_the_chunking(
    client: AsyncMemOS, router: respx.MockRouter, size: int
) -> None:
    response, _ = event_stream(split(EVENTS[0], size))
    route = router.post("/chat").mock(return_value=response)
    async with client.chat_stream(
        "Where am I going?", user_id="u1", conversation_id="c1", model_name="qwen3-32b"
    ) as stream:
        events = [(event.type, event.data) async for event in stream]
    assert events == [
        ("reasoning", "Recalling the trip."),
        ("text", "You are going "),
        ("text", "to Guangzhou"),
        ("text", " this summer."),
        ("end", ""),
    ]
    assert body_of(route.calls.last.request) == {
        "user_id": "u1",
        "conversation_id": "c1",
        "query": "Where am I going?",
        "stream": True,
        "model_name": "qwen3-32b",
    }
    assert route.calls.last.request.headers["accept"] == "text/event-stream"


@pytest.mark.anyio
async def test_text_joins_the_text_chunks_only(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/chat").mock(return_value=event_stream(EVENTS)[0])
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        assert await stream.text() == "You are going to Guangzhou this summer."


@pytest.mark.anyio
async def test_done_alone_ends_the_stream(client: AsyncMemOS, router: respx.MockRouter) -> None:
    body = sse({"type": "text", "data": "hi"}, "data: [DONE]", {"type": "text", "data": "never"})
    router.post("/chat").mock(return_value=event_stream(body)[0])
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        assert [event.data async for event in stream] == ["hi"]


@pytest.mark.anyio
async def test_a_stream_without_terminator_ends_with_the_body(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/chat").mock(return_value=event_stream([b'data: {"type":"text","data":"cut"}'])[0])
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        assert await stream.text() == "cut"


@pytest.mark.anyio
async def test_leaving_early_releases_the_connection(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    response, body = event_stream(split(EVENTS[0], 16))
    router.post("/chat").mock(return_value=response)
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        async for event in stream:
            assert event.type == "reasoning"
            break
    assert body.closed
    assert body.served < len(body.pieces)


@pytest.mark.anyio
async def test_iterating_without_a_context_manager_closes_at_the_end(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    response, body = event_stream(EVENTS)
    router.post("/chat").mock(return_value=response)
    events = [
        event.type async for event in client.chat_stream("q", user_id="u1", conversation_id="c1")
    ]
    assert events[-1] == "end" and body.closed


@pytest.mark.anyio
async def test_a_cut_stream_raises_a_connection_error(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    response, body = event_stream(split(EVENTS[0], 32), fail_after=3)  # the first event is 74 bytes
    router.post("/chat").mock(return_value=response)
    seen: list[str] = []
    with pytest.raises(APIConnectionError) as caught:
        async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
            async for event in stream:
                seen.append(event.type)
    assert seen == ["reasoning"]
    assert caught.value.may_have_been_processed and caught.value.__context__ is None
    assert body.closed


@pytest.mark.anyio
async def test_a_json_answer_in_stream_mode_becomes_events(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/chat").mock(return_value=ok({"response": "All in one piece."}))
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        assert [(e.type, e.data) async for e in stream] == [
            ("text", "All in one piece."),
            ("end", ""),
        ]


@pytest.mark.anyio
async def test_an_error_answer_raises_on_entering(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/chat").mock(return_value=business_error(40000, "bad filter"))
    with pytest.raises(BadRequestError, match="bad filter"):
        async with client.chat_stream("q", user_id="u1", conversation_id="c1"):
            pass


@pytest.mark.anyio
async def test_an_error_event_mid_stream_raises_typed(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    body = sse({"type": "text", "data": "part"}, {"code": 50000, "message": "model crashed"})
    router.post("/chat").mock(return_value=event_stream(body)[0])
    with pytest.raises(Exception, match="model crashed"):
        async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
            await stream.text()


@pytest.mark.anyio
async def test_a_stream_reads_once(client: AsyncMemOS, router: respx.MockRouter) -> None:
    router.post("/chat").mock(return_value=event_stream(EVENTS)[0])
    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as stream:
        await stream.text()
        with pytest.raises(UsageError, match="read only once"):
            await stream.text()


@pytest.mark.anyio
async def test_arguments_are_checked_before_anything_is_sent(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    with pytest.raises(InvalidRequestError, match="temperature"):
        client.chat_stream("q", user_id="u1", conversation_id="c1", temperature=3)
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_nothing_is_sent_until_the_stream_is_used(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/chat").mock(return_value=event_stream(EVENTS)[0])
    stream = client.chat_stream("q", user_id="u1", conversation_id="c1")
    assert route.call_count == 0
    await stream.aclose()
    assert route.call_count == 0


@pytest.mark.anyio
async def test_a_plain_answer_that_breaks_mid_read_is_reported_and_released(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    body = Chunks([b'{"code": 0, "data": {"resp', b'onse": "x"}}'], fail_after=1)
    answer = httpx.Response(200, headers={"content-type": "application/json"}, stream=body)
    router.post("/chat").mock(return_value=answer)
    with pytest.raises(APIConnectionError) as caught:
        async with client.chat_stream("q", user_id="u1", conversation_id="c1"):
            pass
    assert caught.value.may_have_been_processed and caught.value.__context__ is None
    assert body.closed
