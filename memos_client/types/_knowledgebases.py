"""Models for knowledge bases and their files (memos-api.md section 3.13)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Literal, TypeAlias

from pydantic import Field, field_validator

from ._base import AsyncPaginator, MemOSModel, Page, count, items, retyped

__all__ = [
    "AsyncKnowledgeBaseFilePage",
    "FileStatus",
    "KnowledgeBase",
    "KnowledgeBaseFile",
    "KnowledgeBaseFilePage",
]

FileStatus: TypeAlias = Literal["running", "completed", "failed"] | str


class KnowledgeBase(MemOSModel):
    """A knowledge base, as create/knowledgebase answers it."""

    id: str


class KnowledgeBaseFile(MemOSModel):
    """One knowledge-base file and its processing state."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    """`document` or `skill`."""
    status: FileStatus | None = None
    """`running` -> `completed` | `failed`. Older servers' `PROCESSING` reads as `running`."""
    size: str | None = None
    """The size as get/knowledgebase-file reports it (a string)."""
    size_mb: float | str | None = Field(default=None, alias="sizeMB")
    """The size in MB as add/knowledgebase-file reports it."""

    _repr_fields = ("id", "name", "status")

    @field_validator("status", mode="before")
    @classmethod
    def _normalise_status(cls, value: object) -> object:
        if isinstance(value, str) and value.upper() in {"PROCESSING", "RUNNING", "PENDING"}:
            return "running"
        if isinstance(value, str) and value.upper() in {"COMPLETED", "FAILED"}:
            return value.lower()
        return value

    @field_validator("size", mode="before")
    @classmethod
    def _size_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float)) else value


class KnowledgeBaseFilePage(Page):
    """One page of a knowledge base's files.

    `len(page)` counts this page's files. Iterating the page that `files.list()`
    returned walks every file of every page from it on, fetching the next page only
    when this one is exhausted (`async for` on `AsyncMemOS`). See `Page`.
    """

    file_detail_list: list[KnowledgeBaseFile] = Field(default_factory=list)
    total: int | None = None
    page: int | None = None
    page_size: int | None = None

    _noun = ("file", "files")
    _columns = ("name", "type", "status", "size", "id")

    @property
    def files(self) -> list[KnowledgeBaseFile]:
        return self.file_detail_list

    def next_page(self) -> int | None:
        """The next page number, or None on the last page."""
        page, total, size = count(self.page) or 1, count(self.total), count(self.page_size)
        if not items(self.file_detail_list, KnowledgeBaseFile):
            return None
        if total is None or not size:
            return page + 1
        return page + 1 if page * size < total else None

    def _position(self) -> tuple[object, object]:
        total, size = count(self.total), count(self.page_size)
        return self.page, -(-total // size) if total is not None and size else None

    def _rows(self) -> list[tuple[object, ...]]:
        return [
            (file.name, file.type, file.status, file.size or file.size_mb, file.id)
            for file in self._items()
        ]

    def __len__(self) -> int:
        return len(items(self.file_detail_list, KnowledgeBaseFile))

    def __iter__(self) -> Generator[KnowledgeBaseFile, None, None]:  # type: ignore[override]
        return self._walk()

    def __aiter__(self) -> AsyncGenerator[KnowledgeBaseFile, None]:
        return self._walk_async()

    def _items(self) -> Iterator[KnowledgeBaseFile]:
        return iter(items(self.file_detail_list, KnowledgeBaseFile))


class AsyncKnowledgeBaseFilePage(AsyncPaginator[KnowledgeBaseFilePage, KnowledgeBaseFile]):
    """What `AsyncMemOS.knowledgebases.files.list()` returns: `await` it for the
    `KnowledgeBaseFilePage`, or `async for` over it for every file of every page."""


class CompletedKnowledgeBaseFile(KnowledgeBaseFile):
    """What a file handle's `wait()` returns: processed, and not failed, so its `status`
    type says so. (`wait()` raises `TaskFailedError` for a failed file.)"""

    status: Literal["completed"] = "completed"  # pyright: ignore[reportIncompatibleVariableOverride]

    @classmethod
    def of(cls, reading: KnowledgeBaseFile) -> CompletedKnowledgeBaseFile:
        """`reading` as a `CompletedKnowledgeBaseFile`, nothing re-checked."""
        return retyped(cls, reading)
