"""Fault injection through the in-process transport, and the accounting that proves effects."""

from __future__ import annotations

import time

import httpx
import pytest

from memos_client.testing import FAKE_BASE_URL, FakeMemOS, Fault, ManualClock

from .helpers import AUTH, add, call, ok, search

TURN = [{"role": "user", "content": "I love climbing in Yosemite"}]
ADD = {"user_id": "u1", "conversation_id": "c1", "messages": TURN}


def test_latency_advances_a_manual_clock(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.latency(2.5), endpoint="get/status")
    before = fake.clock.now()
    assert call(http, "get/status", {"task_id": "x"})["code"] == 50131
    assert fake.clock.now() - before == 2.5
    call(http, "search/memory", {"user_id": "u1", "query": "x"})
    assert fake.clock.now() - before == 2.5
    assert fake.requests[0].faults == ("latency",)


def test_latency_really_sleeps_on_the_real_clock() -> None:
    fake = FakeMemOS()
    fake.inject(Fault.latency(0.05), times=1)
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH) as http:
        started = time.monotonic()
        assert call(http, "get/status", {"task_id": "x"})["code"] == 50131
        assert time.monotonic() - started >= 0.05


@pytest.mark.anyio
async def test_latency_awaits_on_the_async_transport() -> None:
    fake = FakeMemOS()
    fake.inject(Fault.latency(0.05), times=1)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH
    ) as http:
        started = time.monotonic()
        response = await http.post("/get/status", json={"task_id": "x"})
        assert time.monotonic() - started >= 0.05
    assert response.json()["code"] == 50131


@pytest.mark.parametrize(
    ("fault", "status", "content_type", "body_part"),
    [
        (Fault.server_error(), 500, "application/json", b'"code":50000'),
        (
            Fault.server_error(503, code=50004, message="busy"),
            503,
            "application/json",
            b'"message":"busy"',
        ),
        (Fault.server_error(502, envelope=False), 502, "text/plain; charset=utf-8", b"Bad Gateway"),
        (Fault.gateway_html(), 502, "text/html", b"<center><h1>502 Bad Gateway</h1></center>"),
        (Fault.gateway_html(504), 504, "text/html", b"504 Gateway Timeout"),
    ],
)
def test_error_pages_answer_without_processing(
    fake: FakeMemOS[ManualClock],
    http: httpx.Client,
    fault: Fault,
    status: int,
    content_type: str,
    body_part: bytes,
) -> None:
    fake.inject(fault, endpoint="add/message", times=1)
    response = http.post("/add/message", json=ADD)
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert body_part in response.content
    assert fake.stats.messages_stored == 0
    assert fake.stats.tasks_created == 0
    assert http.post("/add/message", json=ADD).json()["code"] == 0
    assert fake.stats.tasks_created == 1


@pytest.mark.parametrize(("retry_after", "header"), [(1.0, "1"), (0.25, "0.25"), (None, None)])
def test_rate_limit_is_429_with_retry_after_and_code_40300(
    fake: FakeMemOS[ManualClock], http: httpx.Client, retry_after: float | None, header: str | None
) -> None:
    fake.inject(Fault.rate_limit(retry_after=retry_after), endpoint="search/memory", times=2)
    for _ in range(2):
        response = http.post("/search/memory", json={"user_id": "u1", "query": "x"})
        assert response.status_code == 429
        assert response.headers.get("retry-after") == header
        assert response.json()["code"] == 40300
        assert response.json()["data"] is None
    assert http.post("/search/memory", json={"user_id": "u1", "query": "x"}).status_code == 200


def test_business_error_in_http_200(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.business_error(40309, "token quota exceeded"), times=1)
    response = http.post("/add/message", json=ADD)
    assert response.status_code == 200
    assert response.json() == {"code": 40309, "data": None, "message": "token quota exceeded"}
    assert fake.stats.messages_stored == 0


def test_drop_before_processing_raises_connect_error_and_stores_nothing(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.drop_before_processing(), endpoint="add/message", times=1)
    with pytest.raises(httpx.ConnectError, match="before the request was processed"):
        http.post("/add/message", json=ADD)
    stats = fake.stats
    assert (stats.received["add/message"], stats.answered["add/message"]) == (1, 0)
    assert (stats.messages_stored, stats.memories_stored, stats.tasks_created) == (0, 0, 0)
    logged = fake.requests[-1]
    assert (logged.status, logged.fault, logged.body) == (None, "drop_before_processing", ADD)


