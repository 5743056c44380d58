"""Request properties of every public call, on both clients (issue 7).

- Invalid input never reaches the transport: it raises `InvalidRequestError` whose
  `.field` names the argument (or a path inside it), and nothing is sent. Generated:
  lone surrogates in any string (ids, text, tags, dict keys and values, file names),
  values JSON cannot carry (bytes, sets, objects, NaN, infinities, cycles) inside
  `filter`, `info`, `extra_body` and message keys, non-finite numbers anywhere a
  number goes, 70,000-character ids, and header names or values HTTP cannot carry.
- Valid input never sends a null the SDK built (a message key given as None is left
  out), and always goes out as UTF-8 JSON with the caller's `extra_body` intact.
"""

from __future__ import annotations

import asyncio
import json
import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given, strategies as st

from memos_client import InvalidRequestError, MemOSError
from memos_client._core._messages import MESSAGE_KEYS as KNOWN_MESSAGE_KEYS

from ._support import (
    ENDPOINT_IDS,
    ENDPOINTS,
    FLAVOURS,
    ID_ALPHABET,
    UTF8,
    Call,
    Endpoint,
    Flavour,
    Recorder,
    Slot,
    Strategy,
    async_client,
    fewer_examples,
    invoke_async,
    invoke_sync,
    perform,
    sendable,
    sent_json,
    string_slots,
    surrogates,
    sync_client,
    with_string,
)

# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Case:
    """A call with one invalid argument, and the argument `.field` must name."""

    call: Call
    argument: str


def refusal_problem(flavour: Flavour, case: Case) -> str | None:
    """None if `case` is refused properly; else what went wrong."""
    recorder = Recorder()
    try:
        perform(flavour, recorder, case.call)
    except InvalidRequestError as error:
        field = error.field
        if recorder.requests:
            return f"raised only after sending: {recorder.describe()}"
        if not isinstance(field, str) or not field:
            return f"InvalidRequestError with .field={field!r} ({error})"
        if not field.startswith(case.argument):
            return f".field={field!r} does not name the argument {case.argument!r} ({error})"
        return None
    except Exception as error:  # the point is to report anything else
        sent = f"; sent: {recorder.describe()}" if recorder.requests else ", nothing sent"
        return f"{type(error).__name__}: {str(error)[:200]}{sent}"
    return f"no error; the transport got: {recorder.describe()}"


def assert_refused(flavour: Flavour, case: Case) -> None:
    problem = refusal_problem(flavour, case)
    assert problem is None, problem


class Cyclic(list[Any]):
    """A list that holds itself."""

    def __init__(self) -> None:
        super().__init__(["loop"])
        self.append(self)

    def __repr__(self) -> str:
        return "Cyclic(['loop', <itself>])"


NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
lone_surrogate_text = st.tuples(
    st.text(UTF8, max_size=6), surrogates, st.text(UTF8, max_size=6)
).map("".join)
# Values that JSON cannot carry (tuples can: they go as lists, so they are not here).
non_json: Strategy[Any] = st.one_of(
    st.binary(max_size=8),
    st.binary(max_size=8).map(bytearray),
    st.sets(st.integers(), max_size=3),
    st.frozensets(st.text(max_size=3), max_size=3),
    st.builds(object),
    st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=10),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.datetimes(),
    st.dates(),
    NON_FINITE,
    lone_surrogate_text,
    st.builds(Cyclic),
    st.dictionaries(st.tuples(st.integers()), st.integers(), min_size=1, max_size=2),
)


@st.composite
def embedded(draw: st.DrawFn, bad: Any) -> Any:
    """`bad` inside 0..3 levels of dicts, lists and tuples next to valid values."""
    value = bad
    for _ in range(draw(st.integers(0, 3))):
        filler = draw(st.lists(sendable, max_size=2))
        kind = draw(st.sampled_from(["dict", "list", "tuple"]))
        if kind == "dict":
            key = draw(st.text(UTF8, max_size=6))
            value = {**{f"ok{index}": item for index, item in enumerate(filler)}, key: value}
        else:
            position = draw(st.integers(0, len(filler)))
            items = [*filler[:position], value, *filler[position:]]
            value = items if kind == "list" else tuple(items)
    return value


def _json_places(endpoint: Endpoint) -> list[str]:
    places: list[str] = [name for name in ("filter", "info") if name in endpoint.rich]
    if endpoint.takes_body:
        places.append("extra_body")
    if endpoint.name == "add":
        places.append("messages")
    return places


JSON_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if _json_places(endpoint)]
MESSAGE_KEYS = set(KNOWN_MESSAGE_KEYS)


