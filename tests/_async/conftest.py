"""Fixtures for the client tests: a client on respx, and a virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from memos_client import AsyncMemOS, AsyncRuntime
from memos_client.testing import FakeMemOS, ManualClock
from tests.helpers import API_KEY, BASE_URL

MODES = ["in_process", "loopback"]


class VirtualTime:
    """A clock that moves only when the code under test sleeps, so waits take no time."""

    def __init__(self) -> None:
        self.start = 1000.0
        self.now = self.start
        self.sleeps: list[float] = []
        self.interrupt_after: int | None = None

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds >= 0, f"negative sleep {seconds}"
        if self.interrupt_after is not None and len(self.sleeps) >= self.interrupt_after:
            raise KeyboardInterrupt
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def elapsed(self) -> float:
        return self.now - self.start


def use_virtual_time(client: AsyncMemOS, vtime: VirtualTime) -> AsyncMemOS:
    """A copy of `client` on virtual time, through the one documented hook; jitter sits
    at its midpoint, so delays are exact."""
    return client.with_options(
        runtime=AsyncRuntime(clock=vtime.clock, sleep=vtime.sleep, random=lambda: 0.5)
    )


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def client(vtime: VirtualTime) -> AsyncIterator[AsyncMemOS]:
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        yield use_virtual_time(memos, vtime)


@dataclass
class Env:
    client: AsyncMemOS
    fake: FakeMemOS[ManualClock]
    mode: str


@asynccontextmanager
async def connect(
    fake: FakeMemOS[ManualClock], mode: str, api_key: str | None = None
) -> AsyncIterator[AsyncMemOS]:
    """A client on `fake`, in process or over loopback HTTP, sharing its clock."""
    options = {} if api_key is None else {"api_key": api_key}
    if mode == "in_process":
        async with fake.async_client(**options) as client:
            yield client
        return
    with fake.serve() as base_url:
        async with fake.async_client(base_url=base_url, http_client=None, **options) as client:
            yield client


@pytest.fixture(params=MODES)
async def env(request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    fake = FakeMemOS(clock=ManualClock())
    async with connect(fake, request.param) as client:
        yield Env(client, fake, request.param)
