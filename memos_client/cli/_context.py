"""What a command runs with: its output, and a client built from the options and the
environment, created on first use (so `memos emulator` needs no key) and closed after."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._exceptions import ConfigurationError
from ._output import Output

if TYPE_CHECKING:
    from .. import MemOS

__all__ = ["Context", "client_arguments", "no_key"]


def no_key() -> str:
    """What to do without a key, in the command's terms."""
    from .._config import DASHBOARD_KEYS_URL  # with httpx: not for `memos --help`

    return (
        "no MemOS API key: set MEMOS_API_KEY, or pass --api-key-file PATH; keys are issued "
        f"at {DASHBOARD_KEYS_URL}. To try memos offline, run `memos emulator` and set "
        "MEMOS_BASE_URL to the address it prints"
    )


def client_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """`MemOS(...)` arguments from `--api-key-file`, `--base-url` and `--region`; what
    is not given comes from the environment (`MEMOS_API_KEY`, `MEMOS_BASE_URL`,
    `MEMOS_REGION`), as the SDK reads it."""
    arguments: dict[str, Any] = {}
    key_file = getattr(args, "api_key_file", None)
    if key_file is not None:
        try:
            arguments["api_key"] = Path(key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise ConfigurationError(f"cannot read --api-key-file {key_file}: {reason}") from None
    if getattr(args, "base_url", None) is not None:
        arguments["base_url"] = args.base_url
    if getattr(args, "region", None) is not None:
        arguments["region"] = args.region
    return arguments


class Context:
    """A command's output and (lazily) its client."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.output = Output(bool(getattr(args, "json", False)))
        self._client: MemOS | None = None

    def client(self) -> MemOS:
        """The configured client; a missing key or bad URL raises `ConfigurationError`."""
        if self._client is None:
            from .. import MemOS

            arguments = client_arguments(self.args)
            key = arguments.get("api_key", os.environ.get("MEMOS_API_KEY", ""))
            if not key.strip():
                given = getattr(self.args, "api_key_file", None)
                empty = f"--api-key-file {given} is empty; " if given else ""
                raise ConfigurationError(empty + no_key())
            self._client = MemOS(**arguments)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
