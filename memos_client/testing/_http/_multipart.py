"""A small `multipart/form-data` parser (stdlib only), for knowledge-base uploads.

Splits the body on its boundary and reads each part's headers with the stdlib
`email` header parser. Part bodies are kept as raw bytes (binary-safe: nothing
is re-encoded). Parts with a `filename` are files; the others are plain fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import HTTP

from ._wire import bad_request

__all__ = ["Form", "FormPart", "parse_multipart"]


@dataclass(frozen=True)
class FormPart:
    """One part of a multipart body."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Form:
    """A parsed multipart body: plain fields (first value wins) and file parts, in order."""

    fields: dict[str, str]
    files: tuple[FormPart, ...]


def _boundary(content_type: str) -> bytes:
    message = Message()
    message["content-type"] = content_type
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise bad_request("multipart body without a boundary")
    return boundary.encode("latin-1")


def parse_multipart(content_type: str, body: bytes) -> Form:
    """Parse a `multipart/form-data` body (40000 when it is malformed)."""
    delimiter = b"--" + _boundary(content_type)
    sections = body.split(delimiter)
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        raise bad_request("malformed multipart body")
    fields: dict[str, str] = {}
    files: list[FormPart] = []
    for section in sections[1:-1]:
        part = _part(section)
        if part.filename is None and part.name not in fields:
            fields[part.name] = part.data.decode("utf-8", errors="replace")
        elif part.filename is not None:
            files.append(part)
    return Form(fields, tuple(files))


def _part(section: bytes) -> FormPart:
    section = section.removeprefix(b"\r\n").removesuffix(b"\r\n")
    head, separator, data = section.partition(b"\r\n\r\n")
    if not separator:
        raise bad_request("malformed multipart part (no header end)")
    headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
    name = headers.get_param("name", header="content-disposition")
    if not isinstance(name, str):
        raise bad_request("multipart part without a name")
    filename = headers.get_filename()
    content_type = headers.get_content_type() if "content-type" in headers else None
    return FormPart(name=name, filename=filename, content_type=content_type, data=data)
