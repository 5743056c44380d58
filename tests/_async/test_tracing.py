"""OpenTelemetry spans (`memos_client.otel`), read back with the SDK's in-memory exporter.

Every call is one CLIENT span named after its endpoint, with the HTTP client
attributes and the `memos.*` ones; waits and batches are spans whose children are
their requests; nothing is traced unless asked; and no span ever holds the API key,
nor what the user said unless `capture_content=True`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from memos_client import (
    AsyncMemOS,
    BadRequestError,
    MemOSError,
    QuotaExceededError,
    ServerError,
    otel,
)
from memos_client.testing import FakeMemOS, Fault, ManualClock
from memos_client.types import MessageParam
from tests._async.test_key_leaks import KEYS, client_for, envelope_echo, json_echoes

SECRET = "PRIVATE-TEXT-4711"
TURNS: list[MessageParam] = [{"role": "user", "content": f"I love tea, {SECRET}"}]


class Spans:
    """The finished spans, read from an in-memory exporter."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider()
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))

    def all(self) -> Sequence[ReadableSpan]:
        return self.exporter.get_finished_spans()

    def named(self, name: str) -> list[ReadableSpan]:
        return [span for span in self.all() if span.name == name]

    def one(self, name: str) -> ReadableSpan:
        found = self.named(name)
        assert len(found) == 1, [span.name for span in self.all()]
        return found[0]

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        assert parent.context is not None
        own = parent.context.span_id
        return [span for span in self.all() if span.parent and span.parent.span_id == own]


def texts(span: ReadableSpan) -> list[str]:
    """Everything an exporter could send of `span`, in the forms it could send it."""
    found = [span.to_json(), span.name, repr(dict(span.attributes or {}))]
    found += [repr(dict(event.attributes or {})) for event in span.events]
    found.append(str(span.status.description))
    return found


@pytest.fixture
def spans() -> Iterator[Spans]:
    yield Spans()
    otel.uninstrument()  # a test that traced every client leaves none traced


@pytest.fixture
def fake() -> FakeMemOS[ManualClock]:
    return FakeMemOS(clock=ManualClock())


@pytest.fixture
async def traced(fake: FakeMemOS[ManualClock], spans: Spans) -> AsyncIterator[AsyncMemOS]:
    async with fake.async_client() as client:
        otel.instrument(client, tracer_provider=spans.provider)
        yield client


@pytest.mark.anyio
async def test_a_call_is_one_client_span_named_after_its_endpoint(
    traced: AsyncMemOS, spans: Spans
) -> None:
    task = await traced.add(TURNS, user_id="u1")
    found = await traced.search("what does the user drink?", user_id="u1")
    await traced.memories.list(user_id="u1")

    assert [span.name for span in spans.all()] == [
        "memos add",
        "memos search",
        "memos memories.list",
    ]
    search = spans.one("memos search")
    assert search.kind is SpanKind.CLIENT
    assert search.status.status_code is StatusCode.UNSET
    assert search.attributes == {
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "server.address": "memos.fake",
        "server.port": 443,
        "url.full": "https://memos.fake/api/openmem/v1/search/memory",
        "memos.endpoint": "search",
        "memos.attempts": 1,
        "memos.request_id": found._request_id,
    }
    add = spans.one("memos add")
    assert add.attributes is not None
    assert add.attributes["memos.task_id"] == task.id
    assert spans.one("memos memories.list").attributes["memos.endpoint"] == "memories.list"  # type: ignore[index]


