"""`client.profiles` and `client.profiles.templates`: structured attributes (属性记忆)
that MemOS keeps per user or agent (memos-api.md section 3.14)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx

from .. import types as _types
from .._core import _decode, _profiles
from .._types import NOT_GIVEN, NotGiven
from ._pages import first_page, walk_pages

if TYPE_CHECKING:
    from ..types import OperationResult, ProfileTemplate, ProfileTemplateDeletion
    from ..types._profiles import AsyncProfileTemplatePage
    from ._client import AsyncMemOS

__all__ = ["AsyncProfileTemplates", "AsyncProfiles"]


class AsyncProfileTemplates:
    """`client.profiles.templates`: define attribute trees and bind them to subjects."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    async def create(
        self,
        name: str,
        metadata: Mapping[str, Any],
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ProfileTemplate:
        """Create a template: a tree at most 3 levels deep whose leaves are
        `{"value": str, "algorithm_updatable": bool}`. Each call creates a new one."""
        spec = _profiles.create_template(name, metadata)
        return await self._client._request(
            spec, _types.ProfileTemplate, timeout, extra_headers, extra_body
        )

    async def update(
        self,
        profile_template_id: str,
        *,
        name: str,
        metadata: Mapping[str, Any],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Replace a template's name and whole tree; changes reach every bound instance,
        and a removed field loses its stored values."""
        spec = _profiles.update_template(profile_template_id, name=name, metadata=metadata)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )

    async def get(
        self,
        profile_template_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ProfileTemplate:
        """One template with its tree and how many subjects it is bound to."""
        spec = _profiles.get_template(profile_template_id)
        options = self._client._options(timeout, extra_headers, extra_body)
        reply = await self._client._send(spec, options)
        return self._client._parse(_template, reply.data, spec.path)

    def list(
        self,
        *,
        page: int | None = None,
        size: int | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncProfileTemplatePage:
        """One page of templates, newest first (page size 1..100, default 10).

        Iterating walks every template of every page from `page` (default 1) on, the
        next page fetched only when the iteration reaches it:

        ```python
        async for template in client.profiles.templates.list(): ...
        page = await client.profiles.templates.list()  # one page: page.profile_templates
        ```
        """
        from ..types._profiles import AsyncProfileTemplatePage

        fetch = partial(
            self._fetch_page,
            size=size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        # `_start`: on the async client the page is fetched when first used; on the
        # sync client, now.
        return AsyncProfileTemplatePage._start(partial(first_page, fetch, page))

    def iter_pages(
        self,
        *,
        page: int | None = None,
        size: int | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncGenerator[_types.ProfileTemplatePage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate."""
        fetch = partial(
            self._fetch_page,
            size=size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        return walk_pages(fetch, page or 1)

    async def _fetch_page(
        self,
        page: int | None,
        *,
        size: int | None,
        timeout: float | httpx.Timeout | None | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
    ) -> _types.ProfileTemplatePage:
        """One page, as requested (`page=None` is not sent)."""
        spec = _profiles.list_templates(page=page, size=size)
        result = await self._client._request(
            spec, _types.ProfileTemplatePage, timeout, extra_headers, extra_body
        )
        if result.current is None:  # paging must not restart at 1 when it is left out
            result.current = page or 1
        return result

    async def delete(
        self,
        profile_template_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ProfileTemplateDeletion:
        """Delete a template and every instance of it."""
        spec = _profiles.delete_template(profile_template_id)
        return await self._client._request(
            spec, _types.ProfileTemplateDeletion, timeout, extra_headers, extra_body
        )

    async def bind(
        self,
        bind_list: Sequence[Mapping[str, str]],
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Bind templates to subjects: `[{"user_id": "u1", "profile_template_id": "t1"}, ...]`
        (or `agent_id`), at most 20 per call. Later conversations fill the values in;
        past ones are not read back."""
        spec = _profiles.bind_templates(bind_list)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )


class AsyncProfiles:
    """`client.profiles`: edit or delete one subject's profile; `.templates` for templates."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client
        self.templates = AsyncProfileTemplates(client)

    async def edit(
        self,
        profile_template_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        remove_fields: Sequence[str] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Set values or lock fields (`metadata`, a partial tree) and/or clear fields
        (`remove_fields`, dotted paths such as `"basic.job"`) of one subject's profile."""
        spec = _profiles.edit_profile(
            profile_template_id,
            user_id=user_id,
            agent_id=agent_id,
            metadata=metadata,
            remove_fields=remove_fields,
        )
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )

    async def delete(
        self,
        profile_template_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Delete one user's or agent's profile for this template."""
        spec = _profiles.delete_profile(profile_template_id, user_id=user_id, agent_id=agent_id)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )


def _template(data: Any, path: str) -> ProfileTemplate:
    """A template answer: the object itself, or wrapped in `profile_template`."""
    if isinstance(data, dict) and isinstance(data.get("profile_template"), dict):
        data = data["profile_template"]
    return _decode.model(_types.ProfileTemplate, data, path)
