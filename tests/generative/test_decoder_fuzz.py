"""The envelope decoder and every model decode, fuzzed through `httpx.MockTransport`
(issue 7), on both clients.

Property: whatever the server answers (any status, junk headers, any body: bytes,
random JSON, deeply nested JSON, odd `code`s, right-looking answers whose fields
have the wrong types), each public call returns a result or raises a `MemOSError`,
nothing else. A result then survives what a user does with it: `repr`, `str`,
`_repr_html_`, `to_prompt`, `len`, `next_page`, pickling. Errors print and pickle.

`task.wait()` is fuzzed on a virtual clock: every sleep it asks for is finite and at
most an hour, however large a `Retry-After` the server sends.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given, strategies as st

from memos_client import AsyncRuntime, MemOSError, Runtime
from memos_client.types import SearchResult, TaskStatus

from ._support import (
    ENDPOINT_IDS,
    ENDPOINTS,
    FLAVOURS,
    SEARCH,
    UTF8,
    Call,
    Endpoint,
    Flavour,
    Recorder,
    Strategy,
    async_client,
    exercise,
    exercise_error,
    fewer_examples,
    perform,
    surrogates,
    sync_client,
)

# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    """One HTTP answer; each request gets a fresh `httpx.Response` of it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=list(self.headers), content=self.body)

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 300 else self.body[:300] + b"..."
        return (
            f"Answer(status={self.status}, headers={self.headers!r}, "
            f"body={body!r} ({len(self.body)} bytes))"
        )


ODD_STRINGS = [
    "",
    " ",
    "0.82",
    "high",
    "NaN",
    "-Infinity",
    "1e400",
    "-1",
    "¹",
    "٣",
    "５",
    "2025-13-45T99:99:99Z",
    "0x10",
    "null",
    "[]",
    "{}",
    "\u2028",
    "<html>",
]
server_text = st.text(UTF8, max_size=16) | st.sampled_from(ODD_STRINGS) | surrogates
server_scalars: Strategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),  # NaN and the infinities too: Python's json reads them
    server_text,
)
server_json: Strategy[Any] = st.recursive(
    server_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(server_text, inner, max_size=3),
    max_leaves=10,
)
ODD_CODES: list[Any] = [
    "¹",
    "²³",
    "٣",
    "５",
    "1" * 4400,
    "-" + "9" * 4400,
    "9" * 30,
    " 0 ",
    "0",
    "200",
    "-0",
    "+0",
    "0x10",
    "",
    0.0,
    1.5,
    -1,
    10**30,
    -(10**30),
    True,
    False,
    None,
    [],
    {},
    math.nan,
    math.inf,
]
odd_codes: Strategy[Any] = st.sampled_from(ODD_CODES) | server_scalars

RETRY_VALUES = [
    "",
    "abc",
    "-5",
    "-1e308",
    "0",
    "1",
    "30",
    "3601",
    "86400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "1e309",
    "9" * 400,
    "9" * 5000,
    "1_000",
    "0x10",
    "¹",
    "١٢",
    "５",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 +9999",
    "Sun, 06 Nov 1994 08:49:37 -2400",
    "Tue, 32 Foo 2024 25:61:61 GMT",
    "31 Dec 9999",
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "application/json; charset=nonsense",
    "text/html; charset=utf-8",
    "text/plain",
    "text/event-stream",
    "application/octet-stream",
    "",
    "*/*",
    "multipart/form-data; boundary=x",
    "application/problem+json",
    "☃/☃",
]
header_text = st.text(UTF8.filter(lambda c: c not in "\r\n\x00"), max_size=20)
retry_values = (
    st.sampled_from(RETRY_VALUES)
    | st.floats().map(repr)
    | st.integers(-(10**30), 10**30).map(str)
    | header_text
)


def _header(name: str, values: Strategy[str]) -> Strategy[tuple[bytes, bytes]]:
    return values.map(lambda value: (name.encode(), value.encode("utf-8")))


