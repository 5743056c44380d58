"""What the generative suites share.

- Clients of both kinds on an `httpx.MockTransport`, with retries off and sleeping
  forbidden, and one way to invoke any public call on either (`perform`).
- A catalogue of every public call (`ENDPOINTS`): a rich valid argument set, a
  strategy of valid argument sets, the answer MemOS gives, and where its ids go.
- JSON strategies for what callers send and what servers answer.
- `exercise`: what a user does with a result (print it, pickle it, page on).
"""

from __future__ import annotations

import asyncio
import json
import pickle
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import httpx
from hypothesis import settings, strategies as st
from pydantic import BaseModel

from memos_client import AsyncMemOS, AsyncRuntime, MemOS, MemOSError, Runtime, filters as f
from memos_client._async._handle import AsyncHandle
from memos_client._core._checks import LEAF_KEYS
from memos_client._sync._handle import Handle
from memos_client.types import FileUpload, MemoryViews, SearchResult, TaskStatus, Timestamped

BASE_URL = "https://x.invalid/api/openmem/v1"
PREFIX = "/api/openmem/v1/"
API_KEY = "sk-test-0123456789abcdef"

Flavour = Literal["sync", "async"]
FLAVOURS: tuple[Flavour, ...] = ("sync", "async")
Handler = Callable[[httpx.Request], httpx.Response]
PathPart = str | int
Path = tuple[PathPart, ...]
Strategy = st.SearchStrategy


