"""get/memory (paged listing), GET get/memory/{id}, delete/memory and update/memory."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock

from .helpers import SEED_TURN, add, call, code_of, listing, ok, search, values

LISTS = (
    "memory_detail_list",
    "preference_detail_list",
    "tool_memory_detail_list",
    "skill_detail_list",
    "event_detail_list",
    "profile_detail_list",
)


def _facts(http: httpx.Client, count: int, user_id: str = "u1") -> None:
    for index in range(count):
        add(
            http,
            f"I visited museum number {index} in Rome",
            user_id=user_id,
            async_mode=False,
            conversation_id=f"c{index}",
        )


def test_get_memory_lists_six_kinds_with_paging_fields(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False, info={"scene": "chat"})
    data = listing(http)
    assert set(data) == {*LISTS, "total", "size", "current", "pages"}
    assert (data["total"], data["size"], data["current"], data["pages"]) == (1, 10, 1, 1)
    [fact] = data["memory_detail_list"]
    assert fact["memory_value"] == "The user loves sushi."
    assert fact["info"] == {"scene": "chat"}
    assert fact["sources"] == [
        {
            "type": "chat",
            "role": "user",
            "chat_time": "09:44 AM on 10 December, 2025 UTC",
            "content": "I love sushi",
        }
    ]
    [preference] = data["preference_detail_list"]
    assert preference["preference_type"] == "explicit_preference"
    assert preference["sources"][0]["content"] == "I love sushi"
    assert "relativity" not in fact


def test_get_memory_pages_each_kind_newest_first(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    for index in range(5):
        add(http, f"I visited museum number {index} in Rome", async_mode=False)
        fake.clock.advance(1)
    first = listing(http, size=2)
    assert (first["total"], first["size"], first["current"], first["pages"]) == (5, 2, 1, 3)
    assert [m["memory_value"] for m in first["memory_detail_list"]] == [
        "The user visited museum number 4 in Rome.",
        "The user visited museum number 3 in Rome.",
    ]
    last = listing(http, size=2, page=3)
    assert [m["memory_value"] for m in last["memory_detail_list"]] == [
        "The user visited museum number 0 in Rome."
    ]
    assert last["current"] == 3
    assert listing(http, size=2, page=4)["memory_detail_list"] == []


def test_total_is_the_largest_count_across_kinds(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False)
    add(http, "I visited Rome in May", async_mode=False)
    data = listing(http, size=1)
    assert (len(data["memory_detail_list"]), len(data["preference_detail_list"])) == (1, 1)
    assert (data["total"], data["pages"]) == (2, 2)


def test_get_memory_switches_and_views(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False)
    assert listing(http, include_preference=False)["preference_detail_list"] == []
    only = listing(http, include_memory_view=["preference"])
    assert (only["memory_detail_list"], len(only["preference_detail_list"])) == ([], 1)
    response = http.post("/get/memory", json={"user_id": "u1", "include_memory_view": ["nonsense"]})
    assert (response.status_code, response.json()["code"]) == (400, 40000)


def test_get_memory_filters_and_isolates(http: httpx.Client) -> None:
    add(http, "I collect vintage stamps", async_mode=False, agent_id="a1")
    add(http, "I collect vintage coins", async_mode=False, user_id="bob")
    add(http, "The office closes at six", user_id="admin", allow_public=True, async_mode=False)
    mine = listing(http)
    assert [m["memory_value"] for m in mine["memory_detail_list"]] == [
        "The user collects vintage stamps."
    ]
    filtered = listing(http, filter={"and": [{"agent_id": "other"}]})
    assert filtered["memory_detail_list"] == []
    assert filtered["total"] == 0 and filtered["pages"] == 0
    by_agent = ok(http, "get/memory", {"agent_id": "a1"})
    assert len(by_agent["memory_detail_list"]) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 40002),
        ({"user_id": "u1", "agent_id": "a1"}, 40000),
        ({"user_id": "u1", "size": 51}, 40000),
        ({"user_id": "u1", "size": 0}, 40000),
        ({"user_id": "u1", "page": 0}, 40000),
        ({"user_id": "u1", "filter": {"nope": []}}, 40000),
        ({"user_id": "u1", "include_preference": "yes"}, 40000),
    ],
)
def test_get_memory_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "get/memory", body) == code


def test_get_by_id_returns_the_memory_and_its_origin(http: httpx.Client) -> None:
    add(http, SEED_TURN, async_mode=False, conversation_id="0610")
    memory = listing(http)["memory_detail_list"][0]
    response = http.get(f"/get/memory/{quote(memory['id'], safe='')}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["memory_id"], data["memory"]) == (
        memory["id"],
        memory["id"],
        memory["memory_value"],
    )
    sources = data["metadata"].pop("sources")
    assert data["metadata"] == {
        "memory_type": memory["memory_type"],
        "status": "activated",
        "key": memory["memory_key"],
        "tags": memory["tags"],
        "created_at": "2025-12-10T09:44:00.000Z",
        "updated_at": "2025-12-10T09:44:00.000Z",
        "background": "",
        "conversation_id": "0610",
    }
    assert [(source["role"], source["lang"]) for source in sources] == [
        ("user", "en"),
        ("assistant", "en"),
        ("user", "en"),
        ("assistant", "en"),
    ]
    assert data["sources"] == sources  # also where the SDK's MemoryDetail reads them


def test_get_by_id_reads_preferences_too(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False)
    preference = listing(http)["preference_detail_list"][0]
    data = http.get(f"/get/memory/{preference['id']}").json()["data"]
    assert data["metadata"]["memory_type"] == "PreferenceMemory"
    assert data["metadata"]["background"] == preference["reasoning"]


@pytest.mark.parametrize("memory_id", ["nope", "a/b?c d", "%zz"])
def test_get_by_id_unknown_or_escaped_ids_are_40001(http: httpx.Client, memory_id: str) -> None:
    response = http.get(f"/get/memory/{quote(memory_id, safe='')}")
    assert response.status_code == 200
    assert response.json() == {
        "code": 40001,
        "data": None,
        "message": f"memory not found: {memory_id}",
    }


def test_get_by_id_is_the_only_get_route(http: httpx.Client) -> None:
    assert http.post("/get/memory/abc", json={}).status_code == 405
    assert http.get("/get/memory").status_code == 405
    assert http.post("/get/memory/abc", json={}).headers["allow"] == "GET"


def test_delete_by_ids(http: httpx.Client) -> None:
    _facts(http, 3)
    ids = [m["id"] for m in listing(http)["memory_detail_list"]]
    assert ok(http, "delete/memory", {"memory_ids": ids[:2]}) == {"success": True}
    assert [m["id"] for m in listing(http)["memory_detail_list"]] == ids[2:]
    assert code_of(http, "delete/memory", {"memory_ids": [ids[2], "nope"]}) == 40307
    assert len(listing(http)["memory_detail_list"]) == 1  # nothing deleted on a 40307


def test_delete_by_user_or_agent(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    _facts(http, 2)
    add(http, "I love sushi", async_mode=False, user_id="bob")
    add(http, "I prefer short answers", async_mode=False, user_id=None, agent_id="bot")
    assert ok(http, "delete/memory", {"user_id": "u1"}) == {"success": True}
    assert listing(http)["total"] == 0
    assert fake.memories(user_id="bob") and fake.preferences(user_id="bob")
    assert code_of(http, "delete/memory", {"user_id": "u1"}) == 40308
    assert ok(http, "delete/memory", {"agent_id": "bot"}) == {"success": True}
    assert code_of(http, "delete/memory", {"agent_id": "bot"}) == 40308


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 40002),
        ({"memory_ids": ["x"], "user_id": "u1"}, 40000),
        ({"user_id": "u1", "agent_id": "a"}, 40000),
        ({"memory_ids": []}, 40003),
        ({"memory_ids": "x"}, 40000),
        ({"memory_ids": ["unknown"]}, 40307),
        ({"user_id": "nobody"}, 40308),
    ],
)
def test_delete_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "delete/memory", body) == code


def test_update_content_title_and_status(http: httpx.Client) -> None:
    add(http, "I play tennis on Mondays", async_mode=False)
    memory = listing(http)["memory_detail_list"][0]
    changes = {"memory_id": memory["id"], "content": "The user plays squash.", "title": "Squash"}
    assert ok(http, "update/memory", changes) == {"success": True}
    [updated] = listing(http)["memory_detail_list"]
    assert (updated["memory_value"], updated["memory_key"]) == ("The user plays squash.", "Squash")
    assert values(search(http, "squash")) == ["The user plays squash."]
    ok(http, "update/memory", {"memory_id": memory["id"], "status": "archived"})
    assert listing(http)["memory_detail_list"] == []
    assert search(http, "squash")["memory_detail_list"] == []
    detail = http.get(f"/get/memory/{memory['id']}").json()["data"]
    assert detail["metadata"]["status"] == "archived"
    ok(http, "update/memory", {"memory_id": memory["id"], "status": "activated"})
    assert values(search(http, "squash")) == ["The user plays squash."]


def test_update_a_preference(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False)
    preference = listing(http)["preference_detail_list"][0]
    ok(http, "update/memory", {"memory_id": preference["id"], "content": "The user loves ramen."})
    assert listing(http)["preference_detail_list"][0]["preference"] == "The user loves ramen."
    assert code_of(http, "update/memory", {"memory_id": preference["id"], "title": "x"}) == 40000


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"content": "x"}, 40002),
        ({"memory_id": "nope", "content": "x"}, 40001),
        ({"memory_id": "nope"}, 40002),
        ({"memory_id": "nope", "content": "  "}, 40000),
        ({"memory_id": "nope", "status": 3}, 40000),
    ],
)
def test_update_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "update/memory", body) == code


def test_errors_are_envelopes_in_http_200(http: httpx.Client) -> None:
    response = http.post("/delete/memory", json={})
    assert response.status_code == 200
    assert call(http, "delete/memory", {})["data"] is None
