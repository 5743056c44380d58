"""Regressions from an adversarial review: each test is one finding, reproduced first."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import httpx
import pytest

from memos_client import AsyncMemOS, AsyncRuntime, ConfigurationError
from memos_client.types import SearchResult

KEY = "sk-ab/cd+ef=gh1234567890"
BASE = "https://x.invalid/api/openmem/v1"


def client_for(answer: Any) -> AsyncMemOS:
    async def no_sleep(seconds: float) -> None:
        return None

    return AsyncMemOS(
        api_key=KEY,
        base_url=BASE,
        max_retries=0,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)),
        runtime=AsyncRuntime(sleep=no_sleep),
    )


def frames_show_key(error: BaseException) -> list[str]:
    shown = []
    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if "memos_client" in frame.f_code.co_filename:
            shown += [name for name, value in frame.f_locals.items() if KEY in repr(value)]
        traceback = traceback.tb_next
    return shown


@pytest.mark.anyio
@pytest.mark.parametrize(
    "data",
    [
        {"task_id": "t1", "status": f"Token {KEY}"},  # a status kept as sent
        {"task_id": "t1", "status": "completed", "memory_views": {"x": f"Token {KEY}"}},
    ],
)
async def test_task_statuses_never_show_an_echoed_key(data: dict[str, Any]) -> None:
    async with client_for(lambda r: httpx.Response(200, json={"code": 0, "data": data})) as c:
        task = c.task("t1")
        await task.refresh()
        status = await c.get_status("t1")
    for text in (repr(task), repr(status), pickle.dumps(task).decode("latin-1")):
        assert KEY not in text


@pytest.mark.anyio
async def test_file_handles_from_an_upload_never_show_an_echoed_key(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("dim sum")
    record = {"id": "f1", "status": "failed", "error": f"auth Token {KEY}"}
    answer = {"code": 0, "data": [record]}
    async with client_for(lambda r: httpx.Response(200, json=answer)) as c:
        [handle] = await c.knowledgebases.files.add("kb1", [notes])
    assert KEY not in pickle.dumps(handle).decode("latin-1")
    assert KEY not in repr(handle.last_status)


@pytest.mark.anyio
async def test_a_misfit_answer_leaves_no_echoed_header_in_a_frame() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 0, "data": [1, 2]}, headers={"x-echo": KEY})

    async with client_for(answer) as c:
        with pytest.raises(Exception) as caught:
            await c.search("q", user_id="u1")
    assert frames_show_key(caught.value) == []


@pytest.mark.anyio
async def test_a_raw_response_refuses_to_pickle_and_hides_an_echoed_request_id() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 0, "data": {}}, headers={"x-request-id": KEY})

    async with client_for(answer) as c:
        raw = await c.with_raw_response.search("q", user_id="u1")
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(raw)
    result = await raw.parse()
    assert KEY not in repr(raw) and KEY not in str(result._request_id)


@pytest.mark.parametrize(("key", "base_url"), [(KEY, "ftp://bad"), (KEY + "\x00", BASE)])
def test_a_construction_error_leaves_the_key_in_no_frame(key: str, base_url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AsyncMemOS(api_key=key, base_url=base_url)
    assert frames_show_key(caught.value) == []


@pytest.mark.anyio
@pytest.mark.parametrize("code", ["false", '"+0"', '"0_0"', "true"])
async def test_the_fast_path_reads_codes_as_the_general_path_does(code: str) -> None:
    data = '{"memory_detail_list":[{"id":"m1","memory_value":"v"}]}'
    body = f'{{"code":{code},"data":{data}}}'.encode()
    async with client_for(lambda r: httpx.Response(200, content=body)) as c:
        with pytest.raises(Exception, match="not a MemOS envelope"):
            await c.search("q", user_id="u1")


@pytest.mark.anyio
async def test_a_huge_total_does_not_overflow_paging() -> None:
    body = json.dumps(
        {"code": 0, "data": {"memory_detail_list": [{"id": "m1"}], "total": 10**400, "size": 10}}
    ).encode()
    async with client_for(lambda r: httpx.Response(200, content=body)) as c:
        page = await c.memories.list(user_id="u1")
        assert page.next_page() == 2
    huge = {"code": 0, "data": {"memory_detail_list": [{"id": "m"}], "current": 10**30}}
    async with client_for(lambda r: httpx.Response(200, json=huge)) as c:
        assert [m.id async for m in c.memories.list(user_id="u1")] == ["m"]


@pytest.mark.anyio
async def test_request_ids_agree_and_do_not_change_equality() -> None:
    served = iter(["ré-1", "r2"])

    def answer(request: httpx.Request) -> httpx.Response:
        headers = [(b"x-request-id", next(served).encode())]
        return httpx.Response(200, json={"code": 0, "data": {}}, headers=headers)

    async with client_for(answer) as c:
        raw = await c.with_raw_response.search("q", user_id="u1")
        other = await c.search("q", user_id="u1")
    first = await raw.parse()
    assert first._request_id == raw.request_id == "ré-1" and other._request_id == "r2"
    assert first == other == SearchResult()
