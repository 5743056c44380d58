"""Fixtures for the client tests: a client on respx, and a virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from memos_client import AsyncMemOS
from tests.helpers import API_KEY, BASE_URL


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
    client._clock = vtime.clock
    client._sleep = vtime.sleep
    client._random = lambda: 0.5  # jitter at its midpoint: delays are exact
    return client


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def client(vtime: VirtualTime) -> AsyncIterator[AsyncMemOS]:
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        yield use_virtual_time(memos, vtime)
