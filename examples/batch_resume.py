"""Batch import with resume: the import dies part way, and a rerun sends only the rest.

1. Writes a chat history as JSONL: one conversation per line, with its own `id`.
2. Imports it with `add_many(journal=...)`. The journal, a SQLite file, records each
   item as *sending* before its add goes out and as *submitted* once MemOS accepts it.
3. Dies part way: the reader raises after 15 lines, as a truncated file would (a
   `kill -9` is covered too: see docs/batch.md). `add_many` lets the adds in flight
   settle, then re-raises, with what it sent as the error's `batch_result`.
4. Reruns the same import with the same journal: the 15 submitted items are skipped
   and only the other 25 are sent. A third run has nothing left to send.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator,
served on 127.0.0.1.

    python examples/batch_resume.py
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from cloud_or_emulator import open_client

from memos_client import BatchResult, MemOS, Task
from memos_client.types import AddItem

CONVERSATIONS = 40
CRASH_AFTER = 15
NOTES = [
    "I've started training for a half marathon in October.",
    "I switched to a standing desk and my back feels better.",
    "My daughter starts primary school in September.",
    "I'm learning Cantonese with an app every morning.",
    "I prefer window seats on long flights.",
]


class SimulatedCrash(RuntimeError):
    """The import process dying part way."""


def write_history(path: Path, run_id: str) -> None:
    """A history to import: CONVERSATIONS lines, spread over four users."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(CONVERSATIONS):
            line = {
                "id": f"conv-{n}",  # the journal's key for this item
                "user_id": f"{run_id}-user-{n % 4}",
                "conversation_id": f"conv-{n}",
                "messages": [
                    {"role": "user", "content": NOTES[n % len(NOTES)]},
                    {"role": "assistant", "content": "Thanks for telling me!"},
                ],
            }
            out.write(json.dumps(line) + "\n")


def read_history(path: Path, *, crash_after: int | None = None) -> Iterator[AddItem]:
    """The items, read one line at a time as `add_many` asks for them."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == crash_after:
                raise SimulatedCrash(f"the import died after reading {number} lines")
            yield json.loads(line)


def counts(result: BatchResult[Task]) -> str:
    return (
        f"{result.submitted} submitted, {result.skipped} skipped, "
        f"{result.failed} failed, {result.in_doubt} in doubt"
    )


def run(client: MemOS, workdir: Path) -> None:
    history, journal = workdir / "history.jsonl", workdir / "import.sqlite"
    write_history(history, run_id=f"batch-{uuid.uuid4().hex[:8]}")
    print(f"wrote {CONVERSATIONS} conversations to {history.name}")

    sent_before = 0
    try:
        client.add_many(read_history(history, crash_after=CRASH_AFTER), journal=journal)
    except SimulatedCrash as crash:
        sent: BatchResult[Task] = getattr(crash, "batch_result")  # noqa: B009 (set at run time)
        print(f"run 1: {crash}: {counts(sent)}")
        sent_before = sent.submitted

    rerun = client.add_many(read_history(history), journal=journal)
    rerun.raise_for_errors()  # anything failed or in doubt would be listed here
    print(f"run 2, same journal: {counts(rerun)}")
    total = sent_before + rerun.submitted
    print(f"  sent in all: {sent_before} + {rerun.submitted} = {total} of {CONVERSATIONS}")

    again = client.add_many(read_history(history), journal=journal)
    print(f"run 3, same journal: {counts(again)}")


def main() -> None:
    with open_client() as client, tempfile.TemporaryDirectory() as workdir:
        run(client, Path(workdir))


if __name__ == "__main__":
    main()