def fewer_examples(divisor: int) -> settings:
    """The loaded profile's example count cut by `divisor`, for the slow properties
    (so `--hypothesis-profile=soak` still scales them up)."""
    current = settings.default
    examples = current.max_examples if current is not None else 100
    return settings(max_examples=max(2, examples // divisor))


# --------------------------------------------------------------------------- clients


class Recorder:
    """A MockTransport handler: records every request, answers with `respond`."""

    def __init__(self, respond: Handler | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._respond = respond or default_answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._respond(request)

    def describe(self) -> str:
        return "; ".join(
            f"{request.method} {request.url.path} {request.content[:200]!r}"
            for request in self.requests
        )


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"the client tried to sleep {seconds!r} s; nothing here may sleep")


async def _no_asleep(seconds: float) -> None:
    raise AssertionError(f"the client tried to sleep {seconds!r} s; nothing here may sleep")


def sync_client(http: httpx.Client, **options: Any) -> MemOS:
    options.setdefault("runtime", Runtime(sleep=_no_sleep))
    return MemOS(api_key=API_KEY, base_url=BASE_URL, max_retries=0, http_client=http, **options)


def async_client(http: httpx.AsyncClient, **options: Any) -> AsyncMemOS:
    options.setdefault("runtime", AsyncRuntime(sleep=_no_asleep))
    return AsyncMemOS(
        api_key=API_KEY, base_url=BASE_URL, max_retries=0, http_client=http, **options
    )


@dataclass(frozen=True)
class BytesFile:
    """An in-memory upload (`FileUpload.from_bytes`), kept as plain data so that the
    string slots reach its name; it becomes a `FileUpload` when the call is made."""

    name: str
    data: bytes = b"Guangzhou is famous for dim sum."


def materialise(value: Any) -> Any:
    if isinstance(value, BytesFile):
        return FileUpload.from_bytes(value.data, value.name)
    if isinstance(value, list):
        return [materialise(item) for item in value]
    return value


@dataclass(frozen=True)
class Call:
    """One public call: `client.<name>(*positional, **rest)` (dotted names reach the
    sub-clients, e.g. `knowledgebases.files.add`)."""

    name: str
    positional: tuple[str, ...]
    arguments: Mapping[str, Any]

    def split(self) -> tuple[list[Any], dict[str, Any]]:
        args = [materialise(self.arguments[name]) for name in self.positional]
        kwargs = {
            name: materialise(value)
            for name, value in self.arguments.items()
            if name not in self.positional
        }
        return args, kwargs


def _method(client: object, name: str) -> Any:
    target: Any = client
    for part in name.split("."):
        target = getattr(target, part)
    return target


def invoke_sync(client: MemOS, call: Call) -> Any:
    args, kwargs = call.split()
    if call.name == "task":
        return client.task(*args, **kwargs).refresh()
    method = _method(client, call.name)
    if call.name == "chat_stream":
        with method(*args, **kwargs) as stream:
            return list(stream)
    if call.name.endswith("iter_pages"):
        pages = method(*args, **kwargs)
        try:
            return next(pages, None)
        finally:
            pages.close()
    return method(*args, **kwargs)


async def invoke_async(client: AsyncMemOS, call: Call) -> Any:
    args, kwargs = call.split()
    if call.name == "task":
        return await client.task(*args, **kwargs).refresh()
    method = _method(client, call.name)
    if call.name == "chat_stream":
        async with method(*args, **kwargs) as stream:
            return [event async for event in stream]
    if call.name.endswith("iter_pages"):
        pages = method(*args, **kwargs)
        try:
            async for page in pages:
                return page
            return None
        finally:
            await pages.aclose()
    return await method(*args, **kwargs)


def perform(
    flavour: Flavour, handler: Handler, call: Call, client_options: Mapping[str, Any] | None = None
) -> Any:
    """Make `call` on a fresh client of the given kind whose transport is `handler`."""
    options = dict(client_options or {})
    if flavour == "sync":
        with httpx.Client(transport=httpx.MockTransport(handler)) as http:
            with sync_client(http, **options) as client:
                return invoke_sync(client, call)

    async def run() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            async with async_client(http, **options) as client:
                return await invoke_async(client, call)

    return asyncio.run(run())


# --------------------------------------------------------------------------- answers

CREATED = 1735689600000
FACT: dict[str, Any] = {
    "id": "m1",
    "memory_key": "Summer trip",
    "memory_value": "The user booked a trip to Guangzhou for the summer.",
    "memory_type": "LongTermMemory",
    "create_time": CREATED,
    "update_time": "2025-01-01T08:00:00Z",
    "conversation_id": "c1",
    "status": "activated",
    "confidence": 0.9,
    "relativity": 0.82,
    "tags": ["mode:fine", "travel"],
    "memory_time": "2025-07",
    "sources": [{"role": "user", "content": "I booked a trip to Guangzhou."}],
    "info": {"scene": "chat"},
}
PREFERENCE: dict[str, Any] = {
    "id": "p1",
    "preference": "Prefers window seats",
    "preference_type": "explicit_preference",
    "reasoning": "The user said so.",
    "relativity": 0.7,
    "create_time": CREATED,
    "sources": [{"role": "user", "content": "window seat please"}],
}
TOOL_MEMORY: dict[str, Any] = {
    "id": "tm1",
    "tool_type": "ToolTrajectoryMemory",
    "tool_value": "Called get_weather for Beijing.",
    "tool_used_status": [
        {"used_tool": "get_weather", "error_type": "", "success_rate": 0.5, "tool_experience": "ok"}
    ],
    "experience": "Check the weather before suggesting a walk.",
    "relativity": 0.6,
    "create_time": CREATED,
}
SKILL: dict[str, Any] = {
    "id": "s1",
    "skill_value": {
        "name": "Packing",
        "description": "How the user packs for a trip",
        "procedure": ["list", "pack"],
        "experience": ["light bags"],
        "preference": ["carry-on only"],
        "examples": ["Guangzhou, July"],
        "script": {"lang": "md"},
        "others": {},
    },
    "skill_url": "https://example.com/SKILL.md",
    "skill_type": "generated",
    "confidence": 0.8,
    "tags": ["travel"],
    "relativity": 0.82,
}
EVENT: dict[str, Any] = {
    "id": "e1",
    "event_key": "Trip",
    "event_value": "Flies to Guangzhou in July",
    "event_type": "travel",
    "event_time": ["2025-07"],
    "event_location": ["Guangzhou"],
    "event_roles": ["user"],
    "relativity": 0.5,
    "create_time": CREATED,
}
PROFILE: dict[str, Any] = {
    "id": "pr1",
    "memory": "Basic.Job: nurse",
    "memory_type": "ProfileMemory",
    "template_id": "pt1",
    "profile_category": "basic",
    "profile_field": "job",
    "profile_path": "basic.job",
    "confidence": 0.9,
    "algorithm_updatable": True,
    "relativity": 0.4,
}
LISTS: dict[str, Any] = {
    "memory_detail_list": [FACT, {**FACT, "id": "m2", "memory_value": "The user is a nurse."}],
    "preference_detail_list": [PREFERENCE],
    "tool_memory_detail_list": [TOOL_MEMORY],
    "skill_detail_list": [SKILL],
    "event_detail_list": [EVENT],
    "profile_detail_list": [PROFILE],
}
SEARCH: dict[str, Any] = {**LISTS, "preference_note": "Use the preferences when they apply."}
MEMORY_PAGE: dict[str, Any] = {**LISTS, "total": 3, "size": 2, "current": 1, "pages": 2}
MEMORY_DETAIL: dict[str, Any] = {
    "id": "m1",
    "memory_id": "m1",
    "memory": "The user booked a trip to Guangzhou.",
    "metadata": {"memory_type": "LongTermMemory", "tags": ["travel"], "create_time": CREATED},
    "sources": [{"role": "user", "content": "I booked a trip to Guangzhou."}],
}
MESSAGES: dict[str, Any] = {
    "message_detail_list": [
        {"role": "user", "content": "Hi", "message_id": "x1", "create_time": CREATED},
        {"role": "assistant", "content": "Hello", "message_id": "x2", "create_time": CREATED},
    ]
}
ADDED: dict[str, Any] = {"success": True, "task_id": "t1", "status": "running"}
STATUS: dict[str, Any] = {
    "task_id": "t1",
    "status": "completed",
    "memory_views": {
        "added": 1,
        "updated": 0,
        "deleted": 0,
        "detail_factual": {"memory_ids": ["m1"]},
        "preference": {"memory_ids": ["p1"]},
        "future_view": {"memory_ids": ["f9"]},
    },
}
CHAT: dict[str, Any] = {"response": "You are going to Guangzhou."}
EXTRACT: dict[str, Any] = {
    "success": True,
    "memory_detail_list": [FACT],
    "preference_detail_list": [PREFERENCE],
}
RERANK: dict[str, Any] = {
    "id": "r1",
    "model": "memos-reranker-0.6b",
    "usage": {"prompt_tokens": 10, "total_tokens": 12},
    "results": [
        {"index": 1, "document": {"text": "I play badminton"}, "relevance_score": 0.9},
        {"index": 0, "relevance_score": 0.1},
    ],
}
KNOWLEDGEBASE: dict[str, Any] = {"id": "kb1"}
FILE: dict[str, Any] = {
    "id": "f1",
    "name": "guide.txt",
    "type": "document",
    "status": "PROCESSING",
    "size": "12",
    "sizeMB": 0.01,
}
FILES: list[Any] = [FILE]
FILE_PAGE: dict[str, Any] = {"file_detail_list": [FILE], "total": 3, "page": 1, "page_size": 1}
TEMPLATE: dict[str, Any] = {
    "profile_template_id": "pt1",
    "name": "Basics",
    "project_id": "p1",
    "metadata": {"basic": {"job": {"value": "", "algorithm_updatable": True}}},
    "instance_count": 1,
    "create_time": CREATED,
}
TEMPLATE_PAGE: dict[str, Any] = {
    "profile_templates": [TEMPLATE],
    "total": 3,
    "current": 1,
    "size": 1,
    "pages": 3,
}
DELETION: dict[str, Any] = {"success": True, "profile_template_id": "pt1", "deleted_instances": 2}
DONE: dict[str, Any] = {"success": True}

ANSWERS: dict[str, Any] = {
    "add/message": ADDED,
    "add/feedback": {**ADDED, "task_id": "t2"},
    "search/memory": SEARCH,
    "get/status": STATUS,
    "get/memory": MEMORY_PAGE,
    "get/memory/{id}": MEMORY_DETAIL,
    "update/memory": DONE,
    "delete/memory": DONE,
    "get/message": MESSAGES,
    "chat": CHAT,
    "extract/memory": EXTRACT,
    "rerank": RERANK,
    "create/knowledgebase": KNOWLEDGEBASE,
    "delete/knowledgebase": DONE,
    "add/knowledgebase-file": FILES,
    "get/knowledgebase-file": FILE_PAGE,
    "delete/knowledgebase-file": DONE,
    "update/knowledgebase-file": FILES,
    "add/profile_template": TEMPLATE,
    "update/profile_template": DONE,
    "get/profile_template": TEMPLATE,
    "list/profile_template": TEMPLATE_PAGE,
    "delete/profile_template": DELETION,
    "bind/profile_template": DONE,
    "edit/profile": DONE,
    "delete/profile": DONE,
}
SSE_ANSWER = (
    b'data: {"type": "text", "data": "You are going to Guangzhou."}\n\n'
    b'data: {"type": "end", "data": ""}\n\n'
)


def envelope(data: Any, code: Any = 0, message: Any = "ok") -> bytes:
    return json.dumps({"code": code, "data": data, "message": message}).encode()


def wire_path(request: httpx.Request) -> str:
    path = request.url.path.removeprefix(PREFIX)
    return "get/memory/{id}" if path.startswith("get/memory/") else path


def sent_json(request: httpx.Request) -> Any:
    """The request's JSON body, or None when it is not JSON (a GET, a multipart upload)."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    return json.loads(request.content)


def default_answer(request: httpx.Request) -> httpx.Response:
    """A well-formed MemOS answer for any endpoint (a stream for a streamed chat)."""
    path = wire_path(request)
    if path == "chat":
        body = sent_json(request)
        if isinstance(body, dict) and body.get("stream") is True:
            return httpx.Response(
                200, headers={"content-type": "text/event-stream"}, content=SSE_ANSWER
            )
    return httpx.Response(
        200, headers={"content-type": "application/json"}, content=envelope(ANSWERS[path])
    )


# --------------------------------------------------------------------------- strategies

UTF8 = st.characters(codec="utf-8")  # every code point except the surrogates
ID_ALPHABET = string.ascii_letters + string.digits + "-_"
ids = st.text(ID_ALPHABET, min_size=1, max_size=24)
texts = st.text(UTF8, min_size=1, max_size=24).filter(lambda text: bool(text.strip()))
any_text = st.text(UTF8, max_size=24)
surrogates = st.integers(0xD800, 0xDFFF).map(chr)
json_keys = st.text(UTF8, max_size=8)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
VIEWS = ("detail_factual", "preference", "tool_memory", "skill", "event", "profile")
views = st.lists(st.sampled_from(VIEWS), min_size=1, max_size=3, unique=True)
id_lists = st.lists(ids, min_size=1, max_size=3, unique=True)


def _json(scalars: Strategy[Any], *, tuples: bool) -> Strategy[Any]:
    def extend(inner: Strategy[Any]) -> Strategy[Any]:
        containers = st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3)
        return containers | st.lists(inner, max_size=3).map(tuple) if tuples else containers

    return st.recursive(scalars, extend, max_leaves=8)


# What a caller may send: finite numbers, no surrogates; tuples go as lists.
sendable = _json(
    st.booleans() | st.integers(-(2**63), 2**63) | finite_floats | any_text, tuples=True
)
sendable_or_null = _json(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | finite_floats | any_text,
    tuples=True,
)
# extra_body keys are the caller's own; the prefix keeps them clear of the SDK's fields.
extra_bodies = st.dictionaries(json_keys.map(lambda key: "x_" + key), sendable_or_null, max_size=3)
# A multipart upload carries extra_body as form fields: text and numbers only.
_form_scalars = st.none() | any_text | st.integers(-(2**63), 2**63) | finite_floats
form_extra_bodies = st.dictionaries(
    json_keys.map(lambda key: "x_" + key),
    _form_scalars | st.lists(_form_scalars, max_size=2),
    max_size=3,
)
header_names = st.text(ID_ALPHABET, min_size=1, max_size=12).map(lambda name: "X-Test-" + name)
header_values = st.text(string.ascii_letters + string.digits + "-_.;=/ ", max_size=20).map(
    str.strip
)
valid_headers = st.dictionaries(header_names, header_values, max_size=2)
# add's info values as MemOS's OpenAPI file types them: no booleans, nothing nested.
info_values = (
    st.text(UTF8, max_size=12)
    | st.integers(-(2**53), 2**53)
    | finite_floats
    | st.lists(texts, max_size=3)
)
infos = st.dictionaries(ids, info_values, max_size=3)
chat_infos = st.dictionaries(ids, texts, max_size=3)

_conditions = st.one_of(
    st.builds(f.eq, st.sampled_from(["scene", "agent_id", "app_id"]), texts),
    st.builds(f.contains, st.just("tags"), texts),
    st.builds(f.gt, st.sampled_from(f.TIME_FIELDS), st.dates()),
    st.builds(f.gte, st.sampled_from(f.TIME_FIELDS), st.dates()),
    st.builds(f.lt, st.sampled_from(f.TIME_FIELDS), st.dates().map(str)),
    st.builds(f.lte, st.sampled_from(f.TIME_FIELDS), st.datetimes()),
)
_logic = st.one_of(
    st.lists(_conditions, min_size=1, max_size=3).map(lambda conds: f.all_of(*conds)),
    st.lists(_conditions, min_size=1, max_size=3).map(lambda conds: f.any_of(*conds)),
)
filters: Strategy[dict[str, Any]] = st.one_of(
    _logic,
    st.builds(lambda user, public: f.scoped(user=user, public=public), _logic, _logic),
    # hand-written filters, as a caller may type them (tuples are sent as lists)
    st.dictionaries(ids, texts | st.lists(texts, max_size=2).map(tuple), min_size=1, max_size=3),
)


def _tool_call() -> Strategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "id": ids,
            "type": st.just("function"),
            "function": st.fixed_dictionaries(
                {
                    "name": ids,
                    "arguments": st.dictionaries(ids, any_text, max_size=2).map(json.dumps),
                }
            ),
        }
    )


_parts = st.lists(
    st.one_of(
        st.fixed_dictionaries({"type": st.just("text"), "text": texts}),
        st.fixed_dictionaries(
            {
                "type": st.just("image_url"),
                "image_url": st.fixed_dictionaries(
                    {"url": ids.map(lambda name: f"https://example.com/{name}.png")}
                ),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("file"),
                "file": st.fixed_dictionaries(
                    {"file_data": ids.map(lambda name: f"https://example.com/{name}.pdf")}
                ),
            }
        ),
    ),
    min_size=1,
    max_size=3,
)
contents = texts | _parts
OPTIONAL_MESSAGE_KEYS = ("chat_time", "role_name", "role_id")


@st.composite
def add_message(draw: st.DrawFn) -> dict[str, Any]:
    """A valid `add` message; optional keys may be present as None, meaning absent."""
    role = draw(st.sampled_from(["user", "assistant", "system", "tool"]))
    message: dict[str, Any] = {"role": role}
    calls = None
    if role == "assistant":
        calls = draw(st.none() | st.lists(_tool_call(), min_size=1, max_size=2))
    if calls is not None or draw(st.booleans()):
        message["tool_calls"] = calls
    if calls:
        content = draw(st.none() | contents)
        if content is not None or draw(st.booleans()):
            message["content"] = content
    else:
        message["content"] = draw(contents)
    if role == "tool":
        message["tool_call_id"] = draw(ids)
    elif draw(st.booleans()):
        message["tool_call_id"] = draw(st.none() | ids)
    for key in OPTIONAL_MESSAGE_KEYS:
        if draw(st.booleans()):
            message[key] = draw(st.none() | texts)
    return message


add_messages = st.lists(add_message(), min_size=1, max_size=4)
extract_messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system"]), "content": texts}
    ),
    min_size=1,
    max_size=3,
)
_leaf = st.fixed_dictionaries(
    {"value": st.text(UTF8, max_size=10), "algorithm_updatable": st.booleans()}
)
_partial_leaf = st.fixed_dictionaries(
    {}, optional={"value": st.text(UTF8, max_size=10), "algorithm_updatable": st.booleans()}
).filter(bool)


# A field named like a leaf's keys would make its node read as a leaf: not valid.
_field_names = ids.filter(lambda name: name not in LEAF_KEYS)


def _tree(leaf: Strategy[dict[str, Any]], depth: int = 1) -> Strategy[dict[str, Any]]:
    children = leaf if depth >= 3 else leaf | _tree(leaf, depth + 1)
    return st.dictionaries(_field_names, children, min_size=1, max_size=2)


trees = _tree(_leaf)
partial_trees = _tree(_partial_leaf)
subjects = st.fixed_dictionaries({"user_id": ids}) | st.fixed_dictionaries({"agent_id": ids})
bindings = st.lists(
    st.tuples(subjects, ids).map(lambda pair: {**pair[0], "profile_template_id": pair[1]}),
    min_size=1,
    max_size=4,
)
url_files = st.lists(
    st.tuples(ids, st.sampled_from(["txt", "md", "pdf"])).map(
        lambda pair: f"https://example.com/{pair[0]}.{pair[1]}"
    ),
    min_size=1,
    max_size=3,
)
bytes_files = st.lists(
    st.builds(BytesFile, ids.map(lambda name: name + ".txt"), st.binary(min_size=1, max_size=32)),
    min_size=1,
    max_size=3,
)


def kw(
    required: Mapping[str, Strategy[Any]],
    optional: Mapping[str, Strategy[Any]] | None = None,
    *,
    body: bool = True,
    headers: bool = True,
    form: bool = False,
) -> Strategy[dict[str, Any]]:
    """Valid arguments: `required` always, each of `optional` absent, None or set, plus
    the per-call `extra_body=` and `extra_headers=`."""
    extras: dict[str, Strategy[Any]] = {
        name: st.none() | strategy for name, strategy in (optional or {}).items()
    }
    if body:
        extras["extra_body"] = st.none() | (form_extra_bodies if form else extra_bodies)
    if headers:
        extras["extra_headers"] = st.none() | valid_headers
    return st.fixed_dictionaries(dict(required), optional=extras)


def merged(*parts: Strategy[dict[str, Any]]) -> Strategy[dict[str, Any]]:
    return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True, repr=False)
class Endpoint:
    """One public call: a rich valid argument set (`base`, every optional string set),
    a strategy of valid argument sets, its wire path, and where its ids go."""

    name: str
    positional: tuple[str, ...]
    base: Mapping[str, Any]
    valid: Strategy[dict[str, Any]]
    wire: str
    label: str = ""
    takes_body: bool = True
    takes_headers: bool = True
    path_ids: tuple[Path, ...] = ()

    @property
    def id(self) -> str:
        return self.label or self.name

    @property
    def rich(self) -> dict[str, Any]:
        """`base` with a string in `extra_body=` and `extra_headers=` where they apply."""
        extras: dict[str, Any] = {}
        if self.takes_body:
            extras["extra_body"] = {"x_note": "sent as is"}
        if self.takes_headers:
            extras["extra_headers"] = {"X-Trace": "abc-1"}
        return {**self.base, **extras}

    @property
    def answer(self) -> Any:
        return ANSWERS[self.wire]

    def call(self, arguments: Mapping[str, Any] | None = None) -> Call:
        return Call(self.name, self.positional, self.rich if arguments is None else arguments)

    def __repr__(self) -> str:
        return f"<endpoint {self.id}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # hypothesis prints falsifying examples this way


RICH_MESSAGES: list[dict[str, Any]] = [
    {
        "role": "user",
        "content": "What's the weather in Beijing?",
        "chat_time": "2025-07-01 10:00:00",
        "role_id": "u1",
        "role_name": "Alice",
        "metadata": {"client": "web", "labels": ["trip"]},
    },
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "id": "call1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"location": "Beijing"}'},
            }
        ],
    },
    {"role": "tool", "content": '{"temperature": "7C"}', "tool_call_id": "call1"},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "Look at my ticket"},
            {"type": "image_url", "image_url": {"url": "https://example.com/ticket.png"}},
            {"type": "file", "file": {"file_data": "https://example.com/ticket.pdf"}},
        ],
    },
]
RICH_FILTER: dict[str, Any] = {
    "and": [{"scene": "chat"}, {"tags": {"contains": "travel"}}, {"create_time": {"gte": "2025"}}]
}
RICH_INFO: dict[str, Any] = {"scene": "chat", "turn": 3, "score": 0.5, "l": ["x"]}
RICH_TREE: dict[str, Any] = {
    "basic": {
        "job": {"value": "", "algorithm_updatable": True},
        "city": {"value": "Hangzhou", "algorithm_updatable": False},
    }
}
RECALL: dict[str, Strategy[Any]] = {
    "filter": filters,
    "knowledgebase_ids": id_lists,
    "memory_limit_number": st.integers(1, 25),
    "include_preference": st.booleans(),
    "preference_limit_number": st.integers(1, 25),
    "relativity": st.floats(0, 1),
}
CHAT_OPTIONS: dict[str, Strategy[Any]] = {
    **RECALL,
    "model_name": texts,
    "system_prompt": texts,
    "max_tokens": st.integers(1, 10**6),
    "temperature": st.floats(0, 2),
    "top_p": st.floats(0, 1),
    "add_message_on_answer": st.booleans(),
    "app_id": ids,
    "agent_id": ids,
    "tags": st.lists(texts, max_size=3),
    "info": chat_infos,
    "allow_public": st.booleans(),
    "allow_knowledgebase_ids": id_lists,
}
CHAT_BASE: dict[str, Any] = {
    "max_tokens": 512,
    "query": "What should I eat there?",
    "user_id": "u1",
    "conversation_id": "c1",
    "filter": RICH_FILTER,
    "knowledgebase_ids": ["kb1"],
    "relativity": 0.5,
    "model_name": "qwen3-32b",
    "system_prompt": "Be brief. {memories}",
    "temperature": 0.3,
    "top_p": 0.9,
    "app_id": "app1",
    "agent_id": "a1",
    "tags": ["travel"],
    "info": {"scene": "chat"},
    "allow_knowledgebase_ids": ["kb2"],
}
CHAT_VALID = kw({"query": texts, "user_id": ids, "conversation_id": ids}, CHAT_OPTIONS)
LIST_BASE: dict[str, Any] = {
    "page": 1,
    "size": 10,
    "user_id": "u1",
    "filter": RICH_FILTER,
    "include_memory_view": ["preference", "skill"],
}
LIST_VALID = merged(
    kw(
        {},
        {
            "page": st.integers(1, 1000),
            "size": st.integers(1, 50),
            "filter": filters,
            "include_preference": st.booleans(),
            "include_tool_memory": st.booleans(),
            "include_memory_view": views,
        },
    ),
    subjects,
)
FILES_LIST_VALID = kw(
    {"knowledgebase_id": ids},
    {
        "type": st.sampled_from(["document", "skill"]),
        "page": st.integers(1, 1000),
        "page_size": st.integers(1, 100),
    },
)
TEMPLATES_LIST_VALID = kw({}, {"page": st.integers(1, 1000), "size": st.integers(1, 100)})
TEMPLATE_ID = ("profile_template_id",)

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "add",
        ("messages",),
        {
            "messages": RICH_MESSAGES,
            "user_id": "u1",
            "agent_id": "a1",
            "conversation_id": "c1",
            "app_id": "app1",
            "tags": ["travel", "summer"],
            "info": RICH_INFO,
            "allow_knowledgebase_ids": ["kb1"],
            "allow_memory_view": ["preference"],
            "custom_extract_prompt": {"preference": "Extract travel preferences."},
            "source": "web",
        },
        kw(
            {"messages": add_messages, "user_id": ids | id_lists},
            {
                "agent_id": ids,
                "conversation_id": ids,
                "app_id": ids,
                "tags": st.lists(texts, max_size=3),
                "info": infos,
                "allow_public": st.booleans(),
                "allow_knowledgebase_ids": id_lists,
                "async_mode": st.booleans(),
                "allow_memory_view": views,
                "custom_extract_prompt": st.dictionaries(
                    st.sampled_from(VIEWS), texts, min_size=1, max_size=2
                ),
                "source": texts,
            },
        ),
        "add/message",
    ),
    Endpoint(
        "search",
        ("query",),
        {
            "query": "Where is the user travelling this summer?",
            "memory_limit_number": 5,
            "user_id": "u1",
            "conversation_id": "c1",
            "filter": RICH_FILTER,
            "knowledgebase_ids": ["kb1"],
            "relativity": 0.5,
            "include_memory_view": ["detail_factual", "preference"],
            "context_format": "text",
            "source": "web",
        },
        merged(
            kw(
                {"query": texts},
                {
                    **RECALL,
                    "conversation_id": ids,
                    "include_tool_memory": st.booleans(),
                    "tool_memory_limit_number": st.integers(1, 25),
                    "include_skill": st.booleans(),
                    "skill_limit_number": st.integers(1, 25),
                    "include_memory_view": views,
                    "context_format": texts,
                    "source": texts,
                },
            ),
            subjects,
        ),
        "search/memory",
    ),
    Endpoint("get_status", ("task_id",), {"task_id": "t1"}, kw({"task_id": ids}), "get/status"),
    Endpoint(
        "task",
        ("task",),
        {"task": "t1"},
        kw({"task": ids}, body=False, headers=False),
        "get/status",
        takes_body=False,
        takes_headers=False,
    ),
    Endpoint("memories.list", (), LIST_BASE, LIST_VALID, "get/memory"),
    Endpoint("memories.iter_pages", (), LIST_BASE, LIST_VALID, "get/memory"),
    Endpoint(
        "memories.get",
        ("memory_id",),
        {"memory_id": "m1"},
        kw({"memory_id": ids}, body=False),
        "get/memory/{id}",
        takes_body=False,
        path_ids=(("memory_id",),),
    ),
    Endpoint(
        "memories.update",
        ("memory_id",),
        {"memory_id": "m1", "content": "The trip is in August.", "title": "Trip", "status": "ok"},
        kw({"memory_id": ids, "content": texts}, {"title": texts, "status": texts})
        | kw({"memory_id": ids, "title": texts}, {"status": texts}),
        "update/memory",
    ),
    Endpoint(
        "memories.delete",
        (),
        {"memory_ids": ["m1", "m2"]},
        kw({"memory_ids": id_lists}) | kw({"user_id": ids}) | kw({"agent_id": ids}),
        "delete/memory",
        label="memories.delete(memory_ids)",
    ),
    Endpoint(
        "memories.delete",
        (),
        {"user_id": "u1"},
        kw({"user_id": ids}),
        "delete/memory",
        label="memories.delete(user_id)",
    ),
    Endpoint(
        "messages.list",
        (),
        {"user_id": "u1", "conversation_id": "c1", "message_limit_number": 6},
        kw({"user_id": ids, "conversation_id": ids}, {"message_limit_number": st.integers(1, 50)}),
        "get/message",
    ),
    Endpoint(
        "feedback.add",
        ("feedback_content",),
        {
            "feedback_content": "Replace Guangzhou with Shenzhen",
            "user_id": "u1",
            "conversation_id": "c1",
            "agent_id": "a1",
            "app_id": "app1",
            "feedback_time": "2025-07-01 10:00:00",
            "allow_knowledgebase_ids": ["kb1"],
        },
        kw(
            {"feedback_content": texts, "user_id": ids},
            {
                "conversation_id": ids,
                "agent_id": ids,
                "app_id": ids,
                "feedback_time": texts,
                "allow_public": st.booleans(),
                "allow_knowledgebase_ids": id_lists,
            },
        ),
        "add/feedback",
    ),
    Endpoint("chat", ("query",), CHAT_BASE, CHAT_VALID, "chat"),
    Endpoint("chat_stream", ("query",), CHAT_BASE, CHAT_VALID, "chat"),
    Endpoint(
        "extract",
        ("messages",),
        {
            "messages": [{"role": "user", "content": "I prefer window seats; I am a nurse."}],
            "extraction_types": ["memory", "preference"],
            "model": "qwen3-32b",
        },
        kw(
            {"messages": extract_messages},
            {
                "extraction_types": st.lists(
                    st.sampled_from(["memory", "preference"]), max_size=2, unique=True
                ),
                "model": texts,
            },
        ),
        "extract/memory",
    ),
    Endpoint(
        "rerank",
        ("query", "documents"),
        {
            "query": "outdoor sports",
            "documents": ["I play chess", "I play badminton outdoors"],
            "top_n": 1,
            "model": "memos-reranker-0.6b",
        },
        kw(
            {"query": texts, "documents": st.lists(texts, min_size=1, max_size=4)},
            {"top_n": st.integers(1, 100), "model": texts},
        ),
        "rerank",
    ),
    Endpoint(
        "knowledgebases.create",
        ("knowledgebase_name",),
        {"knowledgebase_name": "Travel guides", "knowledgebase_description": "City notes"},
        kw({"knowledgebase_name": texts}, {"knowledgebase_description": texts}),
        "create/knowledgebase",
    ),
    Endpoint(
        "knowledgebases.delete",
        ("knowledgebase_id",),
        {"knowledgebase_id": "kb1"},
        kw({"knowledgebase_id": ids}),
        "delete/knowledgebase",
        path_ids=(("knowledgebase_id",),),
    ),
    Endpoint(
        "knowledgebases.files.add",
        ("knowledgebase_id", "files"),
        {"knowledgebase_id": "kb1", "files": ["https://example.com/guangzhou.txt"]},
        kw(
            {"knowledgebase_id": ids, "files": url_files},
            {"type": st.just("document")},
        ),
        "add/knowledgebase-file",
        label="knowledgebases.files.add(url)",
        path_ids=(("knowledgebase_id",),),
    ),
    Endpoint(
        "knowledgebases.files.add",
        ("knowledgebase_id", "files"),
        {"knowledgebase_id": "kb1", "files": [BytesFile("guangzhou.txt")]},
        kw(
            {"knowledgebase_id": ids, "files": bytes_files},
            {"type": st.just("document")},
            form=True,
        ),
        "add/knowledgebase-file",
        label="knowledgebases.files.add(bytes)",
        path_ids=(("knowledgebase_id",),),
    ),
    Endpoint(
        "knowledgebases.files.list",
        ("knowledgebase_id",),
        {"knowledgebase_id": "kb1", "type": "document", "page_size": 20},
        FILES_LIST_VALID,
        "get/knowledgebase-file",
        path_ids=(("knowledgebase_id",),),
    ),
    Endpoint(
        "knowledgebases.files.iter_pages",
        ("knowledgebase_id",),
        {"knowledgebase_id": "kb1", "type": "document", "page_size": 20},
        FILES_LIST_VALID,
        "get/knowledgebase-file",
        path_ids=(("knowledgebase_id",),),
    ),
    Endpoint(
        "knowledgebases.files.get",
        ("file_ids",),
        {"file_ids": ["f1", "f2"]},
        kw({"file_ids": id_lists}),
        "get/knowledgebase-file",
        path_ids=(("file_ids", 0),),
    ),
    Endpoint(
        "knowledgebases.files.delete",
        ("file_ids",),
        {"file_ids": ["f1"]},
        kw({"file_ids": id_lists}),
        "delete/knowledgebase-file",
        path_ids=(("file_ids", 0),),
    ),
    Endpoint(
        "knowledgebases.files.update",
        ("file_id", "file"),
        {"file_id": "f1", "file": "https://example.com/guangzhou.txt"},
        kw({"file_id": ids, "file": url_files.map(lambda urls: urls[0])})
        | kw({"file_id": ids, "file": bytes_files.map(lambda files: files[0])}, form=True),
        "update/knowledgebase-file",
        path_ids=(("file_id",),),
    ),
    Endpoint(
        "profiles.templates.create",
        ("name", "metadata"),
        {"name": "Basics", "metadata": RICH_TREE},
        kw({"name": texts, "metadata": trees}),
        "add/profile_template",
    ),
    Endpoint(
        "profiles.templates.update",
        ("profile_template_id",),
        {"profile_template_id": "pt1", "name": "Basics", "metadata": RICH_TREE},
        kw({"profile_template_id": ids, "name": texts, "metadata": trees}),
        "update/profile_template",
        path_ids=(TEMPLATE_ID,),
    ),
    Endpoint(
        "profiles.templates.get",
        ("profile_template_id",),
        {"profile_template_id": "pt1"},
        kw({"profile_template_id": ids}),
        "get/profile_template",
        path_ids=(TEMPLATE_ID,),
    ),
    Endpoint(
        "profiles.templates.list",
        (),
        {"page": 1, "size": 10},
        TEMPLATES_LIST_VALID,
        "list/profile_template",
    ),
    Endpoint(
        "profiles.templates.iter_pages",
        (),
        {"size": 10},
        TEMPLATES_LIST_VALID,
        "list/profile_template",
    ),
    Endpoint(
        "profiles.templates.delete",
        ("profile_template_id",),
        {"profile_template_id": "pt1"},
        kw({"profile_template_id": ids}),
        "delete/profile_template",
        path_ids=(TEMPLATE_ID,),
    ),
    Endpoint(
        "profiles.templates.bind",
        ("bind_list",),
        {
            "bind_list": [
                {"user_id": "u1", "profile_template_id": "pt1"},
                {"agent_id": "a1", "profile_template_id": "pt1"},
            ]
        },
        kw({"bind_list": bindings}),
        "bind/profile_template",
        path_ids=(("bind_list", 0, "profile_template_id"),),
    ),
    Endpoint(
        "profiles.edit",
        ("profile_template_id",),
        {
            "profile_template_id": "pt1",
            "user_id": "u1",
            "metadata": {"basic": {"city": {"value": "Hangzhou", "algorithm_updatable": False}}},
            "remove_fields": ["basic.job"],
        },
        merged(
            kw({"profile_template_id": ids, "metadata": partial_trees}, {"remove_fields": id_lists})
            | kw({"profile_template_id": ids, "remove_fields": id_lists}),
            subjects,
        ),
        "edit/profile",
        path_ids=(TEMPLATE_ID,),
    ),
    Endpoint(
        "profiles.delete",
        ("profile_template_id",),
        {"profile_template_id": "pt1", "user_id": "u1"},
        merged(kw({"profile_template_id": ids}), subjects),
        "delete/profile",
        path_ids=(TEMPLATE_ID,),
    ),
)
ENDPOINT_IDS = [endpoint.id for endpoint in ENDPOINTS]


# --------------------------------------------------------------------------- slots


@dataclass(frozen=True)
class Slot:
    """Where a string sits in an argument set: a path of keys and indexes from the
    argument name, and whether the string is a dict key rather than a value."""

    path: Path
    key: bool = False

    @property
    def argument(self) -> str:
        return str(self.path[0])

    def __repr__(self) -> str:
        where = self.argument + "".join(
            f".{part}" if isinstance(part, str) else f"[{part}]" for part in self.path[1:]
        )
        return f"{where} (key)" if self.key else where


def string_slots(arguments: Mapping[str, Any]) -> list[Slot]:
    """Every string in `arguments`, dict keys included."""

    def walk(value: Any, path: Path) -> Iterator[Slot]:
        if isinstance(value, str):
            yield Slot(path)
        elif isinstance(value, BytesFile):
            yield Slot((*path, "name"))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield Slot((*path, key), key=True)
                yield from walk(item, (*path, key))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    return [slot for name, value in arguments.items() for slot in walk(value, (name,))]


def with_string(arguments: Mapping[str, Any], slot: Slot, change: Callable[[str], str]) -> Any:
    """A copy of `arguments` with the string at `slot` replaced by `change(string)`."""

    def update(value: Any, path: Path) -> Any:
        if not path:
            assert isinstance(value, str)
            return change(value)
        head, rest = path[0], path[1:]
        if isinstance(value, BytesFile):
            return replace(value, name=update(value.name, rest))
        if isinstance(value, Mapping):
            if slot.key and not rest:
                return {(change(k) if k == head else k): v for k, v in value.items()}
            return {k: (update(v, rest) if k == head else v) for k, v in value.items()}
        assert isinstance(value, (list, tuple)) and isinstance(head, int)
        items = [update(v, rest) if i == head else v for i, v in enumerate(value)]
        return type(value)(items) if isinstance(value, tuple) else items

    return update(arguments, slot.path)


# --------------------------------------------------------------------------- results


def exercise(value: object, depth: int = 0) -> None:
    """Do with a result what a user would: print it, render it, count it, page on,
    pickle it. None of it may raise."""
    assert isinstance(repr(value), str)
    assert isinstance(str(value), str)
    render = getattr(value, "_repr_html_", None)
    if callable(render):
        assert isinstance(render(), str)
    if isinstance(value, SearchResult):
        assert isinstance(value.to_prompt(), str)
        assert isinstance(value.to_prompt(dates=False), str)
    if hasattr(type(value), "__len__"):
        assert len(value) >= 0  # type: ignore[arg-type]
    next_page = getattr(value, "next_page", None)
    if callable(next_page):
        following = next_page()
        assert following is None or isinstance(following, int)
    if isinstance(value, Timestamped):
        _ = (value.created_at, value.updated_at)
    if isinstance(value, TaskStatus):
        _ = value.done
    if isinstance(value, MemoryViews):  # the documented helper
        assert isinstance(value.memory_ids(), list)
        assert isinstance(value.memory_ids("preference"), list)
    if isinstance(value, (Handle, AsyncHandle)):  # a task or a knowledge-base file
        _ = (value.id, value.status, value.done, value.trackable)
        exercise(value.last_status, depth + 1)
    if depth == 0:  # the whole result at once: nested parts are pickled with it
        copy = pickle.loads(pickle.dumps(value))
        assert type(copy) is type(value)
        if nesting(value) <= 32:  # deeper data may be cut short when pickled
            assert repr(copy) == repr(value), "the result changed when pickled"
        if isinstance(copy, BaseModel):  # a collection yields what len() counts; a plain
            if hasattr(type(copy), "__len__"):  # (unpickled) page fetches nothing
                assert len(list(copy)) == len(copy)  # type: ignore[arg-type]
            else:
                try:
                    iter(copy)
                except TypeError:
                    pass
                else:
                    raise AssertionError(f"{type(copy).__name__} iterates")
    if depth >= 4:
        return
    if isinstance(value, BaseModel):
        for _name, item in fields(value):
            _exercise_nested(item, depth)
    elif isinstance(value, (list, tuple)):
        for item in value:
            exercise(item, depth + 1)


def fields(model: BaseModel) -> list[tuple[str, Any]]:
    """A model's `(name, value)` pairs, unknown fields included (models do not iterate)."""
    return [*model.__dict__.items(), *(model.__pydantic_extra__ or {}).items()]


def nesting(value: object) -> int:
    """How deeply containers (dicts, lists, models) nest in `value`."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, BaseModel):
            children: Any = [child for _, child in fields(item)]
        elif isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, (list, tuple)):
            children = list(item)
        else:
            continue
        stack.extend((child, level + 1) for child in children)
    return deepest


def _exercise_nested(item: object, depth: int) -> None:
    if isinstance(item, BaseModel):
        exercise(item, depth + 1)
    elif isinstance(item, list):
        for element in item:
            if isinstance(element, BaseModel):
                exercise(element, depth + 1)


def exercise_error(error: MemOSError) -> None:
    """An error must print and pickle intact."""
    assert isinstance(str(error), str)
    assert isinstance(repr(error), str)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
