"""The quickstart examples run offline, on the emulator, and print a readable session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script", ["quickstart.py", "quickstart_async.py"])
def test_quickstart_runs_offline(script: str) -> None:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("MEMOS_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "MEMOS_API_KEY is not set: using the offline MemOS emulator at http://127.0.0.1:"
    )
    assert lines[1].startswith("1. add: task ") and lines[1].endswith(" is running")
    assert lines[2].startswith("2. search at once: WorkingMemory ['mode:fast']")
    assert lines[3].startswith("3. wait: task completed, ")
    assert lines[4] == "4. search again, refined:"
    assert any("Guangzhou" in line and "UserMemory" in line for line in lines[5:])
    assert any(line.strip().startswith("explicit_preference: ") for line in lines[5:])
    assert lines[-1] == "5. add with async_mode=False: done at once (completed)"
    assert result.stderr == ""
