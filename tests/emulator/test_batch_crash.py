"""A batch import killed with SIGKILL partway, then resumed from its journal, against the
served emulator with 20% injected faults (429s, drops before and after processing, 5xx).

The emulator's own store then proves: no conversation stored twice, none missing
without being reported, every in-doubt item reported. CI runs it at a reduced size;
`MEMOS_BATCH_CRASH_ITEMS=10000` runs the full one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from memos_client.testing import FakeMemOS, Fault

ITEMS = int(os.environ.get("MEMOS_BATCH_CRASH_ITEMS", "400"))
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

IMPORTER = """
import json, sys
from memos_client import MemOS

source, base_url, journal, out = sys.argv[1:5]
with open(source) as lines, MemOS(api_key="sk-batch-test", base_url=base_url) as client:
    items = (json.loads(line) for line in lines)
    result = client.add_many(items, journal=journal, concurrency=16)
with open(out, "w") as report:
    json.dump({
        "counts": [result.submitted, result.failed, result.in_doubt, result.skipped],
        "problems": {result.keys[i]: type(e).__name__ for i, e in result.errors},
        "doubt": [result.keys[i] for i, e in result.errors
                  if getattr(e, "may_have_been_processed", False)],
    }, report)
"""


def write_items(path: Path, count: int) -> None:
    with path.open("w") as out:
        for number in range(count):
            item = {
                "id": f"conv-{number}",
                "user_id": f"u{number % 50}",
                "conversation_id": f"conv-{number}",
                "messages": [{"role": "user", "content": f"I drink green tea, note {number}"}],
            }
            out.write(json.dumps(item) + "\n")


def run_importer(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", IMPORTER, *args])


def submitted_in(journal: Path) -> int:
    if not journal.exists():
        return 0
    try:
        with sqlite3.connect(journal) as db:
            row = db.execute("SELECT COUNT(*) FROM items WHERE state = 'submitted'").fetchone()
    except sqlite3.OperationalError:  # the table is not there yet
        return 0
    return int(row[0])


def test_a_killed_import_resumes_without_duplicates_or_silent_loss(tmp_path: Path) -> None:
    source, journal, report = tmp_path / "items.jsonl", tmp_path / "j.sqlite", tmp_path / "r.json"
    write_items(source, ITEMS)
    fake = FakeMemOS(seed=7)
    for fault in (
        Fault.rate_limit(retry_after=0.01),
        Fault.drop_before_processing(),
        Fault.drop_after_processing(),
        Fault.server_error(503),
    ):
        fake.inject(fault, endpoint="add/message", probability=0.05)
    with fake.serve() as base_url:
        args = [str(source), base_url, str(journal), str(report)]
        first = run_importer(args)
        deadline = time.monotonic() + 60
        while submitted_in(journal) < ITEMS // 3 and first.poll() is None:
            assert time.monotonic() < deadline, "the importer made no progress"
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert first.returncode == -signal.SIGKILL and not report.exists()
        second = run_importer(args)
        assert second.wait(timeout=120) == 0
        summary = json.loads(report.read_text())
        stored = Counter(message.conversation_id for message in fake.messages())
    submitted, failed, in_doubt, skipped = summary["counts"]
    assert submitted + failed + in_doubt + skipped == ITEMS
    assert skipped >= ITEMS // 3  # the first run's work was kept
    assert max(stored.values()) == 1, "a conversation was stored twice"
    reported = set(summary["problems"])
    missing = {f"conv-{n}" for n in range(ITEMS)} - set(stored)
    assert {f"id:{key}" for key in missing} <= reported, "a conversation went missing silently"
    assert in_doubt == len(summary["doubt"]) and in_doubt > 0  # faults guarantee some
    assert failed == len(reported) - in_doubt
