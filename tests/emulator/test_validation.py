"""Request validation: every documented error code, with a message that says why."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .helpers import call

USER = {"role": "user", "content": "I enjoy long walks on the beach"}
LONG = "x" * 101


def _add(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"user_id": "u1", "conversation_id": "c1", "messages": [USER]}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        (_add(user_id=...), 40002, "user_id or agent_id"),
        (_add(user_id=""), 40002, "user_id or agent_id"),
        (_add(user_id=LONG), 40010, "user_id"),
        (_add(user_id=["ok", LONG]), 40010, "user_id[1]"),
        (_add(user_id=[]), 40003, "user_id"),
        (_add(user_id=[f"u{i}" for i in range(21)]), 40000, "at most 20"),
        (_add(user_id=7), 40000, "user_id must be a string"),
        (_add(agent_id="a" * 101), 40000, "agent_id"),
        (_add(conversation_id=LONG), 40011, "conversation_id"),
        (_add(conversation_id=5), 40000, "conversation_id"),
        (_add(messages=...), 40002, "messages"),
        (_add(messages=None), 40002, "messages"),
        (_add(messages=[]), 40003, "messages"),
        (_add(messages="hello"), 40000, "messages must be a list"),
        (_add(messages=["hello"]), 40000, "messages[0] must be an object"),
        (_add(messages=[{"content": "hi"}]), 40002, "messages[0].role"),
        (_add(messages=[{"role": "robot", "content": "hi"}]), 40000, "messages[0].role"),
        (_add(messages=[{"role": "function", "content": "hi"}]), 50143, "add memory failed"),
        (_add(messages=[{"role": "user"}]), 40002, "messages[0].content"),
        (_add(messages=[{"role": "user", "content": ""}]), 40002, "messages[0].content"),
        (_add(messages=[{"role": "user", "content": 3}]), 40000, "string or a list"),
        (_add(messages=[{"role": "assistant"}]), 40002, "messages[0].content"),
        (
            _add(messages=[{"role": "user", "content": [{"type": "audio", "audio": {}}]}]),
            40006,
            "audio",
        ),
        (
            _add(messages=[{"role": "user", "content": [{"type": "text"}]}]),
            40000,
            "content[0].text",
        ),
        (
            _add(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": "u"}]}]),
            40000,
            "image_url.url",
        ),
        (
            _add(messages=[{"role": "user", "content": [{"type": "file", "file": {}}]}]),
            40000,
            "file.file_data",
        ),
        (
            _add(messages=[{"role": "user", "content": "x", "tool_calls": [{"id": "1"}]}]),
            40000,
            "tool_calls",
        ),
        (_add(messages=[{"role": "user", "content": "x", "chat_time": 9}]), 40000, "chat_time"),
        (_add(messages=[{"role": "user", "content": ["hi"]}]), 40000, "content[0] must be"),
        (_add(messages=[{"role": "assistant", "tool_calls": "f"}]), 40000, "list of objects"),
        (
            _add(messages=[{"role": "assistant", "tool_calls": [{"function": {}}]}]),
            40000,
            "function.name",
        ),
        (_add(user_id=["u1", ""]), 40002, "user_id"),
        (_add(app_id=5), 40000, "app_id must be a string"),
        (_add(tags="travel"), 40000, "tags"),
        (_add(info=["x"]), 40000, "info"),
        (_add(info={"vip": True}), 40000, "info.vip must not be a boolean"),
        (_add(info={"n": {"a": 1}}), 40000, "info.n must be a string"),
        (_add(info={"ids": [1]}), 40000, "info.ids must be a string"),
        (_add(async_mode="yes"), 40000, "async_mode"),
        (_add(allow_public=1), 40000, "allow_public"),
        (_add(allow_memory_view=["facts"]), 40000, "allow_memory_view"),
    ],
)
def test_add_message_validation(
    http: httpx.Client, body: dict[str, Any], code: int, fragment: str
) -> None:
    envelope = call(http, "add/message", body)
    assert envelope["code"] == code
    assert envelope["data"] is None
    assert fragment in envelope["message"]


@pytest.mark.parametrize(
    "message",
    [
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "{}"}]},
        {"role": "system", "content": "You are helpful."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                {"type": "file", "file": {"file_data": "https://x/y.pdf"}},
            ],
        },
    ],
    ids=["assistant-tool-calls-without-content", "tool-result", "system", "multimodal"],
)
def test_add_message_accepts_documented_message_shapes(
    http: httpx.Client, message: dict[str, Any]
) -> None:
    envelope = call(http, "add/message", _add(messages=[message]))
    assert envelope["code"] == 0


def test_add_message_accepts_agent_id_alone_and_group_lists(http: httpx.Client) -> None:
    """`agent_id` may replace `user_id`; both may be lists of up to 20 ids."""
    assert call(http, "add/message", _add(user_id=None, agent_id="a1"))["code"] == 0
    group = _add(user_id=[f"u{i}" for i in range(20)], agent_id=["a1", "a2"])
    assert call(http, "add/message", group)["code"] == 0


def _search(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"user_id": "u1", "query": "beach walks"}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        (_search(query=...), 40002, "query"),
        (_search(query=""), 40002, "query"),
        (_search(query="   "), 40002, "query"),
        (_search(query=["a"]), 40000, "query must be a string"),
        (_search(user_id=...), 40002, "user_id or agent_id"),
        (_search(agent_id="a1"), 40000, "exactly one"),
        (_search(user_id=["u1"]), 40000, "user_id must be a string"),
        (_search(user_id=LONG), 40010, "user_id"),
        (_search(conversation_id=LONG), 40011, "conversation_id"),
        (_search(relativity=1.5), 40012, "relativity"),
        (_search(relativity=-0.1), 40012, "relativity"),
        (_search(relativity="0.5"), 40012, "relativity"),
        (_search(relativity=True), 40012, "relativity"),
        (_search(memory_limit_number=0), 40000, "memory_limit_number"),
        (_search(memory_limit_number=26), 40000, "memory_limit_number"),
        (_search(preference_limit_number=2.5), 40000, "preference_limit_number"),
        (_search(tool_memory_limit_number=-1), 40000, "tool_memory_limit_number"),
        (_search(skill_limit_number="3"), 40000, "skill_limit_number"),
        (_search(include_preference="no"), 40000, "include_preference"),
        (_search(include_memory_view="preference"), 40000, "include_memory_view"),
        (_search(knowledgebase_ids="all"), 40000, "knowledgebase_ids"),
        (_search(filter={"agent_id": "a"}), 40000, "filter"),
    ],
)
def test_search_validation(
    http: httpx.Client, body: dict[str, Any], code: int, fragment: str
) -> None:
    envelope = call(http, "search/memory", body)
    assert envelope["code"] == code
    assert envelope["data"] is None
    assert fragment in envelope["message"]


def test_unknown_memory_view_is_an_http_400_with_code_40000(http: httpx.Client) -> None:
    """Observed on the live service: an unknown `include_memory_view` name is HTTP 400."""
    response = http.post("/search/memory", json=_search(include_memory_view=["facts"]))
    assert response.status_code == 400
    assert response.json()["code"] == 40000
    assert "facts" in response.json()["message"]


@pytest.mark.parametrize("limit", [1, 25])
def test_search_limits_accept_the_documented_range(http: httpx.Client, limit: int) -> None:
    envelope = call(http, "search/memory", _search(memory_limit_number=limit, relativity=0))
    assert envelope["code"] == 0


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({}, 40002, "Required field is empty: task_id"),
        ({"task_id": ""}, 40002, "Required field is empty: task_id"),
        ({"task_id": 12}, 40000, "Invalid request parameters: task_id must be a string"),
        ({"task_id": "no-such-task"}, 50131, "task not found"),
    ],
)
def test_get_status_validation(
    http: httpx.Client, body: dict[str, Any], code: int, message: str
) -> None:
    assert call(http, "get/status", body) == {"code": code, "data": None, "message": message}
