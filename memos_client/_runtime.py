"""`Runtime` / `AsyncRuntime`: the clock, sleep and randomness a client waits with.

The one hook for tests and emulators that control time: pass
`MemOS(runtime=Runtime(clock=..., sleep=...))`, or `client.with_options(runtime=...)`
for a copy. Waits (`task.wait()`, `wait_all`) and retry back-off read the clock,
sleep and draw jitter only through it, so a virtual clock makes them finish at once.
`memos_client.testing` builds its clients this way.

```python
from memos_client import MemOS, Runtime

now = [0.0]
runtime = Runtime(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
client = MemOS(api_key="k", runtime=runtime)
```
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ._compat import asleep, sleep

__all__ = ["AsyncRuntime", "Runtime"]


@dataclass(frozen=True)
class Runtime:
    """Time and randomness for a `MemOS` client (real ones by default)."""

    clock: Callable[[], float] = time.monotonic
    """Monotonic seconds."""
    sleep: Callable[[float], None] = sleep
    """Waits that many seconds."""
    random: Callable[[], float] = field(default=_random.random)
    """A number in [0, 1), for jitter."""


@dataclass(frozen=True)
class AsyncRuntime:
    """Time and randomness for an `AsyncMemOS` client (real ones by default)."""

    clock: Callable[[], float] = time.monotonic
    """Monotonic seconds."""
    sleep: Callable[[float], Awaitable[None]] = asleep
    """Waits that many seconds, without blocking the event loop."""
    random: Callable[[], float] = field(default=_random.random)
    """A number in [0, 1), for jitter."""
