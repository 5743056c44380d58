"""Turn an envelope's `data` into response models, normalising the known odd shapes.

The pydantic models are imported on first use, so importing the clients stays cheap.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, TypeVar

from .._exceptions import UnexpectedResponseError
from ._envelope import EMPTY

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..types import AddResult, SearchResult, TaskStatus

__all__ = [
    "add_result",
    "initial_status",
    "model",
    "model_list",
    "search_result",
    "task_status",
    "validated",
]

M = TypeVar("M", bound="BaseModel")


def model(cls: type[M], data: Any, path: str) -> M:
    """`data` (an object; None counts as empty) validated as `cls`."""
    return validated(cls, _object({} if data is None else data, path), path)


def model_list(cls: type[M], data: Any, path: str) -> list[M]:
    """`data` (a list of objects; None counts as empty) validated as a list of `cls`."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise UnexpectedResponseError(
            f"{path} answered with data of type {type(data).__name__}, expected a list"
        )
    return [validated(cls, _object(item, path), path) for item in data]


def validated(cls: type[M], data: dict[str, Any], path: str) -> M:
    """`cls.model_validate(data)`, where a null stands for the field's default, and any
    other misfit is an `UnexpectedResponseError` (never a raw pydantic error).

    The null clean-up runs only after a failure, so well-formed answers pay nothing.
    """
    from pydantic import ValidationError

    try:
        return cls.model_validate(data)
    except ValidationError as error:
        problems = error.errors()
    nulls = [tuple(problem["loc"]) for problem in problems if problem["input"] is None]
    if nulls:
        try:
            return cls.model_validate(_without(data, nulls))
        except ValidationError as error:
            problems = error.errors()
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or "data"
    raise UnexpectedResponseError(
        f"{path} answered with data that does not fit {cls.__name__}: {where}: "
        f"{first['msg']} (got {first['input']!r:.80})"
    )


def _without(data: dict[str, Any], locations: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A copy of `data` without the keys at `locations` (so their defaults apply)."""
    cleaned = copy.deepcopy(data)
    for location in locations:
        node: Any = cleaned
        try:
            for part in location[:-1]:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(node, dict):
            node.pop(location[-1], None)
    return cleaned


def add_result(data: Any) -> AddResult | None:
    """The add answer, or None for an accepted 2xx with no body (untrackable)."""
    from ..types._tasks import AddResult

    if data is EMPTY or data is None:
        return None
    return validated(AddResult, _object(data, "add/message"), "add/message")


def initial_status(result: AddResult) -> TaskStatus:
    """The status an add answer implies: `success: false` counts as failed."""
    from ..types._tasks import TaskStatus

    status = "failed" if result.success is False else result.status
    return TaskStatus(task_id=result.task_id, status=status)


def search_result(data: Any) -> SearchResult:
    from ..types._search import SearchResult

    return validated(SearchResult, _object(data or {}, "search/memory"), "search/memory")


def task_status(data: Any, task_id: str) -> TaskStatus:
    """A status reading; the legacy one-element list `[{"status": ...}]` is unwrapped."""
    from ..types._tasks import TaskStatus

    if isinstance(data, list):
        data = data[0] if data else {}
    fields = dict(_object(data or {}, "get/status"))
    if not fields.get("task_id"):
        fields["task_id"] = task_id
    return validated(TaskStatus, fields, "get/status")


def _object(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            f"{path} answered with data of type {type(data).__name__}, expected an object: "
            f"{str(data)[:200]!r}"
        )
    return data
