"""The SDK touch points: build `MemOS` / `AsyncMemOS` clients wired to a fake.

Imported lazily by `FakeMemOS.client()` / `.async_client()`, and the SDK itself
is imported inside the functions, so the emulator never loads the SDK (pydantic,
tenacity) unless a client is asked for. On a `ManualClock` the client's clock
and sleep are the fake's, so SDK waits (task polling, retry back-off) advance
virtual time and finish at once. The `httpx` client made here holds no
resources (the transport is in process), so the SDK not closing a client it was
given costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._clock import ManualClock

if TYPE_CHECKING:
    from memos_client import AsyncMemOS, MemOS

    from ._fake import FakeMemOS

__all__ = ["async_client", "close_in_process", "sync_client"]


def _options(fake: FakeMemOS[Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    from ._fake import FAKE_BASE_URL

    return {"api_key": fake.default_api_key(), "base_url": FAKE_BASE_URL, **overrides}


def sync_client(fake: FakeMemOS[Any], overrides: Mapping[str, Any]) -> MemOS:
    """`MemOS(api_key=..., base_url=..., http_client=httpx.Client(transport=...))`."""
    from memos_client import MemOS, Runtime

    options = _options(fake, overrides)
    if "http_client" not in options:
        options["http_client"] = httpx.Client(transport=fake.transport())
    clock = fake.clock
    if isinstance(clock, ManualClock) and "runtime" not in options:
        options["runtime"] = Runtime(clock=clock.now, sleep=clock.sleep)
    return MemOS(**options)


def async_client(fake: FakeMemOS[Any], overrides: Mapping[str, Any]) -> AsyncMemOS:
    """`AsyncMemOS(...)` with an `httpx.AsyncClient` on the fake's transport."""
    from memos_client import AsyncMemOS, AsyncRuntime

    options = _options(fake, overrides)
    if "http_client" not in options:
        options["http_client"] = httpx.AsyncClient(transport=fake.transport())
    clock = fake.clock
    if isinstance(clock, ManualClock) and "runtime" not in options:

        async def sleep(seconds: float) -> None:
            clock.sleep(seconds)
            await _checkpoint()

        options["runtime"] = AsyncRuntime(clock=clock.now, sleep=sleep)
    return AsyncMemOS(**options)


def close_in_process(client: AsyncMemOS) -> None:
    """Close an async client made by `async_client`, without awaiting: its httpx client
    runs on the fake's in-process transport and holds no sockets to release."""
    client._http.closed = True


async def _checkpoint() -> None:
    """Yield to the event loop once, on asyncio or trio (anyio ships with httpx)."""
    from anyio.lowlevel import checkpoint

    await checkpoint()
