"""Construction does no I/O; pools are owned or borrowed, shared by copies, fork-safe."""

from __future__ import annotations

import ssl

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, ConfigurationError, DefaultAsyncHttpxClient, UsageError
from memos_client._compat import asleep
from tests.helpers import API_KEY, BASE_URL, accepted, body_of, ok, status


@pytest.mark.anyio
async def test_construction_creates_no_connection_pool(router: respx.MockRouter) -> None:
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    assert memos._http._owned is None  # the CA bundle is not even read yet
    await memos.aclose()
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_context_manager_closes_the_pool(router: respx.MockRouter) -> None:
    router.post("/get/status").mock(return_value=status("running"))
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        await memos.get_status("t1")
        pool = memos._http._owned
        assert pool is not None and not pool.is_closed
    assert pool.is_closed
    with pytest.raises(UsageError, match="closed"):
        await memos.get_status("t1")


@pytest.mark.anyio
async def test_a_users_http_client_is_used_not_changed_nor_closed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return status("running")

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), headers={"X-Proxy": "p1"})
    before = (dict(http.headers), str(http.base_url), http.timeout)
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL, http_client=http)
    await memos.get_status("t1")
    await memos.aclose()
    assert seen[0].headers["x-proxy"] == "p1"  # the user's client's own headers apply
    assert body_of(seen[0]) == {"task_id": "t1"}
    assert (dict(http.headers), str(http.base_url), http.timeout) == before
    assert not http.is_closed
    await http.aclose()


@pytest.mark.anyio
async def test_the_sdk_timeout_applies_even_with_a_users_http_client(
    router: respx.MockRouter,
) -> None:
    http = httpx.AsyncClient()  # httpx's own default is 5 s
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL, http_client=http)
    assert memos.timeout == httpx.Timeout(60.0, connect=5.0)
    route = router.post("/search/memory").mock(return_value=ok({}))
    await memos.search("q", user_id="u1")
    sent = route.calls.last.request.extensions["timeout"]
    assert sent == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    patient = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL, http_client=http, timeout=120)
    assert patient.timeout.read == 120.0
    await http.aclose()


@pytest.mark.anyio
async def test_default_httpx_clients_carry_the_sdk_defaults() -> None:
    async with DefaultAsyncHttpxClient() as http:
        assert http.timeout == httpx.Timeout(60.0, connect=5.0)
        pool = http._transport._pool  # type: ignore[attr-defined]
        assert (pool._max_connections, pool._max_keepalive_connections) == (1000, 100)
    async with DefaultAsyncHttpxClient(timeout=3.0) as mine:
        assert mine.timeout == httpx.Timeout(3.0)


@pytest.mark.anyio
async def test_an_owned_pool_is_sized_for_concurrency(client: AsyncMemOS) -> None:
    pool = client._http.get()._transport._pool  # type: ignore[attr-defined]
    assert (pool._max_connections, pool._max_keepalive_connections) == (1000, 100)


def test_http_client_must_match_the_client_kind() -> None:
    with pytest.raises(ConfigurationError, match="http_client"):
        AsyncMemOS(api_key=API_KEY, http_client=object())  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_with_options_shares_the_pool_and_overrides_defaults(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/status").mock(return_value=status("running"))
    patient = client.with_options(timeout=120, max_retries=5)
    assert (patient.max_retries, patient.timeout.read, client.max_retries) == (5, 120.0, 2)
    assert patient._http is client._http
    assert patient._runtime is client._runtime
    await patient.get_status("t1")
    assert route.calls.last.request.extensions["timeout"]["read"] == 120.0
    await patient.aclose()  # a copy does not close the shared pool
    await client.get_status("t1")
    assert route.call_count == 2


@pytest.mark.anyio
async def test_a_forked_child_gets_a_fresh_pool(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(return_value=accepted())
    await client.add([{"role": "user", "content": "hi"}], user_id="u1")
    parent_pool = client._http._owned
    client._http._pid = -1  # what os.fork() looks like from the child
    await client.add([{"role": "user", "content": "hi"}], user_id="u1")
    assert client._http._owned is not parent_pool
    assert parent_pool is not None and not parent_pool.is_closed  # the parent's, left alone
    await parent_pool.aclose()


@pytest.mark.anyio
async def test_pools_share_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle costs ~20 ms; every pool the SDK makes reuses one context."""
    from memos_client import _tls

    built: list[object] = []
    real = httpx.create_ssl_context

    def counting() -> ssl.SSLContext:
        built.append(1)
        return real()

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    _tls.reset_tls_context()
    try:
        for _ in range(3):
            async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
                memos._http.get()
        assert len(built) == 1
    finally:
        _tls.reset_tls_context()


@pytest.mark.anyio
async def test_a_dropped_client_releases_its_pool_without_a_resource_warning() -> None:
    import gc
    import warnings
    import weakref

    from memos_client.testing import FakeMemOS

    with FakeMemOS().serve() as base_url, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        memos = AsyncMemOS(api_key="k", base_url=base_url)
        await memos.search("q", user_id="u1")  # leaves a kept-alive connection open
        pool = weakref.ref(memos._http.get())
        del memos
        for _ in range(5):
            gc.collect()
            await asleep(0)  # an async pool closes itself on its event loop
        gc.collect()
        assert pool() is None
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
