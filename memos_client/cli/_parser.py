"""The `memos` command line: the top-level parser, its shared options, and the commands.

Each command's options are built only when that command runs (`LazyParser`): the
top-level help names every command from the table below without importing the SDK,
so `memos --help` stays fast, and `memos search --help` loads only what search needs.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from .._version import __version__
from ._exits import help_table

__all__ = [
    "COMMANDS",
    "HelpFormatter",
    "LazyParser",
    "add_common",
    "build_parser",
    "group",
    "help_width",
    "leaf",
    "runs",
]

Builder = Callable[[argparse.ArgumentParser], None]
Runner = Callable[..., int]

# (name, one-line help, "module:function" that adds the command's arguments).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("add", "add conversation messages to memory (add/message)", "memory:build_add"),
    (
        "search",
        "recall a user's memories relevant to a query (search/memory)",
        "memory:build_search",
    ),
    ("status", "read a task's status once (get/status)", "memory:build_status"),
    ("wait", "wait for tasks to finish, with a live display", "memory:build_wait"),
    ("chat", "ask MemOS's model with memory, streamed as it answers (chat)", "chat:build_chat"),
    ("memories", "list, read, update or delete stored memories", "memories:build_memories"),
    ("messages", "a conversation's raw messages (get/message)", "memories:build_messages"),
    ("feedback", "correct memories in plain language (add/feedback)", "memories:build_feedback"),
    ("extract", "extract memories from messages without storing them", "chat:build_extract"),
    ("rerank", "rank documents by relevance to a query", "chat:build_rerank"),
    ("kb", "knowledge bases: create, upload files, list files, delete", "kb:build_kb"),
    ("profiles", "profile templates, and one subject's profile", "profiles:build_profiles"),
    ("import", "import a JSONL history through add_many, resumably", "batch:build_import"),
    ("emulator", "serve the offline MemOS emulator over HTTP", "emulator:build_emulator"),
    ("doctor", "check the key, URL, TLS, latency and clock; --conformance", "doctor:build_doctor"),
)

DESCRIPTION = """\
The MemOS Cloud command line: every endpoint family, tables for people and --json
for scripts. Configuration comes from MEMOS_API_KEY, MEMOS_BASE_URL and MEMOS_REGION,
overridden by --api-key-file, --base-url and --region. Run `memos COMMAND --help`
for a command's options; `memos doctor` checks the setup."""


def help_width() -> int:
    """The columns help text may fill: the terminal's (or `COLUMNS`), less two, as
    argparse computes it for the options."""
    return max(shutil.get_terminal_size().columns - 2, 40)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs fitted to the terminal: a paragraph of prose is refilled
    to its width, and a paragraph with indented lines (examples, tables) is kept as
    written, since a command line broken in two no longer pastes."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("width", help_width())
        super().__init__(prog, **kwargs)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if any(line[:1].isspace() for line in paragraph.splitlines()):
                paragraphs.append(textwrap.indent(paragraph, indent))
            else:
                paragraphs.append(
                    textwrap.fill(
                        " ".join(paragraph.split()),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                        break_on_hyphens=False,
                    )
                )
        return "\n\n".join(paragraphs)


class LazyParser(argparse.ArgumentParser):
    """An argument parser whose arguments are added on first use, by `build`."""

    def __init__(self, *args: Any, build: Builder | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._build = build

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._build is not None:
            build, self._build = self._build, None
            build(self)
        if namespace is None:
            return super().parse_known_args(args)
        return super().parse_known_args(args, namespace)


def add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command takes, before or after its name. On a command's own
    parser they default to "not given", so they never undo what came before the name."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group("connection and output")
    group.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print the result as JSON (the API's own fields), for scripts",
    )
    group.add_argument(
        "--api-key-file",
        metavar="PATH",
        default=default(None),
        help="read the API key from this file (default: MEMOS_API_KEY)",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help="the API root (default: MEMOS_BASE_URL, else the region's)",
    )
    group.add_argument(
        "--region",
        choices=("cn", "global"),
        default=default(None),
        help="the MemOS region (default: MEMOS_REGION, else cn)",
    )


def leaf(
    subparsers: argparse._SubParsersAction[Any],  # pyright: ignore[reportPrivateUsage]
    name: str,
    help: str,
    run: Runner,
    *,
    epilog: str | None = None,
    arguments: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.ArgumentParser:
    """A command that runs: `run(context, args)` returns the exit status.

    `arguments(parser)` adds the command's own arguments, before the options every
    command shares, so its help and usage show them first, as other commands do.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=help[:1].upper() + help[1:] + ".", epilog=epilog
    )
    if arguments is not None:
        arguments(parser)
    runs(parser, run)
    return parser


def runs(parser: argparse.ArgumentParser, run: Runner) -> None:
    """Make `parser` a command that runs: the shared options, and what to run."""
    add_common(parser, top=False)
    parser.set_defaults(run=run)


def group(parser: argparse.ArgumentParser, title: str) -> argparse._SubParsersAction[Any]:  # pyright: ignore[reportPrivateUsage]
    """Subcommands of a command family (`memories list`, `kb upload`...)."""
    return parser.add_subparsers(title=title, metavar="COMMAND", required=True)


def _loader(target: str) -> Builder:
    module_name, function = target.split(":")

    def build(parser: argparse.ArgumentParser) -> None:
        module = import_module(f"{__package__}._commands.{module_name}")
        getattr(module, function)(parser)

    return build


def build_parser() -> argparse.ArgumentParser:
    """The `memos` parser; each command's own arguments load when it is used."""
    parser = LazyParser(prog="memos", description=DESCRIPTION, epilog=help_table(help_width()))
    parser.add_argument("--version", action="version", version=f"memos-client {__version__}")
    add_common(parser, top=True)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, text, target in COMMANDS:
        commands.add_parser(name, help=text, description=text, build=_loader(target))
    return parser
