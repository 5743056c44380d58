"""`add_many`: bounded, adaptive, write-safe and resumable batch import, on the emulator.

Every test proves from the emulator's own store what was added: nothing twice, nothing
missing without being reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memos_client import (
    AsyncMemOS,
    AsyncTask,
    BatchError,
    InDoubtError,
    InvalidRequestError,
    QuotaExceededError,
)
from memos_client._core._batch import BatchProgress
from memos_client.testing import FakeMemOS, Fault, ManualClock
from memos_client.types import AddItem
from tests._async.conftest import Env, VirtualTime, connect, use_virtual_time

pytestmark = pytest.mark.anyio


def items(count: int, *, start: int = 0) -> Iterator[AddItem]:
    for number in range(start, start + count):
        yield {
            "messages": [{"role": "user", "content": f"conversation number {number} about tea"}],
            "user_id": f"u{number % 7}",
            "conversation_id": f"c{number}",
            "id": f"item-{number}",
        }


def stored(fake: FakeMemOS[ManualClock]) -> Counter[str]:
    """How many times each conversation's message was stored."""
    return Counter(message.conversation_id for message in fake.messages())


async def test_every_item_is_added_once_in_input_order(env: Env) -> None:
    result = await env.client.add_many(items(40), concurrency=8)
    assert (result.submitted, result.failed, result.in_doubt, result.skipped) == (40, 0, 0, 0)
    assert result.read == 40 and result.stopped is None
    assert [task.id for task in result.tasks] == [
        t.id for t in result.results if isinstance(t, AsyncTask)
    ]
    assert all(isinstance(task, AsyncTask) and task.trackable for task in result.results)
    assert stored(env.fake) == Counter({f"c{n}": 1 for n in range(40)})
    assert result.keys[:2] == ["id:item-0", "id:item-1"]
    result.raise_for_errors()  # nothing to raise


async def test_the_iterable_is_read_lazily(env: Env) -> None:
    """The first request goes out before the iterable is exhausted."""
    seen_before_first: list[int] = []

    def source() -> Iterator[AddItem]:
        for number, item in enumerate(items(30)):
            seen_before_first.append(len(env.fake.messages()))
            yield item
            assert number < 30

    await env.client.add_many(source(), concurrency=2)
    assert seen_before_first[-1] > 0  # items were sent while later ones were still unread


async def test_rate_limits_are_ridden_out_and_shrink_the_window(env: Env) -> None:
    env.fake.inject(Fault.rate_limit(retry_after=0.01), endpoint="add/message", times=5)
    limits: list[float] = []
    result = await env.client.add_many(
        items(30), concurrency=8, on_progress=lambda p: limits.append(p.limit)
    )
    assert result.submitted == 30 and result.failed == 0
    assert min(limits) < 8  # the window shrank on the rate limits...
    assert limits[-1] > min(limits)  # ...and grew back
    assert stored(env.fake) == Counter({f"c{n}": 1 for n in range(30)})


async def test_a_possibly_processed_add_is_never_resent(env: Env) -> None:
    env.fake.inject(Fault.drop_after_processing(), endpoint="add/message", times=3)
    env.fake.inject(Fault.drop_before_processing(), endpoint="add/message", times=3)
    result = await env.client.add_many(items(20), concurrency=4)
    # In process a drop before processing is provably unsent and re-sent; over HTTP a
    # dropped connection cannot be told apart from one after processing: in doubt too.
    expected_doubt = 3 if env.mode == "in_process" else 6
    assert (result.in_doubt, result.submitted, result.failed) == (
        expected_doubt,
        20 - expected_doubt,
        0,
    )
    doubted = {index for index, error in result.errors}
    assert all(getattr(error, "may_have_been_processed", False) for _, error in result.errors)
    counts = stored(env.fake)
    assert max(counts.values()) == 1  # nothing stored twice
    for index in range(20):  # nothing missing without being reported in doubt
        assert counts[f"c{index}"] == 1 or index in doubted
    with pytest.raises(BatchError, match=f"{expected_doubt} in doubt") as raised:
        result.raise_for_errors()
    assert raised.value.result is result


async def test_a_quota_error_stops_the_batch(env: Env) -> None:
    env.fake.inject(Fault.business_error(40301, "quota exhausted"), endpoint="add/message")
    read: list[int] = []

    def source() -> Iterator[AddItem]:
        for item in items(1000):
            read.append(1)
            yield item

    result = await env.client.add_many(source(), concurrency=4)
    assert result.stopped is not None and "quota" in result.stopped
    assert result.submitted == 0 and result.failed == result.read
    assert len(read) < 1000 and result.read == len(result.results)
    assert isinstance(result.results[0], QuotaExceededError)
    assert not env.fake.messages()


