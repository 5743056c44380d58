"""`WaitPlan`: the wait loop's decisions, table-driven and without I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from memos_client import APIConnectionError, NotFoundError, ServerError, TaskError, TaskTimeoutError
from memos_client._core._retry import RetryPolicy
from memos_client._core._waiting import WaitPlan


@dataclass
class Reading:
    status: str | None


@dataclass
class Handle:
    """A handle as the plan sees it: its settled value and errors are canned."""

    name: str
    done: bool = False
    trackable: bool = True
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
    *handles: Handle, timeout: float | None = 10.0, updates: list[Any] | None = None
) -> WaitPlan[Any]:
    return WaitPlan(
        list(handles),
        started=100.0,
        timeout=timeout,
        is_transient=RetryPolicy().is_transient,
        random=lambda: 0.5,
        on_update=None if updates is None else updates.append,
    )


def test_final_and_untrackable_handles_settle_without_a_poll() -> None:
    waiting = plan(Handle("a", done=True), Handle("b", trackable=False))
    assert waiting.finished
    first, second = waiting.outcomes()
    assert first == "a:final" and isinstance(second, TaskError)


def test_due_handles_come_earliest_first_up_to_the_limit() -> None:
    waiting = plan(Handle("a"), Handle("b"), Handle("c"))
    batch = waiting.due(100.0, limit=2)
    assert [watch.handle.name for watch in batch] == ["a", "b"]
    assert [watch.handle.name for watch in waiting.due(100.0, limit=5)] == ["c"]
    assert waiting.due(100.0, limit=5) == []


@pytest.mark.parametrize(
    ("result", "hint", "settled", "next_at"),
    [
        (Reading("completed"), None, "a:final", None),
        (Reading("failed"), None, "a:final", None),
        (Reading("running"), None, None, 100.0 + 0.25),  # first back-off step, midpoint jitter
        (Reading("running"), 3.0, None, 103.0),  # a server hint wins
        (ServerError("busy", http_status=503), None, None, 100.25),  # transient: ride it out
        (NotFoundError("gone", code=50131), None, "error", None),  # fatal: settle at once
        (APIConnectionError("down", may_have_been_processed=False), None, None, 100.25),
    ],
)
def test_what_one_poll_means(result: Any, hint: float | None, settled: Any, next_at: Any) -> None:
    updates: list[Any] = []
    waiting = plan(Handle("a"), updates=updates)
    [watch] = waiting.due(100.0, limit=1)
    waiting.record(watch, result, hint, now=100.0)
    if settled == "error":
        assert waiting.finished and waiting.outcomes() == [result]
    elif settled is not None:
        assert waiting.finished and waiting.outcomes() == [settled]
    else:
        assert not waiting.finished and waiting.wake_at() == next_at == watch.next_at
    assert updates == ([result] if isinstance(result, Reading) else [])


def test_the_deadline_settles_with_a_timeout_that_keeps_the_last_failure() -> None:
    waiting = plan(Handle("a"), timeout=1.0)
    [watch] = waiting.due(100.0, limit=1)
    waiting.record(watch, Reading("running"), None, now=100.0)
    [watch] = waiting.due(100.25, limit=1)
    waiting.record(watch, ServerError("busy", http_status=503), 30.0, now=100.25)
    assert watch.next_at == 101.0  # a poll is never scheduled past the deadline
    [watch] = waiting.due(101.0, limit=1)
    failure = ServerError("still busy", http_status=503)
    waiting.record(watch, failure, None, now=101.0)
    [timeout] = waiting.outcomes()
    assert isinstance(timeout, TaskTimeoutError) and timeout.__cause__ is failure
    assert waiting.left(101.0) == 0.0


def test_waiting_forever_has_no_deadline() -> None:
    waiting = plan(Handle("a"), timeout=None)
    [watch] = waiting.due(100.0, limit=1)
    waiting.record(watch, Reading("running"), 3000.0, now=100.0)
    assert waiting.wake_at() == 3100.0 and waiting.left(100.0) is None


def test_a_repeated_status_is_reported_once() -> None:
    updates: list[Any] = []
    waiting = plan(Handle("a"), updates=updates)
    for now in (100.0, 100.25):
        [watch] = waiting.due(now, limit=1)
        waiting.record(watch, Reading("running"), None, now=now)
    assert updates == [Reading("running")]
