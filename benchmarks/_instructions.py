"""CPU instructions per call, memos-client against raw httpx, counted by valgrind.

The `overhead` figure is wall-clock time over loopback, where a few percent of
noise sits right on the 3% target. This counts what each side's Python process
executes instead: the same calls, requests and canned answers as `overhead`,
served in process by an `httpx.MockTransport`, each side run under valgrind's
callgrind twice (after a warm-up, once with no calls and once with `calls`), so
imports and start-up cancel out. Instruction counts are deterministic: the same
code gives the same figure on a busy machine, which makes a change of half a
percent visible. Instructions are not time (cache misses, the network and the
kernel are left out), so this complements `overhead` rather than replacing it.

It needs valgrind (`apt install valgrind`); `BENCH_VALGRIND` names another
executable that takes valgrind's arguments.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ._floor import async_floor_call, envelope, floor_call
from ._server import ANSWERS, PREFIX, REQUEST_ID
from ._workload import (
    API_KEY,
    OPERATIONS,
    RAW_HEADERS,
    TIMEOUT,
    async_raw_call,
    child_environment,
    raw_call,
)

__all__ = [
    "InstructionSettings",
    "async_call",
    "instructions_table",
    "run_instructions",
    "sync_call",
    "valgrind",
]

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = f"http://127.0.0.1:9{PREFIX}"  # never dialled: the mock transport answers
WARMUP = 200
CACHE_LINE = 64
CHILD_TIMEOUT = 900.0
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


@dataclass(frozen=True)
class InstructionSettings:
    calls: int = 500
    operations: tuple[str, ...] = tuple(OPERATIONS)
    modes: tuple[str, ...] = ("sync",)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "warmup": WARMUP,
            "operations": list(self.operations),
            "modes": list(self.modes),
        }


def valgrind() -> str | None:
    """The valgrind to run: `BENCH_VALGRIND`, else the one on PATH (None if neither)."""
    return os.environ.get("BENCH_VALGRIND") or shutil.which("valgrind")


def _answer(request: httpx.Request) -> httpx.Response:
    headers = {"content-type": "application/json", "x-request-id": REQUEST_ID}
    return httpx.Response(200, headers=headers, content=ANSWERS[request.url.path])


def _evicting(buffer: bytearray) -> Callable[[httpx.Request], httpx.Response]:
    """`_answer`, after writing to every cache line of `buffer`: what a round trip's
    work in the kernel and the server does to the client's caches."""
    line = bytes(len(buffer) // CACHE_LINE)

    def answer(request: httpx.Request) -> httpx.Response:
        buffer[::CACHE_LINE] = line
        return _answer(request)

    return answer


def sync_call(side: str, operation: str, evict: bytearray | None = None) -> Callable[[], object]:
    """One call of `side` ("sdk", "raw", or "floor": raw httpx with pydantic models)
    on `MemOS` or `httpx.Client`, answered in process by a mock transport (which
    first evicts the caches by writing through `evict`, if given)."""
    from memos_client import MemOS

    op = OPERATIONS[operation]
    url = f"{BASE_URL}/{op.path}"
    if side == "raw":
        raw = httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT, transport=_transport(evict))
        return lambda: raw_call(raw, url, op.body)
    if side == "floor":
        typed = httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT, transport=_transport(evict))
        model = envelope(operation)
        return lambda: floor_call(typed, url, op.body, model)
    sdk = MemOS(api_key=API_KEY, base_url=BASE_URL, timeout=TIMEOUT)
    # The pool the SDK makes for itself (as in `overhead`), answering in process.
    sdk._http.get()._transport = _transport(evict)
    return lambda: op.sdk(sdk)


async def async_call(
    side: str, operation: str, evict: bytearray | None = None
) -> Callable[[], Awaitable[object]]:
    """`sync_call` on `AsyncMemOS` or `httpx.AsyncClient`, made inside the event loop
    that will run it."""
    from memos_client import AsyncMemOS

    op = OPERATIONS[operation]
    url = f"{BASE_URL}/{op.path}"
    if side == "raw":
        raw = httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT, transport=_transport(evict))
        return lambda: async_raw_call(raw, url, op.body)
    if side == "floor":
        typed = httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT, transport=_transport(evict))
        model = envelope(operation)
        return lambda: async_floor_call(typed, url, op.body, model)
    sdk = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL, timeout=TIMEOUT)
    sdk._http.get()._transport = _transport(evict)
    return lambda: op.async_sdk(sdk)


async def _async_calls(side: str, operation: str, calls: int) -> None:
    call = await async_call(side, operation)
    for _ in range(calls):
        await call()


def _transport(evict: bytearray | None = None) -> httpx.MockTransport:
    return httpx.MockTransport(_answer if evict is None else _evicting(evict))


def child(side: str, operation: str, mode: str, calls: int) -> None:
    """What runs under valgrind: a warm-up, then `calls` calls of one side."""
    if mode == "sync":
        call = sync_call(side, operation)
        for _ in range(WARMUP + calls):
            call()
    else:
        asyncio.run(_async_calls(side, operation, WARMUP + calls))


def _count(tool: str, side: str, operation: str, mode: str, calls: int) -> int:
    command = [
        tool,
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks._instructions",
        side,
        operation,
        mode,
        str(calls),
    ]
    environ = {**child_environment(), "PYTHONHASHSEED": "0"}  # the same dict layouts each run
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    found = _COLLECTED.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"{side} {operation} ({mode}) under valgrind failed:\n{done.stderr}")
    return int(found[-1])


def run_instructions(
    settings: InstructionSettings, tool: str, progress: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Instructions per call for each operation, mode and side; runs in parallel."""
    jobs = [
        (side, operation, mode, calls)
        for mode in settings.modes
        for operation in settings.operations
        for side in ("sdk", "raw")
        for calls in (0, settings.calls)
    ]
    progress(f"instructions: {len(jobs)} runs under valgrind, {os.cpu_count() or 1} at a time")
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: _count(tool, *job), jobs), strict=True))
    rows: list[dict[str, Any]] = []
    for mode in settings.modes:
        for operation in settings.operations:
            per_call = {
                side: (
                    counts[(side, operation, mode, settings.calls)]
                    - counts[(side, operation, mode, 0)]
                )
                / settings.calls
                for side in ("sdk", "raw")
            }
            rows.append(
                {
                    "operation": operation,
                    "mode": mode,
                    "sdk_instructions_per_call": round(per_call["sdk"]),
                    "raw_instructions_per_call": round(per_call["raw"]),
                    "ratio": round(per_call["sdk"] / per_call["raw"], 4),
                }
            )
    return rows


def instructions_table(rows: list[dict[str, Any]], settings: InstructionSettings) -> str:
    lines = [
        "CPU instructions per call, memos-client vs raw httpx (valgrind; in process, no network)",
        f"({settings.calls} calls per side after {WARMUP} warm-up calls; deterministic)",
        "",
        f"{'call':<11}{'mode':<7}{'memos-client':>14}{'raw httpx':>14}{'ratio':>8}",
    ]
    for row in rows:
        lines.append(
            f"{row['operation']:<11}{row['mode']:<7}{row['sdk_instructions_per_call']:>14,}"
            f"{row['raw_instructions_per_call']:>14,}{row['ratio']:>8.3f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    side_, operation_, mode_, calls_ = sys.argv[1:5]
    child(side_, operation_, mode_, int(calls_))
