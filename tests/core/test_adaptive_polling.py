"""Adaptive polling: what `RefineEstimator` learns, and what it saves.

The goal (#9): on a server whose refine times are log-normal with a median of 2 s,
a client that has seen a few hundred tasks finish waits on 1,000 more with at most 3
polls per task on average, and sees each finish within 0.5 s (median). Proved here
by driving the I/O-free `WaitPlan` as `wait_all` does, on a virtual clock, against a
simulated server: sigma 0.5, 20 ms round trips, polls in batches of `concurrency`.
Detection latency is from the moment a task finishes to the answer that says so.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from memos_client._core import _polling
from memos_client._core._polling import RefineEstimator
from memos_client._core._retry import RetryPolicy
from memos_client._core._waiting import Learned, WaitPlan

RTT = 0.02  # each poll's round trip


@dataclass
class Reading:
    status: str


@dataclass
class Work:
    """A task the client added at `_born`, which the server finishes `takes` later."""

    _born: float
    takes: float
    noun: ClassVar[str] = "task"
    done: ClassVar[bool] = False
    trackable: ClassVar[bool] = True
    status: str = "running"
    seen_at: float = math.nan

    @property
    def finished_at(self) -> float:
        return self._born + self.takes

    def _settled(self) -> Reading:
        return Reading(self.status)

    def _observe(self, reading: Reading) -> bool:
        changed = reading.status != self.status
        self.status = reading.status
        return changed

    def _timeout_error(self, waited: float, last_error: Any) -> Any:
        raise AssertionError("these waits have no deadline")


@dataclass
class Client:
    """A virtual clock and what the client has learned; `wait_all` as the SDK drives it."""

    rng: random.Random
    now: float = 0.0
    polls: int = 0

    def __post_init__(self) -> None:
        self.learned: Learned | None = {}

    def add(self, count: int, sigma: float, over: float = 2.0) -> list[Work]:
        """`count` tasks added over the last `over` seconds (as `add_many` would)."""
        return [
            Work(self.now - over * self.rng.random(), 2.0 * math.exp(sigma * self.rng.gauss(0, 1)))
            for _ in range(count)
        ]

    def wait_all(self, works: list[Work], concurrency: int = 16) -> None:
        plan: WaitPlan[Any] = WaitPlan(
            works,
            started=self.now,
            timeout=None,
            is_transient=RetryPolicy().is_transient,
            random=self.rng.random,
            learned=self.learned,
        )
        while not plan.finished:
            batch = plan.due(self.now, concurrency)
            if not batch:
                self.now = plan.wake_at()  # the sleep
                continue
            sent, self.now = self.now, self.now + RTT
            for index in batch:
                work = works[index]
                final = sent + RTT / 2 >= work.finished_at  # the server reads it mid-trip
                plan.record(index, Reading("completed" if final else "running"), None, self.now)
                if final:
                    work.seen_at = self.now
            self.polls += len(batch)
        self.now += 5.0  # the app does something else


def measure(sigma: float, seed: int, over: float, concurrency: int) -> tuple[float, float]:
    """Polls per task and median detection latency over 1,000 tasks added over `over`
    seconds, by a client that has seen 300 finish (added the same way)."""
    client = Client(random.Random(seed))
    for _ in range(3):
        client.wait_all(client.add(100, sigma, over), concurrency)
    assert client.learned is not None and client.learned["task"].samples == 256  # window full
    works = client.add(1000, sigma, over)
    client.polls = 0
    client.wait_all(works, concurrency)
    latency = statistics.median(work.seen_at - work.finished_at for work in works)
    return client.polls / len(works), latency


@pytest.mark.parametrize(
    ("over", "concurrency"),
    [
        (2.0, 16),  # added at 500/s, waited on with the default concurrency
        (0.0, 64),  # all at once: 1,000 first polls due together need the capacity
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_trained_client_waits_on_1000_tasks_with_few_polls_and_little_delay(
    seed: int, over: float, concurrency: int
) -> None:
    polls, latency = measure(sigma=0.5, seed=seed, over=over, concurrency=concurrency)
    assert polls <= 3.0 and latency <= 0.5, (polls, latency)


def test_the_default_schedule_spends_about_five_polls_a_task_on_the_same_work() -> None:
    client = Client(random.Random(1))
    client.learned = None  # a client that never learns
    works = client.add(1000, sigma=0.5, over=0.0)
    client.wait_all(works, concurrency=64)
    assert 4.5 < client.polls / len(works) < 5.5


# RefineEstimator, piece by piece.


def lognormal_intervals(count: int, step: float = 0.5, seed: int = 0) -> list[tuple[float, float]]:
    """Finishing ages (median 2 s) as seen by polls every `step` seconds."""
    rng = random.Random(seed)
    intervals = []
    for _ in range(count):
        takes = 2.0 * math.exp(0.5 * rng.gauss(0, 1))
        seen = math.ceil(takes / step) * step
        intervals.append((seen - step, seen))
    return intervals


def test_no_schedule_until_enough_work_has_finished() -> None:
    estimator = RefineEstimator()
    for low, high in lognormal_intervals(19):
        estimator.observe(low, high)
    assert estimator.samples == 19 and estimator.schedule() is None
    estimator.observe(1.5, 2.0)
    schedule = estimator.schedule()
    assert schedule is not None and list(schedule) == sorted(set(schedule))
    assert 1.0 < schedule[0] < 2.0  # the first poll comes before the median
    assert estimator.schedule() is schedule  # kept until enough news


def test_the_schedule_is_refitted_as_more_work_finishes() -> None:
    estimator = RefineEstimator(window=64)
    for low, high in lognormal_intervals(64):
        estimator.observe(low, high)
    first = estimator.schedule()
    for _ in range(15):
        estimator.observe(9.5, 10.0)
    assert estimator.schedule() is first  # 15 < 16 new: not yet
    estimator.observe(9.5, 10.0)
    later = estimator.schedule()
    assert later is not None and first is not None and later[-1] > first[-1]


def test_the_estimate_recovers_the_median_from_coarse_intervals() -> None:
    estimator = RefineEstimator()
    for low, high in lognormal_intervals(256, step=1.0):
        estimator.observe(low, high)
    estimator.schedule()
    assert estimator._density is not None
    ages = _polling._quantiles(estimator._density)
    assert 1.6 < ages[50] < 2.4  # the median is 2 s, though seen only to the second


@pytest.mark.parametrize(
    "interval",
    [(0.0, 0.0), (0.0, 0.001), (5000.0, 9000.0), (2.0, math.inf), (3.0, 1.0), (-1.0, 2.0)],
)
def test_any_interval_can_be_learned(interval: tuple[float, float]) -> None:
    estimator = RefineEstimator(min_samples=1)
    estimator.observe(*interval)
    schedule = estimator.schedule()
    assert schedule is not None and all(0 < age <= _polling.MAX_AGE for age in schedule)
    assert estimator._density is not None
    assert sum(estimator._density) == pytest.approx(1.0)


def test_the_plan_keeps_polls_within_the_gap_and_drops_repeats() -> None:
    ages = [1.0, 1.0, 2.0, 9.0, 10.0]
    assert _polling._plan(ages, poll_cost=100.0, max_gap=5.0) == (2.0, 9.0, 10.0)
    assert _polling._plan(ages, poll_cost=0.0, max_gap=5.0) == (1.0, 2.0, 9.0, 10.0)


def test_quantiles_are_ascending_slices_of_probability() -> None:
    density = [0.0] * _polling.BINS
    density[64] = 1.0  # all of it in one bin: the ages spread across it
    ages = _polling._quantiles(density)
    low, high = (math.exp(_polling._LOG_MIN + k * _polling._BIN) for k in (64, 65))
    assert len(ages) == _polling.QUANTILES and ages == sorted(ages)
    assert low < ages[0] and ages[-1] < high