async def test_bad_items_fail_alone_and_name_the_field(env: Env) -> None:
    bad: list[Any] = [
        {"messages": [{"role": "user", "content": "fine"}], "user_id": "u1"},
        {"messages": [], "user_id": "u1"},
        {"messages": [{"role": "user", "content": "x"}], "user_id": "u1", "tags": "x"},
        "not a dict",
        {"messages": [{"role": "user", "content": "y"}], "usr_id": "u1"},
    ]
    result = await env.client.add_many(bad)
    assert (result.submitted, result.failed) == (1, 4)
    errors = [str(error) for _, error in result.errors]
    assert "items[1].messages" in errors[0] and "items[2].tags" in errors[1]
    assert "items[3]" in errors[2] and "did you mean 'user_id'" in errors[3]


async def test_the_journal_resumes_without_duplicates(env: Env, tmp_path: Path) -> None:
    journal = tmp_path / "import.sqlite"
    first = await env.client.add_many(items(10), journal=journal)
    assert first.submitted == 10
    second = await env.client.add_many(items(15), journal=journal)
    assert (second.skipped, second.submitted) == (10, 5)
    assert [task.id for task in second.tasks[:10]] == [task.id for task in first.tasks]
    assert stored(env.fake) == Counter({f"c{n}": 1 for n in range(15)})


async def test_items_left_sending_are_in_doubt_until_asked(env: Env, tmp_path: Path) -> None:
    from memos_client._core._batch import item_key
    from memos_client._journal import Journal

    journal = tmp_path / "import.sqlite"
    book = Journal(journal)
    crashed = list(items(3))
    for item in crashed:
        book.sending(item_key(item))  # what a kill -9 mid-request leaves behind
    book.failed(item_key(crashed[2]), "connection refused")  # provably unsent
    book.close()
    result = await env.client.add_many(crashed, journal=journal)
    assert (result.in_doubt, result.submitted) == (2, 1)
    assert isinstance(result.results[0], InDoubtError) and result.results[0].key == "id:item-0"
    again = await env.client.add_many(crashed, journal=journal, resend_in_doubt=True)
    assert (again.submitted, again.skipped) == (2, 1)


async def test_keys_hash_the_content_when_no_id_is_given(env: Env, tmp_path: Path) -> None:
    plain = [{k: v for k, v in item.items() if k != "id"} for item in items(3)]
    journal = tmp_path / "j.sqlite"
    await env.client.add_many(plain, journal=journal)  # type: ignore[arg-type]
    result = await env.client.add_many(plain, journal=journal)  # type: ignore[arg-type]
    assert result.skipped == 3 and all(key.startswith("sha256:") for key in result.keys)


async def test_wait_waits_for_refinement(env: Env) -> None:
    result = await env.client.add_many(items(5), wait=True, wait_timeout=60)
    assert result.statuses is not None
    assert [getattr(status, "status", None) for status in result.statuses] == ["completed"] * 5


async def test_a_task_that_fails_processing_is_raised_after_waiting(env: Env) -> None:
    env.fake.inject(Fault.task_fails(), endpoint="add/message", times=1)
    result = await env.client.add_many(items(3), wait=True, wait_timeout=60)
    assert result.submitted == 3 and len(result.wait_errors) == 1  # whichever was hit
    with pytest.raises(BatchError, match="1 not processed"):
        result.raise_for_errors()


async def test_arguments_are_checked(env: Env) -> None:
    with pytest.raises(InvalidRequestError, match="concurrency"):
        await env.client.add_many(items(1), concurrency=0)
    with pytest.raises(InvalidRequestError, match="items"):
        await env.client.add_many({"messages": []})  # type: ignore[dict-item]


async def test_retries_wait_on_the_clock_not_the_wall(vtime: VirtualTime) -> None:
    fake = FakeMemOS(clock=ManualClock())
    fake.inject(Fault.rate_limit(retry_after=30.0), endpoint="add/message", times=1)
    async with connect(fake, "in_process") as client:
        timed: AsyncMemOS = use_virtual_time(client, vtime)
        result = await timed.add_many(items(3), concurrency=1)
    assert result.submitted == 3
    assert vtime.sleeps and max(vtime.sleeps) >= 30.0  # Retry-After honoured, virtually


