"""The async pipeline: rough pass at once, refined pass after `refine_delay` on the clock."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock

from .helpers import SEED_TURN, add, ok, search, values

TIME = "09:44 AM on 10 December, 2025 UTC"
"""The manual clock's default start, formatted the way MemOS prefixes working memories."""


def test_async_add_answers_running_with_a_task_id(http: httpx.Client) -> None:
    data = add(http, SEED_TURN)
    assert data["success"] is True
    assert data["status"] == "running"
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", data["task_id"]
    )


def test_rough_pass_is_one_working_memory_shaped_like_the_seed(http: httpx.Client) -> None:
    """The turn is searchable at once as a `WorkingMemory` tagged `mode:fast`."""
    add(http, SEED_TURN, conversation_id="0610")
    [item] = search(http, "Guangzhou trip")["memory_detail_list"]
    assert item["memory_type"] == "WorkingMemory"
    assert item["memory_key"] == (
        f"user: [{TIME}]: I've booked a trip to Guangzhou for the summer vacation. "
        "What chain hotels are available for accommodation?"
    )
    assert item["memory_value"] == (
        f"user: [{TIME}]: I've booked a trip to Guangzhou for the summer vacation. "
        "What chain hotels are available for accommodation?\n"
        f"assistant: [{TIME}]: You can consider [7 Days Inn, Ji Hotel, Hilton], etc.\n"
        f"user: [{TIME}]: I'll choose 7 Days Inn\n"
        f"assistant: [{TIME}]: Okay, let me know if you have any other questions.\n"
    )
    assert item["tags"] == ["mode:fast"]
    assert item["confidence"] == 0.99
    assert item["status"] == "activated"
    assert item["conversation_id"] == "0610"
    assert item["create_time"] == item["update_time"] == 1765359840000
    assert 0 < item["relativity"] <= 1
    assert set(item) == {
        "id",
        "memory_key",
        "memory_value",
        "memory_type",
        "create_time",
        "update_time",
        "conversation_id",
        "status",
        "confidence",
        "tags",
        "relativity",
    }


@pytest.mark.parametrize(
    "query", ["Where is the user travelling this summer?", "Guangzhou trip", "summer vacation"]
)
def test_the_next_call_finds_the_turn_at_the_default_threshold(
    http: httpx.Client, query: str
) -> None:
    """The seed's promise: a turn added in async mode is found by the very next search."""
    add(http, SEED_TURN)
    found = search(http, query)["memory_detail_list"]
    assert [item["memory_type"] for item in found] == ["WorkingMemory"]
    assert found[0]["relativity"] >= 0.45


def test_chat_time_is_used_verbatim_and_list_content_is_flattened(http: httpx.Client) -> None:
    messages: list[dict[str, Any]] = [
        {
            "role": "user",
            "chat_time": "2025-09-12 08:00:00",
            "content": [
                {"type": "text", "text": "Here is my boarding pass"},
                {"type": "image_url", "image_url": {"url": "https://x/pass.png"}},
                {"type": "file", "file": {"file_data": "https://x/ticket.pdf"}},
            ],
        },
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
    ]
    add(http, messages)
    [item] = search(http, "boarding pass")["memory_detail_list"]
    assert item["memory_value"] == (
        "user: [2025-09-12 08:00:00]: Here is my boarding pass [image] [file]\n"
        f'assistant: [{TIME}]: [tool call: get_weather {{"city": "Paris"}}]\n'
    )


