"""The API key never appears in a repr, a log line, an error or a pickle."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest
import respx

from memos_client import (
    APIConnectionError,
    AsyncMemOS,
    ConfigurationError,
    InvalidRequestError,
    MemOSError,
    ServerError,
    UnexpectedResponseError,
)
from tests.helpers import API_KEY, BASE_URL, MESSAGES, accepted, ok

ECHO_PAGE = f"<html><h1>502 Bad Gateway</h1><pre>Authorization: Token {API_KEY}</pre></html>"


def assert_no_key(error: BaseException) -> None:
    for text in (str(error), repr(error), repr(vars(error))):
        assert API_KEY not in text
    assert API_KEY.encode() not in pickle.dumps(error)


@pytest.mark.anyio
async def test_client_repr_shows_the_url_not_the_key(client: AsyncMemOS) -> None:
    assert repr(client) == f"AsyncMemOS(base_url={BASE_URL!r})"
    assert API_KEY not in repr(vars(client))


@pytest.mark.anyio
async def test_clients_refuse_to_pickle(client: AsyncMemOS) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(client)


@pytest.mark.anyio
async def test_gateway_page_echoing_the_key_is_redacted(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/search/memory").mock(return_value=httpx.Response(502, text=ECHO_PAGE))
    with pytest.raises(ServerError) as caught:
        await client.with_options(max_retries=0).search("q", user_id="u1")
    assert_no_key(caught.value)
    assert "<redacted>" in str(caught.value.body)


@pytest.mark.anyio
async def test_html_200_echoing_the_key_is_redacted(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/search/memory").mock(return_value=httpx.Response(200, text=ECHO_PAGE))
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.search("q", user_id="u1")
    assert_no_key(caught.value)
    assert caught.value.__context__ is None


@pytest.mark.anyio
async def test_connection_errors_hold_no_request(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(side_effect=httpx.ReadTimeout("late"))
    with pytest.raises(APIConnectionError) as caught:
        await client.add(MESSAGES, user_id="u1")
    error = caught.value
    assert_no_key(error)
    assert error.__context__ is None
    assert not isinstance(error.__cause__, httpx.HTTPError)


@pytest.mark.anyio
async def test_debug_log_redacts_authorization(
    client: AsyncMemOS, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.post("/add/message").mock(return_value=accepted())
    with caplog.at_level(logging.DEBUG, logger="memos_client"):
        await client.add(MESSAGES, user_id="u1")
    assert (
        "request: POST" in caplog.text and "response: POST add/message -> HTTP 200" in caplog.text
    )
    assert "'authorization': '<redacted>'" in caplog.text.lower()
    assert API_KEY not in caplog.text


@pytest.mark.anyio
async def test_retry_log_lines_hold_no_key(
    client: AsyncMemOS, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.post("/search/memory").mock(side_effect=[httpx.Response(502, text=ECHO_PAGE), ok({})])
    with caplog.at_level(logging.INFO, logger="memos_client"):
        await client.search("q", user_id="u1")
    assert "retry 1 of 2" in caplog.text
    assert API_KEY not in caplog.text


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="allow_insecure_http"):
        AsyncMemOS(api_key=API_KEY, base_url="http://memos.example.com/api/openmem/v1")


def test_missing_key_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMOS_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="MEMOS_API_KEY") as caught:
        AsyncMemOS()
    assert isinstance(caught.value, MemOSError)


@pytest.mark.anyio
async def test_a_url_encoded_echo_of_the_key_is_redacted(router: respx.MockRouter) -> None:
    key = "sk-abc/def+ghi="
    page = "<html>Bad Gateway: token=sk-abc%2Fdef%2Bghi%3D</html>"
    router.post("/search/memory").mock(return_value=httpx.Response(502, text=page))
    async with AsyncMemOS(api_key=key, base_url=BASE_URL, max_retries=0) as memos:
        with pytest.raises(ServerError) as caught:
            await memos.search("q", user_id="u1")
    assert "sk-abc" not in str(caught.value) and "<redacted>" in str(caught.value.body)


@pytest.mark.anyio
async def test_extra_headers_that_cannot_be_sent_are_refused(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    with pytest.raises(InvalidRequestError, match="extra_headers"):
        await client.search("q", user_id="u1", extra_headers={"X-Note": "line\r\nInjected: 1"})
    assert router.calls.call_count == 0
