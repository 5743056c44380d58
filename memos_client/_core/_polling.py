"""The poll schedule for `Task.wait()`: delays, deadlines and terminal states.

Polling is not retrying. The request retry policy decides whether one HTTP call is
sent again; this schedule decides when to ask "is the task done yet?". The first
check is immediate (MemOS's rough pass takes milliseconds), then the delay grows
x1.5 from 0.25 s up to 5 s with +-25% jitter. A server hint wins. Nothing here
reads a clock: callers pass `now`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import httpx

from ._validate import fail

__all__ = [
    "COMPLETED",
    "FAILED",
    "MIN_POLL_TIMEOUT",
    "PollPolicy",
    "deadline_for",
    "is_terminal",
    "poll_timeout",
    "remaining",
]

COMPLETED = "completed"
FAILED = "failed"
# A poll at the very deadline still gets this long to answer.
MIN_POLL_TIMEOUT = 1.0


@dataclass(frozen=True)
class PollPolicy:
    """Exponential poll backoff with jitter; see the module docstring for the defaults."""

    initial: float = 0.25
    factor: float = 1.5
    maximum: float = 5.0
    jitter: float = 0.25

    def delay(self, attempt: int, rand: float, hint: float | None = None) -> float:
        """Seconds to wait after poll number `attempt` (1-based); `rand` is in [0, 1).

        A server hint (e.g. Retry-After on a status answer) wins, but never below
        `initial`: a hint of 0 must not turn the wait into a busy loop.
        """
        if hint is not None:
            return max(hint, self.initial)
        base = min(self.initial * self.factor ** min(attempt - 1, 64), self.maximum)
        return base * (1.0 + self.jitter * (2.0 * rand - 1.0))


def deadline_for(timeout: float | None, now: float) -> float | None:
    """The monotonic time at which waiting stops; None waits forever (explicitly)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        fail("timeout", f"must be a number of seconds, or None to wait forever; not {timeout!r}")
    if math.isnan(timeout) or timeout < 0:
        fail("timeout", f"must be >= 0 seconds, not {timeout!r}")
    return now + timeout


def remaining(deadline: float | None, now: float) -> float | None:
    """Seconds left before the deadline (never negative), or None without one."""
    return None if deadline is None else max(deadline - now, 0.0)


def is_terminal(status: str | None) -> bool:
    """Whether a task status is final. Unknown strings are not: the wait goes on."""
    return status == COMPLETED or status == FAILED


def poll_timeout(timeout: httpx.Timeout, left: float | None) -> httpx.Timeout:
    """The HTTP timeout of one poll: the client's, capped at the time left (with a floor)."""
    if left is None:
        return timeout
    cap = max(left, MIN_POLL_TIMEOUT)

    def capped(value: float | None) -> float:
        return cap if value is None else min(value, cap)

    return httpx.Timeout(
        connect=capped(timeout.connect),
        read=capped(timeout.read),
        write=capped(timeout.write),
        pool=capped(timeout.pool),
    )
