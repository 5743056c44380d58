"""Behaviour that only the async client has: binding to one event loop."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

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


def test_many_calls_on_one_loop_then_a_second_loop_still_fail_clearly(
    router: respx.MockRouter,
) -> None:
    # The loop last seen is remembered (weakly) to skip a lookup; a new loop, even one
    # made after the first was closed and collected, is still told apart.
    router.post("/get/status").mock(return_value=status("running"))
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    assert asyncio.run(_statuses(memos, 3)) == ["running"] * 3
    with pytest.raises(UsageError, match="one client per loop"):
        asyncio.run(_statuses(memos, 3))


def test_a_second_loop_alive_beside_the_first_is_told_apart(router: respx.MockRouter) -> None:
    router.post("/get/status").mock(return_value=status("running"))
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        first.run_until_complete(memos.get_status("t1"))
        with pytest.raises(UsageError, match="one client per loop"):
            second.run_until_complete(memos.get_status("t1"))
        assert first.run_until_complete(memos.get_status("t1")).status == "running"
    finally:
        first.close()
        second.close()


def test_a_loop_that_cannot_be_weakly_referenced_is_looked_up_every_time(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_weakref(value: object) -> object:
        raise TypeError(f"cannot create weak reference to {type(value).__name__!r} object")

    monkeypatch.setattr("memos_client._compat.weakref", SimpleNamespace(ref=no_weakref))
    router.post("/get/status").mock(return_value=status("running"))
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    assert asyncio.run(_statuses(memos, 2)) == ["running"] * 2
    with pytest.raises(UsageError, match="one client per loop"):
        asyncio.run(_statuses(memos, 2))


async def _statuses(memos: AsyncMemOS, calls: int) -> list[str | None]:
    return [(await memos.get_status("t1")).status for _ in range(calls)]


@pytest.mark.parametrize("asyncio_first", [True, False])
def test_trio_in_guest_mode_on_an_asyncio_loop_counts_as_another_loop(
    router: respx.MockRouter, asyncio_first: bool
) -> None:
    # Guest-mode trio runs inside the asyncio loop but outside any asyncio task; anyio
    # counts it as trio, so the client's connections are not its to use.
    import trio

    router.post("/get/status").mock(return_value=status("running"))
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    outcomes: list[str] = []

    async def call() -> None:
        try:
            await memos.get_status("t1")
        except UsageError:
            outcomes.append("refused")
        else:
            outcomes.append("ok")

    async def host() -> None:
        done = asyncio.Event()
        if asyncio_first:
            await call()
        trio.lowlevel.start_guest_run(
            call,
            run_sync_soon_threadsafe=asyncio.get_running_loop().call_soon_threadsafe,
            done_callback=lambda outcome: done.set(),
        )
        await done.wait()
        if not asyncio_first:
            await call()

    asyncio.run(host())
    assert outcomes == ["ok", "refused"]
