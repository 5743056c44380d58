"""Per-call context shared by the sync and async clients, kept in context variables.

A context variable belongs to one thread, and to one asyncio or trio task, so a
client shared across threads or tasks never mixes two calls up.

- `REQUEST_ID`: the request id of the answer the current call just decoded, which
  the call stamps on the result model it returns (`result._request_id`).
- `CAPTURE`: set by `with_raw_response` around one call, to collect the replies it
  received (the last one is the call's raw response).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core._spec import Reply

__all__ = ["CAPTURE", "REQUEST_ID"]

REQUEST_ID: ContextVar[str | None] = ContextVar("memos_client_request_id", default=None)
CAPTURE: ContextVar[list[Reply] | None] = ContextVar("memos_client_capture", default=None)
