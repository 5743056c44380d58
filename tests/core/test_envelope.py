"""Envelope decoding: success codes, business errors in HTTP 200, empty and junk bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from memos_client import (
    APIError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from memos_client._core._envelope import EMPTY, SNIPPET_LENGTH, decode, request_id_of
from memos_client._core._spec import RequestSpec

SEARCH = RequestSpec("POST", "search/memory", "read", {})
ADD = RequestSpec("POST", "add/message", "write", {}, allow_empty=True)
RERANK = RequestSpec("POST", "rerank", "read", {}, bare_ok=True)
NOW = 1_700_000_000.0


def run(
    spec: RequestSpec,
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return decode(spec, status=status, headers=headers or {}, content=content, now=NOW)


@pytest.mark.parametrize("code", [0, 200, "0"])
def test_success_codes_return_data(code: object) -> None:
    assert run(SEARCH, {"code": code, "data": {"x": 1}, "message": "ok"}) == {"x": 1}


def test_business_error_inside_http_200_raises() -> None:
    with pytest.raises(RateLimitError) as caught:
        run(SEARCH, {"code": 40309, "data": None, "message": "token window exceeded"})
    assert caught.value.http_status == 200
    assert caught.value.code == 40309


@pytest.mark.parametrize("body", [b"", b"   \n"])
def test_empty_2xx_is_accepted_where_allowed(body: bytes) -> None:
    assert run(ADD, body, status=202) is EMPTY


def test_empty_2xx_is_unexpected_elsewhere() -> None:
    with pytest.raises(UnexpectedResponseError, match="an empty body"):
        run(SEARCH, b"", status=200)


def test_html_page_with_200_is_unexpected_and_quoted() -> None:
    page = b"<html><head><title>Sign in</title></head><body>Login</body></html>"
    with pytest.raises(UnexpectedResponseError) as caught:
        run(SEARCH, page, headers={"content-type": "text/html"})
    error = caught.value
    assert error.http_status == 200
    assert error.content_type == "text/html"
    assert error.body is not None and error.body.startswith("<html>")
    assert "not JSON" in str(error) and "base_url" in str(error)


def test_json_without_envelope_is_unexpected() -> None:
    with pytest.raises(UnexpectedResponseError, match="not a MemOS envelope"):
        run(SEARCH, {"results": []})


def test_bare_object_is_accepted_where_allowed() -> None:
    bare = {"id": "r1", "results": [{"index": 0, "relevance_score": 0.9}]}
    assert run(RERANK, bare) == bare


def test_enveloped_answer_still_unwraps_where_bare_is_allowed() -> None:
    assert run(RERANK, {"code": 0, "data": {"id": "r1"}, "message": "ok"}) == {"id": "r1"}


def test_http_error_with_envelope_uses_the_code() -> None:
    with pytest.raises(BadRequestError) as caught:
        run(SEARCH, {"code": 40000, "message": "bad view"}, status=400)
    assert (caught.value.code, caught.value.http_status) == (40000, 400)


def test_http_error_with_html_body_uses_the_status() -> None:
    with pytest.raises(ServerError) as caught:
        run(SEARCH, b"<html>502 Bad Gateway</html>", status=502)
    assert caught.value.code is None
    assert "502 Bad Gateway" in caught.value.message


def test_http_404_from_a_gateway() -> None:
    with pytest.raises(NotFoundError, match="base_url"):
        run(SEARCH, {"detail": "Not Found"}, status=404)


def test_unknown_code_is_a_plain_api_error() -> None:
    with pytest.raises(APIError) as caught:
        run(SEARCH, {"code": 777, "data": None, "message": "odd"})
    assert type(caught.value) is APIError


def test_rate_limit_reads_retry_after_header() -> None:
    with pytest.raises(RateLimitError) as caught:
        run(SEARCH, {"code": 40300, "message": "busy"}, status=429, headers={"retry-after": "3"})
    assert caught.value.retry_after == 3.0


@pytest.mark.parametrize(
    ("headers", "payload", "expected"),
    [
        ({"x-request-id": "a"}, None, "a"),
        ({"request-id": "b"}, None, "b"),
        ({"x-trace-id": "c"}, None, "c"),
        ({}, {"request_id": "d"}, "d"),
        ({}, {"trace_id": "e"}, "e"),
        ({}, {"code": 0}, None),
    ],
)
def test_request_id_sources(headers: dict[str, str], payload: object, expected: str | None) -> None:
    assert request_id_of(headers, payload) == expected


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b'{"code":0,"data":' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply"),
        (b'{"code":"\xc2\xb9"}', "not a MemOS envelope"),  # a superscript digit
        (b'{"code":"' + b"1" * 4400 + b'"}', "not a MemOS envelope"),
        (b'{"code":' + b"1" * 5000 + b"}", "not JSON"),  # over Python's int digit limit
        (b'{"code":"\xd9\xa3"}', "not a MemOS envelope"),  # an Arabic-Indic digit
        (b"\xff\xfe\x00junk", "not JSON"),
    ],
)
def test_odd_answers_are_unexpected_responses(body: bytes, what: str) -> None:
    with pytest.raises(UnexpectedResponseError, match=what):
        run(SEARCH, body)


@pytest.mark.parametrize(
    ("code", "expected"), [("0", {"x": 1}), (0.0, {"x": 1}), (" 0 ", {"x": 1})]
)
def test_lenient_success_codes(code: object, expected: object) -> None:
    assert run(SEARCH, {"code": code, "data": {"x": 1}}) == expected


def test_a_deep_error_body_is_cut_so_the_error_prints_and_pickles() -> None:
    import pickle

    deep = b'{"code":40010,"message":"bad","data":' + b"[" * 900 + b"]" * 900 + b"}"
    with pytest.raises(BadRequestError) as caught:
        run(SEARCH, deep, status=400)
    assert "<nested too deeply>" in repr(caught.value.body)
    pickle.loads(pickle.dumps(caught.value))


@pytest.mark.parametrize("message", [{"a": [1, 2]}, ["x"] * 1000, 42])
def test_a_message_that_is_not_text_is_shown_in_short(message: object) -> None:
    with pytest.raises(BadRequestError) as caught:
        run(SEARCH, {"code": 40010, "message": message})
    assert len(str(caught.value)) < 600


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_any_5xx_to_a_write_may_have_been_processed(status: int) -> None:
    with pytest.raises(ServerError) as caught:
        run(ADD, b"<html>bad gateway</html>", status=status)
    assert caught.value.may_have_been_processed
    assert "may or may not have been processed" in str(caught.value)
    with pytest.raises(ServerError) as read:
        run(SEARCH, b"<html>bad gateway</html>", status=status)
    assert not read.value.may_have_been_processed


@pytest.mark.parametrize("code", [50000, 50002, 50004, 50005, 50143, 50144, 50145])
def test_server_failure_codes_on_a_write_may_have_been_processed(code: int) -> None:
    with pytest.raises(APIError) as caught:
        run(ADD, {"code": code, "message": "boom"})
    assert caught.value.may_have_been_processed


@pytest.mark.parametrize("code", [50103, 50104, 50105, 50107, 50120, 50123, 50131, 40010])
def test_rejections_on_a_write_were_not_processed(code: int) -> None:
    with pytest.raises(APIError) as caught:
        run(ADD, {"code": code, "message": "no"})
    assert not caught.value.may_have_been_processed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([(b"X-Request-Id", b"r1")], "r1"),
        ([(b"x-request-id", b"r1"), (b"x-request-id", b"r2")], "r1, r2"),  # as httpx joins
        ([(b"x-request-id", "ré-1".encode())], "ré-1"),
        ([(b"x-request-id", b"r\xe9")], "r\xe9"),  # not UTF-8: read as latin-1
        ([(b"trace-id", b"t1"), (b"request-id", b"q1")], "q1"),  # the preferred name wins
        ([(b"x-request-id", b"")], None),
        ([(b"x-request-id", b""), (b"request-id", b"q2")], "q2"),  # an empty one is passed
        ([(b"x-request-id", b""), (b"request-id", b"")], None),
        ([(b"x-request-id", b"r" * 5000)], "r" * SNIPPET_LENGTH),  # one long id, cut
        ([], None),
    ],
)
def test_request_id_from_raw_headers(raw: list[tuple[bytes, bytes]], expected: str | None) -> None:
    from memos_client._core._envelope import request_id_of_raw

    assert request_id_of_raw(raw) == expected
