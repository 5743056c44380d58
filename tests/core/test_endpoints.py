"""Request building for add/message, search/memory and get/status: bodies and validation."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import InvalidRequestError
from memos_client._core._spec import RequestSpec
from tests.core.requests import build

MSG = [{"role": "user", "content": "I booked a trip to Guangzhou"}]
ADD_FIELDS = (
    "user_id agent_id conversation_id app_id tags info allow_public allow_knowledgebase_ids "
    "async_mode allow_memory_view custom_extract_prompt source"
).split()
SEARCH_FIELDS = (
    "user_id agent_id conversation_id filter knowledgebase_ids memory_limit_number "
    "include_preference preference_limit_number include_tool_memory tool_memory_limit_number "
    "include_skill skill_limit_number relativity include_memory_view context_format source"
).split()


def add(messages: object = MSG, **fields: Any) -> RequestSpec:
    args: dict[str, Any] = dict.fromkeys(ADD_FIELDS)
    args.update(fields)
    return build("add", messages, **args)


def search(query: object = "where is the user going?", **fields: Any) -> RequestSpec:
    args: dict[str, Any] = dict.fromkeys(SEARCH_FIELDS)
    args.update(fields)
    return build("search", query, **args)


def test_add_sends_only_what_was_set() -> None:
    spec = add(user_id="u1", conversation_id="c1")
    assert (spec.method, spec.path, spec.kind, spec.allow_empty) == (
        "POST",
        "add/message",
        "write",
        True,
    )
    assert spec.body == {"user_id": "u1", "conversation_id": "c1", "messages": MSG}


def test_add_sends_every_documented_field_by_its_wire_name() -> None:
    spec = add(
        user_id=["u1", "u2"],
        agent_id="health_assistant",
        conversation_id="c1",
        app_id="app",
        tags=["exercise advice"],
        info={"scene": "chat", "biz_id": "order_1"},
        allow_public=False,
        allow_knowledgebase_ids=["kb1"],
        async_mode=False,
        allow_memory_view=["detail_factual", "preference"],
        custom_extract_prompt={"preference": "Only food preferences."},
        source="my-app",
    )
    assert spec.body == {
        "user_id": ["u1", "u2"],
        "agent_id": "health_assistant",
        "conversation_id": "c1",
        "messages": MSG,
        "app_id": "app",
        "tags": ["exercise advice"],
        "info": {"scene": "chat", "biz_id": "order_1"},
        "allow_public": False,
        "allow_knowledgebase_ids": ["kb1"],
        "async_mode": False,
        "allow_memory_view": ["detail_factual", "preference"],
        "custom_extract_prompt": {"preference": "Only food preferences."},
        "source": "my-app",
    }


def test_add_accepts_agent_only() -> None:
    assert add(agent_id="a1").body == {"agent_id": "a1", "messages": MSG}


def test_search_sends_every_documented_field() -> None:
    spec = search(
        user_id="u1",
        conversation_id="c1",
        filter={"and": [{"tags": {"contains": "travel"}}]},
        knowledgebase_ids=["all"],
        memory_limit_number=9,
        include_preference=True,
        preference_limit_number=6,
        include_tool_memory=True,
        tool_memory_limit_number=3,
        include_skill=True,
        skill_limit_number=2,
        relativity=0,
        include_memory_view=["detail_factual", "event"],
        context_format="memory",
        source="my-app",
    )
    assert (spec.path, spec.kind) == ("search/memory", "read")
    assert spec.body == {
        "query": "where is the user going?",
        "user_id": "u1",
        "conversation_id": "c1",
        "filter": {"and": [{"tags": {"contains": "travel"}}]},
        "knowledgebase_ids": ["all"],
        "memory_limit_number": 9,
        "include_preference": True,
        "preference_limit_number": 6,
        "include_tool_memory": True,
        "tool_memory_limit_number": 3,
        "include_skill": True,
        "skill_limit_number": 2,
        "relativity": 0.0,
        "include_memory_view": ["detail_factual", "event"],
        "context_format": "memory",
        "source": "my-app",
    }


def test_search_by_agent() -> None:
    assert search(agent_id="a1").body == {"query": "where is the user going?", "agent_id": "a1"}


def test_get_status() -> None:
    spec = build("get_status", "c464e17e")
    assert (spec.path, spec.kind, spec.body) == ("get/status", "read", {"task_id": "c464e17e"})


LONG = "x" * 101
BAD_ADDS: list[tuple[str, dict[str, Any], str]] = [
    ("no subject", {}, "user_id"),
    ("empty user_id", {"user_id": ""}, "user_id"),
    ("long user_id", {"user_id": LONG}, "user_id"),
    ("long conversation_id", {"user_id": "u", "conversation_id": LONG}, "conversation_id"),
    ("blank conversation_id", {"user_id": "u", "conversation_id": " "}, "conversation_id"),
    ("user_id int", {"user_id": 7}, "user_id"),
    ("empty user list", {"user_id": []}, "user_id"),
    ("doubled user id", {"user_id": ["u1", "u1"]}, "user_id"),
    ("21 group ids", {"user_id": [f"u{i}" for i in range(21)]}, "user_id"),
    ("long id in list", {"user_id": ["u1", LONG]}, "user_id[1]"),
    ("tags as a string", {"user_id": "u", "tags": "travel"}, "tags"),
    ("tags with int", {"user_id": "u", "tags": ["a", 1]}, "tags[1]"),
    ("info not a dict", {"user_id": "u", "info": ["scene"]}, "info"),
    ("async_mode string", {"user_id": "u", "async_mode": "false"}, "async_mode"),
    ("allow_public int", {"user_id": "u", "allow_public": 1}, "allow_public"),
    ("unknown view", {"user_id": "u", "allow_memory_view": ["facts"]}, "allow_memory_view[0]"),
    (
        "unknown prompt key",
        {"user_id": "u", "custom_extract_prompt": {"facts": "x"}},
        "custom_extract_prompt['facts']",
    ),
]


@pytest.mark.parametrize(("label", "fields", "field"), BAD_ADDS)
def test_bad_add_arguments_name_the_field(label: str, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        add(**fields)
    assert caught.value.field == field, label
    assert str(caught.value).startswith(f"{field}: ")


BAD_SEARCHES: list[tuple[str, object, dict[str, Any], str]] = [
    ("empty query", "", {"user_id": "u"}, "query"),
    ("query not str", ["q"], {"user_id": "u"}, "query"),
    ("no subject", "q", {}, "user_id"),
    ("both subjects", "q", {"user_id": "u", "agent_id": "a"}, "agent_id"),
    ("list subject", "q", {"user_id": ["u1", "u2"]}, "user_id"),
    ("limit 0", "q", {"user_id": "u", "memory_limit_number": 0}, "memory_limit_number"),
    ("limit 26", "q", {"user_id": "u", "preference_limit_number": 26}, "preference_limit_number"),
    ("limit float", "q", {"user_id": "u", "skill_limit_number": 2.0}, "skill_limit_number"),
    (
        "limit bool",
        "q",
        {"user_id": "u", "tool_memory_limit_number": True},
        "tool_memory_limit_number",
    ),
    ("relativity 1.5", "q", {"user_id": "u", "relativity": 1.5}, "relativity"),
    ("relativity -0.1", "q", {"user_id": "u", "relativity": -0.1}, "relativity"),
    ("relativity str", "q", {"user_id": "u", "relativity": "0.4"}, "relativity"),
    (
        "unknown view",
        "q",
        {"user_id": "u", "include_memory_view": ["tools"]},
        "include_memory_view[0]",
    ),
    ("filter list", "q", {"user_id": "u", "filter": [{"a": 1}]}, "filter"),
    ("kb ids string", "q", {"user_id": "u", "knowledgebase_ids": "all"}, "knowledgebase_ids"),
]


@pytest.mark.parametrize(("label", "query", "fields", "field"), BAD_SEARCHES)
def test_bad_search_arguments_name_the_field(
    label: str, query: object, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        search(query, **fields)
    assert caught.value.field == field, label


@pytest.mark.parametrize("task_id", ["", "  ", None, 42])
def test_bad_task_id(task_id: object) -> None:
    with pytest.raises(InvalidRequestError, match="task_id"):
        build("get_status", task_id)


def test_invalid_request_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        search("", user_id="u")


@pytest.mark.parametrize(
    ("info", "hint"),
    [
        ({"at": __import__("datetime").date(2025, 1, 1)}, "isoformat"),
        ({"score": float("nan")}, "finite"),
        ({"nested": {"a": "b"}}, "list of strings"),
        ({"ids": [1, 2]}, "list of strings"),
        ({"none": None}, "must be a string"),
        ({"vip": True}, "no booleans"),
        ({"nested": {"a": 1}}, "flatten nested"),
    ],
)
def test_info_values_must_be_sendable(info: dict[str, Any], hint: str) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        add(user_id="u", info=info)


def test_info_accepts_the_documented_value_types() -> None:
    info = {"scene": "chat", "biz_id": 7, "score": 0.5, "labels": ["a", "b"]}
    assert add(user_id="u", info=info).body == {"user_id": "u", "messages": MSG, "info": info}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"user_id": "u", "tags": ["ok", " "]}, "tags[1]"),
        ({"user_id": "u", "source": 123}, "source"),
        ({"user_id": "u", "source": ""}, "source"),
    ],
)
def test_tags_and_source_are_checked(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        add(**fields)
    assert caught.value.field == field


def test_blank_content_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="is empty"):
        add([{"role": "user", "content": "   "}], user_id="u")