junk_headers: Strategy[tuple[tuple[bytes, bytes], ...]] = st.lists(
    st.one_of(
        _header("retry-after", retry_values),
        _header("retry-after-ms", retry_values),
        _header("content-type", st.sampled_from(CONTENT_TYPES) | header_text),
        _header("x-request-id", header_text),
        _header("content-encoding", st.sampled_from(["gzip", "deflate", "identity", "x-junk"])),
        st.tuples(st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=10), header_text).map(
            lambda pair: (pair[0].encode(), pair[1].encode())
        ),
    ),
    max_size=4,
).map(tuple)
statuses = st.one_of(
    st.just(200),
    st.sampled_from([201, 202, 204, 299, 400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503]),
    st.integers(100, 599),
)


@st.composite
def deep_json(draw: st.DrawFn) -> bytes:
    """JSON nested past any recursion limit, at the root, in `data`, `message` or `code`,
    or inside an otherwise good answer's field."""
    depth = draw(st.integers(40, 6000))
    opener, closer, middle = draw(
        st.sampled_from([(b"[", b"]", b""), (b'{"a":', b"}", b"0"), (b'[{"a":', b"}]", b"1")])
    )
    nested = opener * depth + middle + closer * depth
    where = draw(st.sampled_from(["root", "data", "message", "code", "field"]))
    if where == "root":
        return nested
    if where == "field":  # e.g. a memory's `info`, typed dict[str, Any]
        return (
            b'{"code":0,"data":{"memory_detail_list":[{"id":"m1","info":{"x":' + nested + b"}}]}}"
        )
    return b'{"code":0,"' + where.encode() + b'":' + nested + b"}"


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every position inside `value` (not the root itself)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield (*path, key)
        yield from _paths(item, (*path, key))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and head in value:
        return {k: (_replaced(v, rest, new) if k == head else v) for k, v in value.items()}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [_replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]
    return value  # an earlier change removed this place


@st.composite
def ill_typed(draw: st.DrawFn, shape: Any) -> Any:
    """`shape` (a good answer) with 1..3 of its fields given values of other types."""
    places = list(_paths(shape))
    value = shape
    if not places:
        return draw(server_json)
    for path in draw(st.lists(st.sampled_from(places), min_size=1, max_size=3, unique=True)):
        value = _replaced(value, path, draw(server_json))
    return value


def _dump(value: Any) -> bytes:
    return json.dumps(value).encode()


def enveloped(data: Strategy[Any]) -> Strategy[bytes]:
    return st.builds(
        lambda code, data, message: _dump({"code": code, "data": data, "message": message}),
        st.sampled_from([0, 200, "0"]),
        data,
        st.just("ok") | server_json,
    )


def bodies(endpoint: Endpoint) -> Strategy[bytes]:
    return st.one_of(
        st.binary(max_size=64),
        st.just(b"<html><body>Sign in</body></html>"),
        server_json.map(_dump),
        st.builds(
            lambda code, data, message: _dump({"code": code, "data": data, "message": message}),
            odd_codes,
            server_json,
            server_json,
        ),
        deep_json(),
        enveloped(ill_typed(endpoint.answer)),
        ill_typed(endpoint.answer).map(_dump),  # bare, as rerank may answer
    )


@st.composite
def fuzz_cases(draw: st.DrawFn) -> tuple[Call, Answer]:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    answer = Answer(draw(statuses), draw(junk_headers), draw(bodies(endpoint)))
    return endpoint.call(), answer


def outcome(flavour: Flavour, call: Call, answer: Callable[[httpx.Request], httpx.Response]) -> Any:
    """The call's result, exercised; or its `MemOSError`, exercised. Anything else
    propagates and fails the test."""
    try:
        result = perform(flavour, Recorder(answer), call)
    except MemOSError as error:
        exercise_error(error)
        return error
    exercise(result)
    return result


# --------------------------------------------------------------------------- properties


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=fuzz_cases())
def test_any_answer_gives_a_result_or_a_memos_error(
    flavour: Flavour, case: tuple[Call, Answer]
) -> None:
    outcome(flavour, *case)


@st.composite
def ill_typed_cases(draw: st.DrawFn) -> tuple[Call, Answer]:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    body = draw(enveloped(ill_typed(endpoint.answer)))
    return endpoint.call(), Answer(200, ((b"content-type", b"application/json"),), body)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=ill_typed_cases())
def test_a_good_looking_answer_with_fields_of_the_wrong_type_decodes_or_raises_a_memos_error(
    flavour: Flavour, case: tuple[Call, Answer]
) -> None:
    outcome(flavour, *case)


