"""`Journal`: a batch import's record on disk, so a rerun resumes after a crash.

One SQLite file (stdlib `sqlite3`) with a row per item key: *sending* is committed
before the request goes out, *submitted* (with the task id) or *failed* (unsent)
after the answer. The order makes it safe against `kill -9` at any instant:

* a row says *submitted* only once an answer said so;
* a crash between sending and recording leaves *sending*, which a rerun reports as
  in doubt instead of guessing.

WAL mode with `synchronous=NORMAL`: each commit reaches the operating system before
the request is sent, which is what a killed process needs (a power cut is beyond it).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from ._exceptions import InvalidRequestError

__all__ = ["FAILED", "SENDING", "SUBMITTED", "Journal", "open_journal"]

SENDING = "sending"
SUBMITTED = "submitted"
FAILED = "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    task_id TEXT,
    detail TEXT,
    updated REAL NOT NULL
)
"""


class Journal:
    """The state of each item key of a batch, kept in `path`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error:
            self._db.close()
            raise

    def state(self, key: str) -> tuple[str, str | None, str | None] | None:
        """`(state, task_id, detail)` of `key`, or None when it was never seen."""
        with self._lock:
            row = self._db.execute(
                "SELECT state, task_id, detail FROM items WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def sending(self, key: str) -> None:
        self._set(key, SENDING, None, None)

    def submitted(self, key: str, task_id: str | None) -> None:
        self._set(key, SUBMITTED, task_id, None)

    def failed(self, key: str, detail: str) -> None:
        self._set(key, FAILED, None, detail[:500])

    def counts(self) -> dict[str, int]:
        """How many keys are in each state."""
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM items GROUP BY state").fetchall()
        return {state: count for state, count in rows}

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _set(self, key: str, state: str, task_id: str | None, detail: str | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO items (key, state, task_id, detail, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET state = excluded.state, "
                "task_id = excluded.task_id, detail = excluded.detail, updated = excluded.updated",
                (key, state, task_id, detail, time.time()),
            )

    def __repr__(self) -> str:
        return f"Journal({self.path!r})"


def open_journal(path: str | os.PathLike[str] | None) -> Journal | None:
    """The journal at `path`, or an error naming `journal` before anything is sent."""
    if path is None:
        return None
    if not os.fspath(path).strip():
        raise InvalidRequestError(
            "journal: is empty; pass a file path such as 'import.sqlite'", field="journal"
        )
    try:
        return Journal(path)
    except sqlite3.Error as error:
        raise InvalidRequestError(
            f"journal: cannot open {os.fspath(path)!r} as a SQLite journal ({error}); pass "
            "a path to a new file or to a journal an earlier run wrote",
            field="journal",
        ) from None
