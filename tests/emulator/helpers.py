"""Helpers for the emulator tests: raw-httpx calls that unwrap and check the envelope."""

from __future__ import annotations

from typing import Any

import httpx

AUTH = {"Authorization": "Token test-key"}

SEED_TURN: list[dict[str, Any]] = [
    {
        "role": "user",
        "content": "I've booked a trip to Guangzhou for the summer vacation. "
        "What chain hotels are available for accommodation?",
    },
    {"role": "assistant", "content": "You can consider [7 Days Inn, Ji Hotel, Hilton], etc."},
    {"role": "user", "content": "I'll choose 7 Days Inn"},
    {"role": "assistant", "content": "Okay, let me know if you have any other questions."},
]
"""The conversation of MemOS's own async-mode page."""


def call(http: httpx.Client, endpoint: str, body: Any) -> dict[str, Any]:
    """POST a JSON body and return the decoded envelope (asserting it is one)."""
    response = http.post(f"/{endpoint}", json=body)
    envelope = response.json()
    assert isinstance(envelope, dict)
    assert set(envelope) == {"code", "data", "message"}
    return envelope


def ok(http: httpx.Client, endpoint: str, body: Any) -> Any:
    """POST and return `data`, asserting the call succeeded."""
    envelope = call(http, endpoint, body)
    assert envelope["code"] == 0, envelope
    return envelope["data"]


def add(
    http: httpx.Client,
    content: str | list[dict[str, Any]],
    *,
    user_id: Any = "u1",
    conversation_id: str = "c1",
    **extra: Any,
) -> dict[str, Any]:
    """Add a one-message user turn (or a list of messages) and return `data`."""
    messages = [{"role": "user", "content": content}] if isinstance(content, str) else content
    body = {"user_id": user_id, "conversation_id": conversation_id, "messages": messages, **extra}
    data = ok(http, "add/message", body)
    assert isinstance(data, dict)
    return data


def search(http: httpx.Client, query: str, *, user_id: Any = "u1", **extra: Any) -> dict[str, Any]:
    """Search one user's memories and return `data`."""
    data = ok(http, "search/memory", {"user_id": user_id, "query": query, **extra})
    assert isinstance(data, dict)
    return data


def values(data: dict[str, Any]) -> list[str]:
    """The `memory_value`s of a search result, in order."""
    return [item["memory_value"] for item in data["memory_detail_list"]]


def code_of(http: httpx.Client, endpoint: str, body: Any) -> int:
    """POST and return the envelope's `code`."""
    code = call(http, endpoint, body)["code"]
    assert isinstance(code, int)
    return code


def listing(http: httpx.Client, *, user_id: str = "u1", **extra: Any) -> dict[str, Any]:
    """`get/memory` for one user and return `data`."""
    data = ok(http, "get/memory", {"user_id": user_id, **extra})
    assert isinstance(data, dict)
    return data
