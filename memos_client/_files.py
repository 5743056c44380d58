"""Open the local files of a multipart upload for the length of one send."""

from __future__ import annotations

from contextlib import ExitStack
from typing import IO

from ._core._spec import UploadPart

__all__ = ["open_parts"]


def open_parts(
    stack: ExitStack, parts: list[UploadPart] | None
) -> list[tuple[str, tuple[str, IO[bytes] | bytes, str]]] | None:
    """httpx `files=` entries; paths are opened on `stack`, which closes them after the send.

    Opening at send time (not when the request is built) keeps a retry able to read
    the file again from the start, and never holds a 100 MB file in memory.
    """
    if parts is None:
        return None
    entries: list[tuple[str, tuple[str, IO[bytes] | bytes, str]]] = []
    for part in parts:
        if isinstance(part.source, bytes):
            content: IO[bytes] | bytes = part.source
        else:
            content = stack.enter_context(open(part.source, "rb"))
        entries.append((part.field, (part.filename, content, part.mime_type)))
    return entries
