"""Request builders for knowledge bases and their files (memos-api.md section 3.13).

Uploads are checked against the documented limits before anything is sent: at most
20 files and 300 MB per call, 100 MB per document, and for skills a `.md` of at
most 100 KB or a `.zip` of at most 20 MB. Local files (paths, bytes) go as
multipart with `knowledgebase_id` and `type` in the query; URLs and base64 go as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..types._uploads import EXTENSION_TYPES, FileUpload
from . import _validate as check
from ._spec import RequestSpec, UploadPart, compact

__all__ = [
    "FILE_TYPES",
    "add_files",
    "create_knowledgebase",
    "delete_files",
    "delete_knowledgebase",
    "get_files",
    "list_files",
    "update_file",
]

FileType = Literal["document", "skill"]
FILE_TYPES = ("document", "skill")
MB = 1024 * 1024
MAX_FILES = 20
MAX_DOCUMENT_BYTES = 100 * MB
MAX_CALL_BYTES = 300 * MB
MAX_PAGE_SIZE = 100
EXTENSIONS = {
    "document": ("pdf", "docx", "doc", "txt", "json", "md", "xml"),
    "skill": ("md", "zip"),
}
ALL_EXTENSIONS = (*EXTENSIONS["document"], "zip")
SKILL_LIMITS = {"md": 100 * 1024, "zip": 20 * MB}
UPLOAD_CHECK_HINT = (
    "list the knowledge base's files (client.knowledgebases.files.list) before uploading again"
)


def create_knowledgebase(
    knowledgebase_name: object, *, knowledgebase_description: str | None
) -> RequestSpec:
    body = compact(
        {
            "knowledgebase_name": check.text("knowledgebase_name", knowledgebase_name),
            "knowledgebase_description": check.optional(
                check.text, "knowledgebase_description", knowledgebase_description
            ),
        }
    )
    return RequestSpec(
        "POST",
        "create/knowledgebase",
        "write",
        body,
        check_hint="look for it in the MemOS dashboard before creating it again",
    )


def delete_knowledgebase(knowledgebase_id: object) -> RequestSpec:
    body = {"knowledgebase_id": _id("knowledgebase_id", knowledgebase_id)}
    return RequestSpec("POST", "delete/knowledgebase", "write", body)


def add_files(
    knowledgebase_id: object, uploads: Sequence[FileUpload], *, type: str | None
) -> RequestSpec:
    kb_id = _id("knowledgebase_id", knowledgebase_id)
    file_type = _file_type(type)
    _check_limits(uploads, file_type or "document")
    local = [upload.local for upload in uploads]
    if all(local):
        return RequestSpec(
            "POST",
            "add/knowledgebase-file",
            "write",
            params=compact({"knowledgebase_id": kb_id, "type": file_type}),
            files=[_part(upload) for upload in uploads],
            check_hint=UPLOAD_CHECK_HINT,
        )
    if any(local):
        check.fail(
            "files",
            "mixes local files (sent as multipart) with URLs or base64 (sent as JSON); "
            "add them in two calls",
        )
    entries = [
        compact({"content": upload.content, "name": upload.name, "type": file_type})
        for upload in uploads
    ]
    body = {"knowledgebase_id": kb_id, "file": entries}
    return RequestSpec(
        "POST", "add/knowledgebase-file", "write", body, check_hint=UPLOAD_CHECK_HINT
    )


def list_files(
    knowledgebase_id: object, *, type: str | None, page: int | None, page_size: int | None
) -> RequestSpec:
    body = compact(
        {
            "knowledgebase_id": _id("knowledgebase_id", knowledgebase_id),
            "type": _file_type(type),
            "page": check.optional(check.limit, "page", page, low=1, high=10**9),
            "page_size": check.optional(
                check.limit, "page_size", page_size, low=1, high=MAX_PAGE_SIZE
            ),
        }
    )
    return RequestSpec("POST", "get/knowledgebase-file", "read", body)


def get_files(file_ids: object) -> RequestSpec:
    return RequestSpec("POST", "get/knowledgebase-file", "read", {"file_ids": _ids(file_ids)})


def delete_files(file_ids: object) -> RequestSpec:
    return RequestSpec("POST", "delete/knowledgebase-file", "write", {"file_ids": _ids(file_ids)})


def update_file(file_id: object, upload: FileUpload) -> RequestSpec:
    """A new version of a file: multipart fields `file_id` + `file`, or JSON."""
    fid = _id("file_id", file_id)
    _check_limits([upload], None)  # a new version of a document or of a skill
    if upload.local:
        return RequestSpec(
            "POST",
            "update/knowledgebase-file",
            "write",
            {"file_id": fid},
            files=[_part(upload)],
            check_hint=UPLOAD_CHECK_HINT,
        )
    body = {"file_id": fid, "file": compact({"name": upload.name, "content": upload.content})}
    return RequestSpec(
        "POST", "update/knowledgebase-file", "write", body, check_hint=UPLOAD_CHECK_HINT
    )


def _check_limits(uploads: Sequence[FileUpload], file_type: str | None) -> None:
    """The documented limits; `file_type=None` accepts document or skill formats."""
    if not uploads:
        check.fail("files", "is empty; pass at least one file")
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


def _file_type(value: object) -> str | None:
    if value is not None and value not in FILE_TYPES:
        check.fail("type", f"must be 'document' or 'skill', not {value!r}")
    return value if value is None else str(value)


def _id(field: str, value: object) -> str:
    return check.identifier(field, value, max_length=None)


def _ids(value: object) -> list[str]:
    ids = check.string_list("file_ids", value)
    if not ids:
        check.fail("file_ids", "is empty; pass at least one file id")
    return [_id(f"file_ids[{index}]", item) for index, item in enumerate(ids)]


def _human(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.1f} KB"
