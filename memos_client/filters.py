"""Build `filter=` values for search, listings and chat (memos-api.md section 4.3).

```python
from memos_client import filters as f

only_exercise = f.all_of(
    f.eq("agent_id", "health_assistant"),
    f.contains("tags", "exercise"),
    f.gte("create_time", "2025-12-01"),
)
client.search("what should I train today?", user_id="u1", filter=only_exercise)
```

MemOS filters are one level deep: a root `and` or `or` over simple conditions, or
that logic per source with `scoped(user=..., public=..., knowledgebase=...)`.
`all_of` / `any_of` take conditions only, so nesting is refused by the type checker
and at run time. A `Filter` is a plain dict, ready to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ._core._validate import fail

__all__ = [
    "Condition",
    "Filter",
    "all_of",
    "any_of",
    "contains",
    "eq",
    "gt",
    "gte",
    "lt",
    "lte",
    "scoped",
]

TIME_FIELDS = ("create_time", "update_time")


@dataclass(frozen=True)
class Condition:
    """One simple condition, e.g. `{"tags": {"contains": "travel"}}`."""

    field: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {self.field: self.value}


class Filter(dict[str, Any]):
    """A complete filter (a dict); build it with `all_of`, `any_of` or `scoped`."""


def eq(field: str, value: str) -> Condition:
    """`field` equals `value`: `agent_id`, `app_id`, or a flat `info` key (e.g. "scene").

    Write `eq("scene", "chat")`, not `{"info": {...}}`; only string values filter.
    Scope by user with the call's `user_id=`, never in a filter.
    """
    _field(field)
    if field == "user_id":
        fail("filter", "user_id is not a filter field; pass user_id= to the call instead")
    if field == "info":
        fail("filter", "filter on an info key directly, e.g. eq('scene', 'chat')")
    if field in TIME_FIELDS or field == "tags":
        fail(
            "filter",
            f"use gt/gte/lt/lte for {field}"
            if field in TIME_FIELDS
            else "use contains('tags', ...)",
        )
    if not isinstance(value, str):
        fail("filter", f"{field}: only string values can be filtered, not {type(value).__name__}")
    return Condition(field, value)


def contains(field: str, value: str) -> Condition:
    """`tags` holds `value`: `contains("tags", "travel")`."""
    if field != "tags":
        fail("filter", f"contains works on tags only, not {field!r}")
    if not isinstance(value, str) or not value:
        fail("filter", "contains needs a non-empty tag string")
    return Condition("tags", {"contains": value})


def gt(field: str, value: str | date | datetime) -> Condition:
    """`create_time` / `update_time` after `value` (a date string like "2025-12-10")."""
    return _range(field, "gt", value)


def gte(field: str, value: str | date | datetime) -> Condition:
    """`create_time` / `update_time` at or after `value`."""
    return _range(field, "gte", value)


def lt(field: str, value: str | date | datetime) -> Condition:
    """`create_time` / `update_time` before `value`."""
    return _range(field, "lt", value)


def lte(field: str, value: str | date | datetime) -> Condition:
    """`create_time` / `update_time` at or before `value`."""
    return _range(field, "lte", value)


def all_of(*conditions: Condition) -> Filter:
    """Every condition holds: `{"and": [...]}`."""
    return Filter({"and": _conditions("all_of", conditions)})


def any_of(*conditions: Condition) -> Filter:
    """At least one condition holds: `{"or": [...]}`."""
    return Filter({"or": _conditions("any_of", conditions)})


def scoped(
    *,
    user: Filter | None = None,
    public: Filter | None = None,
    knowledgebase: Filter | None = None,
) -> Filter:
    """Different logic per memory source: the user's own memories, the project's public
    memory, and knowledge bases (only those in `knowledgebase_ids`). Unset sources are
    not constrained."""
    parts = {"user": user, "public": public, "knowledgebase": knowledgebase}
    chosen = {name: part for name, part in parts.items() if part is not None}
    if not chosen:
        fail("filter", "scoped() needs at least one of user=, public=, knowledgebase=")
    for name, part in chosen.items():
        if not isinstance(part, Filter) or set(part) - {"and", "or"}:
            fail("filter", f"{name}= takes all_of(...) or any_of(...)")
    return Filter({name: dict(part) for name, part in chosen.items()})


def _conditions(name: str, conditions: tuple[Condition, ...]) -> list[dict[str, Any]]:
    if not conditions:
        fail("filter", f"{name}() needs at least one condition")
    for condition in conditions:
        if not isinstance(condition, Condition):
            fail(
                "filter",
                f"{name}() takes conditions only: MemOS filters cannot nest and/or "
                "(one level, or scoped() per source)",
            )
    return [condition.to_dict() for condition in conditions]


def _range(field: str, op: str, value: str | date | datetime) -> Condition:
    if field not in TIME_FIELDS:
        fail("filter", f"{op} works on {' and '.join(TIME_FIELDS)}, not {field!r}")
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    if not isinstance(value, str) or not value:
        fail("filter", f"{field} {op}: pass a date string such as '2025-12-10', or a date")
    return Condition(field, {op: value})


def _field(field: object) -> None:
    if not isinstance(field, str) or not field.strip():
        fail("filter", f"a field name must be a non-empty string, not {field!r}")
