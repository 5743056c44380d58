"""Knowledge-base files: add, get (by ids or by knowledge base), delete, update
(memos-api.md 3.13).

Uploads come as JSON (`{knowledgebase_id, file: [{content, name?, type?,
mime_type?}]}`) or as multipart form data (`knowledgebase_id` and `type` in the
query, one or more parts named `file`); `_uploads` decodes and checks them.
Files are accepted `running` and processed `refine_delay` later
(`_kb_pipeline`); the answer lists them (an array for add, one object for
update). Updating a file re-processes it; its old chunks are replaced when done.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .._call import Call
from .._http._params import optional_int, required, required_str, required_str_list
from .._http._wire import ApiError, bad_request
from .._store import Store
from ._kb_pipeline import accept, remove_file
from ._kb_records import KnowledgeBaseFile
from ._uploads import check_limits, file_type, from_form, from_json
from .knowledgebases import knowledgebase

__all__ = ["MAX_PAGE_SIZE", "add_files", "delete_files", "get_files", "update_file"]

MAX_PAGE_SIZE = 100
MAX_PAGE = 10**9


def _field(call: Call, name: str) -> str:
    """A field of the JSON body, the form, or (for multipart) the query."""
    value = call.body.get(name) or call.query.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise required(name)
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def add_files(call: Call) -> list[dict[str, Any]]:
    """Accept the files; `[{id, type, name, sizeMB, status: "running"}]`."""
    store = call.store
    kb_id = knowledgebase(store, _field(call, "knowledgebase_id")).id
    if call.files is not None:
        kind = file_type(call.query.get("type") or call.body.get("type"))
        uploads = from_form(call.files, kind)
    else:
        uploads = from_json(call.body, store.urls)
    check_limits(uploads)
    return [
        accept(store, None, kb_id, upload, call.fate, call.fail_reason).receipt()
        for upload in uploads
    ]


def get_files(call: Call) -> dict[str, Any]:
    """By ids: `{file_detail_list}`; by knowledge base: a page with `total`, `page`, `page_size`."""
    body, store = call.body, call.store
    by_ids = body.get("file_ids") is not None
    by_kb = body.get("knowledgebase_id") not in (None, "")
    if by_ids == by_kb:
        raise bad_request("pass exactly one of file_ids and knowledgebase_id")
    if by_ids:
        ids = required_str_list(body, "file_ids")
        return {"file_detail_list": [store.files[i].detail() for i in ids if i in store.files]}
    kb_id = knowledgebase(store, required_str(body, "knowledgebase_id")).id
    wanted = file_type(body.get("type")) if body.get("type") is not None else None
    page = optional_int(body, "page", 1, 1, MAX_PAGE)
    page_size = optional_int(body, "page_size", 20, 1, MAX_PAGE_SIZE)
    files = [
        file
        for file in store.files.values()
        if file.knowledgebase_id == kb_id and (wanted is None or file.type == wanted)
    ]
    start = (page - 1) * page_size
    return {
        "file_detail_list": [file.detail() for file in files[start : start + page_size]],
        "total": len(files),
        "page": page,
        "page_size": page_size,
    }


def delete_files(call: Call) -> dict[str, Any]:
    """Delete files (unknown ids are ignored) with their memories and skills."""
    store = call.store
    for file_id in required_str_list(call.body, "file_ids"):
        file = store.files.get(file_id)
        if file is not None:
            remove_file(store, file)
    return {"success": True}


def _file(store: Store, file_id: str) -> KnowledgeBaseFile:
    found = store.files.get(file_id)
    if found is None:
        raise ApiError(40001, f"file not found: {file_id}")
    return found


def update_file(call: Call) -> dict[str, Any]:
    """A new version: `{id, type, name, sizeMB, status: "running"}`; 40001 for unknown files."""
    store = call.store
    file = _file(store, _field(call, "file_id"))
    if call.files is not None:
        parts = [part for part in call.files if part.name == "file"]
        if len(parts) > 1:
            raise bad_request("update/knowledgebase-file takes one file")
        if not parts:
            raise required("file")
        [upload] = from_form(
            [replace(parts[0], filename=parts[0].filename or file.name)], file.type
        )
    else:
        entry = call.body.get("file")
        if entry is None:
            raise required("file")
        if not isinstance(entry, dict):
            raise bad_request("file must be an object {name?, content}")
        entry = {key: value for key, value in entry.items() if key != "type"}
        entry["name"] = entry.get("name") or file.name
        [upload] = from_json({"file": [entry], "type": file.type}, store.urls)
    check_limits([upload])
    accept(store, file, file.knowledgebase_id, upload, call.fate, call.fail_reason)
    return file.receipt()
