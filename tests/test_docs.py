"""Every Python block in the README and docs runs, against the emulator.

Blocks of one file run in order in one namespace, as a reader would paste them,
with `MEMOS_API_KEY` / `MEMOS_BASE_URL` pointing at an emulator served on loopback.
A block that defines `test_*` functions (the testing guide does) gets them called
with the pytest plugin's fixtures. The README's two opening commands are checked
against what `.ci/run` runs.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memos_client import MemOS
from memos_client.testing import FakeMemOS, ManualClock

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(path: Path, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(path.read_text()) if lang == language]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("MEMOS_REGION", "MEMOS_IS_GLOBAL", "MEMOS_LOG"):
        monkeypatch.delenv(name, raising=False)
    with FakeMemOS(refine_delay=0.05).serve() as base_url:
        monkeypatch.setenv("MEMOS_API_KEY", "docs-key")
        monkeypatch.setenv("MEMOS_BASE_URL", base_url)
        yield base_url


def run_test_function(function: Any) -> None:
    """Call a documented test function with the plugin's fixtures, as pytest would."""
    fake = FakeMemOS(clock=ManualClock())
    names = list(inspect.signature(function).parameters)
    if inspect.iscoroutinefunction(function):

        async def call() -> None:
            async with fake.async_client() as async_memos:
                fixtures = {"memos_fake": fake, "async_memos": async_memos}
                await function(*(fixtures[name] for name in names))

        asyncio.run(call())
        return
    with fake.client() as memos:
        fixtures = {"memos_fake": fake, "memos": memos}
        function(*(fixtures[name] for name in names))


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_python_blocks_run(path: Path, served: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_{path.stem}"}
    code_blocks = blocks(path, "python")
    assert code_blocks or path.name == "CHANGELOG.md"
    for index, code in enumerate(code_blocks):
        before = set(namespace)
        try:
            exec(compile(code, f"{path.name}[block {index}]", "exec"), namespace)
            for name in sorted(set(namespace) - before):
                if name.startswith("test_") and callable(namespace[name]):
                    run_test_function(namespace[name])
        except Exception as error:
            raise AssertionError(f"{path.name} block {index} failed:\n{code}") from error
    for value in namespace.values():
        if isinstance(value, MemOS):
            value.close()  # what the end of the reader's script would do
    capsys.readouterr()


def test_readme_opens_with_the_two_commands() -> None:
    commands = [body.strip() for body in blocks(ROOT / "README.md", "bash")][:2]
    assert commands[0].endswith("pip install -e . && python examples/quickstart.py")
    assert commands[1].endswith('pip install -e ".[dev]" && python -m pytest')
    readme = (ROOT / "README.md").read_text()
    assert readme.index(commands[0]) < readme.index("## Quickstart")


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'python -m pip install --quiet -e ".[dev]"' in ci
    assert "\npython -m pytest\n" in ci
    assert "scripts/check" in ci
