"""httpx clients with the SDK's defaults, and the pools the SDK owns.

`DefaultHttpxClient` / `DefaultAsyncHttpxClient` are for users who bring their own
client (a proxy, a custom transport, event hooks) but want what the SDK would have
used: its timeouts (60 s, 5 s to connect), a pool sized for real concurrency (100
kept-alive connections, 1,000 in all, as the openai SDK keeps) and the shared TLS
context. Any argument you pass wins.

The SDK's own pools are also closed when the MemOS client that made them is dropped
without `close()` (`release`), so no socket is left for the garbage collector to warn
about. After a fork, a child never closes a pool it inherited: the sockets are the
parent's.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import httpx

from ._config import DEFAULT_TIMEOUT
from ._tls import shared_tls_context

__all__ = ["DEFAULT_LIMITS", "DefaultAsyncHttpxClient", "DefaultHttpxClient", "arelease", "release"]

DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)


def _defaults(options: dict[str, Any]) -> dict[str, Any]:
    options.setdefault("timeout", DEFAULT_TIMEOUT)
    options.setdefault("limits", DEFAULT_LIMITS)
    if "verify" not in options and "transport" not in options:
        # httpx imports httpcore when it makes the pool's transport. Importing it before
        # taking the TLS context runs that import while the CA bundle finishes loading
        # on its helper thread (see `_tls`), instead of after it.
        importlib.import_module("httpcore")
        options["verify"] = shared_tls_context()
    return options


class DefaultHttpxClient(httpx.Client):
    """An `httpx.Client` with the SDK's timeouts, pool limits and TLS context.

    ```python
    client = MemOS(http_client=DefaultHttpxClient(proxy="http://proxy.internal:3128"))
    ```
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**_defaults(options))


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` with the SDK's timeouts, pool limits and TLS context."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**_defaults(options))


def release(client: httpx.Client, pid: int) -> None:
    """Close a pool the SDK made, once its owner is dropped without `close()`.

    Registered with `weakref.finalize`, which holds the pool: so the garbage collector
    never finalises its sockets one by one (each would warn), and this closes them.
    """
    if os.getpid() == pid and not client.is_closed:
        client.close()


def arelease(client: httpx.AsyncClient, pid: int) -> None:
    """`release` for an async pool: it is closed on its event loop, asyncio's or trio's,
    when the owner is dropped while that loop runs."""
    if os.getpid() != pid or client.is_closed:
        return
    asyncio = sys.modules.get("asyncio")  # not imported: no asyncio loop can be running
    if asyncio is not None:
        try:
            asyncio.get_running_loop().create_task(client.aclose())
            return
        except RuntimeError:  # no asyncio loop here: maybe trio
            pass
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.spawn_system_task(client.aclose)
        except RuntimeError:  # dropped outside any loop: nothing can await the close
            return
