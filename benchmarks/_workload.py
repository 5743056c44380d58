"""The calls being measured, each as memos-client makes it and as raw httpx makes it.

Raw httpx sends what the SDK sends (method, URL, `Authorization: Token <key>`,
`Content-Type: application/json`, `Accept`, the same JSON body, byte for byte)
through one pooled client, and reads the answer as a careful hand-written client
would: `raise_for_status()`, `response.json()`, check the envelope's `code`, take
`data`. The harness checks the two requests match before it measures.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from memos_client import AsyncMemOS, MemOS
from memos_client.types import MessageParam

from ._server import TASK_ID

__all__ = [
    "API_KEY",
    "CONVERSATION_ID",
    "MESSAGES",
    "OPERATIONS",
    "QUERY",
    "RAW_HEADERS",
    "SEARCH_OPTIONS",
    "SIDES",
    "TIMEOUT",
    "USER_ID",
    "Operation",
    "async_raw_call",
    "child_environment",
    "clean_environment",
    "raw_call",
    "rotation",
]

API_KEY = "bench-0123456789abcdef0123456789abcdef"
TIMEOUT = 30.0
RAW_HEADERS = {
    "Accept": "application/json",
    "Authorization": f"Token {API_KEY}",
    "Content-Type": "application/json",
}

QUERY = "Where is the user travelling this summer, and what should I pack for them?"
USER_ID = "u-bench"
CONVERSATION_ID = "c-bench"
SEARCH_OPTIONS: dict[str, Any] = {
    "user_id": USER_ID,
    "conversation_id": CONVERSATION_ID,
    "memory_limit_number": 10,
    "include_preference": True,
}
MESSAGES: list[MessageParam] = [
    {"role": "user", "content": "I've booked a trip to Guangzhou this summer, any tips?"},
    {
        "role": "assistant",
        "content": "Great choice! Pack light clothes, an umbrella, and try the dim sum.",
    },
]


@dataclass(frozen=True)
class Operation:
    """One API call: its path, its JSON body, and how the SDK makes it (sync and async)."""

    name: str
    path: str
    body: dict[str, Any]
    sdk: Callable[[MemOS], object]
    async_sdk: Callable[[AsyncMemOS], Awaitable[object]]


def _search(client: MemOS) -> object:
    return client.search(QUERY, **SEARCH_OPTIONS)


async def _async_search(client: AsyncMemOS) -> object:
    return await client.search(QUERY, **SEARCH_OPTIONS)


def _add(client: MemOS) -> object:
    return client.add(MESSAGES, user_id=USER_ID, conversation_id=CONVERSATION_ID)


async def _async_add(client: AsyncMemOS) -> object:
    return await client.add(MESSAGES, user_id=USER_ID, conversation_id=CONVERSATION_ID)


def _get_status(client: MemOS) -> object:
    return client.get_status(TASK_ID)


async def _async_get_status(client: AsyncMemOS) -> object:
    return await client.get_status(TASK_ID)


OPERATIONS: dict[str, Operation] = {
    "search": Operation(
        "search",
        "search/memory",
        {"query": QUERY, **SEARCH_OPTIONS},
        _search,
        _async_search,
    ),
    "add": Operation(
        "add",
        "add/message",
        {"messages": MESSAGES, "user_id": USER_ID, "conversation_id": CONVERSATION_ID},
        _add,
        _async_add,
    ),
    "get_status": Operation(
        "get_status", "get/status", {"task_id": TASK_ID}, _get_status, _async_get_status
    ),
}


SIDES = ("sdk", "raw", "floor")
"""The sides a per-call benchmark times: memos-client, raw httpx, httpx + pydantic."""

T = TypeVar("T")


def rotation(sides: Sequence[T], index: int) -> list[T]:
    """Round `index`'s order of `sides`: each takes each place in turn, so none always
    runs after another."""
    shift = index % len(sides)
    return [*sides[shift:], *sides[:shift]]


def _data(response: httpx.Response) -> Any:
    response.raise_for_status()
    payload = response.json()
    if payload.get("code") != 0:
        raise RuntimeError(f"unexpected answer: {payload!r:.200}")
    return payload["data"]


def raw_call(client: httpx.Client, url: str, body: dict[str, Any]) -> Any:
    """The call by hand: POST the JSON body, check the answer, return its `data`."""
    return _data(client.post(url, json=body))


async def async_raw_call(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> Any:
    return _data(await client.post(url, json=body))


_SCRUBBED = ("http_proxy", "https_proxy", "all_proxy", "ws_proxy", "wss_proxy")


@contextlib.contextmanager
def clean_environment() -> Iterator[None]:
    """Hide `MEMOS_*` (e.g. `MEMOS_LOG`) and proxy variables while measuring, then restore.

    Both clients read the environment when built: a proxy would take loopback
    traffic elsewhere, and request logging would measure the log handler.
    """
    hidden = {
        key: value
        for key, value in os.environ.items()
        if key.startswith("MEMOS_") or key.lower() in _SCRUBBED
    }
    for key in hidden:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(hidden)


_CHILD_SCRUBBED_PREFIXES = ("MEMOS_", "COVERAGE_", "COV_CORE_")
_CHILD_SCRUBBED = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONSTARTUP")


def child_environment(pycache: str | None = None) -> dict[str, str]:
    """The environment for a child process: this one without `MEMOS_*`, proxies or
    coverage, writing bytecode caches (under `pycache`, if given) as an installed
    package has them."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_CHILD_SCRUBBED_PREFIXES)
        and key.lower() not in _SCRUBBED
        and key not in _CHILD_SCRUBBED
    }
    if pycache is not None:
        environ["PYTHONPYCACHEPREFIX"] = pycache
    return environ
