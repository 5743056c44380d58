"""Task handles: waiting with backoff and a deadline, failures, pickling, odd answers."""

from __future__ import annotations

import pickle

import httpx
import pytest
import respx

from memos_client import (
    APIConnectionError,
    AsyncMemOS,
    AsyncTask,
    AuthenticationError,
    NotFoundError,
    ServerError,
    TaskError,
    TaskFailedError,
    TaskTimeoutError,
    UsageError,
)
from memos_client.types import TaskStatus
from tests._async.conftest import VirtualTime, use_virtual_time
from tests.helpers import (
    API_KEY,
    BASE_URL,
    MESSAGES,
    accepted,
    body_of,
    business_error,
    ok,
    status,
)

COMPLETED = status(
    "completed", memory_views={"added": 2, "detail_factual": {"memory_ids": ["m1", "m2"]}}
)


async def added(client: AsyncMemOS, router: respx.MockRouter) -> AsyncTask:
    router.post("/add/message").mock(return_value=accepted("t1"))
    return await client.add(MESSAGES, user_id="u1", conversation_id="c1")


@pytest.mark.anyio
async def test_wait_checks_at_once_then_backs_off(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(
        side_effect=[status("running"), status("running"), COMPLETED]
    )
    final = await task.wait()
    assert route.call_count == 3
    assert vtime.sleeps == [0.25, 0.375]  # the first check happened before any sleep
    assert final.status == "completed" and task.done
    assert final.memory_views is not None and final.memory_views.memory_ids() == ["m1", "m2"]
    assert task.last_status == final


@pytest.mark.anyio
async def test_backoff_caps_at_five_seconds(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    router.post("/get/status").mock(side_effect=[status("running")] * 12 + [COMPLETED])
    await task.wait(timeout=None)
    assert max(vtime.sleeps) == 5.0
    assert vtime.sleeps[-3:] == [5.0, 5.0, 5.0]


@pytest.mark.anyio
async def test_deadline_raises_at_the_deadline_and_never_sleeps_past_it(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(return_value=status("running"))
    with pytest.raises(TaskTimeoutError) as caught:
        await task.wait(timeout=1.0)
    assert vtime.sleeps == [0.25, 0.375, 0.375]  # the last sleep is cut to the deadline
    assert vtime.elapsed == 1.0  # raised at the deadline, not before
    assert route.call_count == 4  # the last poll happens at the deadline
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert error.task_id == "t1" and error.waited == 1.0
    assert error.last_status is not None and error.last_status.status == "running"
    assert "not cancelled" in str(error)


@pytest.mark.anyio
async def test_zero_timeout_checks_once(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(return_value=status("running"))
    with pytest.raises(TaskTimeoutError):
        await task.wait(timeout=0)
    assert route.call_count == 1 and vtime.sleeps == []


@pytest.mark.anyio
async def test_failed_task_raises_task_failed_error(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    task = await added(client, router)
    router.post("/get/status").mock(return_value=status("failed", error="extraction crashed"))
    with pytest.raises(TaskFailedError) as caught:
        await task.wait()
    assert caught.value.task_id == "t1"
    assert caught.value.status is not None and caught.value.status.status == "failed"
    assert "extraction crashed" in str(caught.value)
    with pytest.raises(TaskFailedError):
        await task.wait()  # a final handle answers again without polling


@pytest.mark.anyio
async def test_unknown_status_keeps_the_wait_going(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(
        side_effect=[status("in_progress"), status("waiting"), status(None), COMPLETED]
    )
    assert (await task.wait()).status == "completed"
    assert route.call_count == 4


@pytest.mark.anyio
async def test_legacy_list_shaped_status_is_understood(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    task = await added(client, router)
    router.post("/get/status").mock(
        side_effect=[ok([{"status": "running"}]), ok([{"status": "completed"}])]
    )
    final = await task.wait()
    assert (final.task_id, final.status) == ("t1", "completed")


@pytest.mark.anyio
async def test_transient_poll_errors_are_ridden_out(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(
        side_effect=[
            httpx.Response(503),
            httpx.ReadTimeout("late"),
            business_error(50004, "memory service unavailable"),
            COMPLETED,
        ]
    )
    assert (await task.wait()).status == "completed"
    assert route.call_count == 4  # one request per poll: the wait loop is the retry


@pytest.mark.anyio
async def test_rate_limited_poll_sleeps_as_told(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    limited = httpx.Response(
        429, json={"code": 40300, "message": "slow"}, headers={"Retry-After": "4"}
    )
    router.post("/get/status").mock(side_effect=[limited, COMPLETED])
    await task.wait()
    assert vtime.sleeps == [4.0]


@pytest.mark.anyio
async def test_server_poll_hint_wins(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    hinted = ok({"task_id": "t1", "status": "running"}, **{"Retry-After": "2"})
    router.post("/get/status").mock(side_effect=[hinted, COMPLETED])
    await task.wait()
    assert vtime.sleeps == [2.0]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("response", "error"),
    [
        (business_error(50131, "task not found"), NotFoundError),
        (business_error(40132), AuthenticationError),
    ],
)
async def test_fatal_poll_errors_raise_at_once(
    client: AsyncMemOS,
    router: respx.MockRouter,
    vtime: VirtualTime,
    response: httpx.Response,
    error: type[Exception],
) -> None:
    task = await added(client, router)
    route = router.post("/get/status").mock(return_value=response)
    with pytest.raises(error):
        await task.wait()
    assert route.call_count == 1 and vtime.sleeps == []


@pytest.mark.anyio
async def test_on_update_sees_each_new_status(client: AsyncMemOS, router: respx.MockRouter) -> None:
    router.post("/get/status").mock(
        side_effect=[status("running"), status("running"), status("in_progress"), COMPLETED]
    )
    seen: list[str | None] = []
    await client.task("t1").wait(on_update=lambda s: seen.append(s.status))
    assert seen == ["running", "in_progress", "completed"]


@pytest.mark.anyio
async def test_sync_mode_task_needs_no_polling(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(return_value=accepted("t1", "completed"))
    route = router.post("/get/status").mock(return_value=status("running"))
    task = await client.add(MESSAGES, user_id="u1", async_mode=False)
    assert task.done
    assert (await task.wait()).status == "completed"
    assert route.call_count == 0


@pytest.mark.anyio
@pytest.mark.parametrize("response", [httpx.Response(202), httpx.Response(200, content=b"")])
async def test_empty_add_answer_gives_an_untrackable_handle(
    client: AsyncMemOS, router: respx.MockRouter, response: httpx.Response
) -> None:
    router.post("/add/message").mock(return_value=response)
    route = router.post("/get/status").mock(return_value=status("running"))
    task = await client.add(MESSAGES, user_id="u1")
    assert (task.id, task.status, task.trackable, task.done) == (None, None, False, False)
    assert "cannot be tracked" in repr(task) and "empty body" in repr(task)
    with pytest.raises(TaskError, match="cannot be tracked"):
        await task.wait()
    with pytest.raises(TaskError):
        await task.refresh()
    assert route.call_count == 0


@pytest.mark.anyio
async def test_add_answer_with_success_false_is_a_failed_task(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(return_value=ok({"success": False, "task_id": "t1"}))
    task = await client.add(MESSAGES, user_id="u1")
    assert task.status == "failed"
    with pytest.raises(TaskFailedError):
        await task.wait()


@pytest.mark.anyio
async def test_refresh_reads_once(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/get/status").mock(return_value=status("running"))
    task = client.task("t1")
    assert task.status is None
    reading = await task.refresh()
    assert reading.status == "running" and task.status == "running" and route.call_count == 1


@pytest.mark.anyio
async def test_handles_pickle_without_the_client(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    task = await added(client, router)
    copy = pickle.loads(pickle.dumps(task))
    assert (copy.id, copy.status) == ("t1", "running")
    assert b"sk-test" not in pickle.dumps(task)
    with pytest.raises(UsageError, match="re-bind it with client.task"):
        await copy.wait()
    router.post("/get/status").mock(return_value=COMPLETED)
    rebound = client.task(copy)
    assert (await rebound.wait()).status == "completed"
    finished = pickle.loads(pickle.dumps(rebound))
    assert (await finished.wait()).status == "completed"  # final: no client needed


@pytest.mark.anyio
async def test_untrackable_handle_pickles_with_its_reason(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(return_value=httpx.Response(202))
    task = pickle.loads(pickle.dumps(await client.add(MESSAGES, user_id="u1")))
    assert "empty body" in repr(task)


@pytest.mark.anyio
async def test_interrupt_propagates_and_leaves_the_client_usable(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    task = await added(client, router)
    router.post("/get/status").mock(return_value=status("running"))
    vtime.interrupt_after = 1
    with pytest.raises(KeyboardInterrupt):
        await task.wait()
    vtime.interrupt_after = None
    assert (await client.get_status("t1")).status == "running"


@pytest.mark.anyio
async def test_wait_rejects_a_bad_timeout_before_polling(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/status").mock(return_value=status("running"))
    with pytest.raises(ValueError, match="timeout"):
        await client.task("t1").wait(timeout=-1)
    assert route.call_count == 0


def test_task_status_model_is_public() -> None:
    assert TaskStatus(task_id="x", status="completed").done


@pytest.mark.anyio
async def test_a_rejected_certificate_ends_the_wait_at_once(vtime: VirtualTime) -> None:
    import ssl

    polls: list[httpx.Request] = []

    def reject(request: httpx.Request) -> httpx.Response:
        polls.append(request)
        try:
            raise ssl.SSLCertVerificationError(1, "certificate verify failed")
        except ssl.SSLError as exc:
            raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]", request=request) from exc

    http = httpx.AsyncClient(transport=httpx.MockTransport(reject))
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL, http_client=http) as memos:
        with pytest.raises(APIConnectionError) as caught:
            await use_virtual_time(memos, vtime).task("t1").wait()
    await http.aclose()
    assert caught.value.permanent and len(polls) == 1 and vtime.sleeps == []


@pytest.mark.anyio
async def test_a_wait_that_ends_on_failed_polls_says_so_and_keeps_the_cause(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/get/status").mock(side_effect=[status("running")] + [httpx.Response(503)] * 20)
    with pytest.raises(TaskTimeoutError) as caught:
        await client.task("t1").wait(timeout=3)
    message = str(caught.value)
    assert "is still running (its last poll failed:" in message and "HTTP 503" in message
    assert isinstance(caught.value.__cause__, ServerError)


@pytest.mark.anyio
async def test_a_zero_poll_hint_does_not_spin(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    hinted = ok({"task_id": "t1", "status": "running"}, **{"Retry-After": "0"})
    route = router.post("/get/status").mock(side_effect=[hinted, hinted, COMPLETED])
    await client.task("t1").wait()
    assert vtime.sleeps == [0.25, 0.25] and route.call_count == 3


@pytest.mark.anyio
async def test_a_client_learns_how_long_tasks_take_and_polls_around_that(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    finishes: dict[str, float] = {}  # every task is refined 2 s after it is added

    def add(request: httpx.Request) -> httpx.Response:
        task_id = f"t{len(finishes)}"
        finishes[task_id] = vtime.now + 2.0
        return accepted(task_id)

    def poll(request: httpx.Request) -> httpx.Response:
        task_id = body_of(request)["task_id"]
        return status("completed" if vtime.now >= finishes[task_id] else "running", task_id)

    router.post("/add/message").mock(side_effect=add)
    route = router.post("/get/status").mock(side_effect=poll)
    for _ in range(20):  # a fresh client: at once, then 0.25 s, x1.5, ...
        await (await client.add(MESSAGES, user_id="u1")).wait()
    assert route.call_count == 20 * 5  # 0, 0.25, 0.625, 1.19, 2.03 s
    task = await client.add(MESSAGES, user_id="u1")
    sleeps = len(vtime.sleeps)
    await task.wait()
    assert vtime.sleeps[sleeps] > 1.0  # no poll at once: it will not be done yet
    for _ in range(40):
        await (await client.add(MESSAGES, user_id="u1")).wait()
    before = route.call_count
    for _ in range(20):
        await (await client.add(MESSAGES, user_id="u1")).wait()
    assert route.call_count - before <= 20 * 2  # two polls a task, down from five


@pytest.mark.anyio
async def test_the_first_status_is_built_only_when_read(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/add/message").mock(return_value=accepted("t-lazy"))
    task = await client.add(MESSAGES, user_id="u1")
    assert task._pending is not None  # an add does not decode a status nobody reads
    assert task.status == "running" and not task.done
    assert task._pending is None
    reading = task.last_status
    assert isinstance(reading, TaskStatus) and reading.task_id == "t-lazy"
    again = pickle.loads(pickle.dumps(task))
    assert again.id == "t-lazy" and again.status == "running"


@pytest.mark.anyio
async def test_a_failed_write_is_failed_at_once_even_before_its_status_is_built(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    answer = {"code": 0, "data": {"task_id": "t-bad", "status": "running", "success": False}}
    router.post("/add/message").mock(return_value=httpx.Response(200, json=answer))
    task = await client.add(MESSAGES, user_id="u1")
    with pytest.raises(TaskFailedError):
        await task.wait()
