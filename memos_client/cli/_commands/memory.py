"""`memos add`, `search`, `status` and `wait`: writing memories and following tasks."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import _output as out
from .._context import Context
from .._fields import add_endpoint, add_messages, call_arguments, messages_of
from .._parser import runs
from .._progress import wait_for

if TYPE_CHECKING:
    from ... import MemOS
    from ...types import TaskStatus

DEFAULT_WAIT = 300.0


def add_wait_options(parser: argparse.ArgumentParser, what: str) -> None:
    """`--wait` (and its deadline) for a command that starts server-side work."""
    parser.add_argument(
        "--wait", action="store_true", help=f"wait until {what}, showing its status as it goes"
    )
    parser.add_argument(
        "--wait-timeout",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {DEFAULT_WAIT:g}; exit code 7)",
    )


def statuses(title: str, readings: Sequence[Any]) -> Any:
    """Task statuses as a table: id, status, and what a completed task changed."""

    def counts(reading: Any) -> tuple[object, object, object]:
        views = getattr(reading, "memory_views", None)
        if views is None:
            return ("", "", "")
        return (views.added, views.updated, views.deleted)

    rows = [(reading.task_id, reading.status, *counts(reading)) for reading in readings]
    return out.table(title, ("task", "status", "added", "updated", "deleted"), rows)


def show_task(context: Context, client: MemOS, task: Any, args: argparse.Namespace) -> int:
    """Print a started task (or, with --wait, its final status)."""
    from ...types import TaskStatus

    reading: TaskStatus = TaskStatus(task_id=task.id, status=task.status)
    if args.wait and task.trackable:
        reading = wait_for(context.output, client, [task], args.wait_timeout)[0]
    elif args.wait:
        context.output.note("the server gave no task id, so there is nothing to wait on")
    context.output.result(reading, lambda: statuses("task", [reading]))
    return 0


def build_add(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Add conversation messages; MemOS turns them into memories (client.add). The turn "
        "is searchable at once; refined memories follow (use --wait, or `memos wait`)."
    )
    parser.epilog = (
        "example:\n  memos add -m 'I moved to Lisbon in May' --user-id u1 \\\n"
        "    --conversation-id c1 --wait"
    )
    add_messages(parser)
    add_endpoint(parser, "add")
    add_wait_options(parser, "the memories are refined")
    runs(parser, run_add)


def run_add(context: Context, args: argparse.Namespace) -> int:
    _, fields = call_arguments(args, "add")
    messages = messages_of(args)
    client = context.client()
    return show_task(context, client, client.add(messages, **fields), args)


def build_search(parser: argparse.ArgumentParser) -> None:
    parser.description = "Recall the memories relevant to a query (client.search)."
    parser.epilog = "example:\n  memos search 'Where did the user move?' --user-id u1"
    add_endpoint(parser, "search")
    runs(parser, run_search)


def run_search(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "search")
    result = context.client().search(*positional, **fields)
    context.output.result(result, lambda: out.memories(f"{len(result)} memories", result))
    if result.preference_note and not context.output.json_mode:
        context.output.note(result.preference_note)
    return 0


def build_status(parser: argparse.ArgumentParser) -> None:
    parser.description = "Read a task's status once (client.get_status)."
    parser.epilog = "example:\n  memos status 4f0c...e1"
    add_endpoint(parser, "get_status")
    runs(parser, run_status)


def run_status(context: Context, args: argparse.Namespace) -> int:
    positional, _ = call_arguments(args, "get_status")
    reading: TaskStatus = context.client().get_status(*positional)
    context.output.result(reading, lambda: statuses("task", [reading]))
    return 0


def build_wait(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Wait for tasks to finish (client.wait_all), one live row per task with its status "
        "and the time waited. Exits 7 if a task failed or is still running at the deadline."
    )
    parser.epilog = "example:\n  memos wait 4f0c...e1 9a7b...02 --timeout 120"
    parser.add_argument("task_ids", nargs="+", metavar="TASK_ID", help="the tasks to wait for")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait in all (default {DEFAULT_WAIT:g})",
    )
    runs(parser, run_wait)


def run_wait(context: Context, args: argparse.Namespace) -> int:
    finals = wait_for(context.output, context.client(), args.task_ids, args.timeout)
    document: Any = finals[0] if len(finals) == 1 else finals
    context.output.result(document, lambda: statuses("tasks", finals))
    return 0
