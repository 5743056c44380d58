"""memos-client: a typed sync and async client for the MemOS Cloud memory API.

```python
from memos_client import MemOS

client = MemOS()  # api_key= or MEMOS_API_KEY
task = client.add([{"role": "user", "content": "I love tea"}], user_id="u1")
task.wait()
print(client.search("what does the user drink?", user_id="u1").memories)
```

The clients load on first use, so `import memos_client` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchError,
    ConfigurationError,
    InDoubtError,
    InvalidRequestError,
    MemOSError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TaskError,
    TaskFailedError,
    TaskTimeoutError,
    UnexpectedResponseError,
    UsageError,
)
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from ._async import AsyncChatStream, AsyncFileHandle, AsyncMemOS, AsyncRawResponse, AsyncTask
    from ._batch import BatchResult
    from ._core._batch import BatchProgress
    from ._httpx import DefaultAsyncHttpxClient, DefaultHttpxClient
    from ._runtime import AsyncRuntime, Runtime
    from ._sync import ChatStream, FileHandle, MemOS, RawResponse, Task

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncChatStream",
    "AsyncFileHandle",
    "AsyncMemOS",
    "AsyncRawResponse",
    "AsyncRuntime",
    "AsyncTask",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "BatchProgress",
    "BatchResult",
    "ChatStream",
    "ConfigurationError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FileHandle",
    "InDoubtError",
    "InvalidRequestError",
    "MemOS",
    "MemOSError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RawResponse",
    "Runtime",
    "ServerError",
    "Task",
    "TaskError",
    "TaskFailedError",
    "TaskTimeoutError",
    "UnexpectedResponseError",
    "UsageError",
    "__version__",
]

_LAZY = {
    "BatchProgress": "._core._batch",
    "BatchResult": "._batch",
    "AsyncChatStream": "._async",
    "AsyncFileHandle": "._async",
    "AsyncMemOS": "._async",
    "AsyncRawResponse": "._async",
    "AsyncTask": "._async",
    "ChatStream": "._sync",
    "DefaultAsyncHttpxClient": "._httpx",
    "AsyncRuntime": "._runtime",
    "Runtime": "._runtime",
    "DefaultHttpxClient": "._httpx",
    "FileHandle": "._sync",
    "MemOS": "._sync",
    "RawResponse": "._sync",
    "Task": "._sync",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
