"""Retry decisions (error x method kind) and delays, as tables."""

from __future__ import annotations

import pytest

from memos_client import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)
from memos_client._core._retry import RetryPolicy, parse_retry_after
from memos_client._core._spec import Kind

POLICY = RetryPolicy()


def api(cls: type, code: int | None, status: int = 200, **extra: object) -> BaseException:
    error: BaseException = cls("x", code=code, http_status=status, **extra)
    return error


def conn(processed: bool, timeout: bool = False) -> BaseException:
    cls = APITimeoutError if timeout else APIConnectionError
    return cls("x", may_have_been_processed=processed)


CASES: list[tuple[str, BaseException, Kind, bool]] = [
    ("connect error, read", conn(False), "read", True),
    ("connect error, write", conn(False), "write", True),
    ("pool timeout, write", conn(False, timeout=True), "write", True),
    ("read timeout, read", conn(True, timeout=True), "read", True),
    ("read timeout, write", conn(True, timeout=True), "write", False),
    ("dropped after send, write", conn(True), "write", False),
    ("HTTP 429, write", api(RateLimitError, None, 429), "write", True),
    ("40300 in 200, write", api(RateLimitError, 40300), "write", True),
    ("40309 in 200, read", api(RateLimitError, 40309), "read", True),
    ("Retry-After too long", api(RateLimitError, 40300, 429, retry_after=61.0), "read", False),
    ("Retry-After at the cap", api(RateLimitError, 40300, 429, retry_after=60.0), "read", True),
    ("50000, read", api(ServerError, 50000), "read", True),
    ("50004, read", api(ServerError, 50004), "read", True),
    ("50005, read", api(ServerError, 50005), "read", True),
    ("50002 in 200, read", api(ServerError, 50002), "read", False),
    ("50143 in 200, read", api(ServerError, 50143), "read", False),
    ("HTTP 503, read", api(ServerError, None, 503), "read", True),
    ("HTTP 500 with 50002, read", api(ServerError, 50002, 500), "read", True),
    ("HTTP 408, read", api(BadRequestError, None, 408), "read", True),
    ("HTTP 503, write", api(ServerError, None, 503), "write", False),
    ("50000, write", api(ServerError, 50000), "write", False),
    (
        "rate limit on a write that may have landed",
        RateLimitError("x", code=40300, http_status=503, may_have_been_processed=True),
        "write",
        False,
    ),
    ("validation", api(BadRequestError, 40010), "read", False),
    ("auth", api(AuthenticationError, 40132), "read", False),
    ("auth HTTP 401", api(AuthenticationError, None, 401), "read", False),
    ("quota", api(QuotaExceededError, 40304), "read", False),
    ("not found", api(NotFoundError, 50131), "read", False),
    ("client-side validation", InvalidRequestError("x"), "read", False),
    ("a bug", TypeError("x"), "read", False),
]


@pytest.mark.parametrize(("label", "error", "kind", "expected"), CASES)
def test_should_retry(label: str, error: BaseException, kind: Kind, expected: bool) -> None:
    assert POLICY.should_retry(error, kind) is expected, label


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (1, 0.0, 0.5),
        (2, 0.0, 1.0),
        (3, 0.0, 2.0),
        (4, 0.0, 4.0),
        (5, 0.0, 8.0),
        (6, 0.0, 8.0),  # capped
        (1, 1.0, 0.375),  # jitter takes off at most 25%
        (5, 0.5, 7.0),
        (10_000, 0.0, 8.0),  # no overflow
    ],
)
def test_backoff_delay(attempt: int, rand: float, expected: float) -> None:
    assert POLICY.delay(ServerError("x"), attempt, rand) == pytest.approx(expected)


def test_retry_after_wins_over_backoff() -> None:
    error = RateLimitError("x", retry_after=3.0)
    assert POLICY.delay(error, 1, 0.9) == 3.0


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (api(RateLimitError, 40300, 429, retry_after=600.0), True),  # a poll just waits
        (api(ServerError, None, 503, retry_after=600.0), True),  # so it does on a 503
        (api(ServerError, 50005), True),
        (conn(True, timeout=True), True),
        (api(NotFoundError, 50131), False),
        (api(AuthenticationError, 40132), False),
    ],
)
def test_is_transient_for_polls(error: BaseException, transient: bool) -> None:
    assert POLICY.is_transient(error) is transient


NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "Tue, 14 Nov 2023 22:13:25 GMT"}, 5.0),
        ({"retry-after": "Tue, 14 Nov 2023 22:13:00 GMT"}, 0.0),
        ({"retry-after": "whenever"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "3600"}, 3600.0),
        ({"retry-after": "3601"}, None),  # longer than an hour: treated as absent
        ({"retry-after": "1e10"}, None),
        ({"retry-after-ms": "99999999999"}, None),
        ({"retry-after": "1" * 4400}, None),
        ({"retry-after": "\u00b9"}, None),
        ({"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}, None),
        ({"retry-after": "Mon, 01 Jan 0001 00:00:00 GMT"}, 0.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, NOW) == expected


def test_permanent_connection_failures_are_never_retried() -> None:
    error = APIConnectionError("x", may_have_been_processed=False, permanent=True)
    assert not POLICY.should_retry(error, "read")
    assert not POLICY.is_transient(error)


@pytest.mark.parametrize(
    ("retry_after", "retried", "delay"), [(3.0, True, 3.0), (60.0, True, 60.0), (61.0, False, None)]
)
def test_retry_after_applies_to_every_error_that_carries_it(
    retry_after: float, retried: bool, delay: float | None
) -> None:
    error = ServerError("x", code=None, http_status=503, retry_after=retry_after)
    assert POLICY.should_retry(error, "read") is retried
    if delay is not None:
        assert POLICY.delay(error, 1, 0.5) == delay
