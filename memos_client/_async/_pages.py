"""Walk paginated listings lazily: one request per page, only as far as the caller reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, TypeVar

__all__ = ["walk_pages"]


class Page(Protocol):
    def next_page(self) -> int | None: ...


P = TypeVar("P", bound=Page)


async def walk_pages(fetch: Callable[[int], Awaitable[P]], first: int = 1) -> AsyncIterator[P]:
    """Yield `fetch(first)`, then each next page, until a page says it is the last.

    A page number that does not move forward ends the walk, so a server that
    miscounts its total cannot loop it forever.
    """
    number = first
    while True:
        page = await fetch(number)
        yield page
        following = page.next_page()
        if following is None or following <= number:
            return
        number = following
