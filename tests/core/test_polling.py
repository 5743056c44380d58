"""The poll schedule and deadline arithmetic, with `now` passed in."""

from __future__ import annotations

import httpx
import pytest

from memos_client import InvalidRequestError
from memos_client._core._polling import (
    PollPolicy,
    deadline_for,
    is_terminal,
    poll_timeout,
    remaining,
)

POLICY = PollPolicy()


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (1, 0.5, 0.25),
        (2, 0.5, 0.375),
        (3, 0.5, 0.5625),
        (8, 0.5, 0.25 * 1.5**7),
        (9, 0.5, 5.0),  # 0.25 * 1.5**8 = 6.4 > cap
        (50, 0.5, 5.0),
        (10_000, 0.5, 5.0),
        (1, 0.0, 0.1875),  # -25%
        (1, 1.0, 0.3125),  # +25%
        (50, 0.0, 3.75),
        (50, 1.0, 6.25),
    ],
)
def test_poll_delay_grows_then_caps_with_jitter(attempt: int, rand: float, expected: float) -> None:
    assert POLICY.delay(attempt, rand) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [(2.0, 2.0), (0.3, 0.3), (0.0, 0.25), (-1.0, 0.25)],  # never a busy loop
)
def test_server_hint_wins_above_a_floor(hint: float, expected: float) -> None:
    assert POLICY.delay(7, 0.9, hint) == expected


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
