"""Walk paginated listings lazily: one request per page, only as far as the caller reads.

`walk_pages` gives pages (`iter_pages`); `first_page` gives one page that walks on by
itself when iterated, item by item (what `list()` returns).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from functools import partial
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ..types._base import Page

__all__ = ["first_page", "pages_after", "walk_pages"]

P = TypeVar("P", bound="Page")
MAX_PAGE = 10**9


async def walk_pages(
    fetch: Callable[[int], Awaitable[P]], first: int = 1
) -> AsyncGenerator[P, None]:
    """Yield `fetch(first)`, then each next page, until a page says it is the last.

    Each generator nested in another is closed by its parent (`aclosing`), so leaving a
    walk early closes the whole chain at once, as trio asks.
    """
    page = await fetch(first)
    yield page
    async with aclosing(pages_after(fetch, page, first)) as rest:
        async for following in rest:
            yield following


async def pages_after(
    fetch: Callable[[int], Awaitable[P]], page: P, number: int
) -> AsyncGenerator[P, None]:
    """Each page after `page` (page `number`), fetched only when the caller asks for it.

    A page number that does not move forward ends the walk, so a server that
    miscounts its total cannot loop it forever.
    """
    while True:
        following = page.next_page()
        if following is None or following <= number or following > MAX_PAGE:
            return  # a page number past what the API takes is the server miscounting
        number = following
        page = await fetch(number)
        yield page


async def first_page(fetch: Callable[[int | None], Awaitable[P]], number: int | None) -> P:
    """Page `number` (None: not sent, the server's first), able to fetch the pages after it.

    Iterating it then walks every item of every page from it on.
    """
    from ..types._base import AsyncMorePages  # the models load with the first answer

    page = await fetch(number)
    page._walk_on(AsyncMorePages(partial(pages_after, fetch, number=number or 1)))
    return page
