"""The hand-written async client. `memos_client._sync` is generated from this package."""

from ._chat import AsyncChatStream
from ._client import AsyncMemOS
from ._knowledgebases import AsyncFileHandle
from ._raw import AsyncRawResponse
from ._task import AsyncTask

__all__ = ["AsyncChatStream", "AsyncFileHandle", "AsyncMemOS", "AsyncRawResponse", "AsyncTask"]
