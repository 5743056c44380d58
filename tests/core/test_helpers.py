"""The public helpers: the filter builder, message builders and `to_prompt`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from memos_client import InvalidRequestError, filters as f, messages as m
from memos_client._core._decode import model
from memos_client._core._messages import check_messages
from memos_client.types import SearchResult


def search_result(data: Any) -> SearchResult:
    """search/memory's data, decoded as the client decodes it."""
    return model(SearchResult, data, "search/memory")


def test_all_of_builds_the_documented_example() -> None:
    built = f.all_of(
        f.eq("agent_id", "health_assistant"),
        f.contains("tags", "exercise"),
        f.gte("create_time", "2025-12-01"),
    )
    assert built == {
        "and": [
            {"agent_id": "health_assistant"},
            {"tags": {"contains": "exercise"}},
            {"create_time": {"gte": "2025-12-01"}},
        ]
    }
    assert isinstance(built, dict)


def test_any_of_and_ranges() -> None:
    assert f.any_of(f.eq("scene", "chat"), f.lt("update_time", date(2025, 12, 10))) == {
        "or": [{"scene": "chat"}, {"update_time": {"lt": "2025-12-10"}}]
    }
    assert f.all_of(f.gt("create_time", "2025-01-01"), f.lte("create_time", "2025-02-01")) == {
        "and": [{"create_time": {"gt": "2025-01-01"}}, {"create_time": {"lte": "2025-02-01"}}]
    }


def test_scoped_per_source() -> None:
    built = f.scoped(
        user=f.all_of(f.eq("agent_id", "a1")), knowledgebase=f.any_of(f.contains("tags", "faq"))
    )
    assert built == {
        "user": {"and": [{"agent_id": "a1"}]},
        "knowledgebase": {"or": [{"tags": {"contains": "faq"}}]},
    }


@pytest.mark.parametrize(
    ("build", "hint"),
    [
        (lambda: f.all_of(f.all_of(f.eq("scene", "x"))), "cannot nest"),  # type: ignore[arg-type]
        (lambda: f.any_of(), "at least one condition"),
        (lambda: f.eq("user_id", "u1"), "pass user_id= to the call"),
        (lambda: f.eq("info", "x"), "info key directly"),
        (lambda: f.eq("scene", 3), "only string values"),  # type: ignore[arg-type]
        (lambda: f.eq("tags", "x"), "contains"),
        (lambda: f.eq("create_time", "x"), "gt/gte/lt/lte"),
        (lambda: f.contains("scene", "x"), "tags only"),
        (lambda: f.gte("scene", "2025-01-01"), "create_time and update_time"),
        (lambda: f.gte("create_time", ""), "date string"),
        (lambda: f.scoped(), "at least one of"),
        (lambda: f.scoped(user={"and": []}), "all_of"),  # type: ignore[arg-type]
    ],
)
def test_the_builder_refuses_what_memos_refuses(build: Any, hint: str) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        build()


def test_message_builders_make_valid_turns() -> None:
    call = m.tool_call("get_weather", {"location": "北京"}, id="call_1")
    turns = [
        m.user("What's the weather?", chat_time="2025-12-10 09:00:00"),
        m.assistant(tool_calls=[call]),
        m.tool("call_1", {"temperature": "7C"}),
        m.assistant("It is 7C."),
        m.system("Be brief."),
        m.user(
            "Look", m.image("https://x.test/a.png"), m.file("https://x.test/a.pdf"), role_id="u2"
        ),
        m.user(m.image_bytes(b"\x89PNG", "image/png")),
    ]
    assert check_messages(turns) == turns
    assert turns[0] == {
        "role": "user",
        "content": "What's the weather?",
        "chat_time": "2025-12-10 09:00:00",
    }
    assert turns[1] == {"role": "assistant", "tool_calls": [call]}
    assert json.loads(call["function"]["arguments"]) == {"location": "北京"}
    assert turns[2] == {
        "role": "tool",
        "content": '{"temperature": "7C"}',
        "tool_call_id": "call_1",
    }
    assert turns[5].get("content") == [
        {"type": "text", "text": "Look"},
        {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
        {"type": "file", "file": {"file_data": "https://x.test/a.pdf"}},
    ]
    assert turns[6].get("content") == [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}}
    ]


def test_tool_call_ids_are_generated_when_missing() -> None:
    first, second = m.tool_call("f", "{}"), m.tool_call("f", "{}")
    assert first["id"].startswith("call_") and first["id"] != second["id"]


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: m.user(), InvalidRequestError),
        (lambda: m.user("x", mood="happy"), TypeError),
        (lambda: m.user(""), InvalidRequestError),
        (lambda: m.user("   "), InvalidRequestError),
        (lambda: m.assistant(), InvalidRequestError),
    ],
)
def test_message_builders_refuse_empty_or_unknown(build: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


SEARCH = {
    "memory_detail_list": [
        {"memory_value": "The user booked a trip\nto Guangzhou.", "create_time": 1765359875901},
        {"memory_key": "Only a key"},
        {"memory_value": "   "},
    ],
    "event_detail_list": [{"event_value": "Flight on 1 July", "create_time": 1765359875901}],
    "profile_detail_list": [{"memory": "Basic.Job: engineer"}],
    "skill_detail_list": [{"skill_value": {"name": "packing", "description": "how to pack light"}}],
    "tool_memory_detail_list": [{"experience": "Call get_weather with a city name."}],
    "preference_detail_list": [{"preference": "The user loves spicy food."}],
    "preference_note": "\n# Note:\nFollow the preferences.\n",
}


def test_to_prompt_renders_every_kind_then_preferences_and_the_note() -> None:
    assert search_result(SEARCH).to_prompt() == (
        "## What you remember about the user\n"
        "- [2025-12-10] The user booked a trip to Guangzhou.\n"
        "- Only a key\n"
        "- [2025-12-10] Flight on 1 July\n"
        "- Basic.Job: engineer\n"
        "- Skill packing: how to pack light\n"
        "- Call get_weather with a city name.\n"
        "\n"
        "## The user's preferences\n"
        "- The user loves spicy food.\n"
        "# Note:\nFollow the preferences."
    )


def test_to_prompt_without_dates_and_when_empty() -> None:
    assert "[2025" not in search_result(SEARCH).to_prompt(dates=False)
    assert search_result({}).to_prompt() == ""
    only_facts = search_result(
        {"memory_detail_list": [{"memory_value": "x"}], "preference_note": "n"}
    )
    assert only_facts.to_prompt() == "## What you remember about the user\n- x"
