"""How results show themselves: one line for `repr()`, a table for notebooks.

Every result type (models, task handles, `BatchResult`) renders through these
helpers, so all of them read alike. A repr is one line that says what the value is:
`Name(key=value, ...)` for a record, `Name(summary)` for a collection, e.g.
`MemoryPage(page 1 of 3, 20 memories)`. In Jupyter, `_repr_html_` shows a table
captioned with the type's name (and a collection's summary).

Values come from the server and may not have the type their field declares (lenient
decoding keeps a misfit as sent), so every helper here takes any value and never
raises; long values are cut, dates read as dates, and every value put into HTML
is escaped. Nothing here ever sees a client, so the API key cannot show.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

__all__ = ["arg", "cell_text", "cut", "fields_table", "line", "plural", "prose", "score", "table"]

REPR_VALUE = 60  # characters of one value in a repr
CELL = 300  # characters of one table cell
ROWS = 100  # rows of a table before "... more"
# A cell keeps its text's line breaks (a WorkingMemory is "user: ...\nassistant: ..."),
# which HTML would otherwise run together.
CELL_STYLE = "text-align:left;white-space:pre-wrap;vertical-align:top"


class _Short(reprlib.Repr):
    """A bounded repr (reprlib's), that also shows an integer too long to convert."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 10_000:  # str() refuses past 4,300 digits
            return f"<an integer of {x.bit_length()} bits>"
        return super().repr_int(x, level)


_SHORT = _Short()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, CELL, CELL
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = 10


def _escape(text: str) -> str:
    """`html.escape`; the html module (with its table of entities) loads only when a
    notebook asks for a table, not with every result."""
    from html import escape

    return escape(text)


def cut(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(moment: datetime) -> str:
    """A datetime as `2025-12-10 09:44:35 UTC` (its own offset kept when not UTC)."""
    text = moment.isoformat(sep=" ", timespec="seconds")
    offset = moment.utcoffset()
    return text[:-6] + " UTC" if offset == timedelta(0) and text.endswith("+00:00") else text


def cell_text(value: object, limit: int = CELL) -> str:
    """A value as a person reads it: text as it is, a datetime as a date, None as
    nothing, anything else as a bounded repr; cut at `limit` characters (no limit when 0)."""
    if isinstance(value, datetime):
        text = when(value)
    elif isinstance(value, str):
        text = value
    elif value is None:
        text = ""
    else:
        text = _SHORT.repr(value)
    return cut(text, limit) if limit else text


def arg(name: str, value: object) -> str:
    """`name=value` for a repr: the value's repr (a datetime's readable form, quoted),
    cut to a few dozen characters and kept on one line."""
    if isinstance(value, datetime):
        value = when(value)
    if isinstance(value, str):
        text = repr(cut(" ".join(value.split()), REPR_VALUE))
    else:
        text = cut(" ".join(_SHORT.repr(value).split()), REPR_VALUE)
    return f"{name}={text}"


def line(name: str, parts: Iterable[str]) -> str:
    """A one-line repr: `Name(part, part, ...)`."""
    return f"{name}({', '.join(parts)})"


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    """`1 memory`, `3 memories`: the count and the noun that fits it."""
    return f"{number} {noun if number == 1 else (nouns or noun + 's')}"


def score(value: object) -> object:
    """A 0..1 score to two decimals; a misfit value as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    try:
        return f"{float(value):.2f}"
    except OverflowError:  # an integer past what a float holds
        return value


def table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table with a caption, a header row and at most `ROWS` rows, each cell
    a value shown with `cell_text` and escaped."""
    head = "".join(f"<th style='text-align:left'>{_escape(name)}</th>" for name in header)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows[:ROWS])
    if len(rows) > ROWS:
        body += f"<tr><td colspan='{len(header)}'>… {len(rows) - ROWS} more</td></tr>"
    return f"<table><caption>{_escape(caption)}</caption><tr>{head}</tr>{body}</table>"


def fields_table(caption: str, pairs: Iterable[tuple[str, object]]) -> str:
    """An HTML table of `(name, value)` rows: one record's fields."""
    rows = "".join(
        f"<tr><th style='text-align:left'>{_escape(name)}</th>{_cell(value)}</tr>"
        for name, value in pairs
    )
    return f"<table><caption>{_escape(caption)}</caption>{rows}</table>"


def prose(caption: str, text: object) -> str:
    """An HTML block of running text (a chat answer, a note), whole, its line breaks kept."""
    body = _escape(cell_text(text, limit=0))
    return (
        f"<table><caption>{_escape(caption)}</caption>"
        f"<tr><td style='{CELL_STYLE}'>{body}</td></tr></table>"
    )


def _cell(value: object) -> str:
    return f"<td style='{CELL_STYLE}'>{_escape(cell_text(value))}</td>"
