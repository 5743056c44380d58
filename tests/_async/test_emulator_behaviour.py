"""The SDK against the emulator: the core loop and its failure paths.

Every scenario runs twice: with the emulator in process (its httpx transport) and
over real loopback HTTP (its stdlib server). Time is the emulator's manual clock,
shared with the client, so waits and backoff take no real time.
"""

from __future__ import annotations

import pytest

from memos_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    TaskFailedError,
    TaskTimeoutError,
    UnexpectedResponseError,
)
from memos_client.testing import FakeMemOS, Fault, ManualClock
from memos_client.types import MessageParam
from tests._async.conftest import MODES, Env, connect

TRIP: list[MessageParam] = [
    {
        "role": "user",
        "content": "I've booked a trip to Guangzhou for the summer. I love spicy food.",
    },
    {"role": "assistant", "content": "Guangzhou has great spicy restaurants."},
]
QUERY = "Where is the user travelling this summer?"


@pytest.mark.anyio
async def test_an_add_is_searchable_at_once_as_working_memory(env: Env) -> None:
    task = await env.client.add(TRIP, user_id="u1", conversation_id="c1")
    assert task.status == "running" and not task.done
    hits = await env.client.search(QUERY, user_id="u1")
    assert [m.memory_type for m in hits.memories] == ["WorkingMemory"]
    assert hits.memories[0].tags == ["mode:fast"]
    assert "Guangzhou" in (hits.memories[0].memory_value or "")


@pytest.mark.anyio
async def test_wait_then_search_finds_refined_memories_and_preferences(env: Env) -> None:
    task = await env.client.add(TRIP, user_id="u1", conversation_id="c1")
    final = await task.wait()
    assert final.status == "completed" and task.done
    assert final.memory_views is not None and final.memory_views.added
    stored = {memory.id for memory in env.fake.memories(user_id="u1")}
    assert set(final.memory_views.memory_ids("detail_factual")) <= stored
    hits = await env.client.search(
        "Where is the user travelling, and what food do they love?",
        user_id="u1",
        relativity=0.3,
        include_memory_view=["detail_factual", "preference"],
    )
    assert hits.memories and all("mode:fine" in m.tags for m in hits.memories)
    assert [p.preference_type for p in hits.preferences] == ["explicit_preference"]


@pytest.mark.anyio
async def test_sync_mode_add_is_final_without_polling(env: Env) -> None:
    task = await env.client.add(TRIP, user_id="u1", async_mode=False)
    assert task.done and (await task.wait()).status == "completed"
    assert env.fake.stats.received["get/status"] == 0


@pytest.mark.anyio
async def test_wait_all_settles_many_adds_in_order(env: Env) -> None:
    tasks = [
        await env.client.add([{"role": "user", "content": f"My note {n}"}], user_id="u1")
        for n in range(4)
    ]
    statuses = await env.client.wait_all(tasks, concurrency=2)
    assert [s.task_id for s in statuses] == [t.id for t in tasks]
    assert {s.status for s in statuses} == {"completed"}


@pytest.mark.anyio
async def test_an_unknown_task_is_not_found(env: Env) -> None:
    with pytest.raises(NotFoundError) as caught:
        await env.client.get_status("no-such-task")
    assert caught.value.code == 50131


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_a_wrong_key_is_an_authentication_error(mode: str) -> None:
    fake = FakeMemOS(api_keys={"right-key"}, clock=ManualClock())
    async with connect(fake, mode, api_key="wrong-key") as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.search(QUERY, user_id="u1")
    assert caught.value.code == 40132


@pytest.mark.anyio
async def test_server_side_validation_comes_back_typed(env: Env) -> None:
    with pytest.raises(BadRequestError) as caught:
        await env.client.search(QUERY, user_id="u1", extra_body={"relativity": 3})
    assert caught.value.code == 40012


@pytest.mark.anyio
async def test_transient_server_errors_on_a_read_are_retried(env: Env) -> None:
    env.fake.inject(Fault.server_error(503), endpoint="search/memory", times=2)
    await env.client.search(QUERY, user_id="u1")
    assert env.fake.stats.received["search/memory"] == 3


@pytest.mark.anyio
async def test_a_gateway_page_on_a_read_is_retried(env: Env) -> None:
    env.fake.inject(Fault.gateway_html(502), endpoint="search/memory", times=1)
    await env.client.search(QUERY, user_id="u1")
    assert env.fake.stats.received["search/memory"] == 2