@pytest.mark.parametrize(
    ("error", "exception"),
    [("timeout", httpx.ReadTimeout), ("disconnect", httpx.RemoteProtocolError)],
)
def test_drop_after_processing_stores_exactly_one_copy(
    fake: FakeMemOS[ManualClock],
    http: httpx.Client,
    error: str,
    exception: type[Exception],
) -> None:
    fault = Fault.drop_after_processing("timeout" if error == "timeout" else "disconnect")
    fake.inject(fault, endpoint="add/message", times=1)
    with pytest.raises(exception, match="after the request was processed"):
        http.post("/add/message", json=ADD)
    stats = fake.stats
    assert (stats.received["add/message"], stats.answered["add/message"]) == (1, 0)
    assert (stats.messages_stored, stats.memories_stored, stats.tasks_created) == (1, 1, 1)
    [task_id] = fake.tasks
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task_id})["status"] == "completed"
    assert [m.memory_value for m in fake.memories()] == ["The user loves climbing in Yosemite."]


def test_accepted_empty_answers_202_and_still_processes(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.accepted_empty(), times=1)
    response = http.post("/add/message", json=ADD)
    assert (response.status_code, response.content) == (202, b"")
    assert fake.requests[-1].status == 202
    [task] = fake.tasks.values()
    assert task.status == "running"
    assert search(http, "climbing Yosemite")["memory_detail_list"][0]["memory_type"] == (
        "WorkingMemory"
    )
    fake.clock.advance(1)
    assert fake.tasks[task.id].status == "completed"


def test_accepted_empty_leaves_validation_errors_alone(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.accepted_empty())
    assert call(http, "add/message", {"user_id": "u1", "messages": []})["code"] == 40003
    assert fake.requests[-1].faults == ()


def test_legacy_status_shape(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    task_id = add(http, TURN)["task_id"]
    fake.inject(Fault.legacy_status_shape())
    assert ok(http, "get/status", {"task_id": task_id}) == [{"status": "running"}]
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task_id}) == [{"status": "completed"}]


def test_a_failing_task_ends_failed_and_keeps_its_rough_pass(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.task_fails(), times=1)
    task_id = add(http, TURN)["task_id"]
    assert ok(http, "get/status", {"task_id": task_id})["status"] == "running"
    fake.clock.advance(1)
    assert ok(http, "get/status", {"task_id": task_id}) == {"task_id": task_id, "status": "failed"}
    assert [m.memory_type for m in fake.memories()] == ["WorkingMemory"]


def test_a_failing_task_in_sync_mode_answers_failed(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.task_fails(), times=1)
    data = add(http, TURN, async_mode=False)
    assert (data["success"], data["status"]) == (False, "failed")


def test_a_stuck_task_never_finishes(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.task_never_finishes(), times=1)
    stuck = add(http, TURN)["task_id"]
    fine = add(http, TURN, conversation_id="c2")["task_id"]
    fake.clock.advance(10_000)
    assert ok(http, "get/status", {"task_id": stuck})["status"] == "running"
    assert ok(http, "get/status", {"task_id": fine})["status"] == "completed"


