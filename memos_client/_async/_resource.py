"""`AsyncResource`: what every group of calls (`client.memories`, ...) is built on.

A resource's methods only declare their signature and name their endpoint; `_call`
makes the request through the client's one call path, and `_paged` / `_walk` turn a
paginated endpoint into a walk over pages.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from ._pages import first_page, walk_pages

if TYPE_CHECKING:
    from .._core._api import Endpoint
    from ..types._base import Page
    from ._client import AsyncMemOS

__all__ = ["AsyncResource"]

P = TypeVar("P")


class AsyncResource:
    """A group of calls on one client."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    async def _call(self, endpoint: Endpoint, params: Mapping[str, Any], *args: Any) -> Any:
        """One call: checked, sent with retries, decoded (see `AsyncAPIClient._call`)."""
        return await self._client._call(endpoint, params, *args)

    def _paged(self, start: Any, endpoint: Endpoint, params: Mapping[str, Any], *args: Any) -> Any:
        """What `list()` returns: the first page (`page=`, default the server's first),
        which walks every item of every page after it when iterated."""
        fetch = partial(self._page, endpoint, params, args)
        return start(partial(first_page, fetch, params.get("page")))

    def _walk(
        self, endpoint: Endpoint, params: Mapping[str, Any], *args: Any
    ) -> AsyncGenerator[Any, None]:
        """What `iter_pages()` returns: every page from `page=` (default 1) on."""
        fetch = partial(self._page, endpoint, params, args)
        return walk_pages(fetch, params.get("page") or 1)

    async def _page(
        self,
        endpoint: Endpoint,
        params: Mapping[str, Any],
        args: tuple[Any, ...],
        number: int | None,
    ) -> Page:
        page: Page = await self._call(endpoint, {**params, "page": number}, *args)
        return page
