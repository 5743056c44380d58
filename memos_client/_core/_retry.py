"""When to retry a request, and how long to wait first.

Reads (search, get/*, status, lists) retry transient failures. Writes (add, feedback,
deletes, updates, uploads, chat) are not idempotent on the server, so they retry only
when the request provably was not processed: connect errors, pool timeouts and rate
limiting, which rejects before processing. Validation, auth, quota and not-found
errors are never retried. The client's `_send` feeds these decisions to tenacity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .._exceptions import APIConnectionError, APIError, RateLimitError
from ._spec import Kind

__all__ = ["MAX_HINT", "TRANSIENT_READ_CODES", "RetryPolicy", "parse_retry_after"]

# Business codes that say "try again": rate limits and the service being unavailable.
TRANSIENT_READ_CODES = frozenset({40300, 40309, 50000, 50004, 50005})
TRANSIENT_HTTP_STATUSES = frozenset({408, 429})
# A Retry-After or poll hint longer than this is treated as absent.
MAX_HINT = 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; a server's Retry-After wins up to `max_retry_after`."""

    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    # Honour Retry-After up to a minute; a longer request is surfaced, not slept through.
    max_retry_after: float = 60.0

    def should_retry(self, error: BaseException, kind: Kind) -> bool:
        """Whether sending the same request again is both safe and worth it."""
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None and retry_after > self.max_retry_after:
            return False  # surfaced with .retry_after rather than slept through
        return self._retryable(error, kind)

    def is_transient(self, error: BaseException) -> bool:
        """Whether a failed read is worth asking again later; a task poll rides these out,
        under its own deadline, however long a Retry-After the server sent."""
        return isinstance(error, RateLimitError) or self._retryable(error, "read")

    def _retryable(self, error: BaseException, kind: Kind) -> bool:
        if isinstance(error, APIConnectionError):
            if error.permanent:
                return False
            return kind == "read" or not error.may_have_been_processed
        if not isinstance(error, APIError):
            return False
        if kind == "write" and error.may_have_been_processed:
            return False  # it may have been applied: sending it again could duplicate it
        if isinstance(error, RateLimitError):
            return True  # rejected before processing: safe for writes too
        if kind == "read":
            if error.code is not None and error.code in TRANSIENT_READ_CODES:
                return True
            status = error.http_status or 0
            return status in TRANSIENT_HTTP_STATUSES or status >= 500
        return False

    def delay(self, error: BaseException | None, attempt: int, rand: float) -> float:
        """Seconds to wait before retry number `attempt` (1-based); `rand` is in [0, 1)."""
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return float(retry_after)
        backoff = self.base_delay * 2.0 ** min(attempt - 1, 32)
        return min(backoff, self.max_delay) * (1.0 - self.jitter * rand)


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asks us to wait, from `retry-after-ms` or `retry-after`.

    `retry-after` may be seconds or an HTTP date (compared with `now`, epoch seconds).
    Header names must be lower-case, or `headers` an `httpx.Headers`. Returns None
    when absent, unreadable or longer than `MAX_HINT` (an hour: a server asking for
    more is treated as not asking); never negative.
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _number(millis)
        if seconds is not None:
            return _clamped(seconds / 1000.0)
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return _clamped(seconds)
    try:
        when = parsedate_to_datetime(value)
        return _clamped(when.timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None


def _clamped(seconds: float) -> float | None:
    return None if seconds > MAX_HINT else max(seconds, 0.0)


def _number(value: str) -> float | None:
    text = value.strip()
    if len(text) > 32:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
