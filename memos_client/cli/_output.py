"""How results reach the terminal: a rich table for people, or one JSON document.

`--json` prints what the API sent (a model's fields as on the wire, unknown ones
kept), so scripts see the same names as the API reference. Tables go to stdout;
progress and spinners go to stderr, so `memos ... --json | jq` stays clean.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

    from ..types import MemoryLists

__all__ = ["Output", "wire"]

TEXT_WIDTH = 80  # characters of a memory's text shown in a table cell
WHOLE_COLUMNS = frozenset({"id", "task", "status"})


def wire(value: Any) -> Any:
    """A result as JSON values: a model's fields as the API sent them (unset defaults
    left out, unknown fields kept), recursively through lists and dicts."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return {str(key): wire(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire(item) for item in value]
    return value


class Output:
    """Where a command writes: `result()` for its answer, `note()` for a remark."""

    def __init__(self, json_mode: bool) -> None:
        self.json_mode = json_mode

    @cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False, soft_wrap=False)

    @cached_property
    def errors(self) -> Console:
        """The stderr console: progress, spinners and remarks."""
        from rich.console import Console

        return Console(stderr=True, highlight=False)

    def result(self, value: Any, render: Callable[[], RenderableType]) -> None:
        """Print a result: JSON of `value` with --json, else what `render()` draws."""
        if self.json_mode:
            self.json(wire(value))
        else:
            self.console.print(render())

    def json(self, document: Any) -> None:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()

    def note(self, text: str) -> None:
        """A remark for people (on stderr, so it never mixes with a result)."""
        if not self.json_mode:
            self.errors.print(text, markup=False)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    """A table with a title and one row per item (cells shown as text)."""
    from rich.table import Table
    from rich.text import Text

    out = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        if column in WHOLE_COLUMNS:  # ids kept whole, to be copied into the next command
            out.add_column(column, no_wrap=True)
        else:
            out.add_column(column, overflow="fold")
    for row in rows:  # as text, never as markup
        out.add_row(*(value if isinstance(value, Text) else Text(cell(value)) for value in row))
    return out


def fields(title: str, model: Any) -> Table:
    """A two-column table of a model's fields as sent (`field`, `value`)."""
    data = wire(model)
    items = data.items() if isinstance(data, dict) else [("value", data)]
    return table(title, ("field", "value"), ((name, value) for name, value in items))


def cell(value: object) -> str:
    """A value as table text: dates to the minute, JSON for structures, "" for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def short(text: object, width: int = TEXT_WIDTH) -> str:
    """One line of at most `width` characters."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def memory_text(item: Any) -> str:
    """What a memory of any kind says, in one line."""
    for name in ("memory_value", "preference", "event_value", "memory", "experience"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value.strip():
            return short(value)
    skill = getattr(item, "skill_value", None)
    if skill is not None:
        return short(f"{skill.name or ''}: {skill.description or ''}")
    return short(getattr(item, "tool_value", "") or "")


def memories(title: str, lists: MemoryLists) -> Table:
    """Every memory of a search result or page: its kind, its text with its id beneath
    (whole, to copy into `memos memories get`), relevance and creation date. Kept to
    four columns so the text has room in an 80-column terminal."""
    from rich.text import Text

    rows = (
        (
            type(item).__name__.removesuffix("Memory") or type(item).__name__,
            Text.assemble(memory_text(item), "\n", (str(item.id or ""), "dim")),
            "" if item.relativity is None else f"{item.relativity:.2f}",
            item.created_at,
        )
        for item in lists
    )
    return table(title, ("kind", "memory", "score", "created (UTC)"), rows)
