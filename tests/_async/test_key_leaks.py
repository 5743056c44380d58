"""The API key never leaks, whatever the server echoes and however it encodes the echo.

Every error path is triggered with the key echoed in every form a server, gateway or
proxy could use, and then everything the SDK produced is searched for the key in every
encoding: `str`, `repr`, `args`, attributes, chained causes, pickles, the `repr` of each
local in each SDK frame of the traceback (what Sentry records), and the log lines
written with `MEMOS_LOG=debug`.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import pickle
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from memos_client import AsyncMemOS, AsyncRuntime, MemOSError
from tests.helpers import MESSAGES

BASE = "https://x.invalid/api/openmem/v1"
KEYS = [
    "sk-ab/cd+ef=gh1234567890",
    "mpg-A.b_C~d!e*f'(g)h1234",
    'k"e\\y<&>1234567890abcdef',
]


def lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda match: match.group(0).lower(), text)


def b64_cores(key: str) -> list[str]:
    raw = key.encode()
    cores = []
    for offset in range(3):
        body = raw[offset:][: (len(raw) - offset) // 3 * 3]
        encoded = base64.b64encode(body).decode()
        cores += [encoded, encoded.replace("+", "-").replace("/", "_")]
    return cores


def json_echoes(key: str) -> list[str]:
    """The key as it can stand inside a JSON string literal (JSON source text)."""
    escaped = json.dumps(key)[1:-1]
    return [
        escaped,
        escaped.replace("/", "\\/"),
        "".join(f"\\u{ord(char):04x}" for char in key),
        "".join(f"\\u{ord(char):04X}" if index % 2 else char for index, char in enumerate(key)),
        json.dumps(quote(key, safe=""))[1:-1],
        json.dumps(lower_hex(quote(key, safe="")))[1:-1],
        json.dumps(f"Token {key}\n")[1:-1],
        json.dumps(repr(key.encode()))[1:-1],
        json.dumps(base64.b64encode(f"Authorization: Token {key}".encode()).decode())[1:-1],
    ]


def text_echoes(key: str) -> list[str]:
    """The key as it can stand in a plain-text or HTML body."""
    return [
        key,
        f"Token {key}\r\n",
        quote(key, safe=""),
        quote(key),
        lower_hex(quote(key, safe="")),
        html.escape(key),
        "".join(f"&#{ord(char)};" for char in key),
        base64.b64encode(f"x-api: Token {key}".encode()).decode(),
        repr(key),
    ]


def forms(key: str) -> list[str]:
    """Every encoding of the key that counts as a leak when found in output."""
    found = {
        key,
        quote(key, safe=""),
        quote(key),
        lower_hex(quote(key, safe="")),
        json.dumps(key)[1:-1],
        json.dumps(key)[1:-1].replace("/", "\\/"),
        html.escape(key),
        repr(key)[1:-1],
        *b64_cores(key),
    }
    return sorted(found)


def leaks(key: str, text: str) -> list[str]:
    return [form for form in forms(key) if form in text]


def error_texts(error: BaseException) -> Iterator[str]:
    """Everything an error tracker could record of `error` and what is chained to it."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield repr(current.args)
        yield repr(getattr(current, "__dict__", {}))
        yield pickle.dumps(current).decode("latin-1")
        traceback = current.__traceback__
        while traceback is not None:
            frame = traceback.tb_frame
            if "memos_client" in frame.f_code.co_filename:
                for name, value in frame.f_locals.items():
                    yield f"{frame.f_code.co_name}.{name}={value!r}"
            traceback = traceback.tb_next
        pending += [link for link in (current.__cause__, current.__context__) if link]


def assert_hidden(key: str, error: BaseException, records: Iterable[logging.LogRecord]) -> None:
    assert isinstance(error, MemOSError), f"not an SDK error: {error!r}"
    for text in error_texts(error):
        assert not leaks(key, text), f"{leaks(key, text)} in {text[:300]!r}"
    messages = [record.getMessage() for record in records]
    assert messages, "nothing was logged at debug level"
    for message in messages:
        assert not leaks(key, message), message


Answer = Callable[[httpx.Request], httpx.Response]


def client_for(key: str, answer: Answer, **options: Any) -> AsyncMemOS:
    transport = httpx.MockTransport(answer)
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    return AsyncMemOS(
        api_key=key,
        base_url=BASE,
        max_retries=options.pop("max_retries", 0),
        http_client=httpx.AsyncClient(transport=transport),
        runtime=AsyncRuntime(clock=lambda: now[0], sleep=sleep),
    )


def envelope_echo(status: int, code: int, field: str = "message") -> Callable[[str], Answer]:
    def build(echo: str) -> Answer:
        body = f'{{"code":{code},"data":null,"{field}":"key {echo} rejected"}}'
        return lambda request: httpx.Response(status, content=body.encode())

    return build


async def search(client: AsyncMemOS) -> object:
    return await client.search("q", user_id="u1")


async def add(client: AsyncMemOS) -> object:
    return await client.add(MESSAGES, user_id="u1")


ENVELOPE_CASES = [
    ("401 auth", envelope_echo(401, 40132), search),
    ("200 auth", envelope_echo(200, 40132), search),
    ("403", envelope_echo(403, 40306), search),
    ("404", envelope_echo(404, 40001), search),
    ("429", envelope_echo(429, 40300), add),
    ("500 read", envelope_echo(500, 50000), search),
    ("502 write", envelope_echo(502, 50002), add),
    ("echo in detail", envelope_echo(400, 40010, field="detail"), search),
    (
        "echo as data",
        lambda echo: (
            lambda r: httpx.Response(200, content=f'{{"code":0,"data":"key {echo}"}}'.encode())
        ),
        search,
    ),
]


