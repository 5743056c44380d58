"""Knowledge-base uploads: the documented limits, and the request an upload becomes.

Uploads are checked before anything is sent: at most 20 files and 300 MB per call,
100 MB per document, and for skills a `.md` of at most 100 KB or a `.zip` of at most
20 MB. Local files (paths, bytes) go as multipart with `knowledgebase_id` and `type`
in the query; URLs and base64 go as JSON (not both in one call).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..types._uploads import EXTENSION_TYPES, FileUpload
from . import _validate as check
from ._spec import RequestSpec, UploadPart, compact

if TYPE_CHECKING:
    from ._api import Endpoint

__all__ = ["as_uploads", "upload_request"]

MB = 1024 * 1024
MAX_FILES = 20
MAX_DOCUMENT_BYTES = 100 * MB
MAX_CALL_BYTES = 300 * MB
EXTENSIONS = {
    "document": ("pdf", "docx", "doc", "txt", "json", "md", "xml"),
    "skill": ("md", "zip"),
}
ALL_EXTENSIONS = (*EXTENSIONS["document"], "zip")
SKILL_LIMITS = {"md": 100 * 1024, "zip": 20 * MB}


def as_uploads(field: str, value: Any) -> list[FileUpload]:
    """One file or several: a single path or URL string is one file, not a sequence."""
    if isinstance(value, (str, bytes, bytearray, os.PathLike, FileUpload)):
        value = [value]
    elif not isinstance(value, Sequence):
        check.fail(field, f"must be a file or a list of files, not {type(value).__name__}")
    uploads = [FileUpload.coerce(item) for item in value]
    if not uploads:
        check.fail(field, "is empty; pass at least one file")
    return uploads


def upload_request(endpoint: Endpoint, body: dict[str, Any]) -> RequestSpec:
    """add/knowledgebase-file (`files`) or update/knowledgebase-file (`file`)."""
    if "files" in body:
        uploads: list[FileUpload] = body.pop("files")
        file_type = body.get("type")
        _check_limits(uploads, file_type or "document")
        if all(upload.local for upload in uploads):
            return _spec(endpoint, None, params=body, parts=[_part(u) for u in uploads])
        _refuse_mixed(uploads)
        body["file"] = [
            compact({"content": u.content, "name": u.name, "type": file_type}) for u in uploads
        ]
        body.pop("type", None)
        return _spec(endpoint, body)
    upload: FileUpload = body.pop("file")
    _check_limits([upload], None)  # a new version of a document or of a skill
    if upload.local:
        return _spec(endpoint, body, parts=[_part(upload)])
    body["file"] = compact({"name": upload.name, "content": upload.content})
    return _spec(endpoint, body)


def _spec(
    endpoint: Endpoint,
    body: dict[str, Any] | None,
    *,
    params: dict[str, Any] | None = None,
    parts: list[UploadPart] | None = None,
) -> RequestSpec:
    return RequestSpec(
        endpoint.method,
        endpoint.path,
        endpoint.kind,
        body,
        params=params,
        files=parts,
        check_hint=endpoint.check_hint,
        endpoint=endpoint.name,
    )


def _refuse_mixed(uploads: Sequence[FileUpload]) -> None:
    if any(upload.local for upload in uploads):
        check.fail(
            "files",
            "mixes local files (sent as multipart) with URLs or base64 (sent as JSON); "
            "add them in two calls",
        )


def _check_limits(uploads: Sequence[FileUpload], file_type: str | None) -> None:
    """The documented limits; `file_type=None` accepts document or skill formats."""
    if len(uploads) > MAX_FILES:
        check.fail("files", f"has {len(uploads)} files; one call takes at most {MAX_FILES}")
    total = 0
    for index, upload in enumerate(uploads):
        where = f"files[{index}]"
        extension = upload.extension
        allowed = EXTENSIONS[file_type] if file_type else ALL_EXTENSIONS
        if extension is None and upload.source != "url":
            check.fail(where, f"needs a file name with an extension ({', '.join(allowed)})")
        if extension is not None and extension not in allowed:
            check.fail(
                where,
                f"{upload.name!r}: a {file_type or 'file'} must be one of {', '.join(allowed)}",
            )
        size = upload.size or 0
        limit = (
            SKILL_LIMITS[extension] if file_type == "skill" and extension else MAX_DOCUMENT_BYTES
        )
        if size > limit:
            check.fail(where, f"{upload.name!r} is {_human(size)}; the limit is {_human(limit)}")
        total += size
    if total > MAX_CALL_BYTES:
        check.fail(
            "files", f"total {_human(total)}; one call takes at most {_human(MAX_CALL_BYTES)}"
        )


def _part(upload: FileUpload) -> UploadPart:
    source = upload.path if upload.source == "path" else upload.data
    assert source is not None and upload.name is not None
    mime = upload.mime_type or EXTENSION_TYPES.get(
        upload.extension or "", "application/octet-stream"
    )
    return UploadPart("file", upload.name, source, mime)


def _human(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.1f} KB"