@pytest.mark.anyio
async def test_a_login_page_with_200_is_never_taken_for_success(env: Env) -> None:
    env.fake.inject(Fault.gateway_html(200), endpoint="add/message", times=1)
    with pytest.raises(UnexpectedResponseError):
        await env.client.add(TRIP, user_id="u1")


@pytest.mark.anyio
async def test_rate_limits_are_retried_after_the_servers_delay(env: Env) -> None:
    env.fake.inject(Fault.rate_limit(retry_after=2.0), endpoint="add/message", times=1)
    before = env.fake.clock.now()
    task = await env.client.add(TRIP, user_id="u1")
    assert task.id is not None
    assert env.fake.clock.now() - before == pytest.approx(2.0)
    assert env.fake.stats.tasks_created == 1


@pytest.mark.anyio
async def test_a_token_window_error_inside_http_200_is_retried(env: Env) -> None:
    env.fake.inject(Fault.business_error(40309, "token window"), endpoint="search/memory", times=1)
    await env.client.search(QUERY, user_id="u1")
    assert env.fake.stats.received["search/memory"] == 2


@pytest.mark.anyio
async def test_a_write_dropped_after_processing_is_reported_not_resent(env: Env) -> None:
    env.fake.inject(Fault.drop_after_processing(), endpoint="add/message", times=1)
    with pytest.raises(APIConnectionError) as caught:
        await env.client.add(TRIP, user_id="u1", conversation_id="c1")
    assert caught.value.may_have_been_processed
    assert env.fake.stats.received["add/message"] == 1
    assert env.fake.stats.tasks_created == 1  # stored exactly once, and the caller knows
    hits = await env.client.search(QUERY, user_id="u1")
    assert len(hits.memories) == 1  # the check the error message recommends


@pytest.mark.anyio
async def test_a_write_dropped_before_processing_is_never_lost_silently(env: Env) -> None:
    env.fake.inject(Fault.drop_before_processing(), endpoint="add/message", times=1)
    if env.mode == "in_process":
        task = await env.client.add(TRIP, user_id="u1")  # provably unsent: retried
        assert task.id is not None
        assert env.fake.stats.tasks_created == 1
    else:
        # Over a socket a drop cannot prove the request went unread: report, never resend.
        with pytest.raises(APIConnectionError) as caught:
            await env.client.add(TRIP, user_id="u1")
        assert caught.value.may_have_been_processed
        assert env.fake.stats.tasks_created == 0
    assert env.fake.stats.received["add/message"] <= 2


@pytest.mark.anyio
async def test_an_empty_202_gives_an_untrackable_task_and_the_memory_still_lands(
    env: Env,
) -> None:
    env.fake.inject(Fault.accepted_empty(), endpoint="add/message", times=1)
    task = await env.client.add(TRIP, user_id="u1")
    assert not task.trackable and task.id is None
    assert (await env.client.search(QUERY, user_id="u1")).memories


@pytest.mark.anyio
async def test_the_legacy_status_shape_still_waits(env: Env) -> None:
    env.fake.inject(Fault.legacy_status_shape(), endpoint="get/status")
    task = await env.client.add(TRIP, user_id="u1")
    final = await task.wait()
    assert (final.task_id, final.status) == (task.id, "completed")


@pytest.mark.anyio
async def test_a_failing_task_raises_task_failed(env: Env) -> None:
    env.fake.inject(Fault.task_fails(), endpoint="add/message", times=1)
    task = await env.client.add(TRIP, user_id="u1")
    with pytest.raises(TaskFailedError) as caught:
        await task.wait()
    assert caught.value.task_id == task.id


@pytest.mark.anyio
async def test_a_stuck_task_times_out_at_the_deadline(env: Env) -> None:
    env.fake.inject(Fault.task_never_finishes(), endpoint="add/message", times=1)
    task = await env.client.add(TRIP, user_id="u1")
    started = env.fake.clock.now()
    with pytest.raises(TaskTimeoutError) as caught:
        await task.wait(timeout=5)
    assert env.fake.clock.now() - started == pytest.approx(5.0)
    assert caught.value.last_status is not None
    assert caught.value.last_status.status == "running"
