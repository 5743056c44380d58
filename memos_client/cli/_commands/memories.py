"""`memos memories list|get|update|delete`, `messages` and `feedback`: reading and
correcting what is stored."""

from __future__ import annotations

import argparse

from .. import _output as out
from .._context import Context
from .._fields import add_endpoint, call_arguments, endpoint_arguments
from .._parser import group, leaf, runs
from .memory import add_wait_options, show_task


def build_memories(parser: argparse.ArgumentParser) -> None:
    parser.description = "List, read, update or delete stored memories (client.memories)."
    commands = group(parser, "memories commands")
    leaf(
        commands,
        "list",
        "one page of a user's or agent's memories",
        run_list,
        epilog="example:\n  memos memories list --user-id u1 --size 20",
        arguments=endpoint_arguments("memories.list"),
    )
    leaf(
        commands,
        "get",
        "one memory with its sources",
        run_get,
        epilog="example:\n  memos memories get MEMORY_ID",
        arguments=endpoint_arguments("memories.get"),
    )
    leaf(
        commands,
        "update",
        "change a memory's text, title or status",
        run_update,
        epilog="example:\n  memos memories update MEMORY_ID --content 'Lives in Porto'",
        arguments=endpoint_arguments("memories.update"),
    )
    leaf(
        commands,
        "delete",
        "delete memories by id, or all of a user's or agent's",
        run_delete,
        epilog="example:\n  memos memories delete --memory-ids ID1 ID2",
        arguments=endpoint_arguments("memories.delete"),
    )


def run_list(context: Context, args: argparse.Namespace) -> int:
    _, fields = call_arguments(args, "memories.list")
    page = context.client().memories.list(**fields)
    title = f"page {page.current} of {page.pages or '?'} ({page.total or 0} in all)"
    context.output.result(page, lambda: out.memories(title, page))
    return 0


def run_get(context: Context, args: argparse.Namespace) -> int:
    positional, _ = call_arguments(args, "memories.get")
    detail = context.client().memories.get(*positional)
    context.output.result(detail, lambda: out.fields("memory", detail))
    return 0


def run_update(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "memories.update")
    result = context.client().memories.update(*positional, **fields)
    context.output.result(result, lambda: out.fields("updated", result))
    return 0


def run_delete(context: Context, args: argparse.Namespace) -> int:
    _, fields = call_arguments(args, "memories.delete")
    result = context.client().memories.delete(**fields)
    context.output.result(result, lambda: out.fields("deleted", result))
    return 0


def build_messages(parser: argparse.ArgumentParser) -> None:
    parser.description = "The latest raw messages of a conversation (client.messages.list)."
    parser.epilog = "example:\n  memos messages --user-id u1 --conversation-id c1"
    add_endpoint(parser, "messages.list")
    runs(parser, run_messages)


def run_messages(context: Context, args: argparse.Namespace) -> int:
    _, fields = call_arguments(args, "messages.list")
    history = context.client().messages.list(**fields)
    rows = ((m.role, out.short(m.content), m.created_at) for m in history.messages)
    context.output.result(
        history, lambda: out.table("messages", ("role", "content", out.CREATED), rows)
    )
    return 0


def build_feedback(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Correct memories in plain language (client.feedback.add); MemOS applies it as a task."
    )
    parser.epilog = (
        "example:\n  memos feedback 'The user moved to Porto in June' --user-id u1 --wait"
    )
    add_endpoint(parser, "feedback.add")
    add_wait_options(parser, "the feedback is applied")
    runs(parser, run_feedback)


def run_feedback(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "feedback.add")
    client = context.client()
    return show_task(context, client, client.feedback.add(*positional, **fields), args)
