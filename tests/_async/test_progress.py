"""`progress=True` on `wait`, `wait_all` and `add_many`: a tqdm bar when tqdm is
installed, else lines on stderr, with a heartbeat while the status stays the same.

Runs on the emulator's `ManualClock` (waits take no real time); tqdm is replaced by a
recording fake, or made unimportable, through `sys.modules`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from memos_client import AsyncMemOS, TaskTimeoutError
from memos_client.testing import FakeMemOS, ManualClock
from memos_client.types import AddItem, MessageParam

pytestmark = pytest.mark.anyio

TURNS: list[MessageParam] = [{"role": "user", "content": "I drink green tea every morning"}]


class FakeBar:
    """Records what the SDK does with a tqdm bar."""

    made: list[FakeBar] = []

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.n = 0
        self.postfixes: list[dict[str, Any]] = []
        self.closed = False
        FakeBar.made.append(self)

    def update(self, count: int) -> None:
        self.n += count

    def set_postfix(self, postfix: dict[str, Any]) -> None:
        self.postfixes.append(dict(postfix))

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeBar]]:
    """tqdm.auto is the fake: the bars made during the test."""
    FakeBar.made = []
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=FakeBar))
    yield FakeBar.made


@pytest.fixture
def no_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    """tqdm is not installed (importing it raises ImportError)."""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)


@pytest.fixture
async def client() -> AsyncIterator[AsyncMemOS]:
    """A client on the emulator, whose tasks refine 12 s (on a manual clock) after the add."""
    fake = FakeMemOS(clock=ManualClock(), refine_delay=12.0)
    async with fake.async_client() as memos:
        yield memos


async def test_a_wait_shows_a_heartbeat_on_every_poll(
    client: AsyncMemOS, bars: list[FakeBar]
) -> None:
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    final = await task.wait(progress=True)
    [bar] = bars
    assert bar.options == {"desc": f"wait task {task.id}", "unit": "task", "total": 1}
    *polls, last = bar.postfixes
    assert len(polls) > 5  # the status stayed "running" through many polls...
    assert [postfix["polls"] for postfix in polls] == list(range(1, len(polls) + 1))
    assert [postfix["status"] for postfix in polls[:-1]] == ["running"] * (len(polls) - 1)
    elapsed = [float(postfix["elapsed"].rstrip("s")) for postfix in polls]
    assert elapsed == sorted(elapsed) and elapsed[0] == 0.0 and elapsed[-1] >= 12.0
    assert polls[-1]["status"] == last["status"] == "completed"  # ...each poll showed
    assert bar.n == 1 and bar.closed and final.status == "completed"


async def test_without_progress_nothing_shows(
    client: AsyncMemOS, bars: list[FakeBar], capsys: pytest.CaptureFixture[str]
) -> None:
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    await task.wait()
    await client.wait_all([task])
    assert bars == [] and capsys.readouterr().err == ""


async def test_without_tqdm_a_line_goes_to_stderr_every_two_seconds_and_on_changes(
    client: AsyncMemOS, no_tqdm: None, capsys: pytest.CaptureFixture[str]
) -> None:
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    await task.wait(progress=True)
    lines = capsys.readouterr().err.splitlines()
    prefix = f"wait task {task.id}: "
    assert all(line.startswith(prefix) for line in lines)
    running = [line for line in lines if line.startswith(prefix + "running, ")]
    assert len(running) >= 4  # a heartbeat: polls every few seconds, a line each 2 s or more
    seconds = [float(line.split(", ")[1].removesuffix(" s")) for line in running]
    assert all(later - earlier >= 2.0 for earlier, later in zip(seconds, seconds[1:], strict=False))
    assert lines[-2].startswith(prefix + "completed, ")  # the change shows at once
    assert lines[-1].startswith(prefix + "completed, ") and lines[-1].endswith(" polls")


async def test_wait_all_counts_the_final_ones_and_the_statuses(
    client: AsyncMemOS, bars: list[FakeBar]
) -> None:
    tasks = [await client.add(TURNS, user_id="u1", conversation_id=f"c{n}") for n in range(3)]
    await client.wait_all([*tasks, "t-unknown"], progress=True, return_exceptions=True)
    [bar] = bars
    assert bar.options == {"desc": "wait_all", "unit": "task", "total": 4}
    assert bar.postfixes[0]["status"] == "3 running, 1 unknown"
    assert bar.postfixes[-1]["status"] == "3 completed, 1 NotFoundError"
    assert bar.n == 4 and bar.closed


async def test_a_timed_out_wait_says_so(client: AsyncMemOS, no_tqdm: None, capsys: Any) -> None:
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    with pytest.raises(TaskTimeoutError):
        await task.wait(timeout=3, progress=True)
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"wait task {task.id}: timed out, 3.0 s, ")


async def test_add_many_shows_its_bar_and_then_the_wait(
    client: AsyncMemOS, bars: list[FakeBar]
) -> None:
    items: list[AddItem] = [
        {"messages": TURNS, "user_id": "u1", "conversation_id": f"c{n}"} for n in range(5)
    ]
    result = await client.add_many(items, progress=True, wait=True)
    batch, wait = bars
    assert batch.options == {"desc": "add_many", "unit": "item", "total": None}
    assert batch.n == 5 and batch.closed
    assert batch.postfixes[-1] == {"failed": 0, "in_doubt": 0, "limit": 16}
    assert wait.options["desc"] == "wait_all" and wait.n == 5
    assert wait.postfixes[-1]["status"] == "5 completed"
    assert repr(result) == "BatchResult(submitted=5, failed=0, in_doubt=0, skipped=0)"


async def test_add_many_without_tqdm_writes_lines(
    client: AsyncMemOS, no_tqdm: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[int] = []
    items: list[AddItem] = [
        {"messages": TURNS, "user_id": "u1", "conversation_id": f"c{n}"} for n in range(4)
    ]
    await client.add_many(items, on_progress=lambda p: seen.append(p.settled), progress=True)
    assert seen[-1] == 4
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("add_many: 4/4 settled (4 submitted, 0 skipped, 0 failed, 0 in doubt)")
