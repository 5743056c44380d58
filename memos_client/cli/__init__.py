"""`memos`: the MemOS Cloud command line (the `[cli]` extra: rich for tables and progress).

```
memos add -m "I moved to Lisbon in May" --user-id u1 --wait
memos search "Where did the user move?" --user-id u1 --json
memos doctor --conformance
```

Every endpoint family has a command, whose options are the call's documented
keyword fields. Errors print one line on stderr, and the exit status says which kind
of error it was (`memos --help` lists the codes; see docs/cli.md).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .._exceptions import MemOSError
from ._exits import INTERRUPTED, USAGE, exit_code_for

__all__ = ["main"]

MISSING_RICH = "memos needs rich for its output: pip install 'memos-client[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run `memos` with `argv` (default: the process's arguments); returns the exit status."""
    from ._context import Context
    from ._parser import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error (already printed)
        return stop.code if isinstance(stop.code, int) else USAGE.code
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return USAGE.code
    try:
        import rich  # noqa: F401  (the [cli] extra)
    except ImportError:
        sys.stderr.write(MISSING_RICH + "\n")
        return USAGE.code
    context = Context(args)
    try:
        status: int = run(context, args)
        return status
    except MemOSError as error:
        from ._errors import describe

        sys.stderr.write(f"memos: error: {describe(error, args)}\n")
        return exit_code_for(error)
    except KeyboardInterrupt:
        sys.stderr.write("memos: interrupted\n")
        return INTERRUPTED
    finally:
        context.close()