@st.composite
def json_cases(draw: st.DrawFn, bads: Strategy[Any], numbers: tuple[str, ...] = ()) -> Case:
    """A call whose `filter`, `info`, `extra_body`, message extra key or (with
    `numbers`) one of those number arguments holds a value from `bads`."""
    endpoint = draw(st.sampled_from(JSON_ENDPOINTS))
    places = _json_places(endpoint) + [name for name in numbers if name in endpoint.rich]
    place = draw(st.sampled_from(places))
    bad = draw(bads)
    arguments = dict(endpoint.rich)
    key = draw(st.text(UTF8, min_size=1, max_size=6))
    if place in numbers:
        arguments[place] = bad
    elif place == "filter":
        arguments["filter"] = {key: draw(embedded(bad))}
    elif place == "info":
        arguments["info"] = {**arguments["info"], key: draw(st.sampled_from([bad, ["ok", bad]]))}
    elif place == "extra_body":
        arguments["extra_body"] = {key: draw(embedded(bad))}
    else:
        messages = [dict(message) for message in arguments["messages"]]
        index = draw(st.integers(0, len(messages) - 1))
        extra = draw(st.text(UTF8, min_size=1, max_size=8).filter(lambda k: k not in MESSAGE_KEYS))
        target = draw(st.sampled_from(["message", "tool_call", "part"]))
        if target == "tool_call":
            index = 1  # the assistant turn with a tool call
            call = {**messages[1]["tool_calls"][0], extra: draw(embedded(bad))}
            messages[1] = {**messages[1], "tool_calls": [call]}
        elif target == "part":
            index = 3  # the turn with content parts
            parts = [dict(part) for part in messages[3]["content"]]
            parts[0][extra] = draw(embedded(bad))
            messages[3] = {**messages[3], "content": parts}
        else:
            messages[index] = {**messages[index], extra: draw(embedded(bad))}
        arguments["messages"] = messages
    return Case(endpoint.call(arguments), place)


# --------------------------------------------------------------------------- lone surrogates


STRING_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if string_slots(endpoint.rich)]


@st.composite
def surrogate_cases(draw: st.DrawFn) -> Case:
    endpoint = draw(st.sampled_from(STRING_ENDPOINTS))
    slot = draw(st.sampled_from(string_slots(endpoint.rich)))
    surrogate = draw(surrogates)
    where = draw(st.floats(0, 1))

    def poison(text: str) -> str:
        cut = int(where * len(text))
        return text[:cut] + surrogate + text[cut:]

    return Case(endpoint.call(with_string(endpoint.rich, slot, poison)), slot.argument)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=surrogate_cases())
def test_a_lone_surrogate_in_any_string_is_refused_before_sending(
    flavour: Flavour, case: Case
) -> None:
    assert_refused(flavour, case)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_string_slot_of_every_call_is_checked_for_surrogates(
    flavour: Flavour, endpoint: Endpoint
) -> None:
    """The exhaustive sweep behind the property: each string of a rich valid call
    (values and dict keys) in turn gets a lone surrogate; every miss is listed."""
    problems: list[str] = []
    for slot in string_slots(endpoint.rich):
        arguments = with_string(endpoint.rich, slot, lambda text: text + "\ud83d")
        problem = refusal_problem(flavour, Case(endpoint.call(arguments), slot.argument))
        if problem is not None:
            problems.append(f"{slot!r}: {problem}")
    assert not problems, f"{len(problems)} string slot(s) not checked:\n" + "\n".join(problems)


# ------------------------------------------------------------- values JSON cannot carry


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=json_cases(non_json))
def test_a_value_json_cannot_carry_is_refused_before_sending(flavour: Flavour, case: Case) -> None:
    assert_refused(flavour, case)


NUMBER_ARGUMENTS = (
    "relativity",
    "temperature",
    "top_p",
    "memory_limit_number",
    "max_tokens",
    "top_n",
    "page",
    "size",
    "page_size",
    "message_limit_number",
)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=json_cases(NON_FINITE, NUMBER_ARGUMENTS))
def test_nan_and_infinities_are_refused_in_every_number_position(
    flavour: Flavour, case: Case
) -> None:
    assert_refused(flavour, case)


def test_tuples_are_not_refused_they_go_as_lists() -> None:
    recorder = Recorder()
    filter_ = {"scene": ("chat", "call")}
    arguments = {
        "query": "q",
        "user_id": "u1",
        "filter": filter_,
        "extra_body": {"x_t": (1, (2, "x"))},
    }
    perform("sync", recorder, Call("search", ("query",), arguments))
    body = json.loads(recorder.requests[0].content)
    assert body["filter"] == {"scene": ["chat", "call"]}
    assert body["x_t"] == [1, [2, "x"]]


# --------------------------------------------------------------------------- long ids

LONG_ID_CASES = [(endpoint, Slot(path)) for endpoint in ENDPOINTS for path in endpoint.path_ids]


@fewer_examples(15)  # 70,000-character ids: a few characters are enough
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("endpoint", "slot"), LONG_ID_CASES, ids=[f"{e.id}-{s!r}" for e, s in LONG_ID_CASES]
)
@given(char=st.sampled_from(ID_ALPHABET))
def test_a_70000_character_id_is_refused(
    flavour: Flavour, endpoint: Endpoint, slot: Slot, char: str
) -> None:
    arguments = with_string(endpoint.rich, slot, lambda _: char * 70_000)
    assert_refused(flavour, Case(endpoint.call(arguments), slot.argument))


