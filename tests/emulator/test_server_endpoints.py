"""The new endpoints over real loopback HTTP: chat streaming (and its cut), multipart
uploads, and `GET get/memory/{id}` with an escaped id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import AUTH

CHAT = {"user_id": "u1", "conversation_id": "c1", "query": "climbing", "stream": True}


@pytest.fixture
def served(fake: FakeMemOS[ManualClock]) -> Iterator[httpx.Client]:
    with fake.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as http:
        http.post(
            "/add/message",
            json={
                "user_id": "u1",
                "conversation_id": "c0",
                "messages": [{"role": "user", "content": "I love climbing in Yosemite"}],
                "async_mode": False,
            },
        )
        yield http


def test_chat_streams_server_sent_events(served: httpx.Client) -> None:
    with served.stream("POST", "/chat", json=CHAT) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        assert response.headers["transfer-encoding"] == "chunked"
        lines = list(response.iter_lines())
    assert lines[:2] == ["event: message", lines[1]]
    assert json.loads(lines[1][len("data: ") :])["type"] == "reasoning"
    assert ": keep-alive" in lines
    assert all(line[len("data:") :].strip() for line in lines if line.startswith("data:"))
    assert 'data: {"type":"end","data":""}' in lines
    assert [line for line in lines if line][-1] == "data: [DONE]"
    texts = [
        json.loads(line[len("data: ") :])["data"]
        for line in lines
        if line.startswith('data: {"type":"text"')
    ]
    assert len(texts) >= 3
    assert "".join(texts).startswith("Here is what I remember about you: ")


def test_chat_stream_cut_over_http(fake: FakeMemOS[ManualClock], served: httpx.Client) -> None:
    fake.inject(Fault.stream_cut(after=2), endpoint="chat", times=1)
    received: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        with served.stream("POST", "/chat", json=CHAT) as response:
            received.extend(response.iter_lines())
    assert "data: [DONE]" not in received
    assert any('"type":"text"' in line for line in received)
    assert fake.stats.tasks_created == 2  # the seed add, and the chat turn
    with served.stream("POST", "/chat", json=CHAT) as response:
        assert list(response.iter_lines())[-2:] == ["data: [DONE]", ""]


def test_chat_without_stream_is_json_over_http(served: httpx.Client) -> None:
    response = served.post("/chat", json={**CHAT, "stream": False})
    assert response.headers["content-type"] == "application/json"
    assert "content-length" in response.headers
    assert response.json()["data"]["response"].startswith("Here is what I remember")


def test_multipart_upload_and_update_over_http(
    fake: FakeMemOS[ManualClock], served: httpx.Client
) -> None:
    kb_id = served.post("/create/knowledgebase", json={"knowledgebase_name": "kb"}).json()["data"]
    response = served.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb_id["id"], "type": "document"},
        files=[
            ("file", ("hours.txt", b"The gym opens at six.", "text/plain")),
            ("file", ("binary.pdf", b"%PDF-1.4 (Bring a towel to the gym.) Tj", "application/pdf")),
        ],
    )
    files = response.json()["data"]
    assert [(f["name"], f["status"]) for f in files] == [
        ("hours.txt", "running"),
        ("binary.pdf", "running"),
    ]
    fake.clock.advance(1)
    search = {"user_id": "u2", "query": "gym", "knowledgebase_ids": [kb_id["id"]]}
    found = served.post("/search/memory", json=search).json()["data"]["memory_detail_list"]
    assert sorted(m["memory_value"] for m in found) == [
        "Bring a towel to the gym.",
        "The gym opens at six.",
    ]
    updated = served.post(
        "/update/knowledgebase-file",
        data={"file_id": files[0]["id"]},
        files=[("file", ("hours.txt", b"The gym opens at seven.", "text/plain"))],
    )
    assert updated.json()["data"]["status"] == "running"
    fake.clock.advance(1)
    found = served.post("/search/memory", json=search).json()["data"]["memory_detail_list"]
    assert "The gym opens at seven." in [m["memory_value"] for m in found]
    logged = fake.requests[-2]
    assert (logged.endpoint, logged.path) == (
        "update/knowledgebase-file",
        "/api/openmem/v1/update/knowledgebase-file",
    )


def test_get_memory_by_escaped_id_over_http(
    fake: FakeMemOS[ManualClock], served: httpx.Client
) -> None:
    memory = fake.memories()[0]
    response = served.get(f"/get/memory/{quote(memory.id, safe='')}")
    assert response.status_code == 200
    assert response.json()["data"]["memory"] == memory.memory_value
    odd = served.get(f"/get/memory/{quote('a/b?c=d e', safe='')}")
    assert odd.json() == {"code": 40001, "data": None, "message": "memory not found: a/b?c=d e"}
    assert fake.requests[-1].endpoint == "get/memory/{memory_id}"
    assert fake.stats.received["get/memory/{memory_id}"] == 2


def test_faults_scope_to_the_get_route(fake: FakeMemOS[ManualClock], served: httpx.Client) -> None:
    fake.inject(Fault.server_error(503), endpoint="get/memory/{memory_id}", times=1)
    assert served.get("/get/memory/x").status_code == 503
    assert served.get("/get/memory/x").json()["code"] == 40001
