"""The `memos_client` logger, `MEMOS_LOG=debug|info`, and redaction.

Debug logging shows each request and response; credentials are always redacted:
headers by name, and every live API key, in any encoding, by a filter on the
logger that rewrites each record before any handler sees it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._config import Secret

__all__ = ["logger", "redact_headers", "setup_logging", "track_secret"]

logger = logging.getLogger("memos_client")
_SECRETS: weakref.WeakSet[Secret] = weakref.WeakSet()


def track_secret(secret: Secret) -> None:
    """Hide `secret` in every record of the `memos_client` logger while it lives."""
    _SECRETS.add(secret)


class _HideSecrets(logging.Filter):
    """Rewrites a record's message with every live API key hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = list(_SECRETS)
        if not secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot format is shown as such
            message = f"unformattable log record from {record.pathname}:{record.lineno}"
        for secret in secrets:
            message = secret.redactor().text(message)
        record.msg, record.args = message, None
        return True


logger.addFilter(_HideSecrets())

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
