"""The memos-client error tree. Catch `MemOSError` to catch everything the SDK raises.

```
MemOSError
 +-- ConfigurationError            missing key, bad base URL (at construction)
 +-- InvalidRequestError           caught before sending (also ValueError)
 +-- APIConnectionError            transport failure; .may_have_been_processed
 |    +-- APITimeoutError          (also TimeoutError)
 +-- APIError                      server said no: .code .http_status .message .request_id .body
 |    +-- BadRequestError          400xx, HTTP 400/422
 |    +-- AuthenticationError      40100/40103/40130/40132, HTTP 401
 |    +-- PermissionDeniedError    40306, HTTP 403
 |    +-- NotFoundError            40001/40307/40308/50120/50123/50131, HTTP 404
 |    +-- RateLimitError           40300/40309, HTTP 429; .retry_after
 |    +-- QuotaExceededError       40301/40302/40304
 |    +-- ServerError              5xxxx, HTTP 5xx
 +-- UsageError                    misuse: a closed client, another event loop (also RuntimeError)
 +-- UnexpectedResponseError       2xx that is not a MemOS envelope (HTML, junk)
 +-- TaskError                     a task handle cannot give a result
      +-- TaskFailedError          .task_id .status
      +-- TaskTimeoutError         (also TimeoutError) .task_id .last_status
```

Every error pickles and unpickles intact (Celery, multiprocessing), and no error
ever carries the API key. This module imports nothing heavy, so it stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import KnowledgeBaseFile, TaskStatus

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "InvalidRequestError",
    "MemOSError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "ServerError",
    "TaskError",
    "TaskFailedError",
    "TaskTimeoutError",
    "UnexpectedResponseError",
    "UsageError",
]


def _rebuild(cls: type[MemOSError], args: tuple[Any, ...], state: dict[str, Any]) -> MemOSError:
    error = cls.__new__(cls)
    BaseException.__init__(error, *args)
    error.__dict__.update(state)
    return error


class MemOSError(Exception):
    """Base class of every error memos-client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        """What went wrong, in words."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword arguments, which default exception pickling loses.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class ConfigurationError(MemOSError):
    """The client cannot be built as configured: no API key, or a bad base URL."""


class UsageError(MemOSError, RuntimeError):
    """The SDK was used in a way it cannot serve: a closed client, an async client on a
    second event loop, a handle not bound to a client, a stream read twice. Also a
    `RuntimeError`, so code that caught that keeps working."""


class InvalidRequestError(MemOSError, ValueError):
    """An argument is invalid; raised before anything is sent. `.field` names it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        """The argument at fault, as you passed it (`messages[0].content`), or None."""


class APIConnectionError(MemOSError):
    """The request did not get a response: DNS, TLS, connect, or a dropped connection.

    `may_have_been_processed` is True when the request may have reached the server
    (a read timeout or a dropped connection after sending). Writes in that state are
    never re-sent automatically; the message says how to check what happened.
    `permanent` is True when trying again cannot help (a rejected TLS certificate, an
    unsupported URL scheme, a request httpx refuses to send).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        may_have_been_processed: bool = False,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.method = method
        """The HTTP method of the request that got no answer."""
        self.url = url
        """The URL it was sent to."""
        self.may_have_been_processed = may_have_been_processed
        """Whether the request may have reached the server; a write in doubt is never re-sent."""
        self.permanent = permanent
        """Whether trying again cannot help (a bad certificate, an unsupported scheme)."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class APIError(MemOSError):
    """The server answered with an error: a non-zero envelope `code` or an HTTP error.

    `code` is the MemOS business code (e.g. 40010) when the body had one, `http_status`
    the HTTP status, `message` the server's own message, and `body` the parsed body.
    `retry_after` is the delay (seconds) the server asked for, if any. `str(error)`
    adds the context: code, status, method, path, request id and a hint.
    `may_have_been_processed` is True when a write failed in a way that may have come
    after the server applied it (any HTTP 5xx, or a server-failure code such as
    50000); such a write is never re-sent automatically.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        body: Any = None,
        method: str | None = None,
        path: str | None = None,
        summary: str | None = None,
        retry_after: float | None = None,
        may_have_been_processed: bool = False,
    ) -> None:
        super().__init__(summary or message)
        self.message = message
        """The server's own message."""
        self.retry_after = retry_after
        """Seconds the server asked to wait before trying again, if it said."""
        self.may_have_been_processed = may_have_been_processed
        """Whether a failed write may have been applied; such a write is never re-sent."""
        self.code = code
        """The MemOS business code (e.g. 40010), when the body had one."""
        self.http_status = http_status
        """The HTTP status of the answer."""
        self.request_id = request_id
        """The request id the server sent, to quote to MemOS support."""
        self.body = body
        """The parsed answer body."""
        self.method = method
        """The HTTP method of the request."""
        self.path = path
        """The API path of the request (`search/memory`)."""

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, http_status={self.http_status!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIError):
    """The server rejected the request as invalid (400xx codes, HTTP 400/422)."""


