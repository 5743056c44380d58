"""`client.with_raw_response`: every call, resources included, with its HTTP answer."""

from __future__ import annotations

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, AsyncRawResponse, UsageError
from memos_client.types import MemoryPage, SearchResult
from tests._async.conftest import Env
from tests.helpers import MESSAGES, ok


@pytest.mark.anyio
async def test_a_raw_search_gives_the_answer_and_the_usual_result(env: Env) -> None:
    await env.client.add(MESSAGES, user_id="u1", async_mode=False)
    raw = await env.client.with_raw_response.search("Guangzhou trip", user_id="u1")
    assert isinstance(raw, AsyncRawResponse)
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/json")
    assert raw.request_id and raw.request_id == raw.headers["x-request-id"]
    assert raw.elapsed > 0  # measured by the SDK, in process too
    result = await raw.parse()
    assert isinstance(result, SearchResult) and result.memories
    assert result._request_id == raw.request_id
    assert "request_id=" in repr(raw)


@pytest.mark.anyio
async def test_resources_answer_raw_too(env: Env) -> None:
    await env.client.add(MESSAGES, user_id="u1", async_mode=False)
    raw = await env.client.with_raw_response.memories.list(user_id="u1")
    page = await raw.parse()
    assert isinstance(page, MemoryPage) and raw.status_code == 200
    template = await env.client.with_raw_response.profiles.templates.list()
    assert template.status_code == 200


@pytest.mark.anyio
async def test_every_typed_result_carries_its_request_id(env: Env) -> None:
    task = await env.client.add(MESSAGES, user_id="u1", async_mode=False)
    status = await env.client.get_status(task.id or "")
    hits = await env.client.search("trip", user_id="u1")
    assert status._request_id and hits._request_id
    assert status._request_id != hits._request_id


@pytest.mark.anyio
async def test_a_retried_call_shows_its_last_answer(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/search/memory").mock(
        side_effect=[httpx.Response(503), ok({}, **{"x-request-id": "second"})]
    )
    raw = await client.with_raw_response.search("q", user_id="u1")
    assert raw.status_code == 200 and raw.request_id == "second"


@pytest.mark.anyio
@pytest.mark.parametrize("name", ["chat_stream", "wait_all", "task", "_send"])
async def test_calls_that_are_not_one_request_are_refused(client: AsyncMemOS, name: str) -> None:
    with pytest.raises(UsageError, match="exactly one"):
        getattr(client.with_raw_response, name)
    with pytest.raises(UsageError):
        client.with_raw_response.memories.iter_pages  # noqa: B018
