"""respx pins the exact request each call sends: URL, headers, body, timeout."""

from __future__ import annotations

import httpx
import pytest
import respx

from memos_client import AsyncMemOS
from tests.helpers import API_KEY, BASE_URL, MESSAGES, accepted, body_of, ok, status


@pytest.mark.anyio
async def test_add_sends_the_exact_request(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/add/message").mock(return_value=accepted("c464e17e"))
    task = await client.add(MESSAGES, user_id="u1", conversation_id="c1", tags=["travel"])
    request = route.calls.last.request
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}/add/message"
    assert request.headers["authorization"] == f"Token {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("memos-client/")
    assert body_of(request) == {
        "user_id": "u1",
        "conversation_id": "c1",
        "messages": MESSAGES,
        "tags": ["travel"],
    }
    assert request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 60.0,
        "write": 60.0,
        "pool": 60.0,
    }
    assert (task.id, task.status, task.done) == ("c464e17e", "running", False)


@pytest.mark.anyio
async def test_add_in_sync_mode_sends_async_mode_false(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/add/message").mock(return_value=accepted("t1", "completed"))
    task = await client.add(MESSAGES, agent_id="a1", async_mode=False)
    assert body_of(route.calls.last.request) == {
        "agent_id": "a1",
        "messages": MESSAGES,
        "async_mode": False,
    }
    assert task.done and task.status == "completed"


@pytest.mark.anyio
async def test_search_sends_the_exact_request(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/search/memory").mock(
        return_value=ok({"memory_detail_list": [{"id": "m1", "memory_value": "trip"}]})
    )
    result = await client.search(
        "where is the user going?",
        user_id="u1",
        relativity=0.3,
        include_memory_view=["detail_factual", "preference"],
    )
    request = route.calls.last.request
    assert str(request.url) == f"{BASE_URL}/search/memory"
    assert body_of(request) == {
        "query": "where is the user going?",
        "user_id": "u1",
        "relativity": 0.3,
        "include_memory_view": ["detail_factual", "preference"],
    }
    assert [m.memory_value for m in result.memories] == ["trip"]


@pytest.mark.anyio
async def test_get_status_sends_the_exact_request(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/status").mock(return_value=status("completed", "t9"))
    result = await client.get_status("t9")
    assert body_of(route.calls.last.request) == {"task_id": "t9"}
    assert (result.task_id, result.status) == ("t9", "completed")


@pytest.mark.anyio
async def test_extra_headers_and_body_reach_the_wire(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/search/memory").mock(return_value=ok({}))
    await client.search(
        "q",
        user_id="u1",
        extra_headers={"X-Trace": "abc"},
        extra_body={"new_field": [1, 2], "relativity": 0.9},
    )
    request = route.calls.last.request
    assert request.headers["x-trace"] == "abc"
    assert body_of(request) == {
        "query": "q",
        "user_id": "u1",
        "new_field": [1, 2],
        "relativity": 0.9,
    }


@pytest.mark.anyio
async def test_per_call_timeout(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/get/status").mock(return_value=status("running"))
    await client.get_status("t1", timeout=3.0)
    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 3.0,
        "read": 3.0,
        "write": 3.0,
        "pool": 3.0,
    }
    await client.get_status("t1", timeout=httpx.Timeout(7.0, connect=1.0))
    assert route.calls.last.request.extensions["timeout"]["connect"] == 1.0


@pytest.mark.anyio
async def test_default_headers_are_sent_and_can_be_overridden(router: respx.MockRouter) -> None:
    route = router.post("/get/status").mock(return_value=status("running"))
    async with AsyncMemOS(
        api_key=API_KEY, base_url=BASE_URL, default_headers={"X-App": "demo", "X-Env": "dev"}
    ) as memos:
        await memos.get_status("t1", extra_headers={"X-Env": "prod"})
    headers = route.calls.last.request.headers
    assert (headers["x-app"], headers["x-env"]) == ("demo", "prod")


@pytest.mark.anyio
async def test_region_global_uses_the_global_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMOS_BASE_URL", raising=False)
    with respx.mock(base_url="https://api.memt.ai/platform/api/openmem/v1") as mock:
        route = mock.post("/get/status").mock(return_value=status("running"))
        async with AsyncMemOS(api_key=API_KEY, region="global") as memos:
            await memos.get_status("t1")
    assert route.called


@pytest.mark.anyio
async def test_key_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, router: respx.MockRouter
) -> None:
    monkeypatch.setenv("MEMOS_API_KEY", "env-key")
    monkeypatch.setenv("MEMOS_BASE_URL", BASE_URL)
    route = router.post("/get/status").mock(return_value=status("running"))
    async with AsyncMemOS() as memos:
        assert memos.base_url == BASE_URL
        await memos.get_status("t1")
    assert route.calls.last.request.headers["authorization"] == "Token env-key"
