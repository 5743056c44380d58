"""Progress shown while a long call runs: `add_many(progress=True)`, and
`wait(progress=True)` / `wait_all(progress=True)`.

`Display` is where it shows: a tqdm bar when tqdm is installed (the `[progress]`
extra; `tqdm.auto` draws a widget in Jupyter and text in a terminal), else a plain
line on stderr, written when what it says changes and at least every `LINE_EVERY`
seconds while it does not. `WaitProgress` is what a wait says: how many handles
settled and, on every poll, the current status and the polls so far, so a long wait
shows a heartbeat even while the status stays the same.

A bar is made to fit an 80-column terminal (tqdm cuts a longer one from the right,
which would cut off the status): a task id is shortened in its title, and it shows
the time waited (tqdm's) but no rate or time left, which mean little for a wait. The
stderr line gives the time waited by the client's clock, so a test on a virtual clock
sees it too.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from importlib import import_module
from typing import Any

from ._core._waiting import Watchable
from ._display import cut, plural
from ._exceptions import TaskFailedError, TaskTimeoutError

__all__ = ["LINE_EVERY", "Display", "WaitProgress"]

LINE_EVERY = 2.0  # seconds between plain progress lines while nothing changes
ID_SHOWN = 9  # characters of a task id in a bar's title ("1363327d…")
COUNTED = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"
"""A bar with a total: done of total, the time so far, and what the caller adds."""
UNCOUNTED = "{desc}: {n_fmt} {unit}s [{elapsed}, {rate_fmt}{postfix}]"
"""A bar without a total: how many so far, the time, the rate, and what the caller adds."""


def _tqdm() -> Any:
    """tqdm's auto bar class, or None when tqdm is not installed."""
    try:
        return import_module("tqdm.auto").tqdm
    except ImportError:
        return None


class Display:
    """A tqdm bar counting `unit`s up to `total` (None: unknown), or a stderr line."""

    def __init__(
        self, desc: str, *, unit: str, total: int | None, clock: Callable[[], float]
    ) -> None:
        self._desc = desc
        self._clock = clock
        self._last_line: float | None = None
        self._last_news = ""
        bar = _tqdm()
        layout = UNCOUNTED if total is None else COUNTED
        self._bar: Any = (
            None if bar is None else bar(desc=desc, unit=unit, total=total, bar_format=layout)
        )

    def show(self, done: int, postfix: str, line: str, news: str = "") -> None:
        """`done` units so far; `postfix` after the bar, or `line` for stderr, written
        when `news` (what changed, e.g. the status) differs from last time, or
        `LINE_EVERY` seconds after the last line."""
        if self._bar is not None:
            # Count and postfix change together, in one refresh: `update()` would draw the
            # new count beside the old status, and may skip a poll's heartbeat.
            self._bar.n = done
            self._bar.set_postfix_str(postfix)
            return
        now = self._clock()
        due = self._last_line is None or now - self._last_line >= LINE_EVERY
        if due or news != self._last_news:
            self._write(line)
            self._last_line, self._last_news = now, news

    def close(self, done: int, postfix: str, line: str) -> None:
        """Show the end: the bar completed and closed, or a last line."""
        if self._bar is not None:
            self.show(done, postfix, line)
            self._bar.close()
        else:
            self._write(line)

    def _write(self, line: str) -> None:
        sys.stderr.write(f"{self._desc}: {line}\n")
        sys.stderr.flush()


class WaitProgress:
    """What `wait()` and `wait_all()` show with `progress=True` (see the module doc).

    The status counts are kept up to date from the handles polled, so a poll costs
    the same whatever the number of handles.
    """

    def __init__(
        self, handles: Sequence[Watchable[Any]], *, started: float, clock: Callable[[], float]
    ) -> None:
        self._handles = handles
        self._started = started
        self._clock = clock
        self._polls = 0
        self._seen = [_status(handle.status) for handle in handles]
        self._counts = Counter(self._seen)
        noun = handles[0].noun if handles else "task"
        desc = (
            f"wait {noun} {cut(str(handles[0].id), ID_SHOWN)}" if len(handles) == 1 else "wait_all"
        )
        self._display = Display(desc, unit=noun, total=len(handles), clock=clock)

    def polled(self, indexes: Iterable[int], settled: int) -> None:
        """The handles at `indexes` were just polled; `settled` of all are final."""
        for index in indexes:
            self._polls += 1
            now = _status(self._handles[index].status)
            if now != self._seen[index]:
                self._counts[self._seen[index]] -= 1
                self._counts[now] += 1
                self._seen[index] = now
        status = self._status_text(self._counts)
        self._display.show(settled, self._postfix(status), self._line(settled, status), status)

    def close(self, outcomes: Sequence[object]) -> None:
        """The wait is over: show how each handle ended."""
        status = self._status_text(Counter(_ending(outcome) for outcome in outcomes))
        self._display.close(len(outcomes), self._postfix(status), self._line(len(outcomes), status))

    def _status_text(self, counts: Counter[str]) -> str:
        if len(self._handles) == 1:
            return next((name for name, number in counts.items() if number), "")
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))  # most first
        return ", ".join(f"{number} {name}" for name, number in ordered if number)

    def _postfix(self, status: str) -> str:
        """What follows the bar: `running, 6 polls` (the bar shows the time itself)."""
        return f"{status}, {plural(self._polls, 'poll')}"

    def _line(self, settled: int, status: str) -> str:
        elapsed = self._clock() - self._started
        done = f"{settled}/{len(self._handles)} final, " if len(self._handles) > 1 else ""
        return f"{done}{status}, {elapsed:.1f} s, {plural(self._polls, 'poll')}"


def _status(status: str | None) -> str:
    return status if isinstance(status, str) else "unknown"


def _ending(outcome: object) -> str:
    """How a handle's wait ended, in a word or two."""
    if isinstance(outcome, TaskFailedError):
        return "failed"
    if isinstance(outcome, TaskTimeoutError):
        return "timed out"
    if isinstance(outcome, BaseException):
        return type(outcome).__name__
    return _status(getattr(outcome, "status", None))