# --------------------------------------------------------------------------- headers

TOKEN = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=8)
NOT_TOKEN = list(' :\t(),/;<=>?@[\\]{}"\x00\x01\x7f\r\né中')
bad_header_names = st.just("") | st.tuples(TOKEN, st.sampled_from(NOT_TOKEN), TOKEN).map("".join)
VISIBLE = st.text(string.ascii_letters + string.digits + "-_.;=/", max_size=8)
bad_header_values = st.tuples(VISIBLE, st.sampled_from(["\x00", "\r", "\n", "\r\n"]), VISIBLE).map(
    "".join
)
bad_headers: Strategy[dict[str, str]] = st.one_of(
    st.builds(lambda name: {name: "v"}, bad_header_names),
    st.builds(lambda value: {"X-Test": value}, bad_header_values),
)
HEADER_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint.takes_headers]


@st.composite
def header_cases(draw: st.DrawFn) -> Case:
    endpoint = draw(st.sampled_from(HEADER_ENDPOINTS))
    arguments = {**endpoint.rich, "extra_headers": draw(bad_headers)}
    return Case(endpoint.call(arguments), "extra_headers")


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(case=header_cases())
def test_a_bad_header_per_call_is_refused_before_sending(flavour: Flavour, case: Case) -> None:
    assert_refused(flavour, case)


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(headers=bad_headers, endpoint=st.sampled_from(HEADER_ENDPOINTS))
def test_a_bad_default_header_is_refused_before_anything_is_sent(
    flavour: Flavour, headers: dict[str, str], endpoint: Endpoint
) -> None:
    """At construction (a `ConfigurationError`) or at the first call at the latest."""
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    with pytest.raises(MemOSError):
        if flavour == "sync":
            with httpx.Client(transport=transport) as http:
                with sync_client(http, default_headers=headers) as client:
                    invoke_sync(client, endpoint.call())
        else:

            async def run() -> None:
                async with httpx.AsyncClient(transport=transport) as http:
                    async with async_client(http, default_headers=headers) as client:
                        await invoke_async(client, endpoint.call())

            asyncio.run(run())
    assert recorder.requests == [], f"sent: {recorder.describe()}"


# --------------------------------------------------------------------------- valid input


@st.composite
def valid_calls(draw: st.DrawFn) -> Call:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    return endpoint.call(draw(endpoint.valid))


def nulls_in(value: Any, where: str) -> list[str]:
    if value is None:
        return [where]
    if isinstance(value, dict):
        return [spot for key, item in value.items() for spot in nulls_in(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [
            spot for index, item in enumerate(value) for spot in nulls_in(item, f"{where}[{index}]")
        ]
    return []


def as_sent(value: Any) -> Any:
    """What JSON makes of a value: tuples become lists."""
    if isinstance(value, Mapping):
        return {key: as_sent(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_sent(item) for item in value]
    return value


def reject_constant(name: str) -> Any:
    raise AssertionError(f"the body holds {name}, which is not JSON")


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(call=valid_calls())
def test_valid_input_never_sends_a_null(flavour: Flavour, call: Call) -> None:
    recorder = Recorder()
    perform(flavour, recorder, call)
    assert recorder.requests, "nothing was sent"
    extra = call.arguments.get("extra_body") or {}
    for request in recorder.requests:
        body = sent_json(request)
        if body is None:
            continue
        own = {key: value for key, value in body.items() if key not in extra}
        assert not nulls_in(own, "body"), f"nulls sent: {nulls_in(own, 'body')}"
        if call.name == "add":
            for index, message in enumerate(call.arguments["messages"]):
                sent = body["messages"][index]
                for key, value in message.items():
                    if value is None:
                        assert key not in sent, f"messages[{index}].{key}=None was sent"


@pytest.mark.parametrize("flavour", FLAVOURS)
@given(call=valid_calls())
def test_valid_input_always_goes_out_as_utf8_json(flavour: Flavour, call: Call) -> None:
    recorder = Recorder()
    perform(flavour, recorder, call)
    assert recorder.requests, "nothing was sent"
    for request in recorder.requests:
        content_type = request.headers.get("content-type", "")
        if request.method == "GET":
            assert request.content == b""
            continue
        if content_type.startswith("multipart/form-data"):
            continue  # local files go as multipart (knowledgebases.files with bytes)
        assert content_type.startswith("application/json"), content_type
        text = request.content.decode("utf-8")  # strict: invalid UTF-8 raises
        body = json.loads(text, parse_constant=reject_constant)
        assert isinstance(body, dict)
        for key, value in (call.arguments.get("extra_body") or {}).items():
            assert body[key] == as_sent(value), f"extra_body[{key!r}] was sent as {body[key]!r}"
