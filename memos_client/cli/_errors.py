"""An SDK error as the command line prints it: one line, with the SDK's Python advice
restated in the command's own terms.

The SDK's messages speak to Python code (`pass user_id=...`, `wait again later with
client.task(handle).wait()`); at a shell prompt that advice reads as `--user-id ...`
and `memos wait TASK_ID`. Only names that are options of the command being run are
rewritten, so an item's field in an import file, or a server's text, stays as it is.
"""

from __future__ import annotations

import argparse
import re

from .._exceptions import InvalidRequestError, MemOSError, TaskTimeoutError
from ._fields import FIELD, option

__all__ = ["describe", "one_line"]

# `user_id=...`, `memory_ids=[...]` or a bare `content=` in a sentence of advice.
KEYWORD = re.compile(r"(?<![\w.\[-])([a-z][a-z0-9_]*)=(\[\.\.\.\]|\.\.\.)?(?![\w'\"(])")
FIELD_PREFIX = re.compile(r"^([a-z][a-z0-9_]*):")
WAIT_ADVICE = re.compile(r"wait again later with \S+\.wait\(\)")


def one_line(text: str) -> str:
    """An error message on one line (a server message may hold line breaks)."""
    return " ".join(text.split())


def option_names(args: argparse.Namespace) -> frozenset[str]:
    """The keyword names the command takes as options (`user_id` for `--user-id`)."""
    return frozenset(
        name.removeprefix(FIELD) for name in vars(args) if ":" not in name.removeprefix(FIELD)
    )


def describe(error: MemOSError, args: argparse.Namespace) -> str:
    """The one-line message for `memos: error: ...`."""
    text = one_line(str(error))
    if isinstance(error, InvalidRequestError):
        names = option_names(args)

        def keyword(match: re.Match[str]) -> str:
            name, value = match.group(1), match.group(2)
            if name not in names:
                return match.group(0)
            return option(name) + (" ..." if value else "")

        text = KEYWORD.sub(keyword, text)
        text = FIELD_PREFIX.sub(
            lambda match: option(match[1]) + ":" if match[1] in names else match[0], text
        )
    if isinstance(error, TaskTimeoutError) and error.task_id:
        text = WAIT_ADVICE.sub(f"wait again later with `memos wait {error.task_id}`", text)
    return text
