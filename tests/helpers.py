"""Constants and small builders shared by the tests."""

from __future__ import annotations

import json
from typing import Any

import httpx

BASE_URL = "https://memos.test/api/openmem/v1"
API_KEY = "sk-test-0123456789abcdef"
MESSAGES = [{"role": "user", "content": "I booked a trip to Guangzhou for the summer"}]


def envelope(data: Any = None, code: int = 0, message: str = "ok") -> dict[str, Any]:
    return {"code": code, "data": data, "message": message}


def ok(data: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=envelope(data), headers=headers)


def business_error(code: int, message: str = "no", status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=envelope(None, code, message))


def accepted(task_id: str = "t1", status: str = "running") -> httpx.Response:
    return ok({"success": True, "task_id": task_id, "status": status})


def status(state: str | None, task_id: str = "t1", **extra: Any) -> httpx.Response:
    return ok({"task_id": task_id, "status": state, **extra})


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)
