"""`AsyncHTTP`: the httpx client a MemOS client sends through.

Either the user's own client (used as given, never mutated or closed by us) or one
we create on first use. Making a client only starts loading the CA bundle that pool
will need, on a helper thread (see `_tls`), so the first call finds it ready. An
owned client is rebuilt after `os.fork()` so a child process never shares the
parent's sockets, and an async client stays on the event loop it started on.
"""

from __future__ import annotations

import os
import threading
import weakref

import httpx

from .._compat import AsyncLoopGuard
from .._exceptions import UsageError
from .._httpx import DefaultAsyncHttpxClient, arelease
from .._tls import prepare_tls_context

__all__ = ["AsyncHTTP"]


class AsyncHTTP:
    """Owns (or borrows) one `httpx.AsyncClient`, shared by a client and its copies."""

    def __init__(
        self,
        given: httpx.AsyncClient | None,
        timeout: httpx.Timeout,
        headers: httpx.Headers | None = None,
    ) -> None:
        self._given = given
        self.timeout = timeout
        # Whether the client in use already carries the SDK's headers and timeout (it
        # does when the SDK made it), so a request need not send them again.
        self.preset = given is None
        self._headers = headers or httpx.Headers()
        self._owned: httpx.AsyncClient | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._guard = AsyncLoopGuard()
        self.closed = False
        if given is None:
            prepare_tls_context()

    def get(self) -> httpx.AsyncClient:
        """The client to send with; raises `UsageError` once closed or on a foreign loop."""
        if self.closed:
            raise UsageError("this MemOS client is closed; create a new one")
        self._guard.check()
        if self._given is not None:
            return self._given
        owned = self._owned
        if owned is None or self._pid != os.getpid():
            with self._lock:
                if self._owned is None or self._pid != os.getpid():
                    # After a fork the parent's client is dropped, not closed: closing
                    # would tear down sockets the parent is still using.
                    self._owned = DefaultAsyncHttpxClient(
                        timeout=self.timeout, headers=self._headers
                    )
                    self._pid = os.getpid()
                    # Dropped without aclose(), the pool is still closed, and quietly.
                    weakref.finalize(self, arelease, self._owned, self._pid)
                owned = self._owned
        return owned

    async def aclose(self) -> None:
        """Close the client if we own it; a client the user gave us stays theirs."""
        self.closed = True
        owned, self._owned = self._owned, None
        if owned is not None and self._pid == os.getpid():
            await owned.aclose()
