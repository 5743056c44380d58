"""Turn an envelope's `data` into response models, normalising the known odd shapes.

The pydantic models are imported on first use, so importing the clients stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from .._exceptions import UnexpectedResponseError
from ._envelope import EMPTY

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..types import AddResult, SearchResult, TaskStatus

__all__ = ["add_result", "initial_status", "model", "model_list", "search_result", "task_status"]

M = TypeVar("M", bound="BaseModel")


def model(cls: type[M], data: Any, path: str) -> M:
    """`data` (an object; None counts as empty) validated as `cls`."""
    return cls.model_validate(_object({} if data is None else data, path))


def model_list(cls: type[M], data: Any, path: str) -> list[M]:
    """`data` (a list of objects; None counts as empty) validated as a list of `cls`."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise UnexpectedResponseError(
            f"{path} answered with data of type {type(data).__name__}, expected a list"
        )
    return [cls.model_validate(_object(item, path)) for item in data]


def add_result(data: Any) -> AddResult | None:
    """The add answer, or None for an accepted 2xx with no body (untrackable)."""
    from ..types._tasks import AddResult

    if data is EMPTY or data is None:
        return None
    return AddResult.model_validate(_object(data, "add/message"))


def initial_status(result: AddResult) -> TaskStatus:
    """The status an add answer implies: `success: false` counts as failed."""
    from ..types._tasks import TaskStatus

    status = "failed" if result.success is False else result.status
    return TaskStatus(task_id=result.task_id, status=status)


def search_result(data: Any) -> SearchResult:
    from ..types._search import SearchResult

    return SearchResult.model_validate(_object(data or {}, "search/memory"))


def task_status(data: Any, task_id: str) -> TaskStatus:
    """A status reading; the legacy one-element list `[{"status": ...}]` is unwrapped."""
    from ..types._tasks import TaskStatus

    if isinstance(data, list):
        data = data[0] if data else {}
    fields = dict(_object(data or {}, "get/status"))
    if not fields.get("task_id"):
        fields["task_id"] = task_id
    return TaskStatus.model_validate(fields)


def _object(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            f"{path} answered with data of type {type(data).__name__}, expected an object: "
            f"{str(data)[:200]!r}"
        )
    return data
