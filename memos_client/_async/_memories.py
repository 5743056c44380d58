"""`client.memories`, `client.messages` and `client.feedback`: stored memories and
messages, and natural-language corrections (memos-api.md sections 3.3 to 3.8)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx

from .. import types as _types
from .._core import _decode, _memories
from .._types import NOT_GIVEN, NotGiven
from ._pages import first_page, walk_pages
from ._task import AsyncTask

if TYPE_CHECKING:
    from ..types import MemoryDetail, MessageHistory, OperationResult
    from ..types._listings import AsyncMemoryPage
    from ._client import AsyncMemOS

__all__ = ["AsyncFeedback", "AsyncMemories", "AsyncMessages"]


class AsyncMemories:
    """`client.memories`: list, read, update and delete stored memories."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    def list(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        page: int | None = None,
        size: int | None = None,
        filter: Mapping[str, Any] | None = None,
        include_preference: bool | None = None,
        include_tool_memory: bool | None = None,
        include_memory_view: Sequence[str] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncMemoryPage:
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

        fetch = partial(
            self._fetch_page,
            user_id=user_id,
            agent_id=agent_id,
            size=size,
            filter=filter,
            include_preference=include_preference,
            include_tool_memory=include_tool_memory,
            include_memory_view=include_memory_view,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        # `_start`: on the async client the page is fetched when first used; on the
        # sync client, now.
        return AsyncMemoryPage._start(partial(first_page, fetch, page))

    def iter_pages(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        page: int | None = None,
        size: int | None = None,
        filter: Mapping[str, Any] | None = None,
        include_preference: bool | None = None,
        include_tool_memory: bool | None = None,
        include_memory_view: Sequence[str] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncGenerator[_types.MemoryPage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate.

        ```python
        async for page in client.memories.iter_pages(user_id="u1", size=50):
            for memory in page.memories: ...
        ```
        """
        fetch = partial(
            self._fetch_page,
            user_id=user_id,
            agent_id=agent_id,
            size=size,
            filter=filter,
            include_preference=include_preference,
            include_tool_memory=include_tool_memory,
            include_memory_view=include_memory_view,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        return walk_pages(fetch, page or 1)

    async def _fetch_page(
        self,
        page: int | None,
        *,
        user_id: str | None,
        agent_id: str | None,
        size: int | None,
        filter: Mapping[str, Any] | None,
        include_preference: bool | None,
        include_tool_memory: bool | None,
        include_memory_view: Sequence[str] | None,
        timeout: float | httpx.Timeout | None | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
    ) -> _types.MemoryPage:
        """One page, as requested (`page=None` is not sent)."""
        spec = _memories.list_memories(
            user_id=user_id,
            agent_id=agent_id,
            page=page,
            size=size,
            filter=filter,
            include_preference=include_preference,
            include_tool_memory=include_tool_memory,
            include_memory_view=include_memory_view,
        )
        result = await self._client._request(
            spec, _types.MemoryPage, timeout, extra_headers, extra_body
        )
        if result.current is None:  # paging must not restart at 1 when it is left out
            result.current = page or 1
        return result

    async def get(
        self,
        memory_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> MemoryDetail:
        """One memory with the messages it came from (`GET get/memory/{id}`).

        Profile attributes cannot be read this way (use `list` with view `profile`).
        """
        spec = _memories.get_memory(memory_id)
        options = self._client._options(timeout, extra_headers, None)
        reply = await self._client._send(spec, options)
        return self._client._parse(_decode.model, _types.MemoryDetail, reply.data, spec.path)

    async def delete(
        self,
        *,
        memory_ids: Sequence[str] | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Delete some memories by id, or ALL of one user's or agent's (delete/memory).

        Pass exactly one of `memory_ids`, `user_id` or `agent_id`.
        """
        spec = _memories.delete_memories(memory_ids=memory_ids, user_id=user_id, agent_id=agent_id)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )

    async def update(
        self,
        memory_id: str,
        *,
        content: str | None = None,
        title: str | None = None,
        status: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Edit one memory by hand: its text, its title, and/or its status (update/memory)."""
        spec = _memories.update_memory(memory_id, content=content, title=title, status=status)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )


class AsyncMessages:
    """`client.messages`: a conversation's raw message history."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    async def list(
        self,
        *,
        user_id: str,
        conversation_id: str,
        message_limit_number: int | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> MessageHistory:
        """The conversation's latest messages, oldest first (get/message; 1..50, default 6)."""
        spec = _memories.list_messages(
            user_id=user_id,
            conversation_id=conversation_id,
            message_limit_number=message_limit_number,
        )
        return await self._client._request(
            spec, _types.MessageHistory, timeout, extra_headers, extra_body
        )


class AsyncFeedback:
    """`client.feedback`: correct memories in plain language."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    async def add(
        self,
        feedback_content: str,
        *,
        user_id: str,
        conversation_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
        feedback_time: str | None = None,
        allow_public: bool | None = None,
        allow_knowledgebase_ids: Sequence[str] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncTask:
        """Send a correction ("replace X with Y", or "the user moved in May"); MemOS
        decides which memories to edit or add (add/feedback). Returns a `Task`: feedback
        is always processed asynchronously, and `wait()` waits for it like an add."""
        spec = _memories.add_feedback(
            feedback_content,
            user_id=user_id,
            conversation_id=conversation_id,
            agent_id=agent_id,
            app_id=app_id,
            feedback_time=feedback_time,
            allow_public=allow_public,
            allow_knowledgebase_ids=allow_knowledgebase_ids,
        )
        options = self._client._options(timeout, extra_headers, extra_body)
        reply = await self._client._send(spec, options)
        result = self._client._parse(_decode.add_result, reply.data)
        return self._client._task_from(result, reply.http_status)
