"""Map MemOS business codes and HTTP statuses to the exception classes.

There is one mapping (memos-api.md section 6.2): an explicit table for the codes
whose meaning is not their range, then 4xxxx -> `BadRequestError` and
5xxxx -> `ServerError`. A body code wins over the HTTP status; the status decides
when there is no code.
"""

from __future__ import annotations

import re
from typing import Any

from .._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)

__all__ = ["CODE_CLASSES", "SERVER_FAILURE_CODES", "api_error", "class_for", "may_have_landed"]

CODE_CLASSES: dict[int, type[APIError]] = {
    40100: AuthenticationError,  # API key required
    40103: AuthenticationError,  # unauthorised
    40130: AuthenticationError,  # API key missing
    40132: AuthenticationError,  # API key invalid or expired
    40306: PermissionDeniedError,  # delete authorisation failed
    40001: NotFoundError,  # resource not found
    40307: NotFoundError,  # memory to delete not found
    40308: NotFoundError,  # user not found
    50120: NotFoundError,  # knowledge base not found
    50123: NotFoundError,  # knowledge base not linked to this project
    50131: NotFoundError,  # task not found
    40300: RateLimitError,  # call rate or count limit
    40309: RateLimitError,  # token-per-window limit (arrives inside HTTP 200)
    40301: QuotaExceededError,  # input token quota exhausted
    40302: QuotaExceededError,  # output token quota exhausted
    40304: QuotaExceededError,  # total quota exhausted
    50103: BadRequestError,  # more than 20 files
    50104: BadRequestError,  # a file over 100 MB
    50105: BadRequestError,  # upload over 300 MB
    50107: BadRequestError,  # bad file format
}

HTTP_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
}

HINTS: dict[type[APIError], str] = {
    AuthenticationError: "check MEMOS_API_KEY, and that the key belongs to this project",
    QuotaExceededError: "the quota resets per plan period; see the MemOS dashboard",
}
NOT_FOUND_URL_HINT = "is base_url right? The cloud API lives under /api/openmem/v1"
# Business codes that report a failure inside the server rather than a rejection:
# a write that got one may have been applied before the failure.
SERVER_FAILURE_CODES = frozenset({50000, 50002, 50004, 50005, 50143, 50144, 50145})
PLACEHOLDER = re.compile(r"\{\d*\}")


def class_for(code: int | None, http_status: int | None) -> type[APIError]:
    """The exception class for a business code, else for the HTTP status.

    HTTP 429 is a rate limit whatever the body says: a gateway rejected the request
    before MemOS saw it, so it is safe to retry even for a write.
    """
    if http_status == 429:
        return RateLimitError
    if code is not None:
        if code in CODE_CLASSES:
            return CODE_CLASSES[code]
        if 40000 <= code < 50000:
            return BadRequestError
        if 50000 <= code < 60000:
            return ServerError
    if http_status is not None:
        if http_status in HTTP_CLASSES:
            return HTTP_CLASSES[http_status]
        if http_status >= 500:
            return ServerError
    return APIError


def api_error(
    *,
    code: int | None,
    message: str,
    http_status: int,
    method: str,
    path: str,
    request_id: str | None,
    body: Any,
    retry_after: float | None = None,
    processing_hint: str | None = None,
) -> APIError:
    """Build the error for a failed call, with a message that names the cause.

    `processing_hint` is given for writes: when the failure may have come after the
    server applied the write (any HTTP 5xx, or a server-failure code), the error says
    so with `may_have_been_processed=True` and the hint on how to check.
    """
    cls = class_for(code, http_status)
    detail = PLACEHOLDER.sub("", message).strip() or "the server gave no detail"
    context = f"HTTP {http_status}, {method} {path}"
    if request_id:
        context += f", request_id={request_id}"
    hint = HINTS.get(cls)
    if cls is NotFoundError and code is None:
        hint = NOT_FOUND_URL_HINT
    if retry_after is not None:
        hint = f"retry after {retry_after:g} s"
    landed = processing_hint is not None and may_have_landed(code, http_status)
    if landed:
        hint = (
            "the write may or may not have been processed; it was not retried, so that "
            f"it cannot be applied twice: {processing_hint}"
        )
    summary = f"[{code}] {detail}" if code is not None else detail
    summary = f"{summary} ({context})" + (f"; {hint}" if hint else "")
    fields: dict[str, Any] = {
        "summary": summary,
        "code": code,
        "http_status": http_status,
        "request_id": request_id,
        "body": body,
        "method": method,
        "path": path,
        "retry_after": retry_after,
        "may_have_been_processed": landed,
    }
    return cls(detail, **fields)


def may_have_landed(code: int | None, http_status: int | None) -> bool:
    """Whether a write that failed this way may still have been applied."""
    return (http_status is not None and http_status >= 500) or code in SERVER_FAILURE_CODES
