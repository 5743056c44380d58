"""Fixtures for the emulator's own tests: a fake on a manual clock and raw httpx clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from memos_client.testing import FAKE_BASE_URL, FakeMemOS, ManualClock

from .helpers import AUTH


@pytest.fixture
def fake() -> FakeMemOS[ManualClock]:
    return FakeMemOS(clock=ManualClock(), refine_delay=1.0)


@pytest.fixture
def http(fake: FakeMemOS[ManualClock]) -> Iterator[httpx.Client]:
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH) as client:
        yield client


@pytest.fixture
async def ahttp(fake: FakeMemOS[ManualClock]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH
    ) as client:
        yield client
