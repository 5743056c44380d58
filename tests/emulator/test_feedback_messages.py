"""add/feedback (keyword replacement and correction) and get/message (raw history)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import add, code_of, ok, search, values


def _feedback(http: httpx.Client, content: str, **extra: Any) -> str:
    body = {"user_id": "u1", "feedback_content": content, **extra}
    data = ok(http, "add/feedback", body)
    assert (data["success"], data["status"]) == (True, "running")
    task_id = data["task_id"]
    assert isinstance(task_id, str)
    return task_id


@pytest.mark.parametrize(
    "feedback",
    [
        "Replace Guangzhou with Shenzhen everywhere",
        "change Guangzhou to Shenzhen",
        "It's not Guangzhou but Shenzhen",
        "Guangzhou should be Shenzhen",
        "把Guangzhou改成Shenzhen",
    ],
)
def test_keyword_replacement_rewrites_matching_memories(
    fake: FakeMemOS[ManualClock], http: httpx.Client, feedback: str
) -> None:
    add(http, "I've booked a trip to Guangzhou", async_mode=False)
    add(http, "I've booked a trip to Guangzhou", async_mode=False, user_id="bob")
    task_id = _feedback(http, feedback)
    assert values(search(http, "trip Guangzhou")) == ["The user has booked a trip to Guangzhou."]
    fake.clock.advance(1)
    status = ok(http, "get/status", {"task_id": task_id})
    assert status["status"] == "completed"
    views = status["memory_views"]
    assert (views["added"], views["updated"], views["deleted"]) == (0, 1, 0)
    assert values(search(http, "trip Shenzhen")) == ["The user has booked a trip to Shenzhen."]
    assert values(search(http, "trip Guangzhou", user_id="bob")) == [
        "The user has booked a trip to Guangzhou."
    ]
    [memory] = fake.memories(user_id="u1")
    assert views["detail_factual"] == {"memory_ids": [memory.id]}


def test_other_feedback_is_stored_as_a_correction(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    add(http, "I've booked a trip to Guangzhou", async_mode=False)
    task_id = _feedback(
        http, "Actually I cancelled that trip last week", conversation_id="c9", feedback_time="t0"
    )
    fake.clock.advance(1)
    views = ok(http, "get/status", {"task_id": task_id})["memory_views"]
    assert (views["added"], views["updated"]) == (1, 0)
    [memory_id] = views["detail_factual"]["memory_ids"]
    found = search(http, "cancelled trip")["memory_detail_list"]
    assert found[0]["id"] == memory_id
    assert found[0]["memory_type"] == "UserMemory"
    assert found[0]["memory_value"] == (
        "Correction from the user: Actually I cancelled that trip last week"
    )
    assert found[0]["conversation_id"] == "c9"
    assert "feedback" in found[0]["tags"]
    detail = http.get(f"/get/memory/{memory_id}").json()["data"]
    assert detail["metadata"]["sources"] == [
        {
            "type": "chat",
            "role": "user",
            "chat_time": "t0",
            "content": "Actually I cancelled that trip last week",
            "lang": "en",
        }
    ]
    assert detail["sources"] == detail["metadata"]["sources"]


def test_a_replacement_that_matches_nothing_becomes_a_correction(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    task_id = _feedback(http, "Replace Paris with Rome")
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task_id})["memory_views"]["added"] == 1


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.task_fails(), "failed"), (Fault.task_never_finishes(), "running")]
)
def test_feedback_tasks_honour_task_faults(
    fake: FakeMemOS[ManualClock], http: httpx.Client, fault: Fault, status: str
) -> None:
    fake.inject(fault, endpoint="add/feedback", times=1)
    task_id = _feedback(http, "Something to remember")
    fake.clock.advance(100)
    assert ok(http, "get/status", {"task_id": task_id})["status"] == status
    assert fake.memories() == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"feedback_content": "x"}, 40002),
        ({"user_id": "u1"}, 40002),
        ({"user_id": "u1", "feedback_content": "  "}, 40002),
        ({"user_id": "u" * 101, "feedback_content": "x"}, 40010),
        ({"user_id": "u1", "feedback_content": "x", "conversation_id": "c" * 101}, 40011),
        ({"user_id": "u1", "feedback_content": "x", "allow_public": "yes"}, 40000),
        ({"user_id": "u1", "feedback_content": "x", "allow_knowledgebase_ids": "kb"}, 40000),
    ],
)
def test_feedback_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "add/feedback", body) == code


def test_feedback_accepts_every_documented_field(http: httpx.Client) -> None:
    body = {
        "user_id": "u1",
        "conversation_id": "c1",
        "feedback_content": "Replace tea with coffee",
        "agent_id": "a1",
        "app_id": "app",
        "feedback_time": "2025-12-10 10:00:00",
        "allow_public": False,
        "allow_knowledgebase_ids": [],
    }
    assert ok(http, "add/feedback", body)["status"] == "running"


def test_get_message_returns_the_latest_messages_oldest_first(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    for index in range(4):
        add(
            http,
            [
                {"role": "user", "content": f"question {index}"},
                {"role": "assistant", "content": [{"type": "text", "text": f"answer {index}"}]},
            ],
        )
        fake.clock.advance(1)
    data = ok(http, "get/message", {"user_id": "u1", "conversation_id": "c1"})
    messages = data["message_detail_list"]
    assert [m["content"] for m in messages] == [
        "question 1",
        "answer 1",
        "question 2",
        "answer 2",
        "question 3",
        "answer 3",
    ]
    assert set(messages[0]) == {"role", "content", "create_time", "update_time", "message_id"}
    assert messages[0]["create_time"] == messages[0]["update_time"]
    assert messages[-1]["create_time"] > messages[0]["create_time"]
    limited = ok(
        http, "get/message", {"user_id": "u1", "conversation_id": "c1", "message_limit_number": 1}
    )
    assert [m["content"] for m in limited["message_detail_list"]] == ["answer 3"]


def test_get_message_is_per_user_and_conversation_and_skips_tool_roles(
    http: httpx.Client,
) -> None:
    add(
        http,
        [
            {"role": "system", "content": "be nice"},
            {"role": "user", "content": "mine [image]"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "look"},
                    {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                ],
            },
        ],
    )
    add(http, "other conversation", conversation_id="c2")
    add(http, "other user", user_id="bob")
    data = ok(http, "get/message", {"user_id": "u1", "conversation_id": "c1"})
    assert [m["content"] for m in data["message_detail_list"]] == ["mine [image]", "look [image]"]
    empty = ok(http, "get/message", {"user_id": "nobody", "conversation_id": "c1"})
    assert empty == {"message_detail_list": []}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"conversation_id": "c1"}, 40002),
        ({"user_id": "u1"}, 40002),
        ({"user_id": "u1", "conversation_id": "c1", "message_limit_number": 0}, 40000),
        ({"user_id": "u1", "conversation_id": "c1", "message_limit_number": 51}, 40000),
        ({"user_id": "u1", "conversation_id": "c" * 101}, 40011),
    ],
)
def test_get_message_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "get/message", body) == code
