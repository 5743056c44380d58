"""The base of every response model: wire names, unknown fields kept, readable output.

Models keep MemOS's own field names so its docs apply. Unknown fields are kept
(`model_extra`), never rejected, so a new server field cannot break an old client.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["MemOSModel", "Timestamped", "to_datetime"]


def to_datetime(value: int | float | str | None) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (int or numeric string) or ISO 8601."""
    if value is None or isinstance(value, bool):
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
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