@st.composite
def odd_code_cases(draw: st.DrawFn) -> tuple[Call, Answer]:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    code = draw(odd_codes)
    body = _dump({"code": code, "data": endpoint.answer, "message": draw(server_text)})
    status = draw(st.sampled_from([200, 200, 201, 400, 429, 500]))
    return endpoint.call(), Answer(status, (), body)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=odd_code_cases())
def test_an_odd_envelope_code_gives_a_result_or_a_memos_error(
    flavour: Flavour, case: tuple[Call, Answer]
) -> None:
    outcome(flavour, *case)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_the_documented_answer_of_every_call_decodes_and_survives_use(
    flavour: Flavour, endpoint: Endpoint
) -> None:
    """The baseline the fuzzing starts from: every rich answer decodes cleanly."""
    result = outcome(flavour, endpoint.call(), Recorder())
    assert not isinstance(result, MemOSError), result


# --------------------------------------------------------------------------- regressions


def search_answered(flavour: Flavour, body: bytes, status: int = 200) -> Any:
    return outcome(
        flavour,
        Call("search", ("query",), {"query": "q", "user_id": "u"}),
        Answer(status, ((b"content-type", b"application/json"),), body),
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_5000_deep_data_array_is_a_memos_error_not_a_recursion_error(flavour: Flavour) -> None:
    body = b'{"code":0,"data":' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert isinstance(search_answered(flavour, body), MemOSError)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    "code", ["¹", "1" * 4400, "-" + "9" * 4400], ids=["superscript-one", "4400-digits", "-4400"]
)
def test_an_odd_code_string_is_a_memos_error_not_a_value_error(flavour: Flavour, code: str) -> None:
    assert isinstance(search_answered(flavour, _dump({"code": code})), MemOSError)


def skill_with_relativity(relativity: Any) -> bytes:
    data = {
        **SEARCH,
        "skill_detail_list": [{**SEARCH["skill_detail_list"][0], "relativity": relativity}],
    }
    return _dump({"code": 0, "data": data, "message": "ok"})


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_numeric_string_relativity_decodes_as_a_number(flavour: Flavour) -> None:
    result = search_answered(flavour, skill_with_relativity("0.82"))
    assert isinstance(result, SearchResult), result
    assert result.skill_detail_list[0].relativity == 0.82


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_word_for_a_relativity_keeps_the_answer_and_the_raw_value(flavour: Flavour) -> None:
    result = search_answered(flavour, skill_with_relativity("high"))
    assert isinstance(result, SearchResult), result
    assert [m.memory_value for m in result.memories] == [
        m["memory_value"] for m in SEARCH["memory_detail_list"]
    ]
    assert len(result.preference_detail_list) == len(SEARCH["preference_detail_list"])
    skill = result.skill_detail_list[0]
    assert skill.id == "s1" and skill.skill_value is not None
    raw = (
        skill.relativity
        if skill.relativity is not None
        else (skill.model_extra or {}).get("relativity")
    )
    assert raw == "high"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_word_for_a_fact_relativity_still_renders_in_a_notebook(flavour: Flavour) -> None:
    data = {
        **SEARCH,
        "memory_detail_list": [{**SEARCH["memory_detail_list"][0], "relativity": "high"}],
    }
    result = search_answered(flavour, _dump({"code": 0, "data": data}))
    assert isinstance(result, SearchResult), result
    assert result.memories[0].memory_value == SEARCH["memory_detail_list"][0]["memory_value"]


# ------------------------------------------------------------ task.wait on a virtual clock


