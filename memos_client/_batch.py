"""What `add_many` returns, and how it shows its progress (shared by both clients)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _display as display
from ._core._batch import BatchProgress
from ._exceptions import BatchError, MemOSError
from ._progress import Display

if TYPE_CHECKING:
    from ._journal import Journal

__all__ = ["BatchProgress", "BatchResult", "Reporter", "unsent"]

T = TypeVar("T")


@dataclass
class BatchResult(Generic[T]):
    """The outcome of `add_many`, item by item, in input order.

    `results[i]` is item i's `Task`, or the error that explains why it has none: a
    failure (it was not added), or an `InDoubtError` / an error with
    `may_have_been_processed=True` (it may have been added). The four counts add up
    to the items read; `stopped` says why the batch stopped early (a quota error),
    and is None when it read everything.
    """

    results: list[T | MemOSError] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    """Each item's journal key: its `id`, or a hash of its content and subject."""
    submitted: int = 0
    failed: int = 0
    in_doubt: int = 0
    skipped: int = 0
    """Items an earlier run (per the journal) had already submitted."""
    stopped: str | None = None
    statuses: list[Any] | None = None
    """With `wait=True`: each item's final status (or error), None when not waited on."""

    @property
    def read(self) -> int:
        return self.submitted + self.failed + self.in_doubt + self.skipped

    @property
    def tasks(self) -> list[T]:
        """The items' task handles (submitted now or earlier), in input order."""
        return [item for item in self.results if not isinstance(item, MemOSError)]

    @property
    def errors(self) -> list[tuple[int, MemOSError]]:
        """`(index, error)` of every item that failed or is in doubt."""
        return [(i, item) for i, item in enumerate(self.results) if isinstance(item, MemOSError)]

    @property
    def wait_errors(self) -> list[tuple[int, MemOSError]]:
        """With `wait=True`: `(index, error)` of every submitted item whose processing
        failed or was not seen to finish (`TaskFailedError`, `TaskTimeoutError`...)."""
        return [
            (index, status)
            for index, status in enumerate(self.statuses or [])
            if isinstance(status, MemOSError)
        ]

    def raise_for_errors(self) -> None:
        """Raise `BatchError` (holding this result) if any item failed or is in doubt,
        or, after `wait=True`, if any submitted item's processing failed."""
        problems = self.errors + self.wait_errors
        if not problems:
            return
        raise BatchError(f"{self._summary()}; first: {problems[0][1]}", result=self)

    def _summary(self) -> str:
        text = (
            f"{self.read} items: {self.submitted} submitted, {self.skipped} skipped, "
            f"{self.failed} failed, {self.in_doubt} in doubt"
        )
        if self.wait_errors:
            text += f", {len(self.wait_errors)} not processed"
        return text + (f" (stopped: {self.stopped})" if self.stopped else "")

    def __repr__(self) -> str:
        """`BatchResult(submitted=98, failed=1, in_doubt=1, skipped=0)`, plus why it
        stopped and how many were not processed, when so."""
        parts = [
            display.arg(name, getattr(self, name))
            for name in ("submitted", "failed", "in_doubt", "skipped")
        ]
        if self.wait_errors:
            parts.append(display.arg("not_processed", len(self.wait_errors)))
        if self.stopped:
            parts.append(display.arg("stopped", self.stopped))
        return display.line(type(self).__name__, parts)

    def __str__(self) -> str:
        return f"<BatchResult {self._summary()}>"

    def _repr_html_(self) -> str:
        """The counts, then a row per item that failed, is in doubt or was not processed."""
        counts: list[tuple[str, object]] = [
            (name, getattr(self, name)) for name in ("submitted", "failed", "in_doubt", "skipped")
        ]
        if self.wait_errors:
            counts.append(("not_processed", len(self.wait_errors)))
        if self.stopped:
            counts.append(("stopped", self.stopped))
        html = display.fields_table(f"BatchResult: {display.plural(self.read, 'item')}", counts)
        problems = sorted(self.errors + self.wait_errors, key=lambda pair: pair[0])
        if problems:
            rows = [(i, self._key(i), type(error).__name__, str(error)) for i, error in problems]
            html += display.table("Items with errors", ("item", "key", "error", "message"), rows)
        return html

    def _key(self, index: int) -> str:
        return self.keys[index] if index < len(self.keys) else ""


class Reporter:
    """Sends progress to `on_progress`, and with `show=True` to a `Display`: a tqdm bar
    when tqdm is installed (the `[progress]` extra), else a line on stderr every 2 s."""

    def __init__(
        self,
        on_progress: Callable[[BatchProgress], object] | None,
        show: bool,
        clock: Callable[[], float],
    ) -> None:
        self._on_progress = on_progress
        self._display = Display("add_many", unit="item", total=None, clock=clock) if show else None

    @property
    def listening(self) -> bool:
        """Whether anything shows progress: if not, the batch need not compute it."""
        return self._on_progress is not None or self._display is not None

    def update(self, progress: BatchProgress) -> None:
        if self._on_progress is not None:
            self._on_progress(progress)
        if self._display is not None:
            self._display.show(progress.settled, self._postfix(progress), self._line(progress))

    def mute(self) -> None:
        """Stop calling `on_progress` (it raised)."""
        self._on_progress = None

    def close(self, progress: BatchProgress) -> None:
        if self._display is not None:
            self._display.close(progress.settled, self._postfix(progress), self._line(progress))

    @staticmethod
    def _postfix(progress: BatchProgress) -> str:
        """What follows the bar (which counts the settled items, the time and the rate)."""
        return (
            f"{progress.failed} failed, {progress.in_doubt} in doubt, limit {int(progress.limit)}"
        )

    @staticmethod
    def _line(progress: BatchProgress) -> str:
        return (
            f"{progress.settled}/{progress.read} settled ({progress.submitted} "
            f"submitted, {progress.skipped} skipped, {progress.failed} failed, "
            f"{progress.in_doubt} in doubt), {progress.rate:.1f}/s, "
            f"{progress.in_flight} in flight (limit {int(progress.limit)})"
        )


def unsent(result: BatchResult[Any], book: Journal | None, index: int, reason: str) -> None:
    """An item the batch gave up on before sending it again."""
    error = result.results[index]
    if not isinstance(error, MemOSError):
        error = MemOSError(reason)
        result.results[index] = error
    if book is not None:
        book.failed(result.keys[index], reason)