class Log:
    """The `memos_client` records of the running test (caplog's list changes per phase)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def __iter__(self) -> Iterator[logging.LogRecord]:
        return iter(self.caplog.records)


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[Log]:
    """`MEMOS_LOG=debug` as a user sets it, with the logger put back afterwards."""
    logger = logging.getLogger("memos_client")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setenv("MEMOS_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="memos_client")
    yield Log(caplog)
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("label", "answer_for", "call"), ENVELOPE_CASES, ids=[case[0] for case in ENVELOPE_CASES]
)
async def test_envelope_errors_hide_every_echo(
    label: str, answer_for: Callable[[str], Answer], call: Any, debug_log: Log
) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            async with client_for(key, answer_for(echo), max_retries=1) as client:
                with pytest.raises(MemOSError) as caught:
                    await call(client)
            assert_hidden(key, caught.value, debug_log)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [200, 400, 502, 504])
async def test_pages_and_headers_that_echo_the_key_are_hidden(status: int, debug_log: Log) -> None:
    for key in KEYS:
        for echo in text_echoes(key):
            page = f"<html><pre>Authorization: {echo}</pre></html>".encode()

            def answer(
                request: httpx.Request, page: bytes = page, key: str = key
            ) -> httpx.Response:
                return httpx.Response(status, content=page, headers={"x-request-id": key})

            async with client_for(key, answer) as client:
                with pytest.raises(MemOSError) as caught:
                    await add(client)
            assert_hidden(key, caught.value, debug_log)


@pytest.mark.anyio
async def test_stream_error_events_hide_every_echo(debug_log: Log) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            event = f'data: {{"code":40132,"message":"key {echo} expired"}}\n\n'.encode()

            def answer(request: httpx.Request, event: bytes = event) -> httpx.Response:
                headers = {"content-type": "text/event-stream"}
                return httpx.Response(200, content=event, headers=headers)

            async with client_for(key, answer) as client:
                with pytest.raises(MemOSError) as caught:
                    async with client.chat_stream("q", user_id="u1", conversation_id="c1") as s:
                        async for _ in s:
                            pass
            assert_hidden(key, caught.value, debug_log)


def answering(body: bytes, status: int = 200) -> Answer:
    return lambda request: httpx.Response(status, content=body)


def failed_status(echo: str) -> Answer:
    body = f'{{"code":0,"data":{{"task_id":"t1","status":"failed","error":"key {echo}"}}}}'
    return lambda request: httpx.Response(200, content=body.encode())


@pytest.mark.anyio
async def test_task_failures_hide_every_echo(debug_log: Log) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            async with client_for(key, failed_status(echo)) as client:
                task = client.task("t1")
                with pytest.raises(MemOSError) as caught:
                    await task.wait()
                assert_hidden(key, caught.value, debug_log)
                with pytest.raises(MemOSError) as summary:
                    await client.wait_all([task, client.task("t2")])
                assert_hidden(key, summary.value, debug_log)
                for text in (repr(task), pickle.dumps(task).decode("latin-1")):
                    assert not leaks(key, text)


@pytest.mark.anyio
async def test_file_failures_hide_every_echo(debug_log: Log) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            record = f'{{"id":"f1","status":"failed","error_message":"key {echo}"}}'
            body = f'{{"code":0,"data":[{record}]}}'.encode()
            async with client_for(key, answering(body)) as c:
                with pytest.raises(MemOSError) as caught:
                    await c.knowledgebases.files.handle("f1").wait()
            assert_hidden(key, caught.value, debug_log)


@pytest.mark.anyio
async def test_a_timeout_after_failed_polls_hides_the_echo(
    debug_log: Log,
) -> None:
    for key in KEYS:
        body = f'{{"code":50000,"message":"busy, key {key}"}}'.encode()
        async with client_for(key, answering(body, 503)) as client:
            with pytest.raises(MemOSError) as caught:
                await client.task("t1").wait(timeout=5)
        assert_hidden(key, caught.value, debug_log)


@pytest.mark.anyio
@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout])
async def test_transport_errors_that_quote_the_key_are_hidden(
    failure: type[httpx.TransportError], debug_log: Log
) -> None:
    for key in KEYS:
        for echo in text_echoes(key):

            def answer(request: httpx.Request, echo: str = echo) -> httpx.Response:
                raise failure(f"proxy said: {echo}", request=request)

            async with client_for(key, answer, max_retries=1) as client:
                for call in (search, add):
                    with pytest.raises(MemOSError) as caught:
                        await call(client)
                    assert_hidden(key, caught.value, debug_log)


@pytest.mark.anyio
async def test_lenient_decoding_warnings_hide_the_echo(
    debug_log: Log,
) -> None:
    for key in KEYS:
        for echo in json_echoes(key):
            data = f'{{"memory_detail_list":[{{"relativity":"key {echo}"}}]}}'
            body = f'{{"code":0,"data":{data}}}'.encode()
            async with client_for(key, answering(body)) as c:
                result = await c.search("q", user_id="u1")
            assert len(result) == 1
            warnings = [r for r in debug_log if r.levelno == logging.WARNING]
            assert warnings, "the misfit field was not reported"
            for record in debug_log:
                assert not leaks(key, record.getMessage()), record.getMessage()
