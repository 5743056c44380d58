"""What every endpoint handler gets and returns, and the shared vocabulary of views.

A handler is a plain function `(Call) -> data`: it validates `call.body`, reads or
changes `call.store`, and returns the envelope's `data` (or raises `ApiError`).
A handler that must answer outside the envelope (rerank's bare object, chat's
event stream) returns a `FakeResponse` instead, which is sent as it is.
It never sees HTTP, auth or faults, except the fault effects that belong to
the business logic itself (`fate` of a created task, `legacy_status` shape).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._http._multipart import FormPart
from ._memories._views import VIEWS
from ._store import Store
from ._tasks._records import TaskFate

__all__ = ["VIEWS", "BodyKind", "Call", "Handler", "Route"]

BodyKind = Literal["json", "form", "none"]
"""How a route reads its body: a JSON object, JSON or multipart form, or nothing (GET)."""


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it."""

    body: dict[str, Any]
    """The JSON body, or the plain (non-file) fields of a multipart form."""
    store: Store
    fate: TaskFate = "normal"
    """What becomes of a task (or uploaded file) this request creates (fault injection)."""
    legacy_status: bool = False
    """Answer `get/status` in the legacy one-element-list shape (fault injection)."""
    fail_reason: str | None = None
    """Why an injected file failure fails (fault injection)."""
    query: Mapping[str, str] = field(default_factory=dict)
    """The query parameters (first value of each)."""
    params: Mapping[str, str] = field(default_factory=dict)
    """Path parameters, unescaped, e.g. `{"memory_id": ...}`."""
    files: tuple[FormPart, ...] | None = None
    """The file parts of a multipart body; `None` when the body was JSON."""


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Route:
    """An endpoint: its handler, the HTTP methods it accepts, and how it reads its body."""

    handler: Handler
    methods: tuple[str, ...] = ("POST",)
    body: BodyKind = "json"
