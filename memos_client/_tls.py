"""One TLS context for every connection pool the SDK creates.

Building a context loads the CA bundle from disk, about 20 ms; httpx does it again
for each client. Apps that make a client per request or per worker would pay that
every time, so the SDK builds it once, on first use (never at import), and shares
it: an `ssl.SSLContext` is safe to share. A user's own `http_client` keeps its own.
"""

from __future__ import annotations

import functools
import ssl

import httpx

__all__ = ["shared_tls_context"]


@functools.cache
def shared_tls_context() -> ssl.SSLContext:
    """httpx's default context (certifi, honouring SSL_CERT_FILE / SSL_CERT_DIR), built once."""
    return httpx.create_ssl_context()
