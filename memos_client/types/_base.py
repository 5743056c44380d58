"""The base of every response model: wire names, unknown fields kept, readable output.

Models keep MemOS's own field names so its docs apply. Unknown fields are kept
(`model_extra`), never rejected, so a new server field cannot break an old client.
A field whose value did not fit its type keeps the value as sent (see
`memos_client._core._decode`), so the helpers here read fields through `items()`
and `count()`, which treat a misfit as absent instead of failing.
"""

from __future__ import annotations

import html
import reprlib
from datetime import datetime, timezone
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["MemOSModel", "Timestamped", "count", "items", "to_datetime"]

# Pickling walks nested containers recursively and fails near 500 levels; a model's
# values deeper than this are replaced by a marker when it is pickled.
MAX_PICKLE_DEPTH = 200
T = TypeVar("T")


def items(value: object, kind: type[T]) -> list[T]:
    """The `kind` items of a list field; a misfit value or item counts as absent."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, kind)]


def count(value: object) -> int | None:
    """An integer field as an int; None when absent or a misfit."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def to_datetime(value: int | float | str | None) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (int or numeric string) or ISO 8601."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    try:
        return datetime.fromtimestamp(value / 1000.0, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):  # out of range, or NaN
        return None


class MemOSModel(BaseModel):
    """Base class of the response models."""

    # Unknown fields are kept; an id or code sent as a number still reads as a string.
    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        return {name: _bounded(value, 0) for name, value in state.items()}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
            f"<td>{html.escape(_short(value))}</td></tr>"
            for name, value in self
            if value not in (None, [], {}, "")
        )
        return f"<table><caption>{type(self).__name__}</caption>{rows}</table>"


class Timestamped(MemOSModel):
    """A model with MemOS's `create_time` / `update_time` (epoch ms in practice)."""

    create_time: int | float | str | None = None
    """Creation time as sent: epoch milliseconds in practice, ISO 8601 in the spec."""
    update_time: int | float | str | None = None
    """Last update time as sent; see `create_time`."""

    @property
    def created_at(self) -> datetime | None:
        """`create_time` as an aware UTC datetime (None when absent or unreadable)."""
        return to_datetime(self.create_time)

    @property
    def updated_at(self) -> datetime | None:
        """`update_time` as an aware UTC datetime (None when absent or unreadable)."""
        return to_datetime(self.update_time)


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else _SHORT.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist = 4, 300, 300, 20


def _bounded(value: Any, depth: int) -> Any:
    if isinstance(value, (dict, list)):
        if depth >= MAX_PICKLE_DEPTH:
            return "<nested too deeply>"
        if isinstance(value, dict):
            return {key: _bounded(item, depth + 1) for key, item in value.items()}
        return [_bounded(item, depth + 1) for item in value]
    return value
