"""Decode a MemOS response: unwrap `{code, data, message}` or raise the right error.

Rules (memos-api.md section 6.1): success is a 2xx whose envelope `code` is 0 (or 200,
seen in the wild); business errors arrive inside HTTP 200 with another code; a 2xx
with an empty body is accepted only where the endpoint allows it (async add); a 2xx
that is not an envelope (an HTML login or gateway page) is an
`UnexpectedResponseError`, never a silent success.

The decoder is total: any status, headers and bytes give `data` or a `MemOSError`,
never a `RecursionError` from a deeply nested body or a `ValueError` from an odd
`code`. What an error keeps of the body is cut to `MAX_BODY_DEPTH` levels, so it
always prints and pickles.
"""

from __future__ import annotations

import json
import math
import reprlib
from collections.abc import Mapping
from typing import Any, Final

from .._exceptions import UnexpectedResponseError
from ._errors import api_error
from ._retry import parse_retry_after
from ._spec import RequestSpec

__all__ = [
    "EMPTY",
    "SUCCESS_CODES",
    "bounded",
    "code_of",
    "decode",
    "request_id_of",
    "request_id_of_raw",
    "text_of",
]

SUCCESS_CODES = frozenset({0, 200})
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-trace-id", "trace-id")
SNIPPET_LENGTH = 200
# Business codes are five digits; a longer string is not a code (and int() of a
# 4,300-digit string raises).
MAX_CODE_DIGITS = 18
MAX_BODY_DEPTH = 32
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 4, SNIPPET_LENGTH, SNIPPET_LENGTH


class _Empty:
    def __repr__(self) -> str:
        return "EMPTY"


EMPTY: Final = _Empty()
"""Returned for an accepted 2xx with no body (async add/message may answer 202 empty)."""
NOT_JSON: Final = object()
TOO_DEEP: Final = object()


def decode(
    spec: RequestSpec,
    *,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    now: float,
) -> Any:
    """The envelope's `data` (or the bare object, or `EMPTY`), else raise the mapped error.

    `headers` must have lower-case names or be an `httpx.Headers`; `now` is epoch
    seconds, used only to read a Retry-After date.
    """
    success = 200 <= status < 300
    if success and (not content or content.isspace()):
        if spec.allow_empty:
            return EMPTY
        raise _unexpected(spec, status, headers, content, "an empty body")
    payload = _parse_json(content)
    if payload is NOT_JSON or payload is TOO_DEEP:
        if success:
            what = "a body that is not JSON" if payload is NOT_JSON else "JSON nested too deeply"
            raise _unexpected(spec, status, headers, content, what)
        payload = None
    code = code_of(payload)
    if success:
        if code in SUCCESS_CODES and isinstance(payload, dict):  # a code implies a dict
            return payload.get("data")
        if code is None:
            if spec.bare_ok and isinstance(payload, dict):
                return payload
            raise _unexpected(spec, status, headers, content, "JSON that is not a MemOS envelope")
    message = text_of(payload.get("message")) if isinstance(payload, dict) else ""
    raise api_error(
        code=code,
        message=message or (_snippet(content) if code is None else ""),
        http_status=status,
        method=spec.method,
        path=spec.path,
        request_id=request_id_of(headers, payload),
        body=bounded(payload) if payload is not None else _snippet(content),
        retry_after=parse_retry_after(headers, now),
        processing_hint=spec.check_hint if spec.kind == "write" else None,
    )


def text_of(value: object) -> str:
    """A server-sent message as text: strings as they are, anything else in short."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return _SHORT.repr(value)


def bounded(value: Any, depth: int = 0) -> Any:
    """`value` with containers deeper than `MAX_BODY_DEPTH` replaced by a marker."""
    if isinstance(value, dict):
        if depth >= MAX_BODY_DEPTH:
            return "<nested too deeply>"
        return {key: bounded(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        if depth >= MAX_BODY_DEPTH:
            return "<nested too deeply>"
        return [bounded(item, depth + 1) for item in value]
    return value


REQUEST_ID_NAMES_IN_ORDER = tuple(name.encode() for name in REQUEST_ID_HEADERS)
REQUEST_ID_NAMES = frozenset(REQUEST_ID_NAMES_IN_ORDER)


def request_id_of_raw(raw: list[tuple[bytes, bytes]]) -> str | None:
    """The request id from raw header pairs, in one pass (the hot path: every answer).

    Reading `httpx.Headers` by name re-decodes every header on each lookup. The usual
    answer carries one id header at most, so the first match is all the work.
    """
    found: list[tuple[bytes, bytes]] = [
        (lowered, value) for name, value in raw if (lowered := name.lower()) in REQUEST_ID_NAMES
    ]
    if not found:
        return None
    if len(found) == 1:  # the usual answer: nothing to choose or join
        return _header_text(found[0][1])[:SNIPPET_LENGTH] or None
    for header in REQUEST_ID_NAMES_IN_ORDER:
        values = [value for name, value in found if name == header]
        if values:
            # As httpx reads headers: UTF-8 if it decodes, repeated values joined.
            text = ", ".join(_header_text(value) for value in values)
            if text:
                return text[:SNIPPET_LENGTH]
    return None


def _header_text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def request_id_of(headers: Mapping[str, str], payload: object = None) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value[:SNIPPET_LENGTH]
    if isinstance(payload, dict):
        for name in ("request_id", "trace_id"):
            value = payload.get(name)
            if isinstance(value, str) and value:
                return value[:SNIPPET_LENGTH]
    return None


def _parse_json(content: bytes) -> Any:
    # The error, whose .doc holds the whole body, must not become the __context__ of
    # what decode raises: it is returned as a marker instead.
    try:
        return json.loads(content)
    except ValueError:  # not JSON, not UTF-8, or an integer of over 4,300 digits
        return NOT_JSON
    except RecursionError:
        return TOO_DEEP


def code_of(payload: object) -> int | None:
    if not isinstance(payload, dict):
        return None
    code = payload.get("code")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, float) and math.isfinite(code) and code.is_integer():
        return int(code)
    if isinstance(code, str):
        digits = code.strip()
        digits = digits[1:] if digits.startswith("-") else digits
        if digits.isascii() and digits.isdigit() and len(digits) <= MAX_CODE_DIGITS:
            return int(code)
    return None


def _snippet(content: bytes) -> str:
    text = content[: SNIPPET_LENGTH * 8].decode("utf-8", errors="replace")
    return " ".join(text.split())[:SNIPPET_LENGTH]


def _unexpected(
    spec: RequestSpec, status: int, headers: Mapping[str, str], content: bytes, what: str
) -> UnexpectedResponseError:
    content_type = headers.get("content-type") or "no content-type"
    snippet = _snippet(content)
    shown = f": {snippet!r}" if snippet else ""
    return UnexpectedResponseError(
        f"expected a MemOS JSON envelope from {spec.method} {spec.path} but got {what} "
        f"(HTTP {status}, {content_type}){shown}. A proxy, captive portal or wrong "
        "base_url is the usual cause",
        http_status=status,
        content_type=headers.get("content-type"),
        body=snippet,
    )
