"""Turn httpx transport failures into `APIConnectionError` / `APITimeoutError`.

Two things matter here. The message names the root cause (a TLS or DNS failure, a
refused connection), not just "Connection error.". And the error says whether the
request may have reached the server: only failures before sending (connect errors,
pool timeouts) prove it did not, so only those let a write be retried.
"""

from __future__ import annotations

import socket
import ssl

import httpx

from .._exceptions import APIConnectionError, APITimeoutError
from ._spec import RequestSpec

__all__ = ["chain", "connection_error", "root_cause"]

# Failures that happen before a single byte of the request leaves the machine.
UNSENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)
# Failures that the same request will meet again: retrying or polling cannot help.
PERMANENT = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def connection_error(exc: httpx.RequestError, spec: RequestSpec, url: str) -> APIConnectionError:
    """The SDK error for a transport failure on `spec`, chained to `root_cause(exc)`.

    Raise it outside the `except` block that caught `exc`: the httpx error holds the
    request, Authorization header included, and must not become `__context__`.
    """
    unsent = isinstance(exc, UNSENT)
    inner = root_cause(exc)
    permanent = isinstance(exc, PERMANENT) or any(
        isinstance(link, ssl.SSLCertVerificationError) for link in chain(exc)
    )
    cause = describe(exc)
    where = f"{spec.method} {url}"
    if spec.kind == "write" and not unsent:
        message = (
            f"{where} may or may not have been processed: {cause}. It was not retried, "
            f"so that it cannot be applied twice; {spec.check_hint}"
        )
    else:
        message = f"{where} failed: {cause}"
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    error = cls(
        message,
        method=spec.method,
        url=url,
        may_have_been_processed=not unsent,
        permanent=permanent,
    )
    error.__cause__ = inner
    return error


def chain(exc: BaseException) -> list[BaseException]:
    """`exc` and the exceptions it was raised from, outermost first (cycles cut)."""
    links = [exc]
    seen = {id(exc)}
    while True:
        nxt = links[-1].__cause__ or links[-1].__context__
        if nxt is None or id(nxt) in seen:
            return links
        seen.add(id(nxt))
        links.append(nxt)


def root_cause(exc: BaseException) -> BaseException | None:
    """The innermost chained exception, which holds no reference to the httpx request."""
    links = chain(exc)
    return links[-1] if len(links) > 1 else None


def describe(exc: httpx.RequestError) -> str:
    """A one-line account of what went wrong, naming the root cause."""
    inner = root_cause(exc)
    detail = str(exc) or (str(inner) if inner else "") or type(exc).__name__
    if isinstance(exc, httpx.PoolTimeout):
        return (
            "timed out waiting for a free connection in the pool (PoolTimeout); too many "
            "requests in flight: raise httpx.Limits or lower your concurrency"
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (ConnectTimeout: {detail})"
    if isinstance(exc, httpx.ReadTimeout):
        return "timed out waiting for the response (ReadTimeout)"
    if isinstance(exc, httpx.WriteTimeout):
        return "timed out sending the request (WriteTimeout)"
    if isinstance(inner, ssl.SSLError) or "SSL" in detail:
        reason = getattr(inner, "reason", None) or getattr(inner, "verify_message", None)
        prefix = f"ssl: {reason}" if reason else "ssl"
        return f"{prefix} ({type(exc).__name__}: {detail})"
    if isinstance(inner, socket.gaierror):
        return f"DNS lookup failed ({type(exc).__name__}: {detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server closed the connection ({type(exc).__name__}: {detail})"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused the request ({type(exc).__name__}: {detail})"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect ({type(exc).__name__}: {detail})"
    return f"the connection failed ({type(exc).__name__}: {detail})"
