"""The search `filter` grammar (memos-api.md 4.3): parsing, validation and matching.

```
filter := {"and": [cond, ...]} | {"or": [cond, ...]}                  # applies to every source
        | {"user": logic, "public": logic, "knowledgebase": logic}     # per source, each optional
cond   := {field: "value"}                                            # agent_id, app_id, info keys
        | {"tags": {"contains": "value"}}
        | {"create_time" | "update_time": {"lt" | "gt" | "lte" | "gte": date, ...}}
```

Nested `and`/`or` is refused, as is `user_id` (scope by the top-level field).
Dates are `"2025-12-10"`, ISO datetimes (naive means UTC) or epoch milliseconds.
A date without a time covers the whole day: `lte "2025-12-10"` includes all of
10 December and `gt "2025-12-10"` starts on the 11th. Every refusal is a 40000
whose message says what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal, Protocol

from .._http._wire import ApiError, bad_request
from ._records import Scope

__all__ = ["CATEGORIES", "Category", "Filter", "Filterable", "parse_filter"]

Category = Literal["user", "public", "knowledgebase"]
CATEGORIES: tuple[Category, ...] = ("user", "public", "knowledgebase")


class Filterable(Protocol):
    """What a filter reads: write-time metadata and times (and `tags`, when a record has them)."""

    @property
    def scope(self) -> Scope: ...

    @property
    def create_time(self) -> int: ...

    @property
    def update_time(self) -> int: ...


Record = Filterable
Predicate = Callable[[Record], bool]

_TIME_FIELDS = ("create_time", "update_time")
_TIME_OPS = ("lt", "gt", "lte", "gte")
_DAY_MS = 86_400_000


@dataclass(frozen=True)
class Filter:
    """A parsed filter: one predicate per source category (absent = unconstrained)."""

    by_category: Mapping[str, Predicate] = field(default_factory=dict)

    def allows(self, record: Record, category: Category) -> bool:
        """Whether `record`, seen as part of `category`, passes the filter."""
        predicate = self.by_category.get(category)
        return predicate is None or predicate(record)


def _invalid(detail: str) -> ApiError:
    return bad_request(f"filter {detail}")


def parse_filter(value: Any) -> Filter:
    """Validate a `filter` value and compile it; `None` means no filter."""
    if value is None:
        return Filter()
    if not isinstance(value, dict) or not value:
        raise _invalid("must be a non-empty object whose root is 'and' or 'or'")
    keys = set(value)
    if keys <= {"and", "or"}:
        predicate = _logic(value, "filter")
        return Filter({category: predicate for category in CATEGORIES})
    if keys <= set(CATEGORIES):
        return Filter({name: _logic(logic, f"filter.{name}") for name, logic in value.items()})
    unknown = ", ".join(sorted(keys - {"and", "or", *CATEGORIES}))
    raise _invalid(
        f"root must be 'and'/'or' or the categories user/public/knowledgebase, not {unknown}"
    )


def _logic(value: Any, where: str) -> Predicate:
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in ("and", "or"):
        raise _invalid(f"{where} must be an object with exactly one key, 'and' or 'or'")
    op, conditions = next(iter(value.items()))
    if not isinstance(conditions, list) or not conditions:
        raise _invalid(f"{where}.{op} must be a non-empty list of conditions")
    predicates = [_condition(cond, f"{where}.{op}[{i}]") for i, cond in enumerate(conditions)]
    if op == "and":
        return lambda record: all(predicate(record) for predicate in predicates)
    return lambda record: any(predicate(record) for predicate in predicates)


def _condition(cond: Any, where: str) -> Predicate:
    if not isinstance(cond, dict) or len(cond) != 1:
        raise _invalid(f"{where} must be an object with exactly one field")
    name, operand = next(iter(cond.items()))
    if name in ("and", "or"):
        raise _invalid(f"{where}: nested 'and'/'or' is not supported (one level only)")
    if name == "user_id":
        raise _invalid(f"{where}: user_id is not a filter field; pass the top-level user_id")
    if name in _TIME_FIELDS:
        return _time_condition(name, operand, where)
    if name == "tags":
        if not isinstance(operand, dict) or set(operand) != {"contains"}:
            raise _invalid(f"{where}: tags supports only {{'contains': <tag>}}")
        wanted = operand["contains"]
        if not isinstance(wanted, str):
            raise _invalid(f"{where}: tags.contains must be a string")
        return lambda record: wanted in getattr(record, "tags", ())
    if not isinstance(operand, str):
        raise _invalid(f"{where}: {name} supports only equality with a string value")
    return _equality(name, operand)


def _equality(name: str, wanted: str) -> Predicate:
    if name == "agent_id":
        return lambda record: wanted in record.scope.agent_ids
    if name == "app_id":
        return lambda record: record.scope.app_id == wanted
    # Any other field is a flattened `info` key; only flat string values are filterable.
    return lambda record: record.scope.info.get(name) == wanted


def _time_condition(name: str, operand: Any, where: str) -> Predicate:
    if not isinstance(operand, dict) or not operand or not set(operand) <= set(_TIME_OPS):
        raise _invalid(f"{where}: {name} needs an object of lt/gt/lte/gte comparisons")
    bounds = [(op, _bound(op, raw, f"{where}.{name}.{op}")) for op, raw in operand.items()]

    def check(record: Record) -> bool:
        stamp = record.create_time if name == "create_time" else record.update_time
        return all(_compare(op, stamp, bound) for op, bound in bounds)

    return check


def _compare(op: str, stamp: int, bound: int) -> bool:
    if op == "lt":
        return stamp < bound
    if op == "lte":
        return stamp <= bound
    if op == "gt":
        return stamp > bound
    return stamp >= bound


def _bound(op: str, raw: Any, where: str) -> int:
    """A comparison bound in epoch ms; whole-day dates widen `lte`/`gt` to the day's end."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return int(raw)
    if not isinstance(raw, str):
        raise _invalid(f"{where} must be a date string like '2025-12-10'")
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            offset = _DAY_MS - 1 if op in ("lte", "gt") else 0
            return int(start.timestamp() * 1000) + offset
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(f"{where}: {raw!r} is not a date like '2025-12-10'") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)
