"""wait_all: many tasks, one deadline, bounded concurrency, results in input order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
import pytest
import respx

from memos_client import (
    AsyncMemOS,
    InvalidRequestError,
    MemOSError,
    NotFoundError,
    TaskFailedError,
    TaskTimeoutError,
)
from memos_client._async import _waiting
from memos_client._compat import agather as real_gather
from tests._async.conftest import VirtualTime
from tests.helpers import MESSAGES, accepted, body_of, business_error, status

PLAN = {"t1": ["completed"], "t2": ["running", "completed"], "t3": ["running"] * 3 + ["completed"]}


def scripted(plan: dict[str, list[str]]) -> Callable[[httpx.Request], httpx.Response]:
    """A get/status handler that walks each task through its own list of states."""
    polls: Counter[str] = Counter()

    def handler(request: httpx.Request) -> httpx.Response:
        task_id = body_of(request)["task_id"]
        states = plan[task_id]
        if states[0] == "missing":
            return business_error(50131, "task not found")
        state = states[min(polls[task_id], len(states) - 1)]
        polls[task_id] += 1
        return status(state, task_id)

    return handler


@pytest.mark.anyio
async def test_results_come_back_in_input_order(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/get/status").mock(side_effect=scripted(PLAN))
    results = await client.wait_all(["t3", "t1", client.task("t2")])
    assert [(r.task_id, r.status) for r in results] == [
        ("t3", "completed"),
        ("t1", "completed"),
        ("t2", "completed"),
    ]


@pytest.mark.anyio
async def test_at_most_concurrency_polls_in_flight(
    client: AsyncMemOS, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = {f"t{i}": ["running", "completed"] for i in range(7)}
    router.post("/get/status").mock(side_effect=scripted(plan))
    batches: list[int] = []

    async def recording(calls: Sequence[Callable[[], Awaitable[Any]]]) -> list[Any]:
        batches.append(len(calls))
        return await real_gather(calls)

    monkeypatch.setattr(_waiting, "agather", recording)
    results = await client.wait_all(list(plan), concurrency=3)
    assert len(results) == 7
    assert max(batches) == 3 and sum(batches) == 14  # two polls per task, three at a time


@pytest.mark.anyio
async def test_one_shared_deadline(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    router.post("/get/status").mock(side_effect=scripted({"a": ["running"], "b": ["running"]}))
    with pytest.raises(TaskTimeoutError, match="2 of 2 tasks did not complete"):
        await client.wait_all(["a", "b"], timeout=2.0)
    assert vtime.elapsed == 2.0


@pytest.mark.anyio
async def test_failures_raise_once_all_have_settled(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    plan = {"ok": ["running", "completed"], "bad": ["failed"], "worse": ["running", "failed"]}
    route = router.post("/get/status").mock(side_effect=scripted(plan))
    with pytest.raises(TaskFailedError) as caught:
        await client.wait_all(["ok", "bad", "worse"])
    assert "2 of 3 tasks did not complete (2 failed, 0 timed out, 0 other errors)" in str(
        caught.value
    )
    assert caught.value.task_id == "bad"
    assert route.call_count == 5  # every task, "ok" included, was polled to its end


@pytest.mark.anyio
async def test_return_exceptions_puts_each_error_in_its_place(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    plan = {"ok": ["completed"], "bad": ["failed"], "slow": ["running"], "gone": ["missing"]}
    router.post("/get/status").mock(side_effect=scripted(plan))
    results = await client.wait_all(list(plan), timeout=1.0, return_exceptions=True)
    kinds: list[type[Any]] = [type(r) for r in results]
    assert kinds[1:] == [TaskFailedError, TaskTimeoutError, NotFoundError]
    assert not isinstance(results[0], MemOSError) and results[0].status == "completed"


@pytest.mark.anyio
async def test_other_errors_surface_after_settling(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/get/status").mock(
        side_effect=scripted({"gone": ["missing"], "ok": ["completed"]})
    )
    with pytest.raises(NotFoundError):
        await client.wait_all(["gone", "ok"])


@pytest.mark.anyio
async def test_on_update_sees_every_task(client: AsyncMemOS, router: respx.MockRouter) -> None:
    router.post("/get/status").mock(side_effect=scripted(PLAN))
    seen: list[tuple[str | None, str | None]] = []
    await client.wait_all(list(PLAN), on_update=lambda s: seen.append((s.task_id, s.status)))
    assert sorted(seen) == sorted(
        [
            ("t1", "completed"),
            ("t2", "running"),
            ("t2", "completed"),
            ("t3", "running"),
            ("t3", "completed"),
        ]
    )


@pytest.mark.anyio
async def test_empty_list_returns_at_once(client: AsyncMemOS) -> None:
    assert await client.wait_all([]) == []


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [0, -1, 1.5])
async def test_bad_concurrency_is_refused(client: AsyncMemOS, concurrency: Any) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await client.wait_all(["t1"], concurrency=concurrency)


@pytest.mark.anyio
async def test_a_single_id_string_is_refused(client: AsyncMemOS, router: respx.MockRouter) -> None:
    with pytest.raises(ValueError, match="not a single string"):
        await client.wait_all("t1")
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_return_exceptions_can_be_a_plain_bool(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/get/status").mock(side_effect=scripted(PLAN))
    flag: bool = True
    results = await client.wait_all(["t1"], return_exceptions=flag)  # type-checks with a bool
    assert [getattr(r, "status", None) for r in results] == ["completed"]


def timed(vtime: VirtualTime, handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    """`handler`, noting the virtual time of each poll in `.times`."""
    times: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        times.append(vtime.now)
        return handler(request)

    record.times = times  # type: ignore[attr-defined]
    return record


@pytest.mark.anyio
async def test_poll_rate_caps_polls_per_second_across_the_wait(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    plan = {f"t{i}": ["running"] * 3 + ["completed"] for i in range(6)}
    handler = timed(vtime, scripted(plan))
    router.post("/get/status").mock(side_effect=handler)
    results = await client.wait_all(list(plan), poll_rate=2.0, concurrency=16)
    assert [r.status for r in results] == ["completed"] * 6
    times = handler.times
    assert len(times) == 24
    for start in times:  # any one second sees at most two polls start
        assert sum(start <= t < start + 1.0 for t in times) <= 2
    assert vtime.elapsed >= 11.0  # 24 polls, 2 a second: the last no sooner than 11 s in


@pytest.mark.anyio
async def test_under_a_poll_rate_the_deadline_still_rules(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    handler = timed(vtime, scripted({f"t{i}": ["running"] for i in range(5)}))
    router.post("/get/status").mock(side_effect=handler)
    results = await client.wait_all(
        [f"t{i}" for i in range(5)], poll_rate=1.0, timeout=2.5, return_exceptions=True
    )
    assert all(isinstance(r, TaskTimeoutError) for r in results)
    assert vtime.elapsed == 2.5
    # One a second (at 0, 1 and 2 s), and the final check at the deadline: one over the cap.
    assert handler.times == [1000.0, 1001.0, 1002.0, 1002.5]


@pytest.mark.anyio
@pytest.mark.parametrize("rate", [0, -1.0, float("nan"), "10", True])
async def test_a_bad_poll_rate_is_refused_before_any_poll(
    client: AsyncMemOS, router: respx.MockRouter, rate: Any
) -> None:
    with pytest.raises(InvalidRequestError, match="poll_rate") as caught:
        await client.wait_all(["t1"], poll_rate=rate)
    assert caught.value.field == "poll_rate"
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_the_client_keeps_what_it_learns_across_waits(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    router.post("/add/message").mock(return_value=accepted("t1"))
    router.post("/get/status").mock(side_effect=scripted({"t1": ["running", "completed"]}))
    tasks = [await client.add(MESSAGES, user_id="u1") for _ in range(3)]
    await client.wait_all(tasks)
    learned = _waiting.learned(client)
    assert learned["task"].samples == 3
    assert _waiting.learned(client) is learned
    assert "task" not in _waiting.learned(client.with_options(timeout=5))  # a copy starts afresh
