"""Message records: the raw messages of a turn, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._memories._records import Scope

__all__ = ["StoredMessage"]


@dataclass(frozen=True)
class StoredMessage:
    """One raw message as written by `add/message`, kept for `get/message`."""

    id: str
    role: str
    content: str
    chat_time: str | None
    create_time: int
    conversation_id: str
    scope: Scope
    task_id: str
    raw: dict[str, Any]
