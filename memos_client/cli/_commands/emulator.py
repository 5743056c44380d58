"""`memos emulator`: serve the offline MemOS emulator, as `python -m memos_client.testing`
does (the same options and behaviour: that module's code runs)."""

from __future__ import annotations

import argparse

from .._context import Context
from .._parser import runs


def build_emulator(parser: argparse.ArgumentParser) -> None:
    from ...testing import __main__ as server

    parser.description = (
        "Serve an in-memory MemOS Cloud emulator over HTTP until Ctrl-C; point "
        "MEMOS_BASE_URL at the address it prints to try every command offline."
    )
    parser.epilog = "example:\n  memos emulator --port 8787 --refine-delay 0.5"
    server.add_arguments(parser)
    runs(parser, run_emulator)


def run_emulator(context: Context, args: argparse.Namespace) -> int:
    from ...testing import __main__ as server

    return server.serve(args)
