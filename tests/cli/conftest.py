"""Fixtures for the `memos` command's tests: one served emulator per module, the
environment a subprocess runs with, and an in-process runner (`main([...])`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from memos_client.cli import main
from memos_client.testing import FakeMemOS

ROOT = Path(__file__).resolve().parents[2]
KEY = "cli-test-key-0123456789"
WIDE = "200"  # columns, so that tables never fold an id


@dataclass
class Served:
    fake: FakeMemOS[Any]
    url: str


@dataclass
class Ran:
    code: int
    out: str
    err: str


Run = Callable[..., Ran]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    fake = FakeMemOS(refine_delay=0)
    with fake.serve() as url:
        yield Served(fake, url)


@pytest.fixture(autouse=True)
def _no_faults_left(served: Served) -> Iterator[None]:
    yield
    served.fake.clear_faults()


def environment(url: str, key: str = KEY) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEMOS_")}
    env.update(MEMOS_API_KEY=key, MEMOS_BASE_URL=url, COLUMNS=WIDE)
    return env


@pytest.fixture
def memos(served: Served) -> Run:
    """`memos ARGS...` as a subprocess against the served emulator."""

    def run(*args: str, env: dict[str, str] | None = None) -> Ran:
        done = subprocess.run(
            [sys.executable, "-m", "memos_client.cli", *args],
            env=env or environment(served.url),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def cli(served: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`memos ARGS...` in process (`main([...])`) against the served emulator."""
    for name in ("MEMOS_REGION", "MEMOS_IS_GLOBAL", "MEMOS_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEMOS_API_KEY", KEY)
    monkeypatch.setenv("MEMOS_BASE_URL", served.url)
    monkeypatch.setenv("COLUMNS", WIDE)

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
