"""pytest fixtures for testing code that uses memos-client, against the emulator.

```python
def test_remembers(memos, memos_fake):
    memos.add([{"role": "user", "content": "I love sushi"}], user_id="u1", conversation_id="c1")
    memos_fake.clock.advance(1)
    assert memos.search("what food does the user love?", user_id="u1").memories
```

* `memos_fake`: a fresh `FakeMemOS` on a `ManualClock` (time moves only when told);
* `memos`: a sync `MemOS` client bound to it in process;
* `async_memos`: an `AsyncMemOS` client bound to it, closed after the test. It is a
  plain fixture (the client holds no sockets: the transport is in process), so it
  works the same under anyio (`@pytest.mark.anyio`), pytest-asyncio in strict or
  auto mode (`@pytest.mark.asyncio`), and trio.

pytest loads this module in every session of a project that installs
memos-client, so it imports nothing at import time beyond pytest itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from memos_client import AsyncMemOS, MemOS

    from ._clock import ManualClock
    from ._fake import FakeMemOS

__all__ = ["async_memos", "memos", "memos_fake"]


@pytest.fixture
def memos_fake() -> FakeMemOS[ManualClock]:
    """A fresh emulator whose clock only moves when the test advances it."""
    from ._clock import ManualClock
    from ._fake import FakeMemOS

    return FakeMemOS(clock=ManualClock())


@pytest.fixture
def memos(memos_fake: FakeMemOS[ManualClock]) -> Iterator[MemOS]:
    """A sync SDK client talking to `memos_fake` in process."""
    client = memos_fake.client()
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def async_memos(memos_fake: FakeMemOS[ManualClock]) -> Iterator[AsyncMemOS]:
    """An async SDK client talking to `memos_fake` in process, closed after the test.

    Not an async fixture, so no async plugin has to run it: whichever one runs the
    test (anyio, pytest-asyncio in any mode) gets the same client.
    """
    from ._sdk import close_in_process

    client = memos_fake.async_client()
    try:
        yield client
    finally:
        close_in_process(client)