@pytest.mark.anyio
async def test_a_business_error_marks_the_span_failed_with_its_code(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    fake.inject(Fault.business_error(40010, "bad field"), endpoint="search/memory", times=1)
    with pytest.raises(BadRequestError):
        await traced.search("q", user_id="u1")
    span = spans.one("memos search")
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["error.type"] == "BadRequestError"
    assert span.attributes["memos.code"] == 40010
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["memos.attempts"] == 1


@pytest.mark.anyio
async def test_an_http_error_marks_the_span_failed_with_its_status(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    fake.inject(Fault.server_error(500), endpoint="add/message", times=1)
    with pytest.raises(ServerError):
        await traced.add(TURNS, user_id="u1")  # a write that may have landed: not re-sent
    span = spans.one("memos add")
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["error.type"] == "ServerError"
    assert span.attributes["http.response.status_code"] == 500
    assert span.attributes["memos.code"] == 50000
    assert "memos.task_id" not in span.attributes

    spans.exporter.clear()
    fake.inject(Fault.gateway_html(502), endpoint="add/message", times=1)
    with pytest.raises(ServerError):
        await traced.add(TURNS, user_id="u1")
    page = spans.one("memos add")
    assert page.attributes is not None
    assert page.attributes["http.response.status_code"] == 502
    assert "memos.code" not in page.attributes  # a gateway's page has no MemOS code


@pytest.mark.anyio
async def test_a_retried_call_is_one_span_that_counts_its_attempts(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    fake.inject(Fault.server_error(503), endpoint="search/memory", times=1)
    await traced.search("q", user_id="u1")
    span = spans.one("memos search")
    assert span.attributes is not None
    assert span.attributes["memos.attempts"] == 2
    assert span.attributes["http.response.status_code"] == 200
    assert span.status.status_code is StatusCode.UNSET


@pytest.mark.anyio
async def test_a_raw_response_call_and_a_stream_get_their_spans(
    traced: AsyncMemOS, spans: Spans
) -> None:
    raw = await traced.with_raw_response.search("q", user_id="u1")
    async with traced.chat_stream("hi", user_id="u1", conversation_id="c1") as stream:
        assert await stream.text()
    search = spans.one("memos search")
    assert search.attributes is not None
    assert search.attributes["memos.request_id"] == raw.request_id
    chat = spans.one("memos chat_stream")
    assert chat.kind is SpanKind.CLIENT
    assert chat.attributes is not None
    assert chat.attributes["http.response.status_code"] == 200
    assert chat.attributes["url.full"] == "https://memos.fake/api/openmem/v1/chat"


@pytest.mark.anyio
async def test_a_wait_is_a_span_whose_children_are_its_polls(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    task = await traced.add(TURNS, user_id="u1")
    await task.wait()
    wait = spans.one("memos wait")
    polls = spans.children(wait)
    assert polls, "the wait polled nothing"
    assert {span.name for span in polls} == {"memos get_status"}
    assert all(span.attributes["memos.task_id"] == task.id for span in polls)  # type: ignore[index]
    assert wait.attributes == {
        "memos.task_id": task.id,  # a wait on one task names it, as its polls do
        "memos.wait.handles": 1,
        "memos.wait.concurrency": 1,
        "memos.wait.timeout": 300.0,
        "memos.wait.polls": len(polls),
        "memos.wait.completed": 1,
        "memos.wait.failed": 0,
        "memos.wait.timed_out": 0,
        "memos.wait.errors": 0,
    }
    assert wait.status.status_code is StatusCode.UNSET


@pytest.mark.anyio
async def test_a_wait_all_span_counts_its_outcomes(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    fake.inject(Fault.task_fails(), endpoint="add/message", times=1)
    failing = await traced.add(TURNS, user_id="u1")
    fine = await traced.add(TURNS, user_id="u2")
    await traced.wait_all([failing, fine], timeout=None, return_exceptions=True)
    wait = spans.one("memos wait")
    assert wait.attributes is not None
    assert "memos.wait.timeout" not in wait.attributes
    assert wait.attributes["memos.wait.handles"] == 2
    assert "memos.task_id" not in wait.attributes  # many tasks: their polls name them
    assert wait.attributes["memos.wait.completed"] == 1
    assert wait.attributes["memos.wait.failed"] == 1
    assert wait.attributes["memos.wait.polls"] == len(spans.children(wait))
    assert wait.attributes["error.type"] == "TaskFailedError"
    assert wait.status.status_code is StatusCode.ERROR


@pytest.mark.anyio
async def test_add_many_is_a_span_over_its_adds_and_its_wait(
    traced: AsyncMemOS, spans: Spans
) -> None:
    items: list[Any] = [
        {"messages": TURNS, "user_id": "u1", "id": "a"},
        {"messages": TURNS, "user_id": "u2", "id": "b"},
        {"messages": "not a list", "user_id": "u3", "id": "c"},
    ]
    result = await traced.add_many(items, concurrency=2, wait=True)
    batch = spans.one("memos add_many")
    assert batch.attributes == {
        "memos.batch.concurrency": 2,
        "memos.batch.read": 3,
        "memos.batch.submitted": 2,
        "memos.batch.failed": 1,
        "memos.batch.in_doubt": 0,
        "memos.batch.skipped": 0,
    }
    children = sorted(span.name for span in spans.children(batch))
    assert children == ["memos add", "memos add", "memos wait"]
    assert result.submitted == 2


@pytest.mark.anyio
async def test_a_stopped_batch_says_why(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    fake.inject(Fault.business_error(40301, "quota"), endpoint="add/message")
    result = await traced.add_many([{"messages": TURNS, "user_id": "u1"}])
    assert result.stopped is not None
    batch = spans.one("memos add_many")
    assert batch.attributes is not None
    assert batch.attributes["memos.batch.stopped"] == result.stopped
    add = spans.one("memos add")
    assert add.attributes is not None
    assert add.attributes["error.type"] == QuotaExceededError.__name__


def refuse(progress: object) -> None:
    raise ValueError("the caller's callback failed")


@pytest.mark.anyio
async def test_a_wait_or_batch_that_raises_marks_its_span_failed(
    traced: AsyncMemOS, spans: Spans
) -> None:
    task = await traced.add(TURNS, user_id="u1")
    with pytest.raises(ValueError, match="callback failed"):
        await task.wait(on_update=refuse)
    wait = spans.one("memos wait")
    assert wait.status.status_code is StatusCode.ERROR
    assert wait.attributes is not None
    assert wait.attributes["error.type"] == "ValueError"
    assert wait.attributes["memos.wait.polls"] == len(spans.children(wait))

    with pytest.raises(ValueError, match="callback failed"):
        await traced.add_many([{"messages": TURNS, "user_id": "u1"}], on_progress=refuse)
    batch = spans.one("memos add_many")
    assert batch.status.status_code is StatusCode.ERROR
    assert batch.attributes is not None
    assert batch.attributes["error.type"] == "ValueError"
    assert batch.attributes["memos.batch.read"] == 1  # what went out before it stopped


@pytest.mark.anyio
async def test_content_is_recorded_only_when_asked(
    traced: AsyncMemOS, fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    async def calls() -> None:
        await traced.add(TURNS, user_id="u1")
        await traced.search(f"where is {SECRET}?", user_id="u1")
        await traced.feedback.add(f"it was {SECRET}", user_id="u1", conversation_id="c1")
        fake.inject(Fault.business_error(40010, f"no {SECRET}"), endpoint="search/memory", times=1)
        with pytest.raises(BadRequestError):
            await traced.search("again", user_id="u1")

    await calls()
    assert len(spans.all()) == 4
    for span in spans.all():
        for text in texts(span):
            assert SECRET not in text, text

    spans.exporter.clear()
    otel.instrument(traced, tracer_provider=spans.provider, capture_content=True)
    await calls()
    assert spans.named("memos search")[0].attributes["memos.query"] == f"where is {SECRET}?"  # type: ignore[index]
    add = spans.one("memos add")
    assert add.attributes is not None
    assert json.loads(str(add.attributes["memos.messages"])) == TURNS
    feedback = spans.one("memos feedback.add")
    assert feedback.attributes["memos.feedback_content"] == f"it was {SECRET}"  # type: ignore[index]
    failed = spans.named("memos search")[1]
    assert SECRET in str(failed.status.description)
    assert [event.name for event in failed.events] == ["exception"]


@pytest.mark.anyio
async def test_tracing_is_off_until_asked_and_can_be_switched_off(
    fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    async with fake.async_client() as plain, fake.async_client() as other:
        assert plain._tracing is None
        otel.instrument(other, tracer_provider=spans.provider)
        await plain.search("q", user_id="u1")
        assert spans.all() == ()

        copy = other.with_options(timeout=5)
        await copy.search("q", user_id="u1")
        assert len(spans.named("memos search")) == 1  # the copy stays traced

        otel.uninstrument(other)
        await other.search("q", user_id="u1")
        await other.with_options(max_retries=0).search("q", user_id="u1")
        assert len(spans.all()) == 1


@pytest.mark.anyio
async def test_every_client_can_be_traced_at_once(
    fake: FakeMemOS[ManualClock], spans: Spans
) -> None:
    async with fake.async_client() as before:
        otel.instrument(tracer_provider=spans.provider)
        async with fake.async_client() as after:
            await before.search("q", user_id="u1")
            await after.with_options(timeout=5).search("q", user_id="u1")
            assert len(spans.all()) == 2

            otel.uninstrument(after)  # a client's own setting wins
            await after.search("q", user_id="u1")
            assert len(spans.all()) == 2

            otel.uninstrument()
            await before.search("q", user_id="u1")
            assert len(spans.all()) == 2


def echo_everything(key: str, echo: str) -> Any:
    """An answer for each endpoint that echoes the key: as a request id, in data, in a
    failed task's error."""

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("add/message"):
            body = {"code": 0, "data": {"task_id": f"t-{echo}", "status": "running"}}
        elif path.endswith("get/status"):
            body = {"code": 0, "data": {"task_id": "t1", "status": "failed", "error": echo}}
        else:
            body = {"code": 0, "data": {"memory_detail_list": [], "note": echo}}
        headers = {"x-request-id": key}
        return httpx.Response(200, content=json.dumps(body).encode(), headers=headers)

    return answer


async def call_everything(client: AsyncMemOS, key: str) -> None:
    """A read, a write and a wait, with the key in the content too (each may fail)."""
    try:
        await client.search(f"q {key}", user_id="u1")
        await client.add([{"role": "user", "content": f"I am {key}"}], user_id="u1")
    except MemOSError:
        pass
    await client.wait_all(["t1", "t2"], timeout=0.5, return_exceptions=True)


@pytest.mark.anyio
async def test_no_span_ever_holds_the_key(spans: Spans) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            for answer in (envelope_echo(502, 50002)(echo), echo_everything(key, echo)):
                async with client_for(key, answer, max_retries=1) as client:
                    otel.instrument(client, tracer_provider=spans.provider, capture_content=True)
                    await call_everything(client, key)
            names = {span.name for span in spans.all()}
            assert names == {"memos search", "memos add", "memos wait", "memos get_status"}
            spans.exporter.clear()
