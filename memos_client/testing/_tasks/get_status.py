"""`POST /get/status`: the state of an `add/message` task (memos-api.md 3.9)."""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import required_str
from .._http._wire import ApiError

__all__ = ["get_status"]


def get_status(call: Call) -> Any:
    """`{task_id, status}`, plus `memory_views` once completed; 50131 for unknown ids."""
    task_id = required_str(call.body, "task_id")
    task = call.store.tasks.get(task_id)
    if task is None:
        raise ApiError(50131, "task not found")
    if call.legacy_status:
        return [{"status": task.status}]
    data: dict[str, Any] = {"task_id": task.id, "status": task.status}
    if task.status == "completed" and task.memory_views is not None:
        data["memory_views"] = task.memory_views
    return data
