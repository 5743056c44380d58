"""Live displays on stderr: waiting on tasks (a spinner per task with its status and
the time waited, which keeps moving while the status stays the same), and an import's
progress bar. Both are off with --json or when stderr is not a terminal, and collapse
when done."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._core._polling import is_terminal
from ._output import Output

if TYPE_CHECKING:
    from rich.progress import Progress

    from .. import MemOS
    from .._core._batch import BatchProgress

__all__ = ["import_bar", "wait_for"]


def _progress(output: Output, *, bar: bool = False) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), MofNCompleteColumn()]
    columns.append(TimeElapsedColumn())
    # Off with --json, and when stderr is not a terminal (a log would keep only the blank
    # line a transient display leaves behind).
    live = not output.json_mode and output.errors.is_terminal
    return Progress(*columns, console=output.errors, transient=True, disable=not live)


def _id_of(reading: Any) -> str:
    return str(getattr(reading, "task_id", None) or getattr(reading, "id", None) or "")


def wait_for(
    output: Output, client: MemOS, handles: Sequence[Any], timeout: float | None
) -> list[Any]:
    """`client.wait_all(handles)` with a row per handle: its id, last status and the
    time waited. Returns the final statuses; raises as `wait_all` does."""
    with _progress(output) as progress:
        ids = [handle if isinstance(handle, str) else handle.id for handle in handles]
        rows = {handle_id: progress.add_task(f"{handle_id}: waiting", total=1) for handle_id in ids}

        def update(reading: Any) -> None:
            row = rows.get(_id_of(reading))
            if row is not None:
                progress.update(
                    row,
                    description=f"{_id_of(reading)}: {reading.status}",
                    completed=is_terminal(reading.status),
                )

        finals: list[Any] = client.wait_all(list(handles), timeout=timeout, on_update=update)
    for handle_id, final in zip(ids, finals, strict=True):
        if hasattr(final, "task_id") and not final.task_id:
            final.task_id = handle_id  # a status answer may leave its own id out
    return finals


@contextmanager
def import_bar(output: Output, total: int) -> Iterator[Any]:
    """A progress bar over `total` items; yields the `on_progress` callback to feed it."""
    with _progress(output, bar=True) as progress:
        row = progress.add_task("importing", total=total)

        def on_progress(state: BatchProgress) -> None:
            progress.update(
                row,
                completed=state.settled,
                description=(
                    f"{state.submitted} submitted, {state.skipped} skipped, "
                    f"{state.failed} failed, {state.in_doubt} in doubt"
                ),
            )

        yield on_progress
