"""`memos import FILE.jsonl`: a history imported through `add_many`, resumably.

Each line is one `add_many` item: `{"messages": [...], "user_id": ..., "conversation_id":
..., "id": ...}` plus any of `add`'s fields. The whole file is checked before anything
is sent (its shape, and the checks `add` makes before sending), so a bad line stops
the import at once, naming its line number; items are then read again, one at a
time, as `add_many` sends them.
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..._core._api import endpoint
from ..._exceptions import InvalidRequestError, MemOSError
from .. import _output as out
from .._context import Context
from .._exits import OK, exit_code_for
from .._parser import runs
from .._progress import import_bar
from .memory import DEFAULT_WAIT

SHOWN_ERRORS = 20  # errors listed in the table (--json lists them all)


def build_import(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import a JSONL file through client.add_many: one item per line, "
        '{"messages": [...], "user_id": ..., "conversation_id": ..., "id": ...} plus any '
        "of add's fields. At most --concurrency adds are in flight, fewer while MemOS "
        "rate-limits; with --journal a rerun skips what was already sent."
    )
    parser.epilog = "example:\n  memos import history.jsonl --journal import.sqlite --concurrency 8"
    parser.add_argument("file", type=Path, metavar="FILE.jsonl", help="the items, one per line")
    parser.add_argument(
        "--journal",
        type=Path,
        metavar="PATH",
        help="a SQLite file recording what was sent, so that a rerun resumes",
    )
    parser.add_argument(
        "--concurrency", type=int, default=16, help="adds in flight at most (default 16)"
    )
    parser.add_argument(
        "--resend-in-doubt",
        action="store_true",
        help="send again the items an earlier run may or may not have added",
    )
    parser.add_argument(
        "--wait", action="store_true", help="then wait until every item's memories are refined"
    )
    parser.add_argument(
        "--wait-timeout",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait in all with --wait (default {DEFAULT_WAIT:g})",
    )
    runs(parser, run_import)


def item_fields() -> list[str]:
    """What a line may hold: `messages`, `id`, and `add`'s documented fields."""
    return ["messages", "id", *endpoint("add").fields]


def check_line(path: Path, number: int, item: Any, known: list[str]) -> None:
    where = f"{path} line {number}"
    if not isinstance(item, dict):
        raise InvalidRequestError(f"{where}: expected a JSON object, not {type(item).__name__}")
    if not isinstance(item.get("messages"), list):
        raise InvalidRequestError(f'{where}: "messages" must be a list of turns', field="messages")
    for name in item:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; use {', '.join(known)}"
            raise InvalidRequestError(f"{where}: unknown field {name!r}{hint}", field=name)
    fields = {name: value for name, value in item.items() if name not in ("messages", "id")}
    try:  # the checks `add` makes before sending (a user id, non-empty messages...)
        endpoint("add").build((item["messages"],), fields)
    except InvalidRequestError as error:
        raise InvalidRequestError(f"{where}: {error}", field=error.field) from None


def lines(path: Path) -> Iterator[tuple[int, Any]]:
    """`(line number, item)` of each non-blank line; bad JSON is an error naming the line."""
    try:
        with path.open(encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except ValueError as error:
                    raise InvalidRequestError(f"{path} line {number}: not JSON ({error})") from None
    except OSError as error:
        raise InvalidRequestError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise InvalidRequestError(f"{path} is not UTF-8 text ({error.reason})") from None


def run_import(context: Context, args: argparse.Namespace) -> int:
    known = item_fields()
    numbers: list[int] = []
    for number, item in lines(args.file):
        check_line(args.file, number, item, known)
        numbers.append(number)
    client = context.client()
    with import_bar(context.output, len(numbers)) as on_progress:
        result = client.add_many(
            (item for _, item in lines(args.file)),
            concurrency=args.concurrency,
            journal=args.journal,
            resend_in_doubt=args.resend_in_doubt,
            wait=args.wait,
            wait_timeout=args.wait_timeout,
            on_progress=on_progress,
        )
    problems = [(numbers[index], error) for index, error in result.errors + result.wait_errors]
    summary = {
        "read": result.read,
        "submitted": result.submitted,
        "skipped": result.skipped,
        "failed": result.failed,
        "in_doubt": result.in_doubt,
        "stopped": result.stopped,
        "tasks": [None if isinstance(task, MemOSError) else task.id for task in result.results],
        "errors": [
            {"line": line, "error": type(error).__name__, "message": str(error)}
            for line, error in problems
        ],
    }
    context.output.result(summary, lambda: report(summary))
    return exit_code_for(problems[0][1]) if problems else OK.code


def report(summary: dict[str, Any]) -> Any:
    from rich.console import Group

    counts = [
        (name, summary[name]) for name in ("read", "submitted", "skipped", "failed", "in_doubt")
    ]
    if summary["stopped"]:
        counts.append(("stopped", summary["stopped"]))
    parts: list[Any] = [out.table("import", ("", "items"), counts)]
    errors = summary["errors"]
    if errors:
        rows = (
            (e["line"], e["error"], out.short(e["message"], 120)) for e in errors[:SHOWN_ERRORS]
        )
        more = f" (first {SHOWN_ERRORS} of {len(errors)})" if len(errors) > SHOWN_ERRORS else ""
        parts.append(out.table(f"errors{more}", ("line", "error", "message"), rows))
    return Group(*parts)
