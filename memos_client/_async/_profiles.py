"""`client.profiles` and `client.profiles.templates`: structured attributes (属性记忆)
that MemOS keeps per user or agent (memos-api.md section 3.14)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from .._core._api import endpoint
from ._resource import AsyncResource

if TYPE_CHECKING:
    from ..types import (
        OperationResult,
        ProfileTemplate,
        ProfileTemplateDeletion,
        ProfileTemplatePage,
    )
    from ..types._params import (
        CallOptions,
        ProfileEditParams,
        ProfileSubjectParams,
        TemplateListParams,
        TemplateUpdateParams,
    )
    from ..types._profiles import AsyncProfileTemplatePage
    from ._client import AsyncMemOS

__all__ = ["AsyncProfileTemplates", "AsyncProfiles"]

CREATE = endpoint("profiles.templates.create")
UPDATE = endpoint("profiles.templates.update")
GET = endpoint("profiles.templates.get")
LIST = endpoint("profiles.templates.list")
DELETE = endpoint("profiles.templates.delete")
BIND = endpoint("profiles.templates.bind")
EDIT = endpoint("profiles.edit")
DELETE_PROFILE = endpoint("profiles.delete")


class AsyncProfileTemplates(AsyncResource):
    """`client.profiles.templates`: define attribute trees and bind them to subjects."""

    async def create(
        self, name: str, metadata: Mapping[str, Any], **options: Unpack[CallOptions]
    ) -> ProfileTemplate:
        """Create a template: a tree at most 3 levels deep whose leaves are
        `{"value": str, "algorithm_updatable": bool}`. Each call creates a new one."""
        template: ProfileTemplate = await self._call(CREATE, options, name, metadata)
        return template

    async def update(
        self, profile_template_id: str, **params: Unpack[TemplateUpdateParams]
    ) -> OperationResult:
        """Replace a template's name and whole tree; changes reach every bound instance,
        and a removed field loses its stored values."""
        result: OperationResult = await self._call(UPDATE, params, profile_template_id)
        return result

    async def get(
        self, profile_template_id: str, **options: Unpack[CallOptions]
    ) -> ProfileTemplate:
        """One template with its tree and how many subjects it is bound to."""
        template: ProfileTemplate = await self._call(GET, options, profile_template_id)
        return template

    def list(self, **params: Unpack[TemplateListParams]) -> AsyncProfileTemplatePage:
        """One page of templates, newest first (page size 1..100, default 10).

        Iterating walks every template of every page from `page` (default 1) on, the
        next page fetched only when the iteration reaches it:

        ```python
        async for template in client.profiles.templates.list(): ...
        page = await client.profiles.templates.list()  # one page: page.profile_templates
        ```
        """
        from ..types._profiles import AsyncProfileTemplatePage

        page: AsyncProfileTemplatePage = self._paged(AsyncProfileTemplatePage._start, LIST, params)
        return page

    def iter_pages(
        self, **params: Unpack[TemplateListParams]
    ) -> AsyncGenerator[ProfileTemplatePage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate."""
        return self._walk(LIST, params)

    async def delete(
        self, profile_template_id: str, **options: Unpack[CallOptions]
    ) -> ProfileTemplateDeletion:
        """Delete a template and every instance of it."""
        deletion: ProfileTemplateDeletion = await self._call(DELETE, options, profile_template_id)
        return deletion

    async def bind(
        self, bind_list: Sequence[Mapping[str, str]], **options: Unpack[CallOptions]
    ) -> OperationResult:
        """Bind templates to subjects: `[{"user_id": "u1", "profile_template_id": "t1"}, ...]`
        (or `agent_id`), at most 20 per call. Later conversations fill the values in;
        past ones are not read back."""
        result: OperationResult = await self._call(BIND, options, bind_list)
        return result


class AsyncProfiles(AsyncResource):
    """`client.profiles`: edit or delete one subject's profile; `.templates` for templates."""

    def __init__(self, client: AsyncMemOS) -> None:
        super().__init__(client)
        self.templates = AsyncProfileTemplates(client)

    async def edit(
        self, profile_template_id: str, **params: Unpack[ProfileEditParams]
    ) -> OperationResult:
        """Set values or lock fields (`metadata`, a partial tree) and/or clear fields
        (`remove_fields`, dotted paths such as `"basic.job"`) of one subject's profile."""
        result: OperationResult = await self._call(EDIT, params, profile_template_id)
        return result

    async def delete(
        self, profile_template_id: str, **params: Unpack[ProfileSubjectParams]
    ) -> OperationResult:
        """Delete one user's or agent's profile for this template."""
        result: OperationResult = await self._call(DELETE_PROFILE, params, profile_template_id)
        return result
