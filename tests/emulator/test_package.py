"""The package itself: public names, light imports, clocks."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

import memos_client.testing as testing
from memos_client.testing import FakeMemOS, ManualClock, RealClock
from memos_client.testing._clock import format_chat_time

PACKAGE = Path(testing.__file__).parent
ALLOWED_TOP_LEVEL = {"httpx", "typing_extensions", *sys.stdlib_module_names}


def _module_level_imports(path: Path) -> list[str]:
    """Absolute imports executed when `path` is imported (not lazy, not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_modules_import_only_stdlib_httpx_and_typing_extensions(path: Path) -> None:
    """The emulator stays light: no pydantic or tenacity, and the SDK only lazily."""
    allowed = ALLOWED_TOP_LEVEL | ({"pytest"} if path.name == "pytest_plugin.py" else set())
    roots = {name.split(".")[0] for name in _module_level_imports(path)}
    assert roots <= allowed
    anywhere = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level == 0
    }
    assert not anywhere & {"pydantic", "tenacity"}


def test_the_pytest_plugin_loads_no_emulator_module() -> None:
    code = (
        "import sys, memos_client.testing.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith('memos_client.testing')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "['memos_client.testing', 'memos_client.testing.pytest_plugin']"


def test_public_names_resolve_lazily_and_are_listed() -> None:
    assert len(set(testing.__all__)) == len(testing.__all__)
    for name in testing.__all__:
        assert getattr(testing, name) is not None
        assert name in dir(testing)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = testing.Nope


def test_default_clock_is_real() -> None:
    fake = FakeMemOS()
    assert isinstance(fake.clock, RealClock)
    assert abs(fake.clock.wall() - datetime.now(timezone.utc).timestamp()) < 5
    assert "RealClock()" in repr(fake)


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(datetime(2026, 1, 2, 15, 4, tzinfo=timezone.utc))
    assert clock.now() == 0.0
    assert clock.wall() == datetime(2026, 1, 2, 15, 4, tzinfo=timezone.utc).timestamp()
    clock.advance(1.5)
    clock.sleep(0.5)
    clock.sleep(-3)
    assert clock.now() == 2.0
    assert clock.wall() == datetime(2026, 1, 2, 15, 4, 2, tzinfo=timezone.utc).timestamp()
    assert repr(clock) == "ManualClock(now=2.000, wall='2026-01-02T15:04:02+00:00')"
    with pytest.raises(ValueError, match="negative"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 1, 2))
    assert ManualClock(1000.0).wall() == 1000.0


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2025, 12, 10, 9, 44), "09:44 AM on 10 December, 2025 UTC"),
        (datetime(2025, 12, 10, 0, 5), "12:05 AM on 10 December, 2025 UTC"),
        (datetime(2025, 12, 10, 12, 0), "12:00 PM on 10 December, 2025 UTC"),
        (datetime(2026, 3, 1, 23, 59), "11:59 PM on 1 March, 2026 UTC"),
    ],
)
def test_chat_time_format_matches_the_seed(moment: datetime, text: str) -> None:
    assert format_chat_time(moment.replace(tzinfo=timezone.utc).timestamp()) == text


def test_fake_refuses_a_negative_refine_delay() -> None:
    with pytest.raises(ValueError, match="refine_delay"):
        FakeMemOS(refine_delay=-1)


def test_default_api_key_is_one_the_fake_accepts() -> None:
    assert FakeMemOS().default_api_key() == "fake-key"
    assert FakeMemOS(api_keys=["b", "a"]).default_api_key() == "a"
    assert FakeMemOS(api_keys=["b", "a"]).api_keys == frozenset({"a", "b"})
