"""Request building for listings, memory edits, message history and feedback."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import InvalidRequestError
from tests.core.requests import build


def listing(**fields: Any) -> dict[str, Any] | None:
    args: dict[str, Any] = dict.fromkeys(
        "user_id agent_id page size filter include_preference include_tool_memory "
        "include_memory_view".split()
    )
    args.update(fields)
    return build("memories.list", **args).body


def test_list_sends_only_what_was_set() -> None:
    assert listing(user_id="u1") == {"user_id": "u1"}


def test_list_sends_every_field() -> None:
    assert listing(
        agent_id="a1",
        page=2,
        size=50,
        filter={"and": [{"scene": "chat"}]},
        include_preference=False,
        include_tool_memory=True,
        include_memory_view=["profile"],
    ) == {
        "agent_id": "a1",
        "page": 2,
        "size": 50,
        "filter": {"and": [{"scene": "chat"}]},
        "include_preference": False,
        "include_tool_memory": True,
        "include_memory_view": ["profile"],
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "user_id"),
        ({"user_id": "u", "agent_id": "a"}, "agent_id"),
        ({"user_id": "u", "size": 51}, "size"),
        ({"user_id": "u", "size": 0}, "size"),
        ({"user_id": "u", "page": 0}, "page"),
        ({"user_id": "u", "include_memory_view": ["facts"]}, "include_memory_view[0]"),
    ],
)
def test_bad_listing_arguments(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        listing(**fields)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("memory_id", "path"),
    [
        ("c6c63472-25d3", "get/memory/c6c63472-25d3"),
        ("a/b?c=d#e", "get/memory/a%2Fb%3Fc%3Dd%23e"),
        ("../admin", "get/memory/..%2Fadmin"),
        ("记忆", "get/memory/%E8%AE%B0%E5%BF%86"),
    ],
)
def test_get_escapes_the_id_into_the_path(memory_id: str, path: str) -> None:
    spec = build("memories.get", memory_id)
    assert (spec.method, spec.path, spec.kind, spec.body) == ("GET", path, "read", None)


@pytest.mark.parametrize(
    ("selectors", "body"),
    [
        ({"memory_ids": ["m1", "m2"]}, {"memory_ids": ["m1", "m2"]}),
        ({"user_id": "u1"}, {"user_id": "u1"}),
        ({"agent_id": "a1"}, {"agent_id": "a1"}),
    ],
)
def test_delete_sends_exactly_one_selector(selectors: dict[str, Any], body: dict[str, Any]) -> None:
    args: dict[str, Any] = {"memory_ids": None, "user_id": None, "agent_id": None, **selectors}
    spec = build("memories.delete", **args)
    assert (spec.path, spec.kind, spec.body) == ("delete/memory", "write", body)


@pytest.mark.parametrize(
    ("selectors", "hint"),
    [
        ({}, "got none"),
        ({"memory_ids": ["m1"], "user_id": "u1"}, "got memory_ids, user_id"),
        ({"user_id": "u1", "agent_id": "a1"}, "got user_id, agent_id"),
        ({"memory_ids": []}, "is empty"),
        ({"memory_ids": "m1"}, "list of strings"),
        ({"memory_ids": ["m1", ""]}, "must not be empty"),
    ],
)
def test_delete_refuses_anything_but_one_selector(selectors: dict[str, Any], hint: str) -> None:
    args: dict[str, Any] = {"memory_ids": None, "user_id": None, "agent_id": None, **selectors}
    with pytest.raises(InvalidRequestError, match=hint):
        build("memories.delete", **args)


def test_update_sends_the_changes() -> None:
    spec = build("memories.update", "m1", content="new text", title=None, status="archived")
    assert (spec.path, spec.kind) == ("update/memory", "write")
    assert spec.body == {"memory_id": "m1", "content": "new text", "status": "archived"}


@pytest.mark.parametrize(
    ("memory_id", "changes", "field"),
    [
        ("m1", {}, "content"),
        ("", {"content": "x"}, "memory_id"),
        ("m1", {"title": ""}, "title"),
    ],
)
def test_update_needs_an_id_and_a_change(
    memory_id: str, changes: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {"content": None, "title": None, "status": None, **changes}
    with pytest.raises(InvalidRequestError) as caught:
        build("memories.update", memory_id, **args)
    assert caught.value.field == field


def test_message_history_request() -> None:
    spec = build("messages.list", user_id="u1", conversation_id="c1", message_limit_number=50)
    assert (spec.path, spec.kind) == ("get/message", "read")
    assert spec.body == {"user_id": "u1", "conversation_id": "c1", "message_limit_number": 50}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"user_id": "", "conversation_id": "c"}, "user_id"),
        ({"user_id": "u", "conversation_id": None}, "conversation_id"),
        (
            {"user_id": "u", "conversation_id": "c", "message_limit_number": 51},
            "message_limit_number",
        ),
    ],
)
def test_bad_message_history_arguments(fields: dict[str, Any], field: str) -> None:
    args = {"message_limit_number": None, **fields}
    with pytest.raises(InvalidRequestError) as caught:
        build("messages.list", **args)
    assert caught.value.field == field


def test_feedback_request() -> None:
    spec = build(
        "feedback.add",
        "Replace Guangzhou with Shenzhen",
        user_id="u1",
        conversation_id="c1",
        agent_id=None,
        app_id=None,
        feedback_time="2025-12-10 10:00:00",
        allow_public=False,
        allow_knowledgebase_ids=["kb1"],
    )
    assert (spec.path, spec.kind, spec.allow_empty) == ("add/feedback", "write", True)
    assert spec.body == {
        "user_id": "u1",
        "conversation_id": "c1",
        "feedback_content": "Replace Guangzhou with Shenzhen",
        "feedback_time": "2025-12-10 10:00:00",
        "allow_public": False,
        "allow_knowledgebase_ids": ["kb1"],
    }


def test_feedback_needs_content() -> None:
    with pytest.raises(InvalidRequestError, match="feedback_content"):
        build(
            "feedback.add",
            " ",
            user_id="u1",
            conversation_id=None,
            agent_id=None,
            app_id=None,
            feedback_time=None,
            allow_public=None,
            allow_knowledgebase_ids=None,
        )


@pytest.mark.parametrize("memory_id", [".", "..", " .. "])
def test_dot_segments_are_not_memory_ids(memory_id: str) -> None:
    with pytest.raises(InvalidRequestError, match="path segments"):
        build("memories.get", memory_id)
