"""`RequestSpec`: what one API call sends, built by the endpoint modules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Kind", "Reply", "RequestSpec", "UploadPart", "compact"]

# "read" calls may be retried on any transient failure; "write" calls only when the
# server provably did not process them (design section 3).
Kind = Literal["read", "write"]


@dataclass(frozen=True, slots=True)
class UploadPart:
    """One multipart file: `source` is a local path (opened only while sending) or bytes."""

    field: str
    filename: str
    source: str | bytes
    mime_type: str


@dataclass(slots=True)  # not frozen: a frozen __init__ costs a microsecond per call
class RequestSpec:
    """One API request, before the client adds URL, headers, timeout and extras."""

    method: str
    path: str
    kind: Kind
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None
    files: list[UploadPart] | None = None
    # A 2xx with an empty body is a valid answer (async add/message, seen in the wild).
    allow_empty: bool = False
    # A JSON object without the {code, data, message} envelope is a valid answer (rerank).
    bare_ok: bool = False
    # How to find out whether a write went through, for "may have been processed" errors.
    check_hint: str = "read it back before sending it again"
    # The media type asked for: streamed chat asks for server-sent events.
    accept: str = "application/json"
    # The endpoint's name as the SDK spells it (`memories.list`), for tracing.
    endpoint: str = ""


@dataclass(slots=True)  # not frozen, as RequestSpec: one is made for every answer
class Reply:
    """What `_send` hands back: the envelope's `data` plus what polling needs.

    `data` is left out of the repr: it may echo the API key, and error trackers
    record the repr of every local variable in a traceback.
    """

    data: Any = field(repr=False)
    http_status: int
    headers: Mapping[str, str] = field(repr=False)  # a header may echo the key
    # For raw responses: the httpx response, and the seconds from sending it until
    # its body was read, measured by the SDK (so it works over any transport).
    response: Any = field(default=None, repr=False)
    elapsed: float = 0.0


def compact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that were set: unset (None) fields are omitted, never sent as null."""
    return {name: value for name, value in fields.items() if value is not None}
