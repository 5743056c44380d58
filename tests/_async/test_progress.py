"""`progress=True` on `wait`, `wait_all` and `add_many`: a tqdm bar when tqdm is
installed, else lines on stderr, with a heartbeat while the status stays the same.

Runs on the emulator's `ManualClock` (waits take no real time); tqdm is replaced by a
recording fake, or made unimportable, through `sys.modules`.
"""

from __future__ import annotations

import functools
import io
import re
import sys
import types
from collections.abc import AsyncIterator, Iterator
from importlib import import_module
from typing import Any

import pytest

from memos_client import AsyncMemOS, TaskTimeoutError
from memos_client._progress import COUNTED, UNCOUNTED
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
        self.postfixes: list[str] = []
        self.shown: list[tuple[int, str]] = []  # (count, postfix) at each refresh
        self.closed = False
        FakeBar.made.append(self)

    def set_postfix_str(self, postfix: str) -> None:
        self.postfixes.append(postfix)
        self.shown.append((self.n, postfix))

    def close(self) -> None:
        self.closed = True


def short(task_id: str | None) -> str:
    """A task id as a bar's title shows it."""
    return f"{str(task_id)[:8]}…"


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
    assert bar.options == {
        "desc": f"wait task {short(task.id)}",  # a short title leaves room for the status
        "unit": "task",
        "total": 1,
        "bar_format": COUNTED,
    }
    *polls, last = bar.postfixes
    assert len(polls) > 5  # the status stayed "running" through many polls...
    expected = [f"running, {n} poll{'s' if n > 1 else ''}" for n in range(1, len(polls))]
    assert polls[:-1] == expected  # ...and each poll showed
    assert polls[-1] == last == f"completed, {len(polls)} polls"
    assert bar.n == 1 and bar.closed and final.status == "completed"
    assert bar.shown[-1] == (1, last)  # the count and the status change together


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
    prefix = f"wait task {short(task.id)}: "
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
    assert bar.options == {"desc": "wait_all", "unit": "task", "total": 4, "bar_format": COUNTED}
    assert bar.postfixes[0] == "3 running, 1 unknown, 4 polls"
    assert bar.postfixes[-1].startswith("3 completed, 1 NotFoundError, ")
    assert bar.n == 4 and bar.closed
    for count, postfix in bar.shown:  # never a count beside an older status
        final = sum(
            int(n) for n, status in re.findall(r"(\d+) (\w+)", postfix)[:-1] if status != "running"
        )
        assert count == final, (count, postfix)


async def test_a_timed_out_wait_says_so(client: AsyncMemOS, no_tqdm: None, capsys: Any) -> None:
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    with pytest.raises(TaskTimeoutError):
        await task.wait(timeout=3, progress=True)
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"wait task {short(task.id)}: timed out, 3.0 s, ")


async def test_add_many_shows_its_bar_and_then_the_wait(
    client: AsyncMemOS, bars: list[FakeBar]
) -> None:
    items: list[AddItem] = [
        {"messages": TURNS, "user_id": "u1", "conversation_id": f"c{n}"} for n in range(5)
    ]
    result = await client.add_many(items, progress=True, wait=True)
    batch, wait = bars
    assert batch.options == {
        "desc": "add_many",
        "unit": "item",
        "total": None,
        "bar_format": UNCOUNTED,
    }
    assert batch.n == 5 and batch.closed
    assert batch.postfixes[-1] == "0 failed, 0 in doubt, limit 16"
    assert wait.options["desc"] == "wait_all" and wait.n == 5
    assert wait.postfixes[-1].startswith("5 completed, ")
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


async def test_a_real_bar_fits_80_columns_and_keeps_the_status_in_view(
    client: AsyncMemOS, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tqdm cuts a line longer than the terminal from the right: the status must fit."""
    tqdm = import_module("tqdm").tqdm
    screen = io.StringIO()
    terminal = functools.partial(tqdm, file=screen, ncols=80, mininterval=0)
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=terminal))
    task = await client.add(TURNS, user_id="u1", conversation_id="c1")
    assert len(str(task.id)) == 36  # a uuid, as MemOS sends
    await task.wait(progress=True)
    tasks = [await client.add(TURNS, user_id="u1", conversation_id=f"c{n}") for n in range(3)]
    await client.wait_all(tasks, progress=True)
    items: list[AddItem] = [
        {"messages": TURNS, "user_id": "u1", "conversation_id": f"b{n}"} for n in range(3)
    ]
    await client.add_many(items, progress=True)
    lines = [line.strip() for line in re.split(r"[\r\n]", screen.getvalue()) if line.strip()]
    lines = [line for line in lines if not line.startswith("\x1b")]  # cursor moves
    assert all(len(line) <= 80 and line.endswith("]") for line in lines), lines
    assert any(re.search(r"1/1 \[\d\d:\d\d, completed, \d+ polls\]$", line) for line in lines)
    assert any(re.search(r"3/3 \[\d\d:\d\d, 3 completed, \d+ polls\]$", line) for line in lines)
    assert any(
        re.search(r"3 items \[.*, 0 failed, 0 in doubt, limit \d+\]$", line) for line in lines
    )