class VirtualTime:
    """A clock that moves only when the client sleeps; records every requested sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def record(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        assert len(self.sleeps) < 500, f"still polling after 500 sleeps: {self.sleeps[-5:]}"
        if math.isfinite(seconds) and seconds > 0:
            self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.record(seconds)

    async def asleep(self, seconds: float) -> None:
        self.record(seconds)

    def check(self) -> None:
        bad = [s for s in self.sleeps if not (math.isfinite(s) and 0 <= s <= 3600)]
        assert not bad, f"asked to sleep {bad!r} s (all sleeps: {self.sleeps!r})"


def wait_for_task(
    flavour: Flavour, answers: list[Answer], timeout: float | None
) -> tuple[TaskStatus | MemOSError, VirtualTime]:
    """`client.task("t1").wait(timeout)` against `answers` (in turn, the last repeating)."""
    served = iter(range(10**6))

    def respond(request: httpx.Request) -> httpx.Response:
        return answers[min(next(served), len(answers) - 1)](request)

    vtime = VirtualTime()
    transport = httpx.MockTransport(respond)
    if flavour == "sync":
        runtime = Runtime(clock=vtime.clock, sleep=vtime.sleep, random=lambda: 0.5)
        with (
            httpx.Client(transport=transport) as http,
            sync_client(http, runtime=runtime) as client,
        ):
            try:
                return client.task("t1").wait(timeout=timeout), vtime
            except MemOSError as error:
                return error, vtime

    async def run() -> TaskStatus | MemOSError:
        async with httpx.AsyncClient(transport=transport) as http:
            runtime = AsyncRuntime(clock=vtime.clock, sleep=vtime.asleep, random=lambda: 0.5)
            async with async_client(http, runtime=runtime) as client:
                try:
                    return await client.task("t1").wait(timeout=timeout)
                except MemOSError as error:
                    return error

    return asyncio.run(run()), vtime


def status_answer(
    state: str, headers: tuple[tuple[bytes, bytes], ...] = (), status: int = 200
) -> Answer:
    body = _dump({"code": 0, "data": {"task_id": "t1", "status": state}, "message": "ok"})
    return Answer(status, ((b"content-type", b"application/json"), *headers), body)


HUGE_RETRY_AFTER = [
    "1e308",
    "1e300",
    "99999999999",
    "86400",
    "3601",
    "Fri, 31 Dec 9999 23:59:59 GMT",
]
huge_delays = (
    st.sampled_from(HUGE_RETRY_AFTER)
    | st.floats(3600.5, 1e308).map(repr)
    | st.integers(3601, 10**30).map(str)
)


@st.composite
def huge_hints(draw: st.DrawFn) -> Answer:
    """A 'not yet' status answer (a running task, a 429 or a 503) with a huge delay."""
    value = draw(huge_delays)
    name = draw(st.sampled_from([b"retry-after", b"retry-after-ms"]))
    if name == b"retry-after-ms" and "GMT" not in value:
        value = str(float(value) * 1000)
    header = (name, value.encode())
    kind = draw(st.sampled_from(["running", "429", "503"]))
    if kind == "running":
        return status_answer("running", (header,))
    body = _dump({"code": 40300 if kind == "429" else 50000, "data": None, "message": "slow down"})
    return Answer(int(kind), ((b"content-type", b"application/json"), header), body)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(hint=huge_hints())
def test_a_huge_retry_after_on_a_status_answer_does_not_break_an_endless_wait(
    flavour: Flavour, hint: Answer
) -> None:
    result, vtime = wait_for_task(flavour, [hint, status_answer("completed")], timeout=None)
    vtime.check()
    assert isinstance(result, TaskStatus), result
    assert result.status == "completed"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("value", HUGE_RETRY_AFTER)
def test_huge_retry_after_regressions(flavour: Flavour, value: str) -> None:
    running = status_answer("running", ((b"retry-after", value.encode()),))
    result, vtime = wait_for_task(flavour, [running, status_answer("completed")], timeout=None)
    vtime.check()
    assert isinstance(result, TaskStatus) and result.status == "completed", result


@st.composite
def status_answers(draw: st.DrawFn) -> Answer:
    body = draw(
        st.one_of(
            enveloped(ill_typed({"task_id": "t1", "status": "running"})),
            enveloped(
                st.sampled_from(["running", "completed", "failed", "queued", None]).map(
                    lambda state: {"task_id": "t1", "status": state}
                )
            ),
            bodies(next(e for e in ENDPOINTS if e.name == "get_status")),
        )
    )
    return Answer(draw(statuses), draw(junk_headers), body)


@fewer_examples(2)  # each example polls for up to 15 virtual seconds (about 10 polls)
@pytest.mark.parametrize("flavour", FLAVOURS)
@given(answers=st.lists(status_answers(), min_size=1, max_size=4))
def test_waiting_through_any_status_answers_ends_with_a_status_or_a_memos_error(
    flavour: Flavour, answers: list[Answer]
) -> None:
    result, vtime = wait_for_task(flavour, answers, timeout=15)
    vtime.check()
    if isinstance(result, MemOSError):
        exercise_error(result)
    else:
        exercise(result)