def test_status_is_running_until_the_refine_delay_passes(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    task_id = add(http, SEED_TURN)["task_id"]
    assert ok(http, "get/status", {"task_id": task_id}) == {"task_id": task_id, "status": "running"}
    fake.clock.advance(0.999)
    assert ok(http, "get/status", {"task_id": task_id})["status"] == "running"
    fake.clock.advance(0.001)
    status = ok(http, "get/status", {"task_id": task_id})
    assert status["status"] == "completed"
    views = status["memory_views"]
    assert (views["added"], views["updated"], views["deleted"]) == (3, 0, 0)
    assert len(views["detail_factual"]["memory_ids"]) == 2
    assert len(views["preference"]["memory_ids"]) == 1
    assert fake.tasks[task_id].status == "completed"


def test_refinement_turns_the_turn_into_user_memories(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    task_id = add(http, SEED_TURN, conversation_id="0610", tags=["travel", "finance"])["task_id"]
    fake.clock.advance(1)
    found = search(http, "Where is the user travelling this summer?")["memory_detail_list"]
    top = found[0]
    assert top["memory_type"] == "UserMemory"
    assert top["memory_value"] == "The user has booked a trip to Guangzhou for the summer vacation."
    assert top["memory_key"] == "Trip Guangzhou Summer Vacation"
    assert top["tags"] == ["Travel", "Guangzhou", "travel", "mode:fine"]
    assert top["conversation_id"] == "0610"
    ids = ok(http, "get/status", {"task_id": task_id})["memory_views"]["detail_factual"]
    assert top["id"] in ids["memory_ids"]


def test_refinement_retires_the_working_memory(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, SEED_TURN)
    fake.clock.advance(1)
    everything = search(http, "Guangzhou 7 Days Inn trip", relativity=0)["memory_detail_list"]
    assert "WorkingMemory" not in [item["memory_type"] for item in everything]
    retired = [m for m in fake.memories(include_retired=True) if m.retired]
    assert [m.memory_type for m in retired] == ["WorkingMemory"]
    assert all(m.memory_type != "WorkingMemory" for m in fake.memories())


def test_a_turn_with_nothing_to_refine_keeps_its_working_memory(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    """Questions and small talk produce no refined memory; the rough pass stays findable."""
    task_id = add(http, "What hotels are near the Louvre?")["task_id"]
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task_id})["memory_views"] == {
        "added": 0,
        "updated": 0,
        "deleted": 0,
    }
    assert [i["memory_type"] for i in search(http, "Louvre hotels")["memory_detail_list"]] == [
        "WorkingMemory"
    ]


@pytest.mark.parametrize(
    ("sentence", "memory_type", "value"),
    [
        ("I booked a trip to Guangzhou", "UserMemory", "The user booked a trip to Guangzhou."),
        ("I'm allergic to peanuts", "UserMemory", "The user is allergic to peanuts."),
        ("My sister lives in Berlin", "UserMemory", "The user's sister lives in Berlin."),
        ("The Eiffel Tower is in Paris", "LongTermMemory", "The Eiffel Tower is in Paris."),
    ],
)
def test_user_statements_become_user_memories_and_other_facts_long_term(
    fake: FakeMemOS[ManualClock], http: httpx.Client, sentence: str, memory_type: str, value: str
) -> None:
    add(http, sentence)
    fake.clock.advance(1)
    [memory] = fake.memories(user_id="u1")
    assert (memory.memory_type, memory.memory_value) == (memory_type, value)
    assert "mode:fine" in memory.tags


def test_preferences_explicit_and_implicit_carry_their_reasoning(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, SEED_TURN)
    add(http, "I love spicy food. I usually take the train to work.", conversation_id="c2")
    fake.clock.advance(1)
    found = search(http, "spicy food train hotel", relativity=0)["preference_detail_list"]
    by_text = {item["preference"]: item for item in found}
    assert by_text["The user loves spicy food."]["preference_type"] == "explicit_preference"
    assert by_text["The user tends to take the train to work."]["preference_type"] == (
        "implicit_preference"
    )
    choice = by_text["The user may prefer options like 7 Days Inn."]
    assert choice["preference_type"] == "implicit_preference"
    assert "Ji Hotel, Hilton" in choice["reasoning"]
    assert "habit" in by_text["The user tends to take the train to work."]["reasoning"]
    assert set(choice) == {
        "id",
        "preference",
        "preference_type",
        "reasoning",
        "create_time",
        "update_time",
        "conversation_id",
        "status",
        "relativity",
    }


def test_sync_mode_answers_completed_with_refined_memories_ready(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    data = add(http, "I love hiking in the Alps", async_mode=False)
    assert data["status"] == "completed"
    assert fake.tasks[data["task_id"]].status == "completed"
    [item] = search(http, "hiking")["memory_detail_list"]
    assert item["memory_type"] == "UserMemory"
    assert "mode:fine" in item["tags"]
    assert ok(http, "get/status", {"task_id": data["task_id"]})["memory_views"]["added"] == 2


@pytest.mark.parametrize("kind", ["image_url", "file"])
def test_media_parts_force_async_mode(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kind: str
) -> None:
    part = {
        "type": kind,
        kind: {"url": "https://x/a.png"}
        if kind == "image_url"
        else {"file_data": "https://x/a.pdf"},
    }
    content = [{"type": "text", "text": "I visited the Louvre museum"}, part]
    data = add(http, [{"role": "user", "content": content}], async_mode=False)
    assert data["status"] == "running"
    fake.clock.advance(1)
    [memory] = fake.memories()
    tag = "multimodal:image" if kind == "image_url" else "multimodal:file"
    assert memory.tags[-2:] == [tag, "mode:fine"]


def test_refined_dedup_reports_updates_not_copies(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    """The same statement twice is one memory, reported as updated the second time."""
    first = add(http, "I live in Shanghai", async_mode=False)
    second = add(http, "I live in Shanghai", async_mode=False, conversation_id="c9")
    views = ok(http, "get/status", {"task_id": second["task_id"]})["memory_views"]
    assert (views["added"], views["updated"]) == (0, 1)
    assert first["task_id"] != second["task_id"]
    assert [m.memory_value for m in fake.memories()] == ["The user lives in Shanghai."]


def test_allow_memory_view_limits_what_refinement_produces(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "I love jazz music", allow_memory_view=["preference"], async_mode=False)
    assert fake.memories() == []
    assert [p.preference for p in fake.preferences()] == ["The user loves jazz music."]


def test_messages_are_stored_raw_per_subject_and_conversation(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, SEED_TURN, conversation_id="0610")
    add(http, "I like tea a lot", user_id="u2")
    stored = fake.messages(user_id="u1", conversation_id="0610")
    assert [m.role for m in stored] == ["user", "assistant", "user", "assistant"]
    assert stored[2].content == "I'll choose 7 Days Inn"
    assert stored[2].raw == SEED_TURN[2]
    assert [m.content for m in fake.messages(user_id="u2")] == ["I like tea a lot"]


def test_missing_conversation_id_goes_to_the_default_session(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    ok(
        http,
        "add/message",
        {"user_id": "u1", "messages": [{"role": "user", "content": "I play chess"}]},
    )
    assert [m.conversation_id for m in fake.messages()] == ["default_session"]


def test_tasks_complete_lazily_in_due_order(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    """No threads: due tasks finish when the fake is next asked anything."""
    first = add(http, "I like apples and pears")["task_id"]
    fake.clock.advance(0.5)
    second = add(http, "I like plums and cherries")["task_id"]
    fake.clock.advance(0.6)
    tasks = fake.tasks
    assert (tasks[first].status, tasks[second].status) == ("completed", "running")
    fake.clock.advance(0.5)
    assert fake.tasks[second].status == "completed"
    assert values(search(http, "plums")) == ["The user likes plums and cherries."]


def test_tool_call_arguments_given_as_objects_are_rendered_as_json(http: httpx.Client) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": {"q": 1}}}
    add(
        http,
        [
            {"role": "user", "content": "Look up the zebra facts"},
            {"role": "assistant", "tool_calls": [call]},
        ],
    )
    [item] = search(http, "zebra facts")["memory_detail_list"]
    assert item["memory_value"].endswith('[tool call: lookup {"q": 1}]\n')


def test_repeated_preferences_are_updated_not_duplicated(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "I love green tea", async_mode=False)
    second = add(http, "I love green tea", async_mode=False, conversation_id="c2")
    views = ok(http, "get/status", {"task_id": second["task_id"]})["memory_views"]
    assert (views["added"], views["updated"]) == (0, 2)
    assert [p.preference for p in fake.preferences(user_id="u1")] == ["The user loves green tea."]


def test_chinese_statements_not_about_the_user_are_long_term(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "上海的夏天很热", async_mode=False)
    [memory] = fake.memories()
    assert (memory.memory_type, memory.memory_value) == ("LongTermMemory", "上海的夏天很热。")


def test_settle_finishes_due_tasks_on_demand(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "I like kayaking")
    fake.clock.advance(fake.refine_delay)
    fake.settle()
    assert [m.memory_type for m in fake.memories(include_retired=True)] == [
        "WorkingMemory",
        "UserMemory",
    ]
