"""The hand-written async client. `memos_client._sync` is generated from this package."""

from ._client import AsyncMemOS
from ._task import AsyncTask

__all__ = ["AsyncMemOS", "AsyncTask"]
