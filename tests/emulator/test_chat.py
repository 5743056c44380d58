"""chat: recall, the deterministic answer, the stored turn, SSE streaming and the cut fault."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import add, code_of, ok, search

CHAT = {"user_id": "u1", "conversation_id": "chat1"}
NOTHING = "I don't have anything about that yet."


def _chat(http: httpx.Client, query: str, **extra: Any) -> str:
    data = ok(http, "chat", {**CHAT, "query": query, **extra})
    assert set(data) == {"response"}
    answer = data["response"]
    assert isinstance(answer, str)
    return answer


def _events(text: str) -> list[str]:
    """The raw events of an SSE body (blank-line separated blocks)."""
    return [block for block in text.split("\n\n") if block]


def _payloads(text: str) -> list[dict[str, Any]]:
    found = []
    for block in _events(text):
        for line in block.splitlines():
            if line.startswith("data:") and line[5:].strip() not in ("", "[DONE]"):
                found.append(json.loads(line[5:]))
    return found


def test_chat_answers_from_recalled_memories(http: httpx.Client) -> None:
    add(http, "I love climbing in Yosemite", async_mode=False)
    answer = _chat(http, "climbing Yosemite", add_message_on_answer=False)
    assert answer == (
        "Here is what I remember about you: The user loves climbing in Yosemite. "
        "So, the user loves climbing in Yosemite."
    )


def test_chat_without_memories_has_a_fixed_answer(http: httpx.Client) -> None:
    assert _chat(http, "what is my name?") == NOTHING


def test_chat_honours_recall_options(http: httpx.Client) -> None:
    add(http, "I love climbing in Yosemite", async_mode=False, agent_id="a1")
    assert _chat(http, "climbing", relativity=1.0, add_message_on_answer=False) != NOTHING
    assert _chat(http, "climbing opera ballet", add_message_on_answer=False) == NOTHING
    assert _chat(http, "climbing opera ballet", relativity=0, add_message_on_answer=False) != (
        NOTHING
    )
    other_agent = {"and": [{"agent_id": "a2"}]}
    assert _chat(http, "climbing", filter=other_agent, add_message_on_answer=False) == NOTHING
    without_preferences = _chat(
        http, "climbing", include_preference=False, add_message_on_answer=False
    )
    assert without_preferences.count("climbing in Yosemite") == 2


def test_max_tokens_truncates_the_answer_in_words(http: httpx.Client) -> None:
    assert _chat(http, "anything", max_tokens=3) == "I don't have"


def test_add_message_on_answer_stores_the_turn_like_an_async_add(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    _chat(http, "I adopted a cat named Miso", tags=["Pets"])
    [task] = fake.tasks.values()
    assert task.status == "running"
    [working] = fake.memories()
    assert working.memory_type == "WorkingMemory"
    assert working.conversation_id == "chat1"
    messages = ok(http, "get/message", CHAT)["message_detail_list"]
    assert [(m["role"], m["content"]) for m in messages] == [
        ("user", "I adopted a cat named Miso"),
        ("assistant", NOTHING),
    ]
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task.id})["status"] == "completed"
    found = search(http, "cat Miso")["memory_detail_list"]
    assert [m["memory_value"] for m in found] == ["The user adopted a cat named Miso."]
    assert "Pets" in found[0]["tags"]


def test_add_message_on_answer_false_stores_nothing(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    _chat(http, "I adopted a cat", add_message_on_answer=False)
    assert (fake.stats.tasks_created, fake.stats.messages_stored) == (0, 0)


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.task_fails(), "failed"), (Fault.task_never_finishes(), "running")]
)
def test_task_faults_apply_to_the_chat_turn(
    fake: FakeMemOS[ManualClock], http: httpx.Client, fault: Fault, status: str
) -> None:
    fake.inject(fault, endpoint="chat", times=1)
    _chat(http, "I adopted a cat named Miso")
    fake.clock.advance(10)
    [task] = fake.tasks.values()
    assert task.status == status


def test_stream_sends_the_documented_event_sequence(http: httpx.Client) -> None:
    add(http, "I love climbing in Yosemite", async_mode=False)
    response = http.post("/chat", json={**CHAT, "query": "climbing", "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    events = _events(response.text)
    assert events[0].startswith("event: message\ndata: ")
    assert ": keep-alive" in events
    data_lines = [line for event in events for line in event.splitlines() if "data:" in line]
    assert all(line.startswith("data: ") and line[6:].strip() for line in data_lines)
    assert events[-2] == 'event: message\ndata: {"type":"end","data":""}'
    assert events[-1] == "data: [DONE]"
    payloads = _payloads(response.text)
    kinds = [payload["type"] for payload in payloads]
    assert kinds[0] == "reasoning" and kinds[-1] == "end"
    assert kinds[1:-1] == ["text"] * (len(kinds) - 2)
    assert len(kinds) - 2 >= 3
    text = "".join(payload["data"] for payload in payloads if payload["type"] == "text")
    non_stream = _chat(http, "climbing", add_message_on_answer=False)
    assert text == non_stream
    keep_alive = events.index(": keep-alive")
    assert 0 < keep_alive < len(events) - 2


def test_stream_of_a_short_answer_still_has_three_chunks(http: httpx.Client) -> None:
    response = http.post("/chat", json={**CHAT, "query": "nothing", "stream": True})
    texts = [p["data"] for p in _payloads(response.text) if p["type"] == "text"]
    assert len(texts) >= 3
    assert "".join(texts) == NOTHING


def test_stream_can_be_read_incrementally(http: httpx.Client) -> None:
    with http.stream("POST", "/chat", json={**CHAT, "query": "x", "stream": True}) as response:
        lines = list(response.iter_lines())
    assert lines[0] == "event: message"
    assert [line for line in lines if line][-1] == "data: [DONE]"


def test_stream_errors_are_plain_envelopes(http: httpx.Client) -> None:
    response = http.post("/chat", json={"user_id": "u1", "query": "x", "stream": True})
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == 40002


def test_stream_cut_raises_while_reading(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.stream_cut(after=3), endpoint="chat", times=1)
    received: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError, match="middle of the response body"):
        with http.stream("POST", "/chat", json={**CHAT, "query": "x", "stream": True}) as response:
            assert response.headers["content-type"] == "text/event-stream"
            received.extend(response.iter_lines())
    assert "data: [DONE]" not in received
    assert ": keep-alive" in received  # the third piece arrived before the cut
    assert fake.stats.tasks_created == 1  # the turn was processed all the same
    assert fake.requests[-1].faults == ("stream_cut",)
    complete = http.post("/chat", json={**CHAT, "query": "x", "stream": True})
    assert complete.text.endswith("data: [DONE]\n\n")


def test_stream_cut_of_a_json_answer_cuts_it_half_way(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.stream_cut(), endpoint="chat", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/chat", json={**CHAT, "query": "x"})


def test_stream_cut_leaves_errors_alone(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    rule = fake.inject(Fault.stream_cut(), endpoint="chat", times=1)
    assert code_of(http, "chat", {"query": "x"}) == 40002
    assert fake.requests[-1].faults == ()
    assert rule.hits == 1


def test_stream_cut_is_only_for_chat(fake: FakeMemOS[ManualClock]) -> None:
    with pytest.raises(ValueError, match="applies only to chat"):
        fake.inject(Fault.stream_cut(), endpoint="search/memory")
    with pytest.raises(ValueError, match="negative"):
        Fault.stream_cut(after=-1)


@pytest.mark.anyio
async def test_async_stream_and_cut(fake: FakeMemOS[ManualClock], ahttp: httpx.AsyncClient) -> None:
    body = {**CHAT, "query": "x", "stream": True}
    response = await ahttp.post("/chat", json=body)
    assert response.text.endswith("data: [DONE]\n\n")
    fake.inject(Fault.stream_cut(after=1), endpoint="chat", times=1)
    received: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        async with ahttp.stream("POST", "/chat", json=body) as streamed:
            async for line in streamed.aiter_lines():
                received.append(line)
    assert received[0] == "event: message"
    assert '"type":"reasoning"' in received[1]
    assert all('"type":"text"' not in line for line in received)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"user_id": None}, 40002),
        ({"conversation_id": None}, 40002),
        ({"query": ""}, 40002),
        ({"user_id": "u" * 101}, 40010),
        ({"conversation_id": "c" * 101}, 40011),
        ({"relativity": 1.5}, 40012),
        ({"temperature": 2.5}, 40000),
        ({"temperature": -0.1}, 40000),
        ({"top_p": 1.1}, 40000),
        ({"max_tokens": 0}, 40000),
        ({"memory_limit_number": 26}, 40000),
        ({"preference_limit_number": 0}, 40000),
        ({"model_name": "gpt-4"}, 40000),
        ({"stream": "yes"}, 40000),
        ({"filter": {"bad": 1}}, 40000),
        ({"info": {"floor": 3}}, 40000),
        ({"info": {"labels": ["a"]}}, 40000),
        ({"knowledgebase_ids": ["nope"]}, 50123),
        ({"info": "x"}, 40000),
        ({"tags": "x"}, 40000),
    ],
)
def test_chat_validation(http: httpx.Client, extra: dict[str, Any], code: int) -> None:
    body = {
        key: value for key, value in {**CHAT, "query": "q", **extra}.items() if value is not None
    }
    assert code_of(http, "chat", body) == code


def test_chat_accepts_every_documented_field(http: httpx.Client) -> None:
    body = {
        **CHAT,
        "query": "hello there",
        "filter": {"and": [{"app_id": "app"}]},
        "knowledgebase_ids": [],
        "memory_limit_number": 5,
        "include_preference": True,
        "preference_limit_number": 5,
        "relativity": 0.3,
        "model_name": "Qwen2.5-72B-Instruct",
        "system_prompt": "Use {memories}",
        "stream": False,
        "max_tokens": 100,
        "temperature": 0.7,
        "top_p": 0.95,
        "add_message_on_answer": True,
        "app_id": "app",
        "agent_id": "a1",
        "tags": ["t"],
        "info": {"scene": "chat"},
        "allow_public": False,
        "allow_knowledgebase_ids": [],
        "async_mode": True,
        "include_tool_memory": False,
        "internet_search": False,
    }
    assert ok(http, "chat", body)["response"] == NOTHING
