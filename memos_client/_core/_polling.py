"""The poll schedule for `wait()` and `wait_all()`: delays, learned schedules, the poll
rate cap, deadlines and terminal states.

Polling is not retrying. The request retry policy decides whether one HTTP call is
sent again; this schedule decides when to ask "is the task done yet?".

- **Default schedule.** The first check is immediate (MemOS's rough pass takes
  milliseconds). After a check at `e` seconds into the wait, the next comes
  `min(0.25 + 0.5 * e, 5)` seconds later, shortened by a random 0-20%: 0.25 s, then
  x1.5 each time, up to 5 s. Jitter only ever shortens a delay, so a task that
  finishes `T` seconds into the wait is seen within `0.5 * T + 0.25` s (5 s at most).
  The shortening is `jitter * |2 * rand - 1|`: uniform for a uniform draw, and none
  for a draw of 0.5, so a runtime that fixes the draw there gets the plain schedule.
- **Learned schedule.** A `RefineEstimator` learns from finished tasks how long work
  takes, and plans the ages (seconds since the work started) at which to poll.
- **Server hints** (Retry-After) win over both, never below 0.25 s.
- **`PollRate`** caps how many polls start per second across a whole wait.

Nothing here reads a clock: callers pass `now`, ages and random draws.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from ._validate import fail

__all__ = [
    "COMPLETED",
    "FAILED",
    "MIN_POLL_TIMEOUT",
    "PollPolicy",
    "PollRate",
    "RefineEstimator",
    "deadline_for",
    "is_terminal",
    "poll_rate_for",
    "poll_timeout",
    "remaining",
]

COMPLETED = "completed"
FAILED = "failed"
# A poll at the very deadline still gets this long to answer.
MIN_POLL_TIMEOUT = 1.0


@dataclass(frozen=True)
class PollPolicy:
    """Poll delays; see the module docstring for the defaults."""

    initial: float = 0.25
    factor: float = 1.5
    maximum: float = 5.0
    jitter: float = 0.2
    """The default schedule's delays are shortened by a random 0 to 20%."""
    learned_jitter: float = 0.1
    """A learned schedule's polls come a random 0 to 10% of their delay late."""
    learned_step: float = 0.05
    """A planned age less than this far off is skipped: polls are never this close."""

    def delay(self, elapsed: float, rand: float, hint: float | None = None) -> float:
        """Seconds until the next poll, after one answered `elapsed` seconds into the
        wait; `rand` is in [0, 1).

        The next poll comes at most `initial + (factor - 1) * elapsed` seconds later
        (and at most `maximum`): with the defaults, a task that finishes `T` seconds into
        the wait is seen within `0.5 * T + 0.25` s, whatever the draws. A server hint
        (e.g. Retry-After on a status answer) wins, but never below `initial`: a hint of
        0 must not turn the wait into a busy loop.
        """
        if hint is not None:
            return max(hint, self.initial)
        step = min(self.initial + (self.factor - 1.0) * max(elapsed, 0.0), self.maximum)
        return step * (1.0 - self.jitter * _spread(rand))

    def learned_delay(self, schedule: Sequence[float], age: float, rand: float) -> float | None:
        """Seconds until the first planned age at least `learned_step` after `age`, up
        to `learned_jitter` of it late (so the next poll is past that age); None past
        the last one."""
        index = bisect_right(schedule, age + self.learned_step)
        if index == len(schedule):
            return None
        return (schedule[index] - age) * (1.0 + self.learned_jitter * _spread(rand))


def _spread(rand: float) -> float:
    """A draw in [0, 1) as a jitter fraction in [0, 1]: its distance from the midpoint."""
    return abs(2.0 * rand - 1.0)


