"""`WaitPlan`: the wait loop's decisions, table-driven and without I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pytest

from memos_client import (
    APIConnectionError,
    InvalidRequestError,
    NotFoundError,
    ServerError,
    TaskError,
    TaskTimeoutError,
)
from memos_client._core import _waiting
from memos_client._core._polling import RefineEstimator
from memos_client._core._retry import RetryPolicy
from memos_client._core._waiting import Learned, WaitPlan


@dataclass
class Reading:
    status: str | None


@dataclass
class Handle:
    """A handle as the plan sees it: its settled value and errors are canned."""

    name: str
    done: bool = False
    trackable: bool = True
    _born: float | None = None
    noun: str = "task"
    seen: list[str | None] = field(default_factory=list)

    def _settled(self) -> Any:
        if not self.trackable:
            raise TaskError(f"{self.name} cannot be waited on")
        return f"{self.name}:final"

    def _observe(self, reading: Reading) -> bool:
        changed = not self.seen or self.seen[-1] != reading.status
        self.seen.append(reading.status)
        return changed

    def _timeout_error(self, waited: float, last_error: Any) -> TaskTimeoutError:
        error = TaskTimeoutError(f"{self.name} after {waited}", task_id=self.name)
        error.__cause__ = last_error
        return error


def plan(
    *handles: Handle,
    timeout: float | None = 10.0,
    updates: list[Any] | None = None,
    learned: Learned | None = None,
    poll_rate: float | None = None,
    rand: float = 0.5,
) -> WaitPlan[Any]:
    return WaitPlan(
        list(handles),
        started=100.0,
        timeout=timeout,
        is_transient=RetryPolicy().is_transient,
        random=lambda: rand,
        on_update=None if updates is None else updates.append,
        learned=learned,
        poll_rate=poll_rate,
    )


def names(waiting: WaitPlan[Any], batch: list[int]) -> list[str]:
    return [waiting.handles[index].name for index in batch]


def test_final_and_untrackable_handles_settle_without_a_poll() -> None:
    waiting = plan(Handle("a", done=True), Handle("b", trackable=False))
    assert waiting.finished
    first, second = waiting.outcomes()
    assert first == "a:final" and isinstance(second, TaskError)


def test_due_handles_come_earliest_first_up_to_the_limit() -> None:
    waiting = plan(Handle("a"), Handle("b"), Handle("c"))
    assert names(waiting, waiting.due(100.0, limit=2)) == ["a", "b"]
    assert names(waiting, waiting.due(100.0, limit=5)) == ["c"]
    assert waiting.due(100.0, limit=5) == []


@pytest.mark.parametrize(
    ("result", "hint", "settled", "next_at"),
    [
        (Reading("completed"), None, "a:final", None),
        (Reading("failed"), None, "a:final", None),
        (Reading("running"), None, None, 100.0 + 0.25),  # first step; a midpoint draw: no jitter
        (Reading("running"), 3.0, None, 103.0),  # a server hint wins
        (ServerError("busy", http_status=503), None, None, 100.25),  # transient: ride it out
        (NotFoundError("gone", code=50131), None, "error", None),  # fatal: settle at once
        (APIConnectionError("down", may_have_been_processed=False), None, None, 100.25),
    ],
)
def test_what_one_poll_means(result: Any, hint: float | None, settled: Any, next_at: Any) -> None:
    updates: list[Any] = []
    waiting = plan(Handle("a"), updates=updates)
    [index] = waiting.due(100.0, limit=1)
    waiting.record(index, result, hint, now=100.0)
    if settled == "error":
        assert waiting.finished and waiting.outcomes() == [result]
    elif settled is not None:
        assert waiting.finished and waiting.outcomes() == [settled]
    else:
        assert not waiting.finished and waiting.wake_at() == next_at
    assert updates == ([result] if isinstance(result, Reading) else [])


def test_the_default_schedule_grows_with_the_time_waited() -> None:
    waiting = plan(Handle("a"), timeout=None, rand=0.0)  # an extreme draw: 20% shorter
    times = []
    now = 100.0
    for _ in range(12):
        [index] = waiting.due(now, limit=1)
        waiting.record(index, Reading("running"), None, now)
        times.append(round(waiting.wake_at() - now, 6))
        now = waiting.wake_at()
    assert times[:3] == [0.2, 0.28, 0.3920]  # 0.8 * (0.25 + 0.5 * waited)
    assert times[-1] == 4.0  # 0.8 * the 5 s cap


def test_the_deadline_settles_with_a_timeout_that_keeps_the_last_failure() -> None:
    waiting = plan(Handle("a"), timeout=1.0)
    [index] = waiting.due(100.0, limit=1)
    waiting.record(index, Reading("running"), None, now=100.0)
    [index] = waiting.due(100.25, limit=1)
    waiting.record(index, ServerError("busy", http_status=503), 30.0, now=100.25)
    assert waiting.wake_at() == 101.0  # a poll is never scheduled past the deadline
    [index] = waiting.due(101.0, limit=1)
    failure = ServerError("still busy", http_status=503)
    waiting.record(index, failure, None, now=101.0)
    [timeout] = waiting.outcomes()
    assert isinstance(timeout, TaskTimeoutError) and timeout.__cause__ is failure
    assert waiting.left(101.0) == 0.0


def test_a_good_answer_forgets_the_last_failure() -> None:
    waiting = plan(Handle("a"), timeout=1.0)
    [index] = waiting.due(100.0, limit=1)
    waiting.record(index, ServerError("busy", http_status=503), None, now=100.0)
    [index] = waiting.due(100.25, limit=1)
    waiting.record(index, Reading("running"), None, now=101.0)
    [timeout] = waiting.outcomes()
    assert isinstance(timeout, TaskTimeoutError) and timeout.__cause__ is None


def test_waiting_forever_has_no_deadline() -> None:
    waiting = plan(Handle("a"), timeout=None)
    [index] = waiting.due(100.0, limit=1)
    waiting.record(index, Reading("running"), 3000.0, now=100.0)
    assert waiting.wake_at() == 3100.0 and waiting.left(100.0) is None


def test_a_repeated_status_is_reported_once() -> None:
    updates: list[Any] = []
    waiting = plan(Handle("a"), updates=updates)
    for now in (100.0, 100.25):
        [index] = waiting.due(now, limit=1)
        waiting.record(index, Reading("running"), None, now=now)
    assert updates == [Reading("running")]


# The poll rate cap.


def test_a_poll_rate_lets_that_many_polls_start_per_second() -> None:
    waiting = plan(*(Handle(str(n)) for n in range(5)), poll_rate=2.0)
    assert names(waiting, waiting.due(100.0, limit=16)) == ["0", "1"]
    assert waiting.due(100.5, limit=16) == [] and waiting.wake_at() == 101.0
    assert names(waiting, waiting.due(101.0, limit=1)) == ["2"]  # the limit still applies
    assert names(waiting, waiting.due(101.0, limit=16)) == ["3"]
    assert waiting.wake_at() == 102.0


def test_a_slow_poll_rate_spaces_polls_out() -> None:
    waiting = plan(Handle("a"), Handle("b"), poll_rate=0.5)
    assert names(waiting, waiting.due(100.0, limit=16)) == ["a"]
    assert waiting.wake_at() == 102.0


def test_the_rate_never_moves_a_poll_past_the_deadline() -> None:
    waiting = plan(Handle("a"), Handle("b"), poll_rate=0.01, timeout=5.0)
    waiting.due(100.0, limit=16)
    assert waiting.wake_at() == 105.0


def test_the_last_check_at_the_deadline_may_exceed_the_cap_by_one_poll() -> None:
    handles = [Handle(str(n)) for n in range(4)]
    waiting = plan(*handles, poll_rate=1.0, timeout=2.0)
    [first] = waiting.due(100.0, limit=16)
    waiting.record(first, Reading("running"), None, 100.0)
    [second] = waiting.due(101.0, limit=16)
    waiting.record(second, Reading("running"), None, 101.0)
    assert waiting.wake_at() == 102.0
    # At the deadline: one poll the cap allows, one past it; the other two time out unpolled.
    # Earliest due first: the two never polled yet.
    batch = waiting.due(102.0, limit=16)
    assert names(waiting, batch) == ["2", "3"] and not waiting.finished
    for index in batch:
        waiting.record(index, Reading("running"), None, 102.0)
    assert waiting.finished
    assert all(isinstance(outcome, TaskTimeoutError) for outcome in waiting.outcomes())
    assert sum(len(handle.seen) for handle in handles) == 4  # 3 within the cap, 1 past it


@pytest.mark.parametrize("rate", [0, -1.0, float("nan"), "5", True])
def test_a_bad_poll_rate_is_refused(rate: Any) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        plan(Handle("a"), poll_rate=rate)
    assert caught.value.field == "poll_rate"


def test_a_poll_rate_without_a_deadline() -> None:
    waiting = plan(Handle("a"), Handle("b"), poll_rate=1.0, timeout=None)
    assert len(waiting.due(100.0, limit=16)) == 1
    assert waiting.due(100.5, limit=16) == [] and waiting.wake_at() == 101.0


def test_an_infinite_poll_rate_is_no_cap() -> None:
    waiting = plan(*(Handle(str(n)) for n in range(3)), poll_rate=float("inf"))
    assert waiting.rate is None and len(waiting.due(100.0, limit=16)) == 3


# What the client learns.


def trained(schedule_ages: list[float]) -> Learned:
    """A record whose schedule is set by hand."""
    estimator = RefineEstimator()
    estimator._schedule = tuple(schedule_ages)
    estimator._observed.extend([(0.0, 1.0)] * estimator.min_samples)
    return {"task": estimator}


def test_a_learned_schedule_delays_the_first_poll_of_young_work() -> None:
    learned = trained([1.5, 2.5, 4.0])
    young, old, unseen = Handle("young", _born=99.0), Handle("old", _born=90.0), Handle("id")
    waiting = plan(young, old, unseen, learned=learned)
    # "old" is past every planned age, and nobody saw "id" start: both at once.
    assert names(waiting, waiting.due(100.0, limit=16)) == ["old", "id"]
    assert waiting.wake_at() == 100.5  # "young" at age 1.5


def test_polls_follow_the_learned_ages_then_the_default_schedule() -> None:
    waiting = plan(Handle("a", _born=100.0), learned=trained([1.5, 2.5]), timeout=None)
    ages: list[float] = []
    while len(ages) < 4:
        now = waiting.wake_at()
        [index] = waiting.due(now, limit=1)
        waiting.record(index, Reading("running"), None, now)
        ages.append(now - 100.0)
    assert ages == [1.5, 2.5, 2.5 + 1.5, 4.0 + 2.25]  # then 0.25 + 0.5 * waited


def test_a_hint_wins_over_a_learned_schedule() -> None:
    waiting = plan(Handle("a", _born=100.0), learned=trained([1.5, 2.5]))
    [index] = waiting.due(101.5, limit=1)
    waiting.record(index, Reading("running"), 7.0, 101.5)
    assert waiting.wake_at() == 108.5


def test_each_kind_of_handle_learns_apart() -> None:
    learned = trained([1.5])
    waiting = plan(Handle("f", _born=100.0, noun="file"), learned=learned)
    assert waiting.wake_at() == 100.0  # no file has finished yet: at once


def test_finished_work_is_learned_once_the_wait_is_over() -> None:
    learned: Learned = {}
    seen, quick = Handle("seen", _born=99.0), Handle("quick", _born=99.5)
    waiting = plan(seen, quick, Handle("id"), learned=learned, timeout=None)
    a, b, c = waiting.due(100.0, limit=16)
    waiting.record(a, Reading("running"), None, 100.0)
    waiting.record(b, Reading("completed"), None, 100.0)
    waiting.record(c, Reading("completed"), None, 100.0)  # nobody saw "id" start
    assert learned == {}  # mid-wait, only the quick ones have finished: not yet
    [a] = waiting.due(100.25, limit=16)
    waiting.record(a, Reading("failed"), None, 100.25)
    # Running at age 1 and final at 1.25; running when added and final at 0.5.
    assert list(learned["task"]._observed) == [(1.0, 1.25), (0.0, 0.5)]


def test_work_still_running_at_the_deadline_is_learned_as_longer() -> None:
    learned: Learned = {"task": RefineEstimator()}
    polled, unpolled = Handle("polled", _born=99.0), Handle("unpolled", _born=99.0)
    gone = Handle("gone", _born=99.0)
    waiting = plan(polled, unpolled, gone, learned=learned, timeout=1.0)
    a, b, c = waiting.due(100.0, limit=16)
    waiting.record(a, Reading("running"), None, 100.0)
    waiting.record(b, ServerError("busy", http_status=503), None, 100.0)
    waiting.record(c, NotFoundError("gone", code=50131), None, 100.0)
    a, b = waiting.due(101.0, limit=16)
    waiting.record(a, Reading("running"), None, 101.0)
    waiting.record(b, ServerError("busy", http_status=503), None, 101.0)
    # Only "polled" says something: it ran for at least 2 s. The others were never seen.
    assert list(learned["task"]._observed) == [(2.0, math.inf)]


def test_nothing_is_learned_without_a_record() -> None:
    waiting = plan(Handle("a", _born=99.0), learned=None)
    [index] = waiting.due(100.0, limit=1)
    waiting.record(index, Reading("completed"), None, 100.0)
    assert waiting.outcomes() == ["a:final"]


@pytest.mark.parametrize("count", [2**10, 2**16])
def test_a_poll_costs_o_log_n_comparisons(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    waiting = plan(*(Handle(str(n)) for n in range(count)), timeout=None, rand=0.0)
    compared = [0]
    before = _waiting._before

    def counting(*args: Any) -> bool:
        compared[0] += 1
        return before(*args)

    monkeypatch.setattr(_waiting, "_before", counting)
    now = 100.0
    for _ in range(200):  # each handle polled, put back later, and the next one taken
        [index] = waiting.due(now, limit=1)
        waiting.record(index, Reading("running"), None, now)
        now += 0.001
    # A pop and a push each walk one root-to-leaf path, never all the handles.
    assert compared[0] / 200 <= 3 * math.log2(count)
