"""`python -m memos_client.testing`: serve the MemOS emulator over HTTP until Ctrl-C.

```
python -m memos_client.testing --port 8787 --refine-delay 2 --api-key k1 --api-key k2 --log-size 500
MemOS emulator serving on http://127.0.0.1:8787/api/openmem/v1 (Ctrl-C to stop)
```

Any language's client can then point its base URL at the printed address. Ctrl-C
(or SIGTERM) stops it quietly with exit status 0. It holds a thousand concurrent
connections, and its request log keeps only the most recent `--log-size`
requests (10,000 by default), so it can run for days without growing.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._fake import FakeMemOS
from ._http._log import DEFAULT_REQUEST_LOG_SIZE

DEFAULT_PORT = 8787


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m memos_client.testing",
        description="Serve an in-memory MemOS Cloud emulator over HTTP.",
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options (also those of `memos emulator`)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port, 0 = any free (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--refine-delay",
        type=float,
        default=1.0,
        help="seconds until async adds are refined (default 1.0)",
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only this key (repeatable; default: any non-empty key)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for ids (default 0)")
    parser.add_argument(
        "--log-size",
        type=_log_size,
        default=DEFAULT_REQUEST_LOG_SIZE,
        metavar="N",
        help=f"recent requests kept in the request log (default {DEFAULT_REQUEST_LOG_SIZE})",
    )


def _log_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return value


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server; returns the process exit status."""
    return serve(_parser().parse_args(argv))


def serve(args: argparse.Namespace) -> int:
    """Serve with the options of `add_arguments` until Ctrl-C or SIGTERM; the exit status."""
    fake = FakeMemOS(
        api_keys=args.api_keys,
        refine_delay=args.refine_delay,
        seed=args.seed,
        request_log_size=args.log_size,
    )
    server = fake.serve(host=args.host, port=args.port)
    try:
        url = server.start()
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"MemOS emulator serving on {url} (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    try:
        while not stop.wait(0.5):  # a timed wait stays interruptible on every platform
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
