"""`BatchPlan`, `classify` and `item_key`: the decisions of `add_many`, with plain values."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import (
    APIConnectionError,
    BadRequestError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from memos_client._core._batch import MAX_ATTEMPTS, BatchPlan, classify, item_key, safe_key

ITEM: dict[str, Any] = {"messages": [{"role": "user", "content": "hi"}], "user_id": "u1"}


@pytest.mark.parametrize(
    ("error", "retryable", "verdict"),
    [
        (QuotaExceededError("q", code=40301), False, "quota"),
        (BadRequestError("q", code=40302), False, "quota"),  # the code decides
        (ServerError("x", http_status=502, may_have_been_processed=True), False, "in_doubt"),
        (APIConnectionError("x", may_have_been_processed=True), False, "in_doubt"),
        (RateLimitError("slow", http_status=429), True, "rate_limited"),
        (BadRequestError("slow", code=40309), False, "rate_limited"),
        (APIConnectionError("refused"), True, "retry"),
        (BadRequestError("bad", code=40000), False, "failed"),
        (UnexpectedResponseError("an HTML page in a 200"), False, "in_doubt"),
    ],
)
def test_classify(error: Exception, retryable: bool, verdict: str) -> None:
    assert classify(error, retryable=retryable) == verdict


def test_item_keys_are_the_id_or_a_stable_content_hash() -> None:
    assert item_key({**ITEM, "id": 7}) == "id:7"
    first = item_key(ITEM)
    assert first.startswith("sha256:") and len(first) == 7 + 64
    reordered = {"user_id": "u1", "messages": [{"content": "hi", "role": "user"}]}
    assert item_key(reordered) == first  # key order does not matter
    assert item_key({**ITEM, "tags": ["x"], "async_mode": False}) == first  # only content+subject
    assert item_key({**ITEM, "user_id": "u2"}) != first
    assert item_key({**ITEM, "conversation_id": "c"}) != first


def test_the_window_halves_on_a_rate_limit_and_climbs_back() -> None:
    plan = BatchPlan(8, started=0.0)
    for _ in range(8):
        plan.sending(plan.admit(), 0.0)
    assert not plan.may_send(0.0)  # 8 in flight
    assert plan.record(0, "rate_limited", 1.0, retry_after=2.0) is None
    assert plan.limit == 4.0 and plan.pause_until == 3.0
    assert not plan.may_send(2.9) and plan.wake_at(2.0, more_items=True) == 3.0
    for index in range(1, 8):
        assert plan.record(index, "submitted", 3.0) == "submitted"
    assert 4.0 < plan.limit < 6.0  # additive: about one per window
    assert plan.due_retry(2.0) is None and plan.due_retry(3.5) == 0
    for _ in range(100):
        plan.sending(0, 0.0)
        plan.record(0, "submitted", 4.0)
    assert plan.limit == 8.0  # never past the concurrency asked for
    assert plan.counts["submitted"] == 107


def test_the_limit_never_drops_below_one() -> None:
    plan = BatchPlan(2, started=0.0)
    for step in range(5):
        plan.sending(0, float(step))
        plan.record(0, "rate_limited", float(step))
    assert plan.limit == 1.0


def test_a_burst_of_rate_limits_halves_the_window_once() -> None:
    """Answers to requests sent before a cut say nothing about the smaller window."""
    plan = BatchPlan(16, started=0.0)
    for _ in range(16):
        plan.sending(plan.admit(), 0.0)
    for index in range(16):
        plan.record(index, "rate_limited", 1.0)
    assert plan.limit == 8.0
    plan.sending(0, 2.0)  # sent after the cut: its 429 is news
    plan.record(0, "rate_limited", 3.0)
    assert plan.limit == 4.0


def test_a_pause_longer_than_a_due_retry_is_waited_out_not_spun() -> None:
    plan = BatchPlan(4, started=0.0)
    first, second = plan.admit(), plan.admit()
    plan.sending(first, 0.0)
    plan.sending(second, 0.0)
    plan.record(first, "retry", 0.0)  # due at 0.5
    plan.record(second, "rate_limited", 0.0, retry_after=2.0)  # pause until 2.0
    assert not plan.may_send(1.0)
    assert plan.wake_at(1.0, more_items=False) == 2.0  # not 0.5, which would spin
    assert plan.wake_at(1.0, more_items=True) == 2.0


def test_retries_back_off_in_due_order_and_give_up() -> None:
    plan = BatchPlan(4, started=0.0)
    a, b = plan.admit(), plan.admit()
    plan.sending(a, 0.0)
    plan.sending(b, 0.0)
    plan.record(b, "retry", 10.0)  # due 10.5
    plan.record(a, "retry", 9.0)  # due 9.5: goes first
    assert [retry.index for retry in plan.retries] == [a, b]
    assert plan.wake_at(0.0, more_items=False) == 9.5 and plan.retries
    assert plan.wake_at(0.0, more_items=True) == 0.0  # a new item can go at once
    assert plan.due_retry(9.6) == a and plan.due_retry(9.6) is None  # b is not due yet
    assert plan.due_retry(10.5) == b
    for attempt in range(2, MAX_ATTEMPTS + 1):  # `a` keeps failing, ever later
        plan.sending(a, 0.0)
        outcome = plan.record(a, "retry", 1000.0 * attempt)
        assert outcome == ("failed" if attempt == MAX_ATTEMPTS else None)
        if outcome is None:
            assert plan.due_retry(1e9) == a


def test_final_verdicts_and_counts_add_up() -> None:
    plan = BatchPlan(4, started=0.0)
    outcomes = []
    for verdict in ("submitted", "in_doubt", "failed"):
        index = plan.admit()
        plan.sending(index, 0.0)
        outcomes.append(plan.record(index, verdict, 1.0))
    plan.admit()
    plan.settle("skipped")
    assert outcomes == ["submitted", "in_doubt", "failed"]
    progress = plan.progress(2.0)
    assert (progress.read, progress.settled, progress.in_flight) == (4, 4, 0)
    assert progress.rate == 2.0 and progress.stopped is None
    assert plan.in_flight == 0 and not plan.retries


def test_a_quota_error_stops_and_abandons_the_retries() -> None:
    plan = BatchPlan(4, started=0.0)
    first, second = plan.admit(), plan.admit()
    plan.sending(first, 0.0)
    plan.sending(second, 0.0)
    plan.record(first, "retry", 0.0)
    assert plan.record(second, "quota", 0.0) == "failed"
    plan.stop("ignored: the first reason stays")
    assert plan.stopped is not None and "quota" in plan.stopped
    assert not plan.may_send(100.0)
    assert plan.abandon_retries() == [first] and plan.counts["failed"] == 2
    assert plan.wake_at(0.0, more_items=False) is None


def test_an_item_too_malformed_for_a_key_gets_an_empty_one() -> None:
    circular: dict[str, Any] = {"user_id": "u1"}
    circular["messages"] = [circular]
    assert safe_key(circular) == "" and safe_key("not a dict") == ""
    assert safe_key(ITEM) == item_key(ITEM)