class PollRate:
    """At most `burst` polls start within any `burst / rate` seconds.

    `burst` is `floor(rate)` (at least 1, at most `MAX_BURST`), so `rate=10` lets at
    most 10 polls start in any one second, and `rate=0.5` one every two seconds.
    """

    MAX_BURST = 1024

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.burst = int(min(max(math.floor(rate), 1), self.MAX_BURST))
        self.window = self.burst / rate
        self._starts: deque[float] = deque(maxlen=self.burst)

    def next_start(self) -> float:
        """The earliest time another poll may start."""
        if len(self._starts) < self.burst:
            return -math.inf
        return self._starts[0] + self.window

    def take(self, now: float) -> None:
        """Count a poll starting at `now`."""
        self._starts.append(now)


def poll_rate_for(rate: float | None) -> PollRate | None:
    """The cap for `wait_all(poll_rate=...)`: None (or infinity) for no cap."""
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        fail("poll_rate", f"must be a number of polls per second, or None; not {rate!r}")
    if math.isnan(rate) or rate <= 0:
        fail("poll_rate", f"must be a positive number of polls per second, not {rate!r}")
    return None if math.isinf(rate) else PollRate(float(rate))


# The learned schedule. Ages are estimated on a grid of BINS bins, evenly spaced in
# log-age from MIN_AGE to MAX_AGE seconds (about 10% wide each).
MIN_AGE = 0.01
MAX_AGE = 3600.0
BINS = 128
_LOG_MIN = math.log(MIN_AGE)
_BIN = (math.log(MAX_AGE) - _LOG_MIN) / BINS
# EM steps per refit; each refit starts from the last estimate, so few are needed.
ITERATIONS = 30
# The distribution is handed to the planner as this many equally likely ages.
QUANTILES = 100
# The share of each bin's density that smoothing gives to each neighbour, per EM step.
SMOOTHING = 0.25
# Keeps every bin's density above zero, so any new observation has some weight.
FLOOR = 1e-9


