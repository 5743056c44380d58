"""`client.with_raw_response`: every call, resources included, with its HTTP answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, AsyncRawResponse, UsageError
from memos_client._async._raw import RawCall
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
        client.with_raw_response.memories.iter_pages  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError):
        client.with_raw_response.memories.no_such_call  # type: ignore[attr-defined]  # noqa: B018


NOT_ONE_REQUEST = {
    "add_many", "aclose", "chat_stream", "handle", "iter_pages", "task", "wait_all",
    "with_options", "with_raw_response",
}  # fmt: skip
RESOURCES = ["", "memories", "messages", "feedback", "knowledgebases", "knowledgebases.files",
             "profiles", "profiles.templates"]  # fmt: skip


def resolve(root: object, path: str) -> Any:
    for name in filter(None, path.split(".")):
        root = getattr(root, name)
    return root


@pytest.mark.anyio
@pytest.mark.parametrize("path", RESOURCES)
async def test_every_one_request_call_has_a_typed_raw_slot(client: AsyncMemOS, path: str) -> None:
    target, proxy = resolve(client, path), resolve(client.with_raw_response, path)
    calls = {
        name
        for name in dir(target)
        if not name.startswith("_")
        and callable(getattr(target, name))
        and not hasattr(getattr(target, name), "_client")  # a resource, not a call
    }
    slots = {name for name, value in vars(type(proxy)).items() if isinstance(value, RawCall)}
    assert slots == calls - NOT_ONE_REQUEST


@pytest.mark.anyio
async def test_raw_calls_are_typed_from_the_methods_they_mirror(env: Env) -> None:
    raw = await env.client.with_raw_response.search("trip", user_id="u1")
    hits: SearchResult = await raw.parse()
    assert isinstance(hits, SearchResult)
    wrong: int = await raw.parse()  # type: ignore[assignment]
    assert id(wrong) == id(hits)  # the same result: only its static type was wrong
    with pytest.raises(TypeError, match="did you mean 'user_id'"):
        await env.client.with_raw_response.search("q", user="u1")  # type: ignore[call-arg]
    page = await (await env.client.with_raw_response.memories.list(user_id="u1")).parse()
    assert isinstance(page, MemoryPage)
