"""Behaviour that only the async client has: binding to one event loop."""

from __future__ import annotations

import asyncio

import pytest
import respx

from memos_client import AsyncMemOS, UsageError
from tests.helpers import API_KEY, BASE_URL, status


def test_an_async_client_says_so_when_used_on_a_second_loop(router: respx.MockRouter) -> None:
    router.post("/get/status").mock(return_value=status("running"))
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    asyncio.run(memos.get_status("t1"))
    with pytest.raises(UsageError, match="one client per loop"):
        asyncio.run(memos.get_status("t1"))


def test_one_client_per_loop_works(router: respx.MockRouter) -> None:
    router.post("/get/status").mock(return_value=status("running"))

    async def job() -> str | None:
        async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
            return (await memos.get_status("t1")).status

    assert asyncio.run(job()) == asyncio.run(job()) == "running"
