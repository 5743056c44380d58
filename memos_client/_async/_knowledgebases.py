"""`client.knowledgebases` and `client.knowledgebases.files`: document stores searched
with `knowledgebase_ids`, and the files in them (memos-api.md section 3.13).

Uploads return file handles whose `wait()` polls until the file is processed, with
the same deadline and backoff as `Task.wait()`.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Union

import httpx

from .. import types as _types
from .._core import _decode, _knowledgebases
from .._exceptions import NotFoundError
from .._types import NOT_GIVEN, NotGiven
from ..types._uploads import FileUpload
from ._handle import AsyncHandle
from ._pages import first_page, walk_pages

if TYPE_CHECKING:
    from ..types import (
        CompletedKnowledgeBaseFile,
        KnowledgeBase,
        KnowledgeBaseFile,
        OperationResult,
    )
    from ..types._knowledgebases import AsyncKnowledgeBaseFilePage
    from ._client import AsyncMemOS

__all__ = ["AsyncFileHandle", "AsyncKnowledgeBaseFiles", "AsyncKnowledgeBases"]

FileInput = Union[FileUpload, str, "os.PathLike[str]", bytes]


class AsyncFileHandle(AsyncHandle["KnowledgeBaseFile"]):
    """A handle on a knowledge-base file being processed.

    `id`, `status` (`running`, `completed`, `failed`), `last_status` (the
    `KnowledgeBaseFile`), `done`, `refresh()` and `wait(timeout=300, on_update=...)`,
    which raises `TaskFailedError` if processing failed.
    """

    noun = "file"
    rebind_hint = "client.knowledgebases.files.handle(handle)"

    async def wait(
        self,
        timeout: float | None = 300.0,
        *,
        on_update: Callable[[KnowledgeBaseFile], object] | None = None,
    ) -> CompletedKnowledgeBaseFile:
        """Poll until processed and return the final record (see `AsyncHandle.wait`).

        Raises `TaskFailedError` if processing failed, `TaskTimeoutError` at the deadline.
        """
        from ..types import CompletedKnowledgeBaseFile

        final = CompletedKnowledgeBaseFile.of(await super().wait(timeout, on_update=on_update))
        self._last = final
        return final

    async def _read(self, client: AsyncMemOS, handle_id: str) -> KnowledgeBaseFile:
        return await client.knowledgebases.files._fetch(handle_id, None)

    async def _poll(self, left: float | None) -> tuple[KnowledgeBaseFile, float | None]:
        reading = await self._bound().knowledgebases.files._fetch(self._require_id(), left)
        return reading, None


class AsyncKnowledgeBaseFiles:
    """`client.knowledgebases.files`: upload, list, read, replace and delete files."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client

    async def add(
        self,
        knowledgebase_id: str,
        files: FileInput | Sequence[FileInput],
        *,
        type: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> builtins.list[AsyncFileHandle]:
        """Upload documents (or, `type="skill"`, skills) and return one handle per file.

        Each file is a path, a URL, `FileUpload.from_bytes(data, name)` or
        `FileUpload.from_base64(...)`. Local files go as multipart, URLs and base64 as
        JSON (not both in one call). Limits are checked before sending: 20 files,
        100 MB per document, 300 MB per call, skill `.md` 100 KB, `.zip` 20 MB.
        """
        uploads = [FileUpload.coerce(item) for item in _as_list(files)]
        spec = _knowledgebases.add_files(knowledgebase_id, uploads, type=type)
        reply = await self._client._send(
            spec, self._client._options(timeout, extra_headers, extra_body)
        )
        records = self._client._parse(_files, reply.data, spec.path)
        return [AsyncFileHandle(self._client, record.id, record) for record in records]

    def list(
        self,
        knowledgebase_id: str,
        *,
        type: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncKnowledgeBaseFilePage:
        """One page of a knowledge base's files (get/knowledgebase-file; page size 1..100).

        Iterating walks every file of every page from `page` (default 1) on, the
        next page fetched only when the iteration reaches it:

        ```python
        async for file in client.knowledgebases.files.list(kb_id): ...
        page = await client.knowledgebases.files.list(kb_id)  # one page: page.files
        ```
        """
        from ..types._knowledgebases import AsyncKnowledgeBaseFilePage

        fetch = partial(
            self._fetch_page,
            knowledgebase_id,
            type=type,
            page_size=page_size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        # `_start`: on the async client the page is fetched when first used; on the
        # sync client, now.
        return AsyncKnowledgeBaseFilePage._start(partial(first_page, fetch, page))

    def iter_pages(
        self,
        knowledgebase_id: str,
        *,
        type: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncGenerator[_types.KnowledgeBaseFilePage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate."""
        fetch = partial(
            self._fetch_page,
            knowledgebase_id,
            type=type,
            page_size=page_size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_body=extra_body,
        )
        return walk_pages(fetch, page or 1)

    async def _fetch_page(
        self,
        knowledgebase_id: str,
        page: int | None,
        *,
        type: str | None,
        page_size: int | None,
        timeout: float | httpx.Timeout | None | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, Any] | None,
    ) -> _types.KnowledgeBaseFilePage:
        """One page, as requested (`page=None` is not sent)."""
        spec = _knowledgebases.list_files(
            knowledgebase_id, type=type, page=page, page_size=page_size
        )
        result = await self._client._request(
            spec, _types.KnowledgeBaseFilePage, timeout, extra_headers, extra_body
        )
        if result.page is None:  # paging must not restart at 1 when it is left out
            result.page = page or 1
        return result

    async def get(
        self,
        file_ids: Sequence[str],
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> builtins.list[KnowledgeBaseFile]:
        """The files with these ids (unknown ids are left out)."""
        spec = _knowledgebases.get_files(file_ids)
        reply = await self._client._send(
            spec, self._client._options(timeout, extra_headers, extra_body)
        )
        return self._client._parse(_files, reply.data, spec.path)

    async def delete(
        self,
        file_ids: Sequence[str],
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Delete files and their memories (deleting a skill file deletes the skill)."""
        spec = _knowledgebases.delete_files(file_ids)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )

    async def update(
        self,
        file_id: str,
        file: FileInput,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncFileHandle:
        """Upload a new version of a file; the handle waits for its re-processing."""
        spec = _knowledgebases.update_file(file_id, FileUpload.coerce(file))
        reply = await self._client._send(
            spec, self._client._options(timeout, extra_headers, extra_body)
        )
        records = self._client._parse(_files, reply.data, spec.path)
        record = records[0] if records else _types.KnowledgeBaseFile(id=file_id, status="running")
        return AsyncFileHandle(self._client, record.id or file_id, record)

    def handle(self, file: str | AsyncFileHandle) -> AsyncFileHandle:
        """A handle for a file id, or a re-bound (e.g. unpickled) handle."""
        if isinstance(file, str):
            return AsyncFileHandle(self._client, _knowledgebases._id("file_id", file))
        return AsyncFileHandle(self._client, file.id, file.last_status)

    async def _fetch(self, file_id: str, left: float | None) -> KnowledgeBaseFile:
        """One status read for a handle; with `left`, a poll (no retries, capped timeout)."""
        spec = _knowledgebases.get_files([file_id])
        options = (
            self._client._poll_options(left)
            if left is not None
            else self._client._options(NOT_GIVEN, None, None)
        )
        reply = await self._client._send(spec, options)
        for record in self._client._parse(_files, reply.data, spec.path):
            if record.id == file_id:
                return record
        raise NotFoundError(
            f"knowledge-base file {file_id!r} not found (deleted, or not in this project)",
            http_status=reply.http_status,
            method=spec.method,
            path=spec.path,
        )


class AsyncKnowledgeBases:
    """`client.knowledgebases`: create and unlink knowledge bases; `.files` for files."""

    def __init__(self, client: AsyncMemOS) -> None:
        self._client = client
        self.files = AsyncKnowledgeBaseFiles(client)

    async def create(
        self,
        knowledgebase_name: str,
        *,
        knowledgebase_description: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> KnowledgeBase:
        """Create a knowledge base linked to this project; search it with its `id`."""
        spec = _knowledgebases.create_knowledgebase(
            knowledgebase_name, knowledgebase_description=knowledgebase_description
        )
        return await self._client._request(
            spec, _types.KnowledgeBase, timeout, extra_headers, extra_body
        )

    async def delete(
        self,
        knowledgebase_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> OperationResult:
        """Unlink a knowledge base from this project (deleting it for good is a console action)."""
        spec = _knowledgebases.delete_knowledgebase(knowledgebase_id)
        return await self._client._request(
            spec, _types.OperationResult, timeout, extra_headers, extra_body
        )


def _as_list(files: FileInput | Sequence[FileInput]) -> builtins.list[FileInput]:
    """One file, or several: a single path or URL string is one file, not a sequence."""
    if isinstance(files, (str, bytes, bytearray, os.PathLike, FileUpload)):
        return [files]
    return builtins.list(files)


def _files(data: Any, path: str) -> builtins.list[KnowledgeBaseFile]:
    """The file records of an answer: a list (current), `file_detail_list`, or one object."""
    if isinstance(data, dict):
        data = data.get("file_detail_list", [data]) if data else []
    return _decode.model_list(_types.KnowledgeBaseFile, data, path)
