"""Every documented MemOS code and HTTP status maps to its exception class."""

from __future__ import annotations

import pickle

import pytest

from memos_client import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)
from memos_client._core._errors import api_error, class_for

# memos-api.md section 6.2, plus the codes seen in endpoint docs (D26).
DOCUMENTED_CODES = [
    (40000, BadRequestError),
    (40001, NotFoundError),
    (40002, BadRequestError),
    (40003, BadRequestError),
    (40006, BadRequestError),
    (40007, BadRequestError),
    (40008, BadRequestError),
    (40009, BadRequestError),
    (40010, BadRequestError),
    (40011, BadRequestError),
    (40012, BadRequestError),
    (40013, BadRequestError),
    (40020, BadRequestError),
    (40071, BadRequestError),
    (40100, AuthenticationError),
    (40103, AuthenticationError),
    (40130, AuthenticationError),
    (40132, AuthenticationError),
    (40300, RateLimitError),
    (40301, QuotaExceededError),
    (40302, QuotaExceededError),
    (40303, BadRequestError),
    (40304, QuotaExceededError),
    (40305, BadRequestError),
    (40306, PermissionDeniedError),
    (40307, NotFoundError),
    (40308, NotFoundError),
    (40309, RateLimitError),
    (50000, ServerError),
    (50002, ServerError),
    (50004, ServerError),
    (50005, ServerError),
    (50103, BadRequestError),
    (50104, BadRequestError),
    (50105, BadRequestError),
    (50107, BadRequestError),
    (50120, NotFoundError),
    (50123, NotFoundError),
    (50131, NotFoundError),
    (50143, ServerError),
    (50144, ServerError),
    (50145, ServerError),
]


@pytest.mark.parametrize(("code", "expected"), DOCUMENTED_CODES)
def test_documented_code_maps_to_class(code: int, expected: type[APIError]) -> None:
    assert class_for(code, 200) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (413, BadRequestError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (409, APIError),
        (302, APIError),
    ],
)
def test_http_status_maps_to_class_without_code(status: int, expected: type[APIError]) -> None:
    assert class_for(None, status) is expected


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        (40132, 500, AuthenticationError),  # the body's code is more specific
        (50005, 200, ServerError),
        (41999, 200, BadRequestError),  # an unknown 4xxxx is still a client error
        (59999, 200, ServerError),
        (12345, 200, APIError),  # unknown range: the plain base class
        (12345, 404, NotFoundError),  # ... unless the HTTP status says more
    ],
)
def test_code_wins_over_status(code: int, status: int, expected: type[APIError]) -> None:
    assert class_for(code, status) is expected


def build(**overrides: object) -> APIError:
    fields: dict[str, object] = {
        "code": 40010,
        "message": "user_id too long",
        "http_status": 200,
        "method": "POST",
        "path": "add/message",
        "request_id": "req-1",
        "body": {"code": 40010, "data": None, "message": "user_id too long"},
    }
    fields.update(overrides)
    return api_error(**fields)  # type: ignore[arg-type]


def test_error_carries_every_field_and_a_full_message() -> None:
    error = build()
    assert isinstance(error, BadRequestError)
    assert (error.code, error.http_status, error.request_id) == (40010, 200, "req-1")
    assert error.message == "user_id too long"
    assert error.body == {"code": 40010, "data": None, "message": "user_id too long"}
    assert str(error) == "[40010] user_id too long (HTTP 200, POST add/message, request_id=req-1)"


def test_unfilled_placeholder_in_server_message_is_dropped() -> None:
    error = build(code=40000, message="Invalid request parameters{0}")
    assert error.message == "Invalid request parameters"
    assert "{0}" not in str(error)


def test_empty_server_message_says_so() -> None:
    assert "the server gave no detail" in str(build(message=""))


def test_http_404_without_code_hints_at_the_base_url() -> None:
    error = build(code=None, http_status=404, message="Not Found", request_id=None)
    assert isinstance(error, NotFoundError)
    assert "is base_url right?" in str(error)


def test_authentication_error_hints_at_the_key() -> None:
    assert "MEMOS_API_KEY" in str(build(code=40132, message="invalid key"))


def test_rate_limit_error_carries_retry_after() -> None:
    error = build(code=40300, message="slow down", retry_after=2.5)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 2.5
    assert "retry after 2.5 s" in str(error)


@pytest.mark.parametrize(("code", "cls"), DOCUMENTED_CODES[::5])
def test_api_errors_pickle_intact(code: int, cls: type[APIError]) -> None:
    error = build(code=code, retry_after=1.0)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_http_429_is_a_rate_limit_whatever_the_body_code() -> None:
    assert class_for(40000, 429) is RateLimitError
    assert class_for(None, 429) is RateLimitError


def test_every_api_error_carries_retry_after() -> None:
    error = build(code=None, http_status=503, message="busy", retry_after=4.0)
    assert isinstance(error, ServerError) and error.retry_after == 4.0
