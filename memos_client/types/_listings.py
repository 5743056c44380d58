"""Models for stored memories and messages: pages, one memory's detail, message history,
and the plain acknowledgement several write endpoints return."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Any

from pydantic import Field, model_validator

from ._base import AsyncPaginator, Collection, MemOSModel, Page, Timestamped, count, items
from ._search import MemoryItem, MemoryLists

__all__ = [
    "AsyncMemoryPage",
    "MemoryDetail",
    "MemoryPage",
    "Message",
    "MessageHistory",
    "OperationResult",
]


class OperationResult(MemOSModel):
    """The answer of a write that returns only `{success}` (deletes, updates, binds)."""

    success: bool | None = None


class MemoryPage(MemoryLists, Page):
    """One page of a subject's memories (get/memory): one list per kind, plus paging.

    `size` applies per kind, and `total` is the largest count across kinds, so it
    decides whether another page exists.

    `len(page)` counts this page's items. Iterating the page that `memories.list()`
    returned walks every memory of every page from it on, each page's items in the
    order of `MemoryLists`, fetching the next page only when this one is exhausted
    (`async for` on `AsyncMemOS`). See `Page` for copied and unpickled pages.
    """

    total: int | None = None
    size: int | None = None
    current: int | None = None
    """This page's number, from 1."""
    pages: int | None = None

    def next_page(self) -> int | None:
        """The next page number, or None on the last page."""
        current, pages = count(self.current) or 1, self._pages()
        if pages is None:
            return current + 1 if len(self) else None
        return current + 1 if current < pages and len(self) else None

    def _pages(self) -> int | None:
        """How many pages there are: as sent, or worked out from `total` and `size`."""
        pages, total, size = count(self.pages), count(self.total), count(self.size)
        if pages is None and total is not None and size:
            pages = -(-total // size)  # integer ceiling: a float overflows on huge totals
        return pages

    def _position(self) -> tuple[object, object]:
        return self.current, self._pages()

    def __iter__(self) -> Generator[MemoryItem, None, None]:  # type: ignore[override]
        return self._walk()

    def __aiter__(self) -> AsyncGenerator[MemoryItem, None]:
        return self._walk_async()

    def _items(self) -> Iterator[MemoryItem]:
        return MemoryLists.__iter__(self)


class AsyncMemoryPage(AsyncPaginator[MemoryPage, MemoryItem]):
    """What `AsyncMemOS.memories.list()` returns: `await` it for the `MemoryPage`, or
    `async for` over it for every memory of every page, fetched as they are reached."""


class MemoryDetail(MemOSModel):
    """One memory with its origin (GET get/memory/{id}). The shape is not specified by
    MemOS, so every field is optional and unknown ones are kept."""

    id: str | None = None
    memory_id: str | None = None
    memory: str | None = None
    """The memory text."""
    metadata: dict[str, Any] | None = None
    """Type, status, key, tags, times and background, as the server sends them."""
    sources: list[dict[str, Any]] = Field(default_factory=list)
    """The messages the memory came from (each with `role`, `content`, `lang`...): read
    from `metadata.sources`, where MemOS puts them, or from a top-level `sources`."""

    _repr_fields = ("id", "memory_id", "memory")

    @model_validator(mode="before")
    @classmethod
    def _sources_from_metadata(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("sources"):
            metadata = data.get("metadata")
            found = metadata.get("sources") if isinstance(metadata, dict) else None
            if isinstance(found, list):
                return {**data, "sources": found}
        return data


class Message(Timestamped):
    """One stored conversation message."""

    role: str | None = None
    """`user` or `assistant` (other roles may be stored but are not documented)."""
    content: str | None = None
    message_id: str | None = None

    _repr_fields = ("role", "content", "created_at")


class MessageHistory(Collection):
    """A conversation's raw messages (get/message), oldest first; iterating yields them."""

    message_detail_list: list[Message] = Field(default_factory=list)

    _noun = ("message", "messages")
    _columns = ("role", "content", "created")

    def _rows(self) -> list[tuple[object, ...]]:
        return [(message.role, message.content, message.created_at) for message in self]

    @property
    def messages(self) -> list[Message]:
        """Shorthand for `message_detail_list`."""
        return self.message_detail_list

    def __iter__(self) -> Iterator[Message]:  # type: ignore[override]
        return iter(items(self.message_detail_list, Message))

    def __len__(self) -> int:
        return len(items(self.message_detail_list, Message))
