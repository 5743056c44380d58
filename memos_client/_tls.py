"""One TLS context for every connection pool the SDK creates, loaded in the background.

Building a context loads the CA bundle from disk, about 20 ms; httpx does it again
for each client. Apps that make a client per request or per worker would pay that
every time, so the SDK builds it once and shares it: an `ssl.SSLContext` is safe to
share. A user's own `http_client` keeps its own.

The build starts on a helper thread when the first client that will need it is made
(never at import). OpenSSL reads the bundle with the GIL released, so the load runs
beside whatever the program does before its first call (importing, setting up, the
SDK's first decode) instead of adding to it. The first call takes the context then,
as before: it waits for a build still under way, and builds the context itself when
there was none, when it failed (so an error, a bad `SSL_CERT_FILE` say, is raised
from that call), or when `SSL_CERT_FILE` / `SSL_CERT_DIR` changed since it started.

`os.fork()` waits for a build under way (at most those ~20 ms): a helper stopped
mid-import or inside OpenSSL would leave the child a lock no thread will release.
"""

from __future__ import annotations

import os
import ssl
import threading

import httpx

__all__ = ["prepare_tls_context", "reset_tls_context", "shared_tls_context"]

_SETTINGS = ("SSL_CERT_FILE", "SSL_CERT_DIR")
"""What httpx reads from the environment to choose the CA bundle."""

FORK_WAIT = 30.0
"""Longest a fork waits for a build (one stuck on a hung disk must not hang it)."""


def _settings() -> tuple[str | None, ...]:
    return tuple(os.environ.get(name) for name in _SETTINGS)


class _Build:
    """One background build of the context, for the environment it started in."""

    def __init__(self) -> None:
        self.settings = _settings()
        self.done = threading.Event()
        self.context: ssl.SSLContext | None = None
        self.thread = threading.Thread(target=self._run, name="memos-client-tls")

    def _run(self) -> None:
        try:
            self.context = httpx.create_ssl_context()
        except Exception:  # the first call builds it again, and raises the error itself
            self.context = None
        finally:
            self.done.set()

    def result(self) -> ssl.SSLContext | None:
        """The context, once built, if the environment still asks for it."""
        self.done.wait()
        return self.context if self.settings == _settings() else None


# Re-entrant: a signal handler that makes a call while this thread holds it must not
# deadlock. It is held only to read or publish, never while waiting or building.
_lock = threading.RLock()
_context: ssl.SSLContext | None = None
_build: _Build | None = None


def prepare_tls_context() -> None:
    """Start building the shared context on a helper thread, unless it is built or
    being built: a client that will make its own pool calls this when it is made."""
    global _build
    if _context is not None or _build is not None:
        return
    with _lock:
        if _context is not None or _build is not None:
            return
        build = _Build()
        try:
            # Not a daemon: an exit right after making a client waits the few ms left,
            # rather than stopping the thread inside OpenSSL.
            build.thread.start()
        except RuntimeError:  # no new threads (the interpreter is exiting): built on use
            return
        _build = build


def shared_tls_context() -> ssl.SSLContext:
    """httpx's default context (certifi, honouring SSL_CERT_FILE / SSL_CERT_DIR), built once."""
    context = _context
    if context is not None:
        return context
    build = _build
    made = build.result() if build is not None else None
    if made is None:
        made = httpx.create_ssl_context()
    return _publish(made)


def _publish(made: ssl.SSLContext) -> ssl.SSLContext:
    """Keep `made` as the shared context, unless another thread kept one first."""
    global _context, _build
    with _lock:
        if _context is None:
            _context = made
        _build = None
        return _context


def reset_tls_context() -> None:
    """Forget the shared context, after any build under way ends (for tests)."""
    global _context, _build
    build = _build
    if build is not None:
        build.done.wait()
    with _lock:
        _context = _build = None


def _before_fork() -> None:
    """Let a build under way finish, so that no lock is held by a thread the child will
    not have (its import of certifi, OpenSSL's own)."""
    build = _build
    if build is not None and build.thread.is_alive():
        build.thread.join(FORK_WAIT)


def _after_fork_in_child() -> None:
    """The child has no helper thread, and `_lock` may have been held at the fork: start
    afresh, keeping a context the parent had finished (the child's copy is its own)."""
    global _lock, _context, _build
    _lock = threading.RLock()
    build, _build = _build, None
    if _context is None and build is not None and build.done.is_set():
        _context = build.context if build.settings == _settings() else None


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
