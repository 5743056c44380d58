"""Where the examples connect: MemOS Cloud when MEMOS_API_KEY is set, else the emulator.

Not an example itself: the setup every example shares. With MEMOS_API_KEY set, a
client is built from the environment (MEMOS_API_KEY, MEMOS_BASE_URL, MEMOS_REGION)
as in production. Without it, the offline emulator that ships with memos-client
(`memos_client.testing.FakeMemOS`) is served on 127.0.0.1 for the duration, and a
line says so, so that every example runs with no account.

    with open_client() as client: ...               # a MemOS
    async with open_async_client() as client: ...   # an AsyncMemOS
    with memos_service() as service: ...            # to connect from other processes
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

from memos_client import AsyncMemOS, MemOS
from memos_client.testing import FakeMemOS

__all__ = ["MemOSService", "memos_service", "open_async_client", "open_client"]

EMULATOR_KEY = "demo"
"""The emulator accepts any key; this one is no secret."""
EMULATOR_REFINE_DELAY = 0.5
"""Seconds from an add to its refined memories on the emulator (MemOS Cloud takes seconds)."""


@dataclass(frozen=True)
class MemOSService:
    """How to reach the service in use. It pickles, so a child process can connect too.

    Both fields are None for MemOS Cloud: clients then read the environment, and the
    key never travels through this object.
    """

    base_url: str | None = None
    api_key: str | None = None

    def client(self) -> MemOS:
        return MemOS(api_key=self.api_key, base_url=self.base_url)

    def async_client(self) -> AsyncMemOS:
        return AsyncMemOS(api_key=self.api_key, base_url=self.base_url)


@contextmanager
def memos_service() -> Iterator[MemOSService]:
    """MemOS Cloud if MEMOS_API_KEY is set; otherwise an emulator served on loopback
    until the block ends."""
    if os.environ.get("MEMOS_API_KEY"):
        yield MemOSService()
        return
    with FakeMemOS(refine_delay=EMULATOR_REFINE_DELAY).serve() as base_url:
        print(f"MEMOS_API_KEY is not set: using the offline MemOS emulator at {base_url}")
        yield MemOSService(base_url=base_url, api_key=EMULATOR_KEY)


@contextmanager
def open_client() -> Iterator[MemOS]:
    """A `MemOS` on the service `memos_service` picks, closed (with the emulator) at the end."""
    with memos_service() as service, service.client() as client:
        yield client


@asynccontextmanager
async def open_async_client() -> AsyncIterator[AsyncMemOS]:
    """An `AsyncMemOS` on the service `memos_service` picks, closed at the end."""
    with memos_service() as service:
        async with service.async_client() as client:
            yield client
