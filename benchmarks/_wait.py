"""Waiting at scale: `wait_all` over many task handles, its peak memory and its pace.

The tasks answer over a stub transport (an in-memory httpx transport, so the figure
is the SDK's own), on a virtual clock through the documented `Runtime` hook: half
the tasks are still running at the first poll and complete by the next. Peak memory
is measured with tracemalloc from before the handles are made to after the results
are back, so it counts handles, the wait's state and the results.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

import httpx

from memos_client import MemOS, Runtime

__all__ = ["WAIT_MEMORY_TARGET_MB", "WaitSettings", "run_wait", "wait_table"]

WAIT_MEMORY_TARGET_MB = 100.0
"""Goal: waiting on 100,000 handles peaks under 100 MB, handles and results included."""


@dataclass(frozen=True)
class WaitSettings:
    handles: int = 100_000
    concurrency: int = 16

    def as_dict(self) -> dict[str, Any]:
        return {"handles": self.handles, "concurrency": self.concurrency}


def run_wait(settings: WaitSettings) -> dict[str, Any]:
    now = [0.0]
    polls = [0]

    def answer(request: httpx.Request) -> httpx.Response:
        polls[0] += 1
        task_id = json.loads(request.content)["task_id"]
        running = now[0] < 0.1 and int(task_id, 16) % 2 == 0
        data = {"task_id": task_id, "status": "running" if running else "completed"}
        return httpx.Response(200, json={"code": 0, "message": "ok", "data": data})

    runtime = Runtime(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    client = MemOS(
        api_key="bench-wait-0123456789abcdef",
        base_url="https://memos.example/api/openmem/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
        runtime=runtime,
    )
    client.get_status("0")  # imports and caches warm, outside the measurement
    polls[0] = 0
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    tasks = [client.task(f"{number:032x}") for number in range(settings.handles)]
    results = client.wait_all(tasks, timeout=None, concurrency=settings.concurrency)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    client.close()
    assert len(results) == settings.handles
    peak_mb = peak / 1e6
    return {
        "handles": settings.handles,
        "peak_mb": round(peak_mb, 1),
        "bytes_per_handle": round(peak / settings.handles),
        "polls": polls[0],
        "polls_per_handle": round(polls[0] / settings.handles, 2),
        "us_per_poll": round(elapsed / max(polls[0], 1) * 1e6, 1),
        "target_mb": WAIT_MEMORY_TARGET_MB,
        "meets_target": peak_mb * 100_000 / settings.handles < WAIT_MEMORY_TARGET_MB,
    }


def wait_table(row: dict[str, Any]) -> str:
    verdict = "ok" if row["meets_target"] else "OVER"
    return "\n".join(
        [
            f"wait_all over {row['handles']:,} handles (stub transport, virtual clock)",
            "",
            f"peak memory      {row['peak_mb']:>8.1f} MB  ({row['bytes_per_handle']} B a handle; "
            f"target < {row['target_mb']:.0f} MB at 100,000)  {verdict}",
            f"polls            {row['polls']:>8}     ({row['polls_per_handle']} a handle)",
            f"time per poll    {row['us_per_poll']:>8.1f} µs (SDK and stub, under tracemalloc)",
        ]
    )
