"""TypedDicts for request options shared by several calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import TypedDict

__all__ = ["ChatOptions"]


class ChatOptions(TypedDict, total=False):
    """The optional fields of `chat` and `chat_stream` (memos-api.md section 3.10).

    Unset fields are not sent, so the server's defaults apply.
    """

    filter: Mapping[str, Any]
    """Which memories to recall from (see `memos_client.filters`)."""
    knowledgebase_ids: Sequence[str]
    """Knowledge bases to recall from, or `["all"]`."""
    memory_limit_number: int
    """At most this many facts (1..25; server default 9)."""
    include_preference: bool
    """Recall preferences too (server default True)."""
    preference_limit_number: int
    """At most this many preferences (1..25)."""
    relativity: float
    """Minimum relevance of a recalled memory, 0..1 (server default 0.45)."""
    model_name: str
    """e.g. `qwen2.5-72b-instruct` (default), `qwen3-32b`, `deepseek-r1`."""
    system_prompt: str
    """Your system prompt; `{memories}` marks where recalled memories go."""
    max_tokens: int
    """Answer length cap (server default 8192)."""
    temperature: float
    """0..2 (server default 0.7)."""
    top_p: float
    """0..1 (server default 0.95)."""
    add_message_on_answer: bool
    """Write this turn to memory (server default True). False makes chat side-effect free."""
    app_id: str
    agent_id: str
    tags: Sequence[str]
    info: Mapping[str, str]
    allow_public: bool
    allow_knowledgebase_ids: Sequence[str]
