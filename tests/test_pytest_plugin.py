"""The pytest plugin, used the way a user would: fixtures with no setup at all."""

from __future__ import annotations

import pytest

from memos_client import AsyncMemOS, MemOS
from memos_client.testing import FakeMemOS, ManualClock

USER_TESTS = """
import pytest


def test_my_app_remembers(memos, memos_fake):
    memos.add([{"role": "user", "content": "I love sushi"}], user_id="u1", conversation_id="c1")
    memos_fake.clock.advance(1)
    hits = memos.search("what food does the user love?", user_id="u1")
    assert [m.memory_value for m in hits.memories] == ["The user loves sushi."]


@pytest.mark.anyio
async def test_my_async_app_waits(async_memos):
    task = await async_memos.add([{"role": "user", "content": "I run daily"}], user_id="u1")
    assert (await task.wait()).status == "completed"
"""


def test_a_users_suite_gets_the_fixtures_from_the_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    outcomes = result.parseoutcomes()
    # The async test runs once per anyio backend installed (asyncio, and trio here).
    assert outcomes.get("failed", 0) == outcomes.get("errors", 0) == 0
    assert outcomes["passed"] >= 2


ASYNCIO_TESTS = """
import pytest


@pytest.mark.asyncio
async def test_my_async_app_waits(async_memos, memos_fake):
    task = await async_memos.add([{"role": "user", "content": "I run daily"}], user_id="u1")
    assert (await task.wait()).status == "completed"
    assert memos_fake.stats.tasks_created == 1


async def test_unmarked_in_auto_mode(async_memos):
    hits = await async_memos.search("anything?", user_id="u1")
    assert len(hits) == 0
"""


@pytest.mark.parametrize(("mode", "passed"), [("strict", 1), ("auto", 2)])
def test_the_async_fixture_works_under_pytest_asyncio(
    pytester: pytest.Pytester, mode: str, passed: int
) -> None:
    pytester.makepyfile(test_app=ASYNCIO_TESTS)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-p",
        "no:anyio",
        f"--asyncio-mode={mode}",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
        "-q",
    )
    # In strict mode the unmarked coroutine is not run by pytest-asyncio: it fails as
    # "async def functions are not natively supported", which is pytest's, not ours.
    result.assert_outcomes(passed=passed, failed=2 - passed)


def test_fixtures_are_wired_to_a_manual_clock(
    memos: MemOS, memos_fake: FakeMemOS[ManualClock]
) -> None:
    task = memos.add([{"role": "user", "content": "I live in Hangzhou"}], user_id="u1")
    before = memos_fake.clock.now()
    assert task.wait().status == "completed"
    assert memos_fake.clock.now() > before  # the wait advanced virtual time only


@pytest.mark.anyio
async def test_async_fixture(async_memos: AsyncMemOS, memos_fake: FakeMemOS[ManualClock]) -> None:
    await async_memos.add(
        [{"role": "user", "content": "I like tea"}], user_id="u1", async_mode=False
    )
    assert memos_fake.stats.tasks_created == 1
