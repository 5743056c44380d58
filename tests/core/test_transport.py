"""httpx failures become SDK errors that name the cause and say if a write may have landed."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from memos_client import APIConnectionError, APITimeoutError
from memos_client._core._spec import RequestSpec
from memos_client._core._transport import connection_error, root_cause

READ = RequestSpec("POST", "search/memory", "read", {})
WRITE = RequestSpec("POST", "add/message", "write", {}, check_hint="search before re-sending")
URL = "https://memos.example/api/openmem/v1/add/message"


@pytest.mark.parametrize(
    ("exc", "cls", "processed"),
    [
        (httpx.ConnectError("refused"), APIConnectionError, False),
        (httpx.ConnectTimeout("slow"), APITimeoutError, False),
        (httpx.PoolTimeout("busy"), APITimeoutError, False),
        (httpx.ProxyError("denied"), APIConnectionError, False),
        (httpx.UnsupportedProtocol("ftp"), APIConnectionError, False),
        (httpx.ReadTimeout("late"), APITimeoutError, True),
        (httpx.WriteTimeout("late"), APITimeoutError, True),
        (httpx.ReadError("reset"), APIConnectionError, True),
        (httpx.WriteError("broken pipe"), APIConnectionError, True),
        (httpx.RemoteProtocolError("closed"), APIConnectionError, True),
        (httpx.DecodingError("gzip"), APIConnectionError, True),
    ],
)
def test_class_and_processed_flag(exc: httpx.RequestError, cls: type, processed: bool) -> None:
    error = connection_error(exc, WRITE, URL)
    assert type(error) is cls
    assert error.may_have_been_processed is processed
    assert (error.method, error.url) == ("POST", URL)


def test_timeout_errors_are_builtin_timeouts() -> None:
    assert isinstance(connection_error(httpx.ReadTimeout("x"), READ, URL), TimeoutError)


def test_unsure_write_says_it_was_not_retried_and_how_to_check() -> None:
    message = str(connection_error(httpx.ReadTimeout("x"), WRITE, URL))
    assert "may or may not have been processed" in message
    assert "not retried" in message
    assert "search before re-sending" in message


def test_unsent_write_is_a_plain_failure() -> None:
    message = str(connection_error(httpx.ConnectError("refused"), WRITE, URL))
    assert message.startswith(f"POST {URL} failed: could not connect")


def chained(outer: httpx.RequestError, inner: BaseException) -> httpx.RequestError:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise outer from exc
    except httpx.RequestError as exc:
        return exc


def test_tls_failure_names_the_ssl_reason() -> None:
    inner = ssl.SSLCertVerificationError(1, "certificate verify failed")
    inner.reason = "CERTIFICATE_VERIFY_FAILED"
    exc = chained(httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] verify failed"), inner)
    message = str(connection_error(exc, READ, URL))
    assert "ssl: CERTIFICATE_VERIFY_FAILED" in message


def test_dns_failure_is_named() -> None:
    exc = chained(httpx.ConnectError(""), socket.gaierror(-2, "Name or service not known"))
    message = str(connection_error(exc, READ, URL))
    assert "DNS lookup failed" in message and "Name or service not known" in message


def test_pool_timeout_explains_the_fix() -> None:
    assert "httpx.Limits" in str(connection_error(httpx.PoolTimeout(""), READ, URL))


def test_root_cause_is_the_innermost_exception() -> None:
    inner = OSError(111, "Connection refused")
    assert root_cause(chained(httpx.ConnectError("x"), inner)) is inner
    assert root_cause(httpx.ConnectError("x")) is None


def test_a_rejected_certificate_is_permanent() -> None:
    inner = ssl.SSLCertVerificationError(1, "certificate verify failed")
    error = connection_error(chained(httpx.ConnectError("[SSL] verify failed"), inner), READ, URL)
    assert error.permanent and error.__cause__ is inner


@pytest.mark.parametrize(
    ("exc", "permanent"),
    [
        (httpx.UnsupportedProtocol("ftp"), True),
        (httpx.LocalProtocolError("bad header"), True),
        (httpx.ConnectError("refused"), False),
        (httpx.ReadTimeout("late"), False),
    ],
)
def test_permanent_flag(exc: httpx.RequestError, permanent: bool) -> None:
    assert connection_error(exc, READ, URL).permanent is permanent
