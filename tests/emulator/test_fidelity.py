"""Fidelity found by running MemTensor's official clients against the emulator: paths
outside /api/openmem/v1 are 404s, a memory's detail carries its sources where the CLI
reads them, and the chat stream has no blank `data:` event."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client import NotFoundError
from memos_client.testing import FakeMemOS, ManualClock

from .helpers import AUTH, add, listing

BASE_URL_HINT = "base_url must end in /api/openmem/v1"


def _assert_outside_the_api(status: int, body: Any, path: str) -> None:
    assert status == 404
    assert body["code"] == 40001 and body["data"] is None
    assert f"{path} is not part of the MemOS Cloud API" in body["message"]
    assert BASE_URL_HINT in body["message"]


@pytest.mark.parametrize("path", ["/get/status", "/v1/get/status", "/api/openmem/get/status"])
def test_a_path_outside_the_api_is_a_404_in_process(
    fake: FakeMemOS[ManualClock], path: str
) -> None:
    response = fake.handle("POST", path, AUTH, b'{"task_id": "x"}')
    _assert_outside_the_api(response.status, response.json(), path)
    assert fake.stats.received[path.strip("/")] == 1
    assert fake.requests[-1].status == 404


def test_a_path_outside_the_api_is_a_404_over_http(fake: FakeMemOS[ManualClock]) -> None:
    with fake.serve() as base_url:
        root = base_url.removesuffix("/api/openmem/v1")
        with httpx.Client(base_url=root, headers=AUTH) as http:
            response = http.post("/search/memory", json={"user_id": "u1", "query": "x"})
            _assert_outside_the_api(response.status_code, response.json(), "/search/memory")
            inside = http.post(
                "/api/openmem/v1/search/memory", json={"user_id": "u1", "query": "x"}
            )
            assert inside.json()["code"] == 0


def test_an_sdk_base_url_without_the_prefix_fails_as_in_production(
    fake: FakeMemOS[ManualClock],
) -> None:
    with fake.client(base_url="https://memos.fake") as client:
        with pytest.raises(NotFoundError, match=BASE_URL_HINT):
            client.search("anything", user_id="u1")
    with fake.client() as client:  # the default base URL has the prefix
        assert client.search("anything", user_id="u1").memories == []


def test_detail_sources_sit_in_metadata_with_their_language(http: httpx.Client) -> None:
    add(
        http,
        [
            {"role": "user", "content": "我喜欢吃辣"},
            {"role": "assistant", "content": "Noted: spicy food."},
        ],
        async_mode=False,
    )
    memory = listing(http)["memory_detail_list"][0]
    detail = http.get(f"/get/memory/{memory['id']}").json()["data"]
    sources = detail["metadata"]["sources"]
    assert [(s["type"], s["role"], s["lang"], s["content"]) for s in sources] == [
        ("chat", "user", "zh", "我喜欢吃辣"),
        ("chat", "assistant", "en", "Noted: spicy food."),
    ]
    assert all(source["chat_time"] for source in sources)
    assert detail["sources"] == sources
    assert "lang" not in listing(http)["memory_detail_list"][0]["sources"][0]  # detail only


@pytest.mark.parametrize("query", ["x", "Tell me everything you know about my climbing trips"])
def test_the_chat_stream_has_no_blank_data_event(http: httpx.Client, query: str) -> None:
    add(http, "I love climbing in Yosemite", async_mode=False)
    body = {"user_id": "u1", "conversation_id": "c1", "query": query, "stream": True}
    lines = http.post("/chat", json=body).text.splitlines()
    data = [line for line in lines if line.startswith("data:")]
    assert data and all(line[len("data:") :].strip() for line in data)
    assert data[-1] == "data: [DONE]"
