"""Incoming knowledge-base files: decoding, naming, typing and the documented limits.

A JSON upload gives each file's `content` as a public URL, raw base64, or a data
URI (`data:text/markdown;base64,...`); a multipart upload gives the bytes. The
checks, in order, with their codes (memos-api.md 3.13, 6.2):

* more than `MAX_FILES` (20) files in one call: 50103;
* content that is neither a URL nor valid base64 / data URI: 40008;
* an extension the type does not take: 40007 (documents: pdf, docx, doc, txt,
  json, md, xml; skills: md, zip). A URL without an extension is accepted;
* a file over `MAX_FILE_BYTES` (100 MB; skills: `.md` 100 KB, `.zip` 20 MB): 50104;
* more than `MAX_CALL_BYTES` (300 MB) in one call: 50105.

The limits are read at call time, so a test may lower them (monkeypatch) rather
than build 100 MB bodies. A URL's bytes come from `FakeMemOS.register_url`: its
size counts when it is registered at upload time; an unknown URL fails later.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from .._http._multipart import FormPart
from .._http._params import required
from .._http._wire import ApiError, bad_request
from ._documents import extension_of
from ._kb_records import MB, FileType

__all__ = [
    "EXTENSIONS",
    "MAX_CALL_BYTES",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "SKILL_LIMITS",
    "Upload",
    "check_limits",
    "file_type",
    "from_form",
    "from_json",
]

MAX_FILES = 20
MAX_FILE_BYTES = 100 * MB
MAX_CALL_BYTES = 300 * MB
SKILL_LIMITS = {"md": 100 * 1024, "zip": 20 * MB}
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "document": ("pdf", "docx", "doc", "txt", "json", "md", "xml"),
    "skill": ("md", "zip"),
}
MIME_EXTENSIONS = {
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/zip": "zip",
}
_URL = re.compile(r"^https?://", re.IGNORECASE)
_DATA_URI = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Upload:
    """One file of an upload, decoded (or a URL to fetch when processed)."""

    name: str
    type: FileType
    size: int
    data: bytes | None = None
    url: str | None = None
    mime_type: str | None = None


def file_type(value: Any, where: str = "type") -> FileType:
    """`document` (the default) or `skill` (40000 otherwise)."""
    if value is None or value == "":
        return "document"
    if value not in EXTENSIONS:
        raise bad_request(f"{where} must be 'document' or 'skill', not {value!r}")
    return cast("FileType", value)


def _base64(text: str, where: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(40008, f"Invalid base64 content in {where}") from None


def _name(name: str | None, mime: str | None, url: str | None) -> str:
    if name:
        return name
    if url is not None:
        base = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        if base:
            return base
    extension = MIME_EXTENSIONS.get((mime or "").split(";")[0].strip().lower())
    return f"file.{extension}" if extension else "file"


def _checked(upload: Upload, where: str) -> Upload:
    extension = extension_of(upload.name)
    allowed = EXTENSIONS[upload.type]
    if extension is None and upload.url is None or extension not in (*allowed, None):
        shown = f".{extension}" if extension else "no extension"
        raise ApiError(
            40007,
            f"Unsupported file type in {where}: {upload.name!r} ({shown}); "
            f"a {upload.type} must be one of {', '.join(allowed)}",
        )
    return upload


def _one(entry: Any, index: int, default: FileType, urls: Mapping[str, bytes]) -> Upload:
    where = f"file[{index}]"
    if not isinstance(entry, dict):
        raise bad_request(f"{where} must be an object with a content")
    content = entry.get("content")
    if content is None or content == "":
        raise required(f"{where}.content")
    for key in ("content", "name", "mime_type"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise bad_request(f"{where}.{key} must be a string")
    kind = file_type(entry.get("type"), f"{where}.type") if entry.get("type") else default
    name, mime = entry.get("name"), entry.get("mime_type")
    if _URL.match(content):
        url = content.strip()
        size = len(urls.get(url, b""))
        upload = Upload(_name(name, mime, url), kind, size, url=url, mime_type=mime)
        return _checked(upload, where)
    data_uri = _DATA_URI.match(content)
    if data_uri is not None:
        mime = mime or data_uri.group(1) or None
        payload = data_uri.group(3)
        is_base64 = ";base64" in data_uri.group(2).lower()
        data = _base64(payload, where) if is_base64 else unquote_to_bytes(payload)
    else:
        data = _base64(content, where)
    return _checked(Upload(_name(name, mime, None), kind, len(data), data, None, mime), where)


def from_json(body: dict[str, Any], urls: Mapping[str, bytes]) -> list[Upload]:
    """The files of a JSON upload (`file` a list of entries, or one entry)."""
    entries = body.get("file")
    if entries is None:
        raise required("file")
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        raise bad_request("file must be a list of {content, name?, type?, mime_type?}")
    if not entries:
        raise ApiError(40003, "file must not be an empty list")
    if len(entries) > MAX_FILES:
        raise ApiError(50103, f"Too many files: {len(entries)} (at most {MAX_FILES} per call)")
    default = file_type(body.get("type"))
    return [_one(entry, index, default, urls) for index, entry in enumerate(entries)]


def from_form(parts: Sequence[FormPart], kind: FileType) -> list[Upload]:
    """The files of a multipart upload (parts named `file`)."""
    files = [part for part in parts if part.name == "file"]
    if not files:
        raise required("file")
    if len(files) > MAX_FILES:
        raise ApiError(50103, f"Too many files: {len(files)} (at most {MAX_FILES} per call)")
    uploads = []
    for index, part in enumerate(files):
        name = _name(part.filename, part.content_type, None)
        upload = Upload(name, kind, len(part.data), part.data, None, part.content_type)
        uploads.append(_checked(upload, f"file[{index}]"))
    return uploads


def check_limits(uploads: Sequence[Upload]) -> None:
    """The size limits: per file (50104) and per call (50105)."""
    for upload in uploads:
        extension = extension_of(upload.name) or ""
        limit = MAX_FILE_BYTES
        if upload.type == "skill" and extension in SKILL_LIMITS:
            limit = SKILL_LIMITS[extension]
        if upload.size > limit:
            raise ApiError(
                50104, f"File too large: {upload.name!r} is over {_human(limit)} ({upload.size} B)"
            )
    total = sum(upload.size for upload in uploads)
    if total > MAX_CALL_BYTES:
        raise ApiError(
            50105, f"Upload too large: {total} B in one call (at most {_human(MAX_CALL_BYTES)})"
        )


def _human(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{size // 1024} KB"
