"""Reads retry transient failures; writes retry only when provably unprocessed."""

from __future__ import annotations

import httpx
import pytest
import respx

from memos_client import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncMemOS,
    AuthenticationError,
    BadRequestError,
    RateLimitError,
    ServerError,
)
from tests._async.conftest import VirtualTime
from tests.helpers import MESSAGES, accepted, business_error, ok

SEARCH_OK = ok({"memory_detail_list": []})


@pytest.mark.anyio
async def test_read_retries_5xx_with_backoff(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    route = router.post("/search/memory").mock(
        side_effect=[httpx.Response(503), httpx.Response(502), SEARCH_OK]
    )
    await client.search("q", user_id="u1")
    assert route.call_count == 3
    assert vtime.sleeps == [0.4375, 0.875]  # 0.5 s and 1 s, less jitter at its midpoint


@pytest.mark.anyio
@pytest.mark.parametrize("code", [40300, 40309, 50000, 50004, 50005])
async def test_read_retries_transient_business_codes(
    client: AsyncMemOS, router: respx.MockRouter, code: int
) -> None:
    route = router.post("/search/memory").mock(side_effect=[business_error(code), SEARCH_OK])
    await client.search("q", user_id="u1")
    assert route.call_count == 2


@pytest.mark.anyio
async def test_read_gives_up_after_max_retries(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    route = router.post("/search/memory").mock(return_value=business_error(50005, "search down"))
    with pytest.raises(ServerError, match=r"\[50005\] search down"):
        await client.search("q", user_id="u1")
    assert route.call_count == 3
    assert len(vtime.sleeps) == 2


@pytest.mark.anyio
async def test_read_retries_connection_errors_and_timeouts(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/search/memory").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.ReadTimeout("late"), SEARCH_OK]
    )
    await client.search("q", user_id="u1")
    assert route.call_count == 3


@pytest.mark.anyio
async def test_retry_after_is_honoured(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    limited = httpx.Response(
        429, json={"code": 40300, "message": "slow"}, headers={"Retry-After": "7"}
    )
    router.post("/search/memory").mock(side_effect=[limited, SEARCH_OK])
    await client.search("q", user_id="u1")
    assert vtime.sleeps == [7.0]


@pytest.mark.anyio
async def test_retry_after_beyond_a_minute_is_surfaced_not_slept(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    limited = httpx.Response(
        429, json={"code": 40300, "message": "slow"}, headers={"Retry-After": "600"}
    )
    route = router.post("/search/memory").mock(return_value=limited)
    with pytest.raises(RateLimitError) as caught:
        await client.search("q", user_id="u1")
    assert caught.value.retry_after == 600.0
    assert route.call_count == 1 and vtime.sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("response", "error"),
    [
        (business_error(40010, "user_id too long"), BadRequestError),
        (business_error(40132, "bad key"), AuthenticationError),
        (httpx.Response(401, json={"detail": "no"}), AuthenticationError),
        (business_error(40304, "quota"), Exception),
        (business_error(50131, "no task"), Exception),
    ],
)
async def test_fatal_errors_are_never_retried(
    client: AsyncMemOS, router: respx.MockRouter, response: httpx.Response, error: type
) -> None:
    route = router.post("/search/memory").mock(return_value=response)
    with pytest.raises(error):
        await client.search("q", user_id="u1")
    assert route.call_count == 1


@pytest.mark.anyio
@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("late"), httpx.RemoteProtocolError("closed"), httpx.ReadError("reset")],
)
async def test_write_is_not_resent_when_it_may_have_been_processed(
    client: AsyncMemOS, router: respx.MockRouter, exc: Exception
) -> None:
    route = router.post("/add/message").mock(side_effect=[exc, accepted()])
    with pytest.raises(APIConnectionError) as caught:
        await client.add(MESSAGES, user_id="u1", conversation_id="c1")
    error = caught.value
    assert route.call_count == 1
    assert error.may_have_been_processed is True
    assert "may or may not have been processed" in str(error)
    assert "client.search" in str(error) and "get_status" in str(error)


@pytest.mark.anyio
async def test_write_read_timeout_is_also_a_timeout_error(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(side_effect=httpx.ReadTimeout("late"))
    with pytest.raises(TimeoutError) as caught:
        await client.add(MESSAGES, user_id="u1")
    assert isinstance(caught.value, APITimeoutError)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "first",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.PoolTimeout("busy"),
        httpx.Response(429, json={"code": 40300, "message": "slow"}),
        business_error(40300, "rate"),
        business_error(40309, "tokens"),
    ],
)
async def test_write_retries_when_provably_unprocessed(
    client: AsyncMemOS, router: respx.MockRouter, first: httpx.Response | Exception
) -> None:
    route = router.post("/add/message").mock(side_effect=[first, accepted("t2")])
    task = await client.add(MESSAGES, user_id="u1")
    assert route.call_count == 2 and task.id == "t2"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503),
        httpx.Response(502, text="<html>Bad Gateway</html>"),
        httpx.Response(504, json={"code": 40300, "message": "slow down"}),
        business_error(50000),
        business_error(50144),
    ],
)
async def test_write_is_not_retried_on_server_errors_and_may_have_landed(
    client: AsyncMemOS, router: respx.MockRouter, response: httpx.Response
) -> None:
    route = router.post("/add/message").mock(side_effect=[response, accepted()])
    with pytest.raises(APIError) as caught:
        await client.add(MESSAGES, user_id="u1")
    assert route.call_count == 1
    assert caught.value.may_have_been_processed
    assert "search for it (client.search)" in str(caught.value)


@pytest.mark.anyio
async def test_max_retries_zero_sends_once(router: respx.MockRouter, client: AsyncMemOS) -> None:
    route = router.post("/search/memory").mock(return_value=httpx.Response(503))
    with pytest.raises(ServerError):
        await client.with_options(max_retries=0).search("q", user_id="u1")
    assert route.call_count == 1


@pytest.mark.anyio
async def test_with_options_raises_the_retry_budget(
    router: respx.MockRouter, client: AsyncMemOS, vtime: VirtualTime
) -> None:
    route = router.post("/search/memory").mock(return_value=httpx.Response(503))
    with pytest.raises(ServerError):
        await client.with_options(max_retries=4).search("q", user_id="u1")
    assert route.call_count == 5
    assert vtime.sleeps == [0.4375, 0.875, 1.75, 3.5]


@pytest.mark.anyio
async def test_retry_after_on_a_server_error_is_honoured(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    busy = httpx.Response(503, headers={"Retry-After": "3"})
    router.post("/search/memory").mock(side_effect=[busy, SEARCH_OK])
    await client.search("q", user_id="u1")
    assert vtime.sleeps == [3.0]


@pytest.mark.anyio
async def test_a_gateway_429_with_any_body_lets_a_write_retry(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    limited = httpx.Response(429, json={"code": 40000, "message": "slow down"})
    route = router.post("/add/message").mock(side_effect=[limited, accepted("t2")])
    assert (await client.add(MESSAGES, user_id="u1")).id == "t2"
    assert route.call_count == 2
