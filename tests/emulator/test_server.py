"""The fake over real loopback HTTP (`fake.serve()`), driven by a plain httpx client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import AUTH

ADD = {
    "user_id": "u1",
    "conversation_id": "c1",
    "messages": [{"role": "user", "content": "I love sailing on Lake Geneva"}],
}


@pytest.fixture
def served(fake: FakeMemOS[ManualClock]) -> Iterator[httpx.Client]:
    with fake.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as http:
        yield http


def test_serve_yields_a_loopback_base_url(fake: FakeMemOS[ManualClock]) -> None:
    with fake.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api/openmem/v1")
        assert int(base_url.split(":")[2].split("/")[0]) > 0


def test_round_trip_over_http(fake: FakeMemOS[ManualClock], served: httpx.Client) -> None:
    added = served.post("/add/message", json=ADD)
    assert added.status_code == 200
    assert added.headers["content-type"] == "application/json"
    assert added.headers["x-request-id"] == fake.requests[-1].request_id
    task_id = added.json()["data"]["task_id"]
    found = served.post("/search/memory", json={"user_id": "u1", "query": "sailing Geneva"})
    assert found.json()["data"]["memory_detail_list"][0]["memory_type"] == "WorkingMemory"
    fake.clock.advance(1)
    status = served.post("/get/status", json={"task_id": task_id}).json()["data"]
    assert status["status"] == "completed"
    assert served.post("/nowhere", json={}).status_code == 404
    assert served.get("/search/memory").status_code == 405


def test_latency_over_http_is_real_time_on_a_real_clock() -> None:
    fake = FakeMemOS()
    fake.inject(Fault.latency(0.5), endpoint="search/memory", times=1)
    with fake.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.post("/search/memory", json={"user_id": "u", "query": "q"}, timeout=0.05)
        started = time.monotonic()
        assert http.post("/search/memory", json={"user_id": "u", "query": "q"}).status_code == 200
        assert time.monotonic() - started < 0.5  # the fault was used up


@pytest.mark.parametrize(
    ("fault", "status", "marker"),
    [
        (Fault.server_error(503), 503, b'"code":50000'),
        (Fault.server_error(500, envelope=False), 500, b"Internal Server Error"),
        (Fault.gateway_html(), 502, b"Bad Gateway</h1>"),
    ],
)
def test_error_pages_over_http(
    fake: FakeMemOS[ManualClock], served: httpx.Client, fault: Fault, status: int, marker: bytes
) -> None:
    fake.inject(fault, endpoint="add/message", times=1)
    response = served.post("/add/message", json=ADD)
    assert response.status_code == status
    assert marker in response.content
    assert fake.stats.messages_stored == 0


def test_rate_limit_over_http(fake: FakeMemOS[ManualClock], served: httpx.Client) -> None:
    fake.inject(Fault.rate_limit(retry_after=2), endpoint="search/memory", times=1)
    response = served.post("/search/memory", json={"user_id": "u1", "query": "x"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["code"] == 40300


def test_drop_before_processing_over_http(
    fake: FakeMemOS[ManualClock], served: httpx.Client
) -> None:
    fake.inject(Fault.drop_before_processing(), endpoint="add/message", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        served.post("/add/message", json=ADD)
    assert (fake.stats.messages_stored, fake.stats.tasks_created) == (0, 0)
    assert served.post("/add/message", json=ADD).status_code == 200
    assert fake.stats.tasks_created == 1


def test_drop_after_processing_over_http_stores_one_copy(
    fake: FakeMemOS[ManualClock], served: httpx.Client
) -> None:
    fake.inject(Fault.drop_after_processing(), endpoint="add/message", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        served.post("/add/message", json=ADD)
    stats = fake.stats
    assert (stats.received["add/message"], stats.answered["add/message"]) == (1, 0)
    assert (stats.messages_stored, stats.memories_stored, stats.tasks_created) == (1, 1, 1)
    found = served.post("/search/memory", json={"user_id": "u1", "query": "sailing"}).json()
    assert len(found["data"]["memory_detail_list"]) == 1


def test_accepted_empty_over_http(fake: FakeMemOS[ManualClock], served: httpx.Client) -> None:
    fake.inject(Fault.accepted_empty(), times=1)
    response = served.post("/add/message", json=ADD)
    assert (response.status_code, response.content) == (202, b"")
    assert response.headers["content-length"] == "0"
    assert fake.stats.tasks_created == 1


def test_start_and_stop_without_with(fake: FakeMemOS[ManualClock]) -> None:
    server = fake.serve()
    url = server.start()
    assert repr(server) == f"FakeServer({url})"
    with pytest.raises(RuntimeError, match="already running"):
        server.start()
    with httpx.Client(base_url=url, headers=AUTH) as http:
        assert http.post("/get/status", json={"task_id": "t"}).json()["code"] == 50131
        server.stop()
        server.stop()  # idempotent
        with pytest.raises(httpx.TransportError):
            http.post("/get/status", json={"task_id": "t"})
    assert repr(server) == "FakeServer(stopped)"
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


def test_concurrent_requests_are_each_stored_once(
    fake: FakeMemOS[ManualClock], served: httpx.Client
) -> None:
    """The threaded server and the fake's lock: parallel adds neither collide nor vanish."""

    def add(index: int) -> str:
        body = {**ADD, "conversation_id": f"c{index}"}
        return str(served.post("/add/message", json=body).json()["data"]["task_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        task_ids = list(pool.map(add, range(24)))
    assert len(set(task_ids)) == 24
    stats = fake.stats
    assert (stats.received["add/message"], stats.answered["add/message"]) == (24, 24)
    assert (stats.messages_stored, stats.memories_stored, stats.tasks_created) == (24, 24, 24)
