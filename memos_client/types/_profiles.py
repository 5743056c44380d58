"""Models for profile templates (memos-api.md section 3.14)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Any

from pydantic import Field

from ._base import AsyncPaginator, MemOSModel, Page, Timestamped, count, items

__all__ = [
    "AsyncProfileTemplatePage",
    "ProfileTemplate",
    "ProfileTemplateDeletion",
    "ProfileTemplatePage",
]


class ProfileTemplate(Timestamped):
    """A profile template: a tree of attributes that MemOS fills in per user or agent."""

    profile_template_id: str | None = None
    name: str | None = None
    project_id: str | None = None
    metadata: dict[str, Any] | None = None
    """The attribute tree; leaves are `{"value": str, "algorithm_updatable": bool}`."""
    instance_count: int | None = None
    """How many users and agents it is bound to."""

    _repr_fields = ("profile_template_id", "name", "instance_count", "created_at")


class ProfileTemplatePage(Page):
    """One page of templates, newest first.

    `len(page)` counts this page's templates. Iterating the page that
    `templates.list()` returned walks every template of every page from it on,
    fetching the next page only when this one is exhausted (`async for` on
    `AsyncMemOS`). See `Page`.
    """

    profile_templates: list[ProfileTemplate] = Field(default_factory=list)
    total: int | None = None
    current: int | None = None
    size: int | None = None
    pages: int | None = None

    _noun = ("template", "templates")
    _columns = ("name", "id", "instances", "created")

    def next_page(self) -> int | None:
        """The next page number, or None on the last page."""
        current, pages = count(self.current) or 1, count(self.pages)
        if not items(self.profile_templates, ProfileTemplate):
            return None
        if pages is None:
            return current + 1
        return current + 1 if current < pages else None

    def _position(self) -> tuple[object, object]:
        return self.current, self.pages

    def _rows(self) -> list[tuple[object, ...]]:
        return [
            (
                template.name,
                template.profile_template_id,
                template.instance_count,
                template.created_at,
            )
            for template in self._items()
        ]

    def __len__(self) -> int:
        return len(items(self.profile_templates, ProfileTemplate))

    def __iter__(self) -> Generator[ProfileTemplate, None, None]:  # type: ignore[override]
        return self._walk()

    def __aiter__(self) -> AsyncGenerator[ProfileTemplate, None]:
        return self._walk_async()

    def _items(self) -> Iterator[ProfileTemplate]:
        return iter(items(self.profile_templates, ProfileTemplate))


class AsyncProfileTemplatePage(AsyncPaginator[ProfileTemplatePage, ProfileTemplate]):
    """What `AsyncMemOS.profiles.templates.list()` returns: `await` it for the
    `ProfileTemplatePage`, or `async for` over it for every template of every page."""


class ProfileTemplateDeletion(MemOSModel):
    """What deleting a template removed."""

    success: bool | None = None
    profile_template_id: str | None = None
    deleted_instances: int | None = None
