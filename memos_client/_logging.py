"""The `memos_client` logger, `MEMOS_LOG=debug|info`, and header redaction.

Debug logging shows each request and response; credentials are always redacted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

__all__ = ["logger", "redact_headers", "setup_logging"]

logger = logging.getLogger("memos_client")

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
REDACTED = "<redacted>"


def setup_logging(environ: Mapping[str, str]) -> None:
    """Honour `MEMOS_LOG`: set the level, and attach a stderr handler unless the app
    configured one for this logger."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        environ.get("MEMOS_LOG", "").strip().lower()
    )
    if level is None:
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        logger.addHandler(handler)


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict fit for a log line, with every credential replaced."""
    return {
        name: REDACTED if name.lower() in SENSITIVE_HEADERS else value for name, value in headers
    }
