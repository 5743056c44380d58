"""How results reach the terminal: a rich table for people, or one JSON document.

`--json` prints what the API sent (a model's fields as on the wire, unknown ones
kept), so scripts see the same names as the API reference. Tables go to stdout;
progress and spinners go to stderr, so `memos ... --json | jq` stays clean.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    from ..types import MemoryLists

__all__ = ["Output", "wire"]

TEXT_WIDTH = 80  # characters of a memory's text shown in a table cell
WHOLE_COLUMNS = frozenset({"id", "task", "status"})
CREATED = "created (UTC)"  # the heading of a creation date's column


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
    """A table with a title and one row per item (cells shown as text); an empty one
    says so beneath its header."""
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
    if not out.row_count:
        out.caption, out.caption_justify = "(none)", "left"
    return out


def named(name: object, item_id: object) -> Text:
    """A name with its id beneath, dimmed and whole: one column instead of two, so
    that in 80 columns neither folds the other."""
    from rich.text import Text

    return Text.assemble(cell(name), "\n", (str(item_id or ""), "dim"))


def fields(title: str, model: Any) -> Table:
    """A two-column table of a model's fields as sent (`field`, `value`); a nested
    object's fields get rows of their own (`metadata.key`), and epoch-millisecond
    times (`create_time`) read as dates."""
    data = wire(model)
    items = data.items() if isinstance(data, dict) else [("value", data)]
    return table(title, ("field", "value"), flatten(items))


def flatten(items: Iterable[tuple[str, Any]], prefix: str = "") -> Iterator[tuple[str, Any]]:
    from ..types._base import to_datetime

    for name, value in items:
        if isinstance(value, dict) and value and not prefix:
            yield from flatten(value.items(), f"{name}.")
        elif name.endswith("_time") and isinstance(value, int) and not isinstance(value, bool):
            date = to_datetime(value)
            yield prefix + name, f"{cell(date)} UTC" if date else value
        else:
            yield prefix + name, value


def cell(value: object) -> str:
    """A value as table text: dates to the minute in UTC, JSON for structures, "" for
    nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
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


def kind(item: Any) -> str:
    """A memory's kind in a word: `Fact`, `Preference`, `Skill`...; `Working` for a
    raw transcript (a fact whose `memory_type` is `WorkingMemory`), not yet refined."""
    if getattr(item, "memory_type", None) == "WorkingMemory":
        return "Working"
    return type(item).__name__.removesuffix("Memory") or type(item).__name__


def memories(title: str, lists: MemoryLists) -> Table:
    """Every memory of a search result or page: its kind, its text with its id beneath
    (whole, to copy into `memos memories get`), relevance (a search's; a page has none,
    and no column for it) and creation date. At most four columns, so the text has
    room in an 80-column terminal."""
    items = list(lists)
    scored = any(item.relativity is not None for item in items)
    rows = (
        (
            kind(item),
            named(memory_text(item), item.id),
            *(["" if item.relativity is None else f"{item.relativity:.2f}"] if scored else []),
            item.created_at,
        )
        for item in items
    )
    columns = ("kind", "memory", *(["score"] if scored else []), CREATED)
    return table(title, columns, rows)
