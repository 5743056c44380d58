"""Clocks for the emulator: the real one by default, a manual one for tests.

A clock answers two questions. `now()` is monotonic seconds, used for due times
(when a task's refinement is ready). `wall()` is epoch seconds, used for the
`create_time`/`update_time` stamps and the `[09:44 AM on 10 December, 2025 UTC]`
prefixes of working memories. A `ManualClock` moves both together, only when
told, so tests are instant and deterministic.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable

__all__ = ["DEFAULT_START", "Clock", "ManualClock", "RealClock", "format_chat_time"]

DEFAULT_START = datetime(2025, 12, 10, 9, 44, tzinfo=timezone.utc)
"""Where a `ManualClock` starts by default: the moment of MemOS's own async-mode example."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@runtime_checkable
class Clock(Protocol):
    """What the emulator needs from a clock."""

    def now(self) -> float:
        """Monotonic seconds; only differences matter."""
        ...

    def wall(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let `seconds` pass (a real clock blocks; a manual one advances)."""
        ...


class RealClock:
    """The machine's clocks: `time.monotonic`, `time.time` and a blocking sleep."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)  # noqa: TID251 - the real clock is the emulator's one sleeper

    def __repr__(self) -> str:
        return "RealClock()"


class ManualClock:
    """A clock that moves only when told, so tests control time.

    ```python
    clock = ManualClock()
    fake = FakeMemOS(clock=clock, refine_delay=1.0)
    clock.advance(1.0)  # refinement of earlier adds is now due
    ```

    Args:
        start: the wall time to start at, as an aware `datetime` or epoch seconds.
            Defaults to `DEFAULT_START` (10 December 2025, 09:44 UTC).
    """

    def __init__(self, start: datetime | float | None = None) -> None:
        if start is None:
            start = DEFAULT_START
        if isinstance(start, datetime):
            if start.tzinfo is None:
                raise ValueError("ManualClock(start=...) needs a timezone-aware datetime")
            start = start.timestamp()
        self._wall_start = float(start)
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Monotonic seconds since the clock was made (starts at 0.0)."""
        with self._lock:
            return self._elapsed

    def wall(self) -> float:
        """Epoch seconds: the start time plus everything advanced so far."""
        with self._lock:
            return self._wall_start + self._elapsed

    def advance(self, seconds: float) -> None:
        """Move both clocks forward by `seconds` (which must not be negative)."""
        if seconds < 0:
            raise ValueError(f"cannot advance a clock by a negative amount ({seconds})")
        with self._lock:
            self._elapsed += seconds

    def sleep(self, seconds: float) -> None:
        """Advance instead of blocking (negative amounts count as zero)."""
        self.advance(max(0.0, seconds))

    def __repr__(self) -> str:
        when = datetime.fromtimestamp(self.wall(), tz=timezone.utc).isoformat()
        return f"ManualClock(now={self.now():.3f}, wall={when!r})"


def format_chat_time(epoch_seconds: float) -> str:
    """Format a wall time the way MemOS prefixes working memories.

    `1765359840.0` -> `"09:44 AM on 10 December, 2025 UTC"` (locale-independent).
    """
    moment = datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    month = _MONTHS[moment.month - 1]
    return f"{hour:02d}:{moment.minute:02d} {half} on {moment.day} {month}, {moment.year} UTC"