class AuthenticationError(APIError):
    """The API key is missing, invalid or expired (40100/40103/40130/40132, HTTP 401)."""


class PermissionDeniedError(APIError):
    """The key may not do this (40306, HTTP 403)."""


class NotFoundError(APIError):
    """A memory, user, task or knowledge base does not exist (or a wrong URL: HTTP 404)."""


class RateLimitError(APIError):
    """Too many calls or tokens per window (40300/40309, HTTP 429). Retried automatically.

    `retry_after` is the server's requested delay in seconds, when it sent one.
    """


class QuotaExceededError(APIError):
    """A token or call quota is exhausted (40301/40302/40304). Not retried."""


class ServerError(APIError):
    """MemOS failed internally (5xxxx codes, HTTP 5xx). Reads retry the transient ones."""


class UnexpectedResponseError(MemOSError):
    """A 2xx response that is not a MemOS envelope: an HTML login or gateway page, junk.

    Usually a proxy, captive portal or wrong `base_url`. `body` holds the start of it.
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        content_type: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        """The HTTP status of the answer."""
        self.content_type = content_type
        """Its `Content-Type`, as sent."""
        self.body = body
        """The start of the body (an HTML page, say)."""


class TaskError(MemOSError):
    """A task handle cannot give a result (base of the task errors)."""

    def __init__(self, message: str, *, task_id: str | None = None) -> None:
        super().__init__(message)
        self.task_id = task_id
        """The task's id, when it has one."""


class TaskFailedError(TaskError):
    """The server reports the task (or knowledge-base file) as `failed`.

    `status` is the last reading seen: a `TaskStatus`, or a `KnowledgeBaseFile`.
    """

    def __init__(
        self,
        message: str,
        *,
        task_id: str | None,
        status: TaskStatus | KnowledgeBaseFile | None = None,
    ) -> None:
        super().__init__(message, task_id=task_id)
        self.status = status
        """The last reading: a `TaskStatus`, or a `KnowledgeBaseFile`."""


class TaskTimeoutError(TaskError, TimeoutError):
    """`wait()` reached its deadline first. The server task is not cancelled."""

    def __init__(
        self,
        message: str,
        *,
        task_id: str | None,
        last_status: TaskStatus | KnowledgeBaseFile | None = None,
        waited: float | None = None,
    ) -> None:
        super().__init__(message, task_id=task_id)
        self.last_status = last_status
        """The last reading before the deadline, if any."""
        self.waited = waited
        """Seconds waited."""


class InDoubtError(MemOSError):
    """A batch item that may or may not have been added, and was not sent again.

    An earlier run of the batch was sending it when it stopped (a crash, Ctrl-C, a
    kill), so its journal cannot say whether MemOS received it. Search for it; pass
    `resend_in_doubt=True` to `add_many` to send it again anyway.
    """

    may_have_been_processed = True
    """Always True: the item may have been added."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        """The batch item's key (its `id`, or a hash of its content)."""


class BatchError(MemOSError):
    """`BatchResult.raise_for_errors()`: some items failed or are in doubt.

    `result` is the whole `BatchResult`, so nothing is lost by raising.
    """

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result
        """The whole `BatchResult`, so nothing is lost by raising."""
