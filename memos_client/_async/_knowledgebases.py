"""`client.knowledgebases` and `client.knowledgebases.files`: document stores searched
with `knowledgebase_ids`, and the files in them (memos-api.md section 3.13).

Uploads return file handles whose `wait()` polls until the file is processed, with
the same deadline and backoff as `Task.wait()`.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import TYPE_CHECKING, Union

from typing_extensions import Unpack

from .. import types as _types
from .._core._api import endpoint
from .._core._checks import SERVER_ID
from .._exceptions import NotFoundError
from ..types._uploads import FileUpload
from ._handle import AsyncHandle
from ._resource import AsyncResource

if TYPE_CHECKING:
    from ..types import (
        CompletedKnowledgeBaseFile,
        KnowledgeBase,
        KnowledgeBaseFile,
        KnowledgeBaseFilePage,
        OperationResult,
    )
    from ..types._knowledgebases import AsyncKnowledgeBaseFilePage
    from ..types._params import (
        CallOptions,
        FileListParams,
        FileUploadParams,
        KnowledgeBaseCreateParams,
    )
    from ._client import AsyncMemOS

__all__ = ["AsyncFileHandle", "AsyncKnowledgeBaseFiles", "AsyncKnowledgeBases"]

FileInput = Union[FileUpload, str, "os.PathLike[str]", bytes]

ADD = endpoint("knowledgebases.files.add")
LIST = endpoint("knowledgebases.files.list")
GET = endpoint("knowledgebases.files.get")
DELETE = endpoint("knowledgebases.files.delete")
UPDATE = endpoint("knowledgebases.files.update")
CREATE = endpoint("knowledgebases.create")
DELETE_KB = endpoint("knowledgebases.delete")


class AsyncFileHandle(AsyncHandle["KnowledgeBaseFile"]):
    """A handle on a knowledge-base file being processed.

    `id`, `status` (`running`, `completed`, `failed`), `last_status` (the
    `KnowledgeBaseFile`), `done`, `refresh()` and
    `wait(timeout=300, on_update=..., progress=False)`,
    which raises `TaskFailedError` if processing failed.
    """

    noun = "file"
    rebind_hint = "client.knowledgebases.files.handle(handle)"

    async def wait(
        self,
        timeout: float | None = 300.0,
        *,
        on_update: Callable[[KnowledgeBaseFile], object] | None = None,
        progress: bool = False,
    ) -> CompletedKnowledgeBaseFile:
        """Poll until processed and return the final record (the same schedule as a task's `wait`).

        Raises `TaskFailedError` if processing failed, `TaskTimeoutError` at the deadline.

        Args:
            timeout: seconds to wait (default 300); `None` waits forever, explicitly.
            on_update: called with each new status while waiting.
            progress: show the wait as it goes: a tqdm bar, or lines on stderr.
        """
        from ..types import CompletedKnowledgeBaseFile

        final = CompletedKnowledgeBaseFile.of(
            await super().wait(timeout, on_update=on_update, progress=progress)
        )
        self._last = final
        return final

    async def _read(self, client: AsyncMemOS, handle_id: str) -> KnowledgeBaseFile:
        return only(handle_id, await client.knowledgebases.files.get([handle_id]))

    async def _poll(self, left: float | None) -> tuple[KnowledgeBaseFile, float | None]:
        handle_id = self._require_id()
        records, reply = await self._bound()._poll(GET, left, [handle_id])
        return only(handle_id, records, reply.http_status), None


def only(
    file_id: str, records: builtins.list[KnowledgeBaseFile], http_status: int = 200
) -> KnowledgeBaseFile:
    """The record of `file_id` in an answer, or `NotFoundError`."""
    for record in records:
        if record.id == file_id:
            return record
    raise NotFoundError(
        f"knowledge-base file {file_id!r} not found (deleted, or not in this project)",
        http_status=http_status,
        method=GET.method,
        path=GET.path,
    )


class AsyncKnowledgeBaseFiles(AsyncResource):
    """`client.knowledgebases.files`: upload, list, read, replace and delete files."""

    async def add(
        self,
        knowledgebase_id: str,
        files: FileInput | Sequence[FileInput],
        **params: Unpack[FileUploadParams],
    ) -> builtins.list[AsyncFileHandle]:
        """Upload documents (or, `type="skill"`, skills) and return one handle per file.

        Each file is a path, a URL, `FileUpload.from_bytes(data, name)` or
        `FileUpload.from_base64(...)`. Local files go as multipart, URLs and base64 as
        JSON (not both in one call). Limits are checked before sending: 20 files,
        100 MB per document, 300 MB per call, skill `.md` 100 KB, `.zip` 20 MB.
        """
        records = await self._call(ADD, params, knowledgebase_id, files)
        return [AsyncFileHandle(self._client, record.id, record) for record in records]

    def list(
        self, knowledgebase_id: str, **params: Unpack[FileListParams]
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

        start = AsyncKnowledgeBaseFilePage._start
        page: AsyncKnowledgeBaseFilePage = self._paged(start, LIST, params, knowledgebase_id)
        return page

    def iter_pages(
        self, knowledgebase_id: str, **params: Unpack[FileListParams]
    ) -> AsyncGenerator[KnowledgeBaseFilePage, None]:
        """Every page from `page` (default 1) on, fetched only as you iterate."""
        return self._walk(LIST, params, knowledgebase_id)

    async def get(
        self, file_ids: Sequence[str], **options: Unpack[CallOptions]
    ) -> builtins.list[KnowledgeBaseFile]:
        """The files with these ids (unknown ids are left out)."""
        files: builtins.list[KnowledgeBaseFile] = await self._call(GET, options, file_ids)
        return files

    async def delete(
        self, file_ids: Sequence[str], **options: Unpack[CallOptions]
    ) -> OperationResult:
        """Delete files and their memories (deleting a skill file deletes the skill)."""
        result: OperationResult = await self._call(DELETE, options, file_ids)
        return result

    async def update(
        self, file_id: str, file: FileInput, **options: Unpack[CallOptions]
    ) -> AsyncFileHandle:
        """Upload a new version of a file; the handle waits for its re-processing."""
        records = await self._call(UPDATE, options, file_id, file)
        record = records[0] if records else _types.KnowledgeBaseFile(id=file_id, status="running")
        return AsyncFileHandle(self._client, record.id or file_id, record)

    def handle(self, file: str | AsyncFileHandle) -> AsyncFileHandle:
        """A handle for a file id, or a re-bound (e.g. unpickled) handle.

        Args:
            file: a file id, or a handle (a `AsyncFileHandle`, or one unpickled elsewhere).
        """
        if isinstance(file, str):
            return AsyncFileHandle(self._client, SERVER_ID("file_id", file))
        return AsyncFileHandle(self._client, file.id, file.last_status)


class AsyncKnowledgeBases(AsyncResource):
    """`client.knowledgebases`: create and unlink knowledge bases; `.files` for files."""

    def __init__(self, client: AsyncMemOS) -> None:
        super().__init__(client)
        self.files = AsyncKnowledgeBaseFiles(client)

    async def create(
        self, knowledgebase_name: str, **params: Unpack[KnowledgeBaseCreateParams]
    ) -> KnowledgeBase:
        """Create a knowledge base linked to this project; search it with its `id`."""
        created: KnowledgeBase = await self._call(CREATE, params, knowledgebase_name)
        return created

    async def delete(
        self, knowledgebase_id: str, **options: Unpack[CallOptions]
    ) -> OperationResult:
        """Unlink a knowledge base from this project (deleting it for good is a console action)."""
        result: OperationResult = await self._call(DELETE_KB, options, knowledgebase_id)
        return result
