"""A web process adds turns; a worker process waits on the task handles it is sent.

A web request should not wait seconds for MemOS to refine a turn. So the web side adds
in async mode (milliseconds) and hands each `Task` handle to a worker process through a
`multiprocessing` queue. A handle pickles to its task id and last status, never the
client or the API key. The worker re-binds each handle to its own client with
`client.task(handle)`, waits for it, and reports the final status back; a `None` on the
queue tells it to stop.

The worker is started with the spawn context: a fresh interpreter, as on macOS and
Windows, that inherits no sockets or threads. It connects by itself: to MemOS Cloud
from the environment, or to the emulator the parent serves.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator,
served on 127.0.0.1 by the web process.

    python examples/web_worker.py
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import uuid
from typing import TYPE_CHECKING, TypedDict

from cloud_or_emulator import MemOSService, memos_service

from memos_client import MemOSError, Task, messages as m

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

REQUESTS = [
    "I just moved to Shenzhen for a new job at a robotics company.",
    "My partner and I are vegetarian, so no meat in the recipes please.",
    "I run every morning before work, usually around 6 am.",
]


class Report(TypedDict):
    """What the worker sends back for one handle (a dict: it pickles anywhere)."""

    task_id: str | None
    outcome: str
    worker_pid: int


def worker(service: MemOSService, handles: Queue[Task | None], reports: Queue[Report]) -> None:
    """The worker process: wait on each handle received until the `None` sentinel."""
    with service.client() as client:
        while (handle := handles.get()) is not None:
            try:
                final = client.task(handle).wait(timeout=120)  # re-bound to this process
                added = final.memory_views.added if final.memory_views else None
                outcome = f"{final.status}, memories added: {added}"
            except MemOSError as error:  # failed, timed out, unreachable: report it
                outcome = f"{type(error).__name__}: {error}"
            reports.put({"task_id": handle.id, "outcome": outcome, "worker_pid": os.getpid()})


def web(service: MemOSService, handles: Queue[Task | None]) -> int:
    """The web side: store each request's turn and hand its handle over. Returns how many."""
    user = f"web-{uuid.uuid4().hex[:8]}"
    with service.client() as client:
        for number, text in enumerate(REQUESTS, 1):
            task = client.add([m.user(text)], user_id=user, conversation_id="onboarding")
            if number == 1:
                print(f"a handle pickles to {len(pickle.dumps(task))} bytes: id and last status")
            handles.put(task)  # the queue pickles it
            print(f"web: request {number} stored as task {task.id} ({task.status}), handed over")
    return len(REQUESTS)


def main() -> None:
    spawn = multiprocessing.get_context("spawn")
    with memos_service() as service:
        handles: Queue[Task | None] = spawn.Queue()
        reports: Queue[Report] = spawn.Queue()
        process = spawn.Process(target=worker, args=(service, handles, reports), daemon=True)
        process.start()
        try:
            sent = web(service, handles)
            for _ in range(sent):
                report = reports.get(timeout=180)  # raises queue.Empty if the worker died
                pid = report["worker_pid"]
                print(f"worker (pid {pid}): task {report['task_id']} {report['outcome']}")
        finally:
            handles.put(None)  # the sentinel: no more handles
            process.join(timeout=30)
        print(f"worker stopped (exit code {process.exitcode}); web process is pid {os.getpid()}")


if __name__ == "__main__":
    main()
