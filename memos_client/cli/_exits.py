"""The `memos` command's exit codes, one per class of error, declared once.

`memos --help` renders this table under "Exit codes", and `docs/cli.md` holds the
same table (a test compares them). A script can then branch on the kind of failure:
retry later on 5, fix the key on 3, give up on 2.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .._exceptions import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TaskError,
    UnexpectedResponseError,
)

__all__ = ["EXIT_CODES", "ExitCode", "exit_code_for", "help_table", "markdown_table"]


@dataclass(frozen=True)
class ExitCode:
    """One exit status: its number, what it means, and the errors that end with it."""

    code: int
    meaning: str
    errors: tuple[type[BaseException], ...] = ()


OK = ExitCode(0, "success")
FAILURE = ExitCode(
    1,
    "another failure: items in doubt or failed in an import, a doctor check that failed, "
    "a conformance difference",
)
USAGE = ExitCode(
    2,
    "usage: bad arguments or configuration (no key, a bad base URL, a missing extra), "
    "refused before sending or by the server",
    (ConfigurationError, InvalidRequestError, BadRequestError),
)
AUTH = ExitCode(
    3,
    "authentication: the key is missing on the server, wrong, expired, or not allowed",
    (AuthenticationError, PermissionDeniedError),
)
NOT_FOUND = ExitCode(4, "not found: no such memory, task, file or template", (NotFoundError,))
RATE_LIMIT = ExitCode(
    5,
    "rate limit or quota: try again later, or raise the quota",
    (RateLimitError, QuotaExceededError),
)
SERVER = ExitCode(
    6,
    "server or connection: MemOS failed, or could not be reached or read",
    (ServerError, APIConnectionError, UnexpectedResponseError),
)
TASK = ExitCode(7, "task failed or timed out while waiting", (TaskError,))
INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

EXIT_CODES = (OK, FAILURE, USAGE, AUTH, NOT_FOUND, RATE_LIMIT, SERVER, TASK)


def exit_code_for(error: BaseException) -> int:
    """The exit status for an error: its class's row, else 1 (another failure)."""
    for row in EXIT_CODES:
        if row.errors and isinstance(error, row.errors):
            return row.code
    return FAILURE.code


def help_table(width: int = 78) -> str:
    """The table for `memos --help` (an argparse epilog kept as written), each meaning
    wrapped to `width` columns beneath its own start."""
    lines = ["Exit codes:"]
    for row in EXIT_CODES:
        lead = f"  {row.code}  "
        lines += textwrap.wrap(
            row.meaning,
            width,
            initial_indent=lead,
            subsequent_indent=" " * len(lead),
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def markdown_table() -> str:
    """The table for docs/cli.md, one row per code, with the SDK errors that end with it."""
    lines = ["| Code | Meaning | Errors |", "|---|---|---|"]
    for row in EXIT_CODES:
        errors = ", ".join(f"`{error.__name__}`" for error in row.errors)
        lines.append(f"| {row.code} | {row.meaning} | {errors} |")
    return "\n".join(lines)