def test_faults_are_scoped_to_their_endpoint(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.inject(Fault.server_error(), endpoint="search/memory")
    assert http.post("/add/message", json=ADD).status_code == 200
    assert http.post("/search/memory", json={"user_id": "u1", "query": "x"}).status_code == 500


def test_times_uses_a_rule_up_and_hits_count_it(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    rule = fake.inject(Fault.server_error(), times=2)
    statuses = [http.post("/get/status", json={"task_id": "t"}).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert (rule.hits, rule.remaining, rule.active) == (2, 0, False)
    assert fake.faults == []


def test_the_first_outcome_rule_wins_and_later_ones_are_not_used_up(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    first = fake.inject(Fault.gateway_html(), times=1)
    second = fake.inject(Fault.server_error(503), times=1)
    latency = fake.inject(Fault.latency(1.0))
    assert http.post("/get/status", json={"task_id": "t"}).status_code == 502
    assert (first.hits, second.hits, latency.hits) == (1, 0, 1)
    assert http.post("/get/status", json={"task_id": "t"}).status_code == 503
    assert fake.requests[0].faults == ("gateway_html", "latency")
    assert fake.clock.now() == 2.0


def _statuses(seed: int, probability: float) -> list[int]:
    fake = FakeMemOS(clock=ManualClock(), seed=seed)
    fake.inject(Fault.server_error(), probability=probability)
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH) as http:
        return [http.post("/get/status", json={"task_id": "t"}).status_code for _ in range(60)]


def test_probability_draws_are_seeded_and_reproducible() -> None:
    first = _statuses(seed=3, probability=0.3)
    assert first == _statuses(seed=3, probability=0.3)
    assert 5 < first.count(500) < 35
    assert first != _statuses(seed=4, probability=0.3)
    assert set(_statuses(seed=3, probability=0.0)) == {200}
    assert set(_statuses(seed=3, probability=1.0)) == {500}


def test_clear_faults(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.server_error())
    fake.clear_faults()
    assert fake.faults == []
    assert http.post("/get/status", json={"task_id": "t"}).status_code == 200


@pytest.mark.parametrize(
    ("fault", "kwargs", "message"),
    [
        (Fault.server_error(), {"endpoint": "nope/nope"}, "unknown endpoint"),
        (Fault.accepted_empty(), {"endpoint": "search/memory"}, "applies only to add/message"),
        (Fault.legacy_status_shape(), {"endpoint": "add/message"}, "only to get/status"),
        (Fault.server_error(), {"times": 0}, "times"),
        (Fault.server_error(), {"probability": 1.5}, "probability"),
    ],
)
def test_inject_refuses_nonsense(
    fake: FakeMemOS[ManualClock], fault: Fault, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fake.inject(fault, **kwargs)  # type: ignore[arg-type]


def test_negative_latency_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Fault.latency(-1)


def test_kind_specific_faults_skip_other_endpoints(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    rule = fake.inject(Fault.accepted_empty(), times=1)
    assert http.post("/get/status", json={"task_id": "t"}).status_code == 200
    assert rule.hits == 0
    assert http.post("/add/message", json=ADD).status_code == 202


@pytest.mark.anyio
async def test_async_transport_raises_the_same_drop_errors(
    fake: FakeMemOS[ManualClock], ahttp: httpx.AsyncClient
) -> None:
    fake.inject(Fault.drop_before_processing(), times=1)
    fake.inject(Fault.drop_after_processing(), times=1)
    with pytest.raises(httpx.ConnectError):
        await ahttp.post("/add/message", json=ADD)
    assert fake.stats.messages_stored == 0
    with pytest.raises(httpx.ReadTimeout):
        await ahttp.post("/add/message", json=ADD)
    assert fake.stats.messages_stored == 1
    response = await ahttp.post("/add/message", json=ADD)
    assert response.json()["data"]["status"] == "running"
    assert fake.stats.tasks_created == 2


def test_counters_and_reset(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.server_error())
    fake.clear_faults()
    add(http, TURN, async_mode=False)
    http.post("/nowhere", json={})
    stats = fake.stats
    assert stats.received == {"add/message": 1, "nowhere": 1}
    assert stats.answered == {"add/message": 1, "nowhere": 1}
    assert (stats.messages_stored, stats.memories_stored, stats.preferences_stored) == (1, 1, 1)
    fake.inject(Fault.server_error())
    fake.reset()
    assert fake.faults == []
    assert fake.requests == []
    assert fake.stats == type(stats)()
    assert fake.memories() == [] and fake.tasks == {}


class _CountingClock:
    """A clock of the user's own: neither real nor manual."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def now(self) -> float:
        return 0.0

    def wall(self) -> float:
        return 1_765_359_840.0

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_latency_on_a_custom_clock_goes_through_its_sleep() -> None:
    fake = FakeMemOS(clock=_CountingClock())
    fake.inject(Fault.latency(0.5))
    transport = fake.transport()
    with httpx.Client(transport=transport, base_url=FAKE_BASE_URL, headers=AUTH) as http:
        http.post("/get/status", json={"task_id": "t"})
    assert fake.clock.slept == [0.5]
    assert repr(transport).startswith("FakeTransport(FakeMemOS(keys=any, refine_delay=1.0")


@pytest.mark.anyio
async def test_async_latency_on_a_custom_clock_goes_through_its_sleep() -> None:
    fake = FakeMemOS(clock=_CountingClock())
    fake.inject(Fault.latency(0.5))
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH
    ) as http:
        await http.post("/get/status", json={"task_id": "t"})
    assert fake.clock.slept == [0.5]


def test_rules_describe_themselves(fake: FakeMemOS[ManualClock]) -> None:
    rule = fake.inject(Fault.rate_limit(), endpoint="search/memory", times=3)
    assert repr(rule) == "FaultRule(rate_limit, endpoint='search/memory', remaining=3, hits=0)"
    assert repr(fake.inject(Fault.latency(1))) == (
        "FaultRule(latency, endpoint='*', remaining=unlimited, hits=0)"
    )
    assert fake.faults == [rule, fake.faults[1]]
