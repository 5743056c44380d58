"""One TLS context for every connection pool the SDK creates, loaded in the background.

Building a context loads the CA bundle from disk, about 20 ms; httpx does it again
for each client. Apps that make a client per request or per worker would pay that
every time, so the SDK builds it once and shares it: an `ssl.SSLContext` is safe to
share. A user's own `http_client` keeps its own.

The build starts on a helper thread when the first client that will need it is made
(never at import). OpenSSL reads the bundle with the GIL released, so the load runs
beside whatever the program does before its first call (importing, setting up, the
SDK's first decode) instead of adding to it. A call that needs the context sooner
waits for it. If the thread could not start, or its build failed, the caller builds
the context itself, so an error (a bad `SSL_CERT_FILE`, say) is raised where it
always was: from the first call.
"""

from __future__ import annotations

import os
import ssl
import threading

import httpx

__all__ = ["prepare_tls_context", "reset_tls_context", "shared_tls_context"]


class _Build:
    """One background build of the context."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.context: ssl.SSLContext | None = None

    def run(self) -> None:
        try:
            self.context = httpx.create_ssl_context()
        except Exception:  # the caller builds it again, and raises the error itself
            self.context = None
        finally:
            self.done.set()


_lock = threading.Lock()
_context: ssl.SSLContext | None = None
_build: _Build | None = None


def prepare_tls_context() -> None:
    """Start building the shared context on a helper thread, unless it is built or
    being built: a client that will make its own pool calls this when it is made."""
    global _build
    if _context is not None:
        return
    with _lock:
        if _context is not None or _build is not None:
            return
        build = _Build()
        try:
            # Not a daemon: an exit right after making a client waits the few ms left,
            # rather than stopping the thread inside OpenSSL.
            threading.Thread(target=build.run, name="memos-client-tls").start()
        except RuntimeError:  # no new threads (the interpreter is exiting): built on use
            return
        _build = build


def shared_tls_context() -> ssl.SSLContext:
    """httpx's default context (certifi, honouring SSL_CERT_FILE / SSL_CERT_DIR), built once."""
    global _context, _build
    context = _context
    if context is not None:
        return context
    with _lock:
        if _context is None:
            build = _build
            if build is not None:
                build.done.wait()
            made = build.context if build is not None else None
            _context = made if made is not None else httpx.create_ssl_context()
            _build = None
        return _context


def reset_tls_context() -> None:
    """Forget the shared context, after any build under way ends (for tests)."""
    global _context, _build
    with _lock:
        if _build is not None:
            _build.done.wait()
        _context = _build = None


def _after_fork_in_child() -> None:
    """A child has no helper thread, and `_lock` may have been held at the fork: start
    afresh (a context already built is kept; it is the parent's copy, and shareable)."""
    global _lock, _build
    _lock = threading.Lock()
    _build = None


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
