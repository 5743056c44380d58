"""The poll schedule and deadline arithmetic, with `now` passed in."""

from __future__ import annotations

import math

import httpx
import pytest

from memos_client import InvalidRequestError
from memos_client._core._polling import (
    PollPolicy,
    deadline_for,
    is_terminal,
    poll_rate_for,
    poll_timeout,
    remaining,
)

POLICY = PollPolicy()


@pytest.mark.parametrize(
    ("elapsed", "rand", "expected"),
    [
        (0.0, 0.5, 0.25),  # a midpoint draw: no jitter
        (0.25, 0.5, 0.375),  # 0.25 + 0.5 * 0.25: x1.5 over the last step
        (0.625, 0.5, 0.5625),
        (9.5, 0.5, 5.0),  # 0.25 + 4.75 = cap
        (10_000.0, 0.5, 5.0),
        (0.0, 0.0, 0.2),  # the extremes: 20% shorter, never longer
        (0.0, 0.999999, 0.2),
        (100.0, 0.0, 4.0),
        (100.0, 0.25, 4.5),
        (100.0, 0.75, 4.5),
    ],
)
def test_poll_delay_grows_with_the_time_waited_then_caps(
    elapsed: float, rand: float, expected: float
) -> None:
    assert POLICY.delay(elapsed, rand) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [(2.0, 2.0), (0.3, 0.3), (0.0, 0.25), (-1.0, 0.25)],  # never a busy loop
)
def test_server_hint_wins_above_a_floor(hint: float, expected: float) -> None:
    assert POLICY.delay(7.0, 0.9, hint) == expected


@pytest.mark.parametrize(
    ("age", "rand", "expected"),
    [
        (0.0, 0.5, 1.5),
        (1.0, 0.5, 0.5),
        (1.5, 0.5, 1.0),  # at a planned age: the next one
        (1.46, 0.5, 1.04),  # one a moment away is skipped: polls are never that close
        (1.0, 0.0, 0.55),  # up to 10% late, never early
        (2.5, 0.5, None),  # past the plan
        (9.0, 0.5, None),
    ],
)
def test_learned_delay_aims_at_the_next_planned_age(
    age: float, rand: float, expected: float | None
) -> None:
    assert POLICY.learned_delay((1.5, 2.5), age, rand) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("rate", "burst", "window"),
    [(10.0, 10, 1.0), (2.5, 2, 0.8), (0.5, 1, 2.0), (1e6, 1024, 1024 / 1e6)],
)
def test_poll_rate_lets_its_burst_start_per_window(rate: float, burst: int, window: float) -> None:
    cap = poll_rate_for(rate)
    assert cap is not None and cap.burst == burst and cap.window == pytest.approx(window)
    for _ in range(burst):
        assert cap.next_start() == -math.inf
        cap.take(5.0)
    assert cap.next_start() == pytest.approx(5.0 + window)


@pytest.mark.parametrize(
    ("rate", "problem"),
    [
        (0, "positive"),
        (-2.0, "positive"),
        (float("nan"), "positive"),
        ("3", "number"),
        (True, "number"),
    ],
)
def test_poll_rate_refuses_what_is_not_a_positive_number(rate: object, problem: str) -> None:
    with pytest.raises(InvalidRequestError, match=problem) as caught:
        poll_rate_for(rate)  # type: ignore[arg-type]
    assert caught.value.field == "poll_rate"


@pytest.mark.parametrize("rate", [None, float("inf")])
def test_no_poll_rate_is_no_cap(rate: float | None) -> None:
    assert poll_rate_for(rate) is None


@pytest.mark.parametrize(
    ("timeout", "now", "expected"),
    [(300.0, 10.0, 310.0), (0, 10.0, 10.0), (None, 10.0, None), (1.5, 0.0, 1.5)],
)
def test_deadline_for(timeout: float | None, now: float, expected: float | None) -> None:
    assert deadline_for(timeout, now) == expected


@pytest.mark.parametrize("timeout", [-1, float("nan"), "300", True])
def test_deadline_rejects_bad_timeouts(timeout: object) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        deadline_for(timeout, 0.0)  # type: ignore[arg-type]
    assert caught.value.field == "timeout"


@pytest.mark.parametrize(
    ("deadline", "now", "expected"),
    [(None, 5.0, None), (10.0, 4.0, 6.0), (10.0, 10.0, 0.0), (10.0, 12.0, 0.0)],
)
def test_remaining(deadline: float | None, now: float, expected: float | None) -> None:
    assert remaining(deadline, now) == expected


@pytest.mark.parametrize(
    ("status", "final"),
    [("completed", True), ("failed", True), ("running", False), ("waiting", False), (None, False)],
)
def test_is_terminal(status: str | None, final: bool) -> None:
    assert is_terminal(status) is final


def test_poll_timeout_caps_each_phase_at_time_left() -> None:
    capped = poll_timeout(httpx.Timeout(60.0, connect=5.0), 3.0)
    assert (capped.connect, capped.read, capped.write, capped.pool) == (3.0, 3.0, 3.0, 3.0)


def test_poll_timeout_keeps_a_floor_at_the_deadline() -> None:
    assert poll_timeout(httpx.Timeout(60.0), 0.0).read == 1.0


def test_poll_timeout_without_deadline_is_the_clients() -> None:
    timeout = httpx.Timeout(60.0, connect=5.0)
    assert poll_timeout(timeout, None) is timeout


def test_poll_timeout_caps_a_disabled_timeout() -> None:
    assert poll_timeout(httpx.Timeout(None), 7.0).read == 7.0
