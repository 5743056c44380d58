"""`FileUpload`: one file for a knowledge base, from a path, bytes, a URL or base64.

`knowledgebases.files.add` also takes plain values and turns them into uploads:
an `os.PathLike` or a string that is not a URL is a local path, `http(s)://...` a
public URL, `data:...;base64,...` base64 content. Raw bytes need a name, so pass
`FileUpload.from_bytes(data, name)`. Local files go up as multipart, URLs and base64
as JSON; the sizes and types the API documents are checked before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from .._core._validate import unicode
from .._exceptions import InvalidRequestError

__all__ = ["EXTENSION_TYPES", "FileUpload", "UploadSource"]

UploadSource = Literal["path", "bytes", "url", "base64"]

# The formats MemOS accepts (documents: pdf, docx, doc, txt, json, md, xml; skills:
# md, zip), with their MIME types, so that nothing reads the system MIME tables.
EXTENSION_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "txt": "text/plain",
    "json": "application/json",
    "md": "text/markdown",
    "xml": "application/xml",
    "zip": "application/zip",
}
MIME_EXTENSIONS = {mime: ext for ext, mime in EXTENSION_TYPES.items()}


@dataclass(frozen=True)
class FileUpload:
    """A file to add to a knowledge base. Build one with a `from_*` constructor."""

    source: UploadSource
    name: str | None = None
    """The file name MemOS shows; its extension decides the format."""
    path: str | None = None
    data: bytes | None = None
    content: str | None = None
    """A public URL or base64 text, sent as JSON."""
    size: int | None = None
    """Bytes, where known before sending (paths, bytes, base64)."""
    mime_type: str | None = None

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], *, name: str | None = None) -> FileUpload:
        """A local file, uploaded as multipart. Its size is read now; its content at send."""
        file_path = os.fspath(path)
        try:
            size = os.path.getsize(file_path)
            regular = os.path.isfile(file_path)
        except (OSError, ValueError) as error:  # ValueError: a NUL, or a lone surrogate
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise InvalidRequestError(
                f"files: cannot read {file_path!r} ({reason}); pass an "
                "existing path, a URL, or FileUpload.from_base64(...) for base64 content",
                field="files",
            ) from None
        if not regular:
            raise InvalidRequestError(
                f"files: {file_path!r} is not a regular file (a directory?); pass a file",
                field="files",
            )
        return cls("path", _name(name or os.path.basename(file_path)), path=file_path, size=size)

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> FileUpload:
        """In-memory content, uploaded as multipart under `name` (e.g. "notes.md")."""
        if not isinstance(data, (bytes, bytearray)):
            raise InvalidRequestError("files: from_bytes takes bytes", field="files")
        return cls("bytes", _name(name), data=bytes(data), size=len(data))

    @classmethod
    def from_url(cls, url: str, *, name: str | None = None) -> FileUpload:
        """A public URL that MemOS downloads itself, sent as JSON."""
        unicode("files", url)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InvalidRequestError(f"files: not an http(s) URL: {url!r}", field="files")
        return cls("url", _name(name or PurePosixPath(parts.path).name or None), content=url)

    @classmethod
    def from_base64(
        cls, content: str, *, name: str | None = None, mime_type: str | None = None
    ) -> FileUpload:
        """Base64 content, raw or as a `data:<mime>;base64,` URI, sent as JSON."""
        unicode("files", content)
        payload = content
        if content.startswith("data:"):
            header, _, payload = content.partition(",")
            mime_type = mime_type or header[5:].split(";")[0] or None
        try:
            size = len(base64.b64decode(payload, validate=True))
        except (binascii.Error, ValueError):
            raise InvalidRequestError(
                "files: base64 content does not decode; pass valid base64 or a data: URI",
                field="files",
            ) from None
        if name is None and mime_type in MIME_EXTENSIONS:
            name = f"upload.{MIME_EXTENSIONS[mime_type]}"
        return cls("base64", _name(name), content=content, size=size, mime_type=mime_type)

    @classmethod
    def coerce(cls, value: FileUpload | str | os.PathLike[str] | bytes) -> FileUpload:
        """The upload a plain value stands for (see the module docstring)."""
        if isinstance(value, FileUpload):
            return value
        if isinstance(value, (bytes, bytearray)):
            raise InvalidRequestError(
                "files: raw bytes need a file name; pass FileUpload.from_bytes(data, 'name.md')",
                field="files",
            )
        if isinstance(value, str):
            if value.startswith(("http://", "https://")):
                return cls.from_url(value)
            if value.startswith("data:"):
                return cls.from_base64(value)
        if isinstance(value, (str, os.PathLike)):
            return cls.from_path(value)
        raise InvalidRequestError(
            f"files: cannot upload a {type(value).__name__}; pass paths, URLs, "
            "FileUpload.from_bytes(...) or FileUpload.from_base64(...)",
            field="files",
        )

    @property
    def local(self) -> bool:
        """Whether this goes up as multipart (a path or bytes) rather than as JSON."""
        return self.source in ("path", "bytes")

    @property
    def extension(self) -> str | None:
        if not self.name or "." not in self.name:
            return None
        return self.name.rsplit(".", 1)[1].lower()

    def __repr__(self) -> str:
        where = self.path or (self.content if self.source == "url" else None)
        shown = f", {where!r}" if where else ""
        return f"FileUpload({self.source}, name={self.name!r}{shown}, size={self.size})"


def _name(name: str | None) -> str | None:
    """A file name that can be sent: valid Unicode text (it goes in a header or JSON)."""
    if name is not None:
        if not isinstance(name, str):
            raise InvalidRequestError(
                f"files: a file name must be a string, not {type(name).__name__}", field="files"
            )
        unicode("files", name)
    return name
