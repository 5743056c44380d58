"""`memos chat` (streamed to the terminal as it arrives), `extract` and `rerank`: the
model endpoints."""

from __future__ import annotations

import argparse
import sys

from .. import _output as out
from .._context import Context
from .._fields import add_endpoint, add_messages, call_arguments, messages_of
from .._parser import runs


def build_chat(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Ask MemOS's model, which answers from the user's memories (client.chat_stream). "
        "The answer is printed as it arrives; with --json, once whole."
    )
    parser.epilog = (
        "example:\n  memos chat 'Where should I travel next?' --user-id u1 --conversation-id c1"
    )
    add_endpoint(parser, "chat_stream")
    parser.add_argument(
        "--reasoning",
        action="store_true",
        help="also show the model's reasoning chunks (dimmed, on stderr)",
    )
    runs(parser, run_chat)


def run_chat(context: Context, args: argparse.Namespace) -> int:
    from ...types import ChatResponse

    positional, fields = call_arguments(args, "chat_stream")
    output = context.output
    answer: list[str] = []
    reasoning = False  # reasoning shown and not yet ended by a line break
    with context.client().chat_stream(*positional, **fields) as stream:
        for event in stream:
            if event.type == "text":
                if reasoning:  # on a terminal both streams share a screen: end its line
                    output.errors.print()
                    reasoning = False
                answer.append(event.data)
                if not output.json_mode:
                    sys.stdout.write(event.data)
                    sys.stdout.flush()
            elif event.type == "reasoning" and args.reasoning and not output.json_mode:
                output.errors.print(event.data, style="dim", end="", markup=False)
                reasoning = True
    if reasoning:
        output.errors.print()
    if output.json_mode:
        output.json(out.wire(ChatResponse(response="".join(answer))))
    else:
        sys.stdout.write("\n")
    return 0


def build_extract(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Extract facts and preferences from messages without storing anything (client.extract)."
    )
    parser.epilog = "example:\n  memos extract -m 'I am vegetarian and live in Porto'"
    add_messages(parser)
    add_endpoint(parser, "extract")
    runs(parser, run_extract)


def run_extract(context: Context, args: argparse.Namespace) -> int:
    _, fields = call_arguments(args, "extract")
    result = context.client().extract(messages_of(args), **fields)
    rows = ((out.kind(item), out.memory_text(item)) for item in result)
    context.output.result(result, lambda: out.table("extracted", ("kind", "text"), rows))
    return 0


def build_rerank(parser: argparse.ArgumentParser) -> None:
    parser.description = "Rank documents by relevance to a query, best first (client.rerank)."
    parser.epilog = (
        "example:\n  memos rerank 'tea' 'I drink green tea' 'The bus was late' --top-n 1"
    )
    add_endpoint(parser, "rerank")
    runs(parser, run_rerank)


def run_rerank(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "rerank")
    result = context.client().rerank(*positional, **fields)
    documents = positional[1]
    rows = (
        (hit.index, f"{hit.relevance_score:.3f}", out.short(documents[hit.index]))
        for hit in result.results
        if 0 <= hit.index < len(documents)
    )
    context.output.result(result, lambda: out.table("ranked", ("index", "score", "document"), rows))
    return 0