class RefineEstimator:
    """How long a client has seen work take to finish, and when to poll for it.

    Each finished task says it was still running at age `low` (seconds since it
    started; 0 if only its start was seen) and final at age `high`: an interval, not
    an exact time (`high` is infinite for one that was still running when the wait
    gave up). The distribution of finishing ages is estimated from the last
    `window` intervals by EM with smoothing (EMS) on a log-age grid, which needs no
    assumption about its shape. The schedule is the list of poll ages that minimises
    the expected time from finishing to being seen plus `poll_cost` seconds per poll,
    with polls at most `max_gap` apart (dynamic programming over its quantiles).

    There is no schedule until `min_samples` tasks have finished; it is refitted as
    more finish (after a quarter of the window, at least 16). Thread-safe: the sync
    client may wait from several threads.
    """

    def __init__(
        self,
        *,
        window: int = 256,
        min_samples: int = 20,
        poll_cost: float = 0.15,
        max_gap: float = 5.0,
    ) -> None:
        self.min_samples = min_samples
        self.poll_cost = poll_cost
        self.max_gap = max_gap
        self._observed: deque[tuple[float, float]] = deque(maxlen=window)
        self._lock = threading.Lock()
        self._fresh = 0  # observations since the last fit
        self._density: list[float] | None = None
        self._schedule: tuple[float, ...] | None = None

    @property
    def samples(self) -> int:
        """How many finished tasks the estimate rests on (at most `window`)."""
        return len(self._observed)

    def observe(self, low: float, high: float) -> None:
        """A task was still running at age `low` and final by age `high` (seconds)."""
        with self._lock:
            self._observed.append((max(low, 0.0), max(high, low, 0.0)))
            self._fresh += 1

    def schedule(self) -> tuple[float, ...] | None:
        """The ages at which to poll, ascending; None until there is enough data."""
        with self._lock:
            count = len(self._observed)
            if count < self.min_samples:
                return None
            if self._schedule is None or self._fresh >= max(16, count // 4):
                self._density = _fit(list(self._observed), self._density)
                self._schedule = _plan(_quantiles(self._density), self.poll_cost, self.max_gap)
                self._fresh = 0
            return self._schedule


def _position(age: float) -> float:
    """Where `age` falls on the grid, in bins (0 to BINS)."""
    if age <= MIN_AGE:
        return 0.0
    return min((math.log(age) - _LOG_MIN) / _BIN, float(BINS))


def _fit(observed: list[tuple[float, float]], density: list[float] | None) -> list[float]:
    """EMS: the density that makes the intervals most likely, smoothed each step."""
    spans: list[tuple[int, int, float, float]] = []
    for low, high in observed:
        start, end = _position(low), _position(high)
        first, last = min(int(start), BINS - 1), min(int(end), BINS - 1)
        # The share of the first and last bins the interval covers.
        spans.append((first, last, first + 1 - start, end - last))
    share = 1.0 / len(spans)
    current = density if density is not None else [1.0 / BINS] * BINS
    for _ in range(ITERATIONS):
        totals = [0.0]
        for value in current:
            totals.append(totals[-1] + value)
        edges = [0.0] * BINS  # weight given to partly covered bins
        inner = [0.0] * (BINS + 1)  # per unit of density, for fully covered bins
        for first, last, head, tail in spans:
            if first == last:
                edges[first] += share
                continue
            front, back = current[first] * head, current[last] * tail
            total = front + back + totals[last] - totals[first + 1]
            edges[first] += share * front / total
            edges[last] += share * back / total
            inner[first + 1] += share / total
            inner[last] -= share / total
        running = 0.0
        updated = []
        for index in range(BINS):
            running += inner[index]
            updated.append(edges[index] + current[index] * running)
        current = _smoothed(updated)
    return current


def _smoothed(density: list[float]) -> list[float]:
    """Each bin mixed with its neighbours (SMOOTHING each), floored and renormalised."""
    last = len(density) - 1
    keep = 1.0 - 2.0 * SMOOTHING
    mixed = [
        max(
            SMOOTHING * (density[max(i - 1, 0)] + density[min(i + 1, last)]) + keep * density[i],
            FLOOR,
        )
        for i in range(len(density))
    ]
    total = sum(mixed)
    return [value / total for value in mixed]


def _quantiles(density: list[float]) -> list[float]:
    """QUANTILES equally likely ages: the midpoints of equal slices of probability."""
    ages: list[float] = []
    index, below = 0, 0.0
    for k in range(QUANTILES):
        target = (k + 0.5) / QUANTILES
        while index < BINS - 1 and below + density[index] < target:
            below += density[index]
            index += 1
        within = min((target - below) / density[index], 1.0)
        ages.append(math.exp(_LOG_MIN + (index + within) * _BIN))
    return ages


def _plan(ages: list[float], poll_cost: float, max_gap: float) -> tuple[float, ...]:
    """The poll ages, among `ages`, that minimise mean latency plus `poll_cost` per poll.

    `ages` are equally likely finishing ages, ascending. A poll at `ages[j]` after
    one at `ages[i]` costs `poll_cost` for each task still running at `ages[i]`, and
    each task finishing between them waits `ages[j] - age` to be seen. Polls are at
    most `max_gap` apart when the ages allow it. Dynamic programming, backwards.
    """
    count = len(ages)
    points = [0.0, *ages]  # points[0]: the start, where every task is running
    sums = [0.0]
    for age in ages:
        sums.append(sums[-1] + age)
    cost = [0.0] * (count + 1)
    step = [count] * (count + 1)
    for i in range(count - 1, -1, -1):
        best = math.inf
        for j in range(i + 1, count + 1):
            if j > i + 1 and points[j] - points[i] > max_gap:
                break
            waited = ((j - i) * points[j] - (sums[j] - sums[i])) / count
            value = poll_cost * (count - i) / count + waited + cost[j]
            if value < best:
                best, step[i] = value, j
        cost[i] = best
    schedule: list[float] = []
    i = 0
    while i < count:
        i = step[i]
        if not schedule or points[i] > schedule[-1]:
            schedule.append(points[i])
    return tuple(schedule)


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
