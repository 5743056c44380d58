"""`client.memories`, `client.messages` and `client.feedback`: stored memories and
messages, and natural-language corrections (memos-api.md sections 3.3 to 3.8)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

from typing_extensions import Unpack

from .._core._api import endpoint
from ._resource import AsyncResource

if TYPE_CHECKING:
    from ..types import MemoryDetail, MemoryPage, MessageHistory, OperationResult
    from ..types._listings import AsyncMemoryPage
    from ..types._params import (
        FeedbackParams,
        MemoryDeleteParams,
        MemoryListParams,
        MemoryUpdateParams,
        MessageListParams,
        RequestOptions,
    )
    from ._task import AsyncTask

__all__ = ["AsyncFeedback", "AsyncMemories", "AsyncMessages"]

LIST = endpoint("memories.list")
GET = endpoint("memories.get")
DELETE = endpoint("memories.delete")
UPDATE = endpoint("memories.update")
MESSAGES = endpoint("messages.list")
FEEDBACK = endpoint("feedback.add")


class AsyncMemories(AsyncResource):
    """`client.memories`: list, read, update and delete stored memories."""

    def list(self, **params: Unpack[MemoryListParams]) -> AsyncMemoryPage:
        """One page of a user's (or agent's) memories (get/memory), and a way to all of them.

        `size` (at most 50) applies per kind. Iterating walks every memory of every
        page from `page` (default 1) on, each page's facts first, then preferences,
        tool memories, skills, events and profile attributes; the next page is
        fetched only when the iteration reaches it:

        ```python
        async for memory in client.memories.list(user_id="u1"): ...
        page = await client.memories.list(user_id="u1", page=2)  # one page: page.memories
        ```
        """
        from ..types._listings import AsyncMemoryPage  # the models load on first use

        # On the async client the page is fetched when first used; on the sync one, now.
        page: AsyncMemoryPage = self._paged(AsyncMemoryPage._start, LIST, params)
        return page

    def iter_pages(self, **params: Unpack[MemoryListParams]) -> AsyncGenerator[MemoryPage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate.

        ```python
        async for page in client.memories.iter_pages(user_id="u1", size=50):
            for memory in page.memories: ...
        ```
        """
        return self._walk(LIST, params)

    async def get(self, memory_id: str, **options: Unpack[RequestOptions]) -> MemoryDetail:
        """One memory with the messages it came from (`GET get/memory/{id}`).

        Profile attributes cannot be read this way (use `list` with view `profile`).
        """
        memory: MemoryDetail = await self._call(GET, options, memory_id)
        return memory

    async def delete(self, **params: Unpack[MemoryDeleteParams]) -> OperationResult:
        """Delete some memories by id, or ALL of one user's or agent's (delete/memory).

        Pass exactly one of `memory_ids`, `user_id` or `agent_id`.
        """
        result: OperationResult = await self._call(DELETE, params)
        return result

    async def update(self, memory_id: str, **params: Unpack[MemoryUpdateParams]) -> OperationResult:
        """Edit one memory by hand: its text, its title, and/or its status (update/memory)."""
        result: OperationResult = await self._call(UPDATE, params, memory_id)
        return result


class AsyncMessages(AsyncResource):
    """`client.messages`: a conversation's raw message history."""

    async def list(self, **params: Unpack[MessageListParams]) -> MessageHistory:
        """The conversation's latest messages, oldest first (get/message; 1..50, default 6)."""
        history: MessageHistory = await self._call(MESSAGES, params)
        return history


class AsyncFeedback(AsyncResource):
    """`client.feedback`: correct memories in plain language."""

    async def add(self, feedback_content: str, **params: Unpack[FeedbackParams]) -> AsyncTask:
        """Send a correction ("replace X with Y", or "the user moved in May"); MemOS
        decides which memories to edit or add (add/feedback). Returns a `Task`: feedback
        is always processed asynchronously, and `wait()` waits for it like an add."""
        task: AsyncTask = await self._call(FEEDBACK, params, feedback_content)
        return task