async def test_a_rate_limit_storm_waits_out_its_pauses_without_spinning(
    vtime: VirtualTime,
) -> None:
    """Re-sends fall due before a long Retry-After pause ends: the batch sleeps until
    the pause is over instead of spinning on zero-second sleeps (which on a virtual
    clock would never end)."""
    fake = FakeMemOS(clock=ManualClock())
    fake.inject(Fault.rate_limit(retry_after=2.0), endpoint="add/message", times=12)
    async with connect(fake, "in_process") as client:
        timed: AsyncMemOS = use_virtual_time(client, vtime)
        result = await timed.add_many(items(8), concurrency=8)
    assert result.submitted == 8
    assert len(vtime.sleeps) < 40 and all(sleep > 0 for sleep in vtime.sleeps)


async def test_an_item_repeated_in_one_batch_is_sent_once(env: Env, tmp_path: Path) -> None:
    repeated = [*items(3), *items(2), *items(3)]
    for journal in (None, tmp_path / "j.sqlite"):
        env.fake.reset()
        result = await env.client.add_many(repeated, concurrency=4, journal=journal)
        assert (result.submitted, result.failed) == (3, 5)
        assert "repeats items[0]" in str(result.results[3])
        assert stored(env.fake) == Counter({"c0": 1, "c1": 1, "c2": 1})


async def test_the_callers_errors_come_out_as_they_were_raised(env: Env) -> None:
    def broken() -> Iterator[AddItem]:
        yield from items(3)
        raise ValueError("the source file is truncated")

    with pytest.raises(ValueError, match="truncated") as raised:
        await env.client.add_many(broken(), concurrency=2)
    partial = raised.value.batch_result  # type: ignore[attr-defined]
    assert partial.submitted == 3 and "reading the items raised ValueError" in partial.stopped
    assert stored(env.fake) == Counter({"c0": 1, "c1": 1, "c2": 1})

    def explode(progress: object) -> None:
        raise RuntimeError("the progress callback failed")

    with pytest.raises(RuntimeError, match="callback") as failed:
        await env.client.add_many(items(3), on_progress=explode)
    settled = failed.value.batch_result  # type: ignore[attr-defined]
    assert settled.read == settled.submitted >= 1  # what went out is accounted for


async def test_tasks_belong_to_the_callers_client(env: Env, tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite"
    first = await env.client.add_many(items(2), journal=journal)
    again = await env.client.add_many(items(2), journal=journal)
    for task in (*first.tasks, *again.tasks):
        assert task._client is env.client  # its retry policy, not the batch's


async def test_a_journal_that_cannot_be_opened_is_named(env: Env, tmp_path: Path) -> None:
    for bad in (tmp_path, tmp_path / "missing" / "j.sqlite", ""):
        with pytest.raises(InvalidRequestError, match="journal") as raised:
            await env.client.add_many(items(1), journal=bad)
        assert raised.value.field == "journal"
    assert not env.fake.messages()


async def test_a_stop_reports_what_was_read_ahead_but_not_sent(env: Env) -> None:
    # A rate limit halves the window, so items read ahead wait; then the caller stops.
    env.fake.inject(Fault.rate_limit(retry_after=0.01), endpoint="add/message", times=2)

    def stop_once_the_window_shrank(progress: BatchProgress) -> None:
        if progress.limit < 4 and progress.read > 4:  # more read than can be sent
            raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough") as raised:
        await env.client.add_many(items(40), concurrency=4, on_progress=stop_once_the_window_shrank)
    result = raised.value.batch_result  # type: ignore[attr-defined]
    assert result.read == result.submitted + result.failed + result.in_doubt + result.skipped
    unsent = [
        index
        for index, outcome in enumerate(result.results)
        if "not sent: the batch stopped" in str(outcome)
    ]
    assert unsent  # read ahead, never sent, and said so
    sent = stored(env.fake)
    assert max(sent.values()) == 1 and sum(sent.values()) == result.submitted
    assert not {f"c{index}" for index in unsent} & set(sent)


async def test_an_error_inside_the_batch_machinery_is_raised(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from memos_client._async import _batch

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in settle")

    monkeypatch.setattr(_batch, "settle", broken)
    with pytest.raises(RuntimeError, match="a bug in settle"):
        await env.client.add_many(items(3), concurrency=2)
