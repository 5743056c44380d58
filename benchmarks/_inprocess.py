"""Per-call time in process: memos-client and raw httpx on the same mock transport.

`overhead` times calls over loopback, where the server's process and the kernel's
network path add noise of a few percent. This times the same calls, requests and
canned answers with no network at all: both sides answered in process by an
`httpx.MockTransport` (as `instructions` counts them), one thread, pinned to one
CPU. What is left is each side's own CPU time, so `extra` here is what the SDK adds
to a call, a figure steady to about a microsecond. The ratio is larger than
`overhead`'s, since no round trip sits in the denominator.

A third side, "httpx + pydantic", is raw httpx validating each answer into small
pydantic models (`_floor`), the least a client with pydantic results does.

`--evict MB` makes the mock transport write to every cache line of an MB-sized
buffer before it answers, as the kernel's network path and the server do between
a request and its answer over a real connection. The code that then reads the
answer runs with cold caches, which is where pydantic models cost more than
`json.loads`'s dicts: the difference between a run with and without it is the
part of `overhead`'s figure that an in-process loop does not see.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ._instructions import async_call, sync_call
from ._workload import OPERATIONS, SIDES, rotation

__all__ = ["InProcessSettings", "inprocess_table", "run_inprocess"]


@dataclass(frozen=True)
class InProcessSettings:
    calls: int = 200
    rounds: int = 40
    operations: tuple[str, ...] = tuple(OPERATIONS)
    modes: tuple[str, ...] = ("sync", "async")
    pin: bool = True
    warmup: int = 200
    evict_mb: int = 0
    """Megabytes written between each request and its answer (0: none)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "evict_mb": self.evict_mb,
            "calls": self.calls,
            "rounds": self.rounds,
            "warmup": self.warmup,
            "operations": list(self.operations),
            "modes": list(self.modes),
            "pin": self.pin,
        }


@contextlib.contextmanager
def _one_cpu(pin: bool) -> Iterator[bool]:
    """This process on one CPU while measuring (so it is never moved), then as before."""
    getter = getattr(os, "sched_getaffinity", None)
    setter = getattr(os, "sched_setaffinity", None)
    if not pin or getter is None or setter is None:
        yield False
        return
    cpus = set(getter(0))
    try:
        setter(0, {max(cpus)})
    except OSError:
        yield False
        return
    try:
        yield True
    finally:
        setter(0, cpus)


def _block(call: Callable[[], object], calls: int) -> float:
    gc.collect()  # no block pays for another's garbage
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1e6


async def _async_block(call: Callable[[], Awaitable[object]], calls: int) -> float:
    gc.collect()
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1e6


def _row(operation: str, mode: str, times: dict[str, list[float]]) -> dict[str, Any]:
    """Each side's median, and the median of each round's difference and ratio: the
    blocks of a round ran back to back, so drift on the machine cancels."""
    sdk, raw, floor = times["sdk"], times["raw"], times["floor"]
    pairs = list(zip(sdk, raw, strict=True))
    return {
        "operation": operation,
        "mode": mode,
        "sdk_us_per_call": round(statistics.median(sdk), 2),
        "raw_us_per_call": round(statistics.median(raw), 2),
        "httpx_pydantic_us_per_call": round(statistics.median(floor), 2),
        "extra_us_per_call": round(statistics.median(s - r for s, r in pairs), 2),
        "floor_extra_us_per_call": round(
            statistics.median(f - r for f, r in zip(floor, raw, strict=True)), 2
        ),
        "ratio": round(statistics.median(s / r for s, r in pairs), 4),
    }


def _buffer(settings: InProcessSettings) -> bytearray | None:
    return bytearray(settings.evict_mb << 20) if settings.evict_mb else None


def _sync_rows(operation: str, settings: InProcessSettings) -> dict[str, Any]:
    evict = _buffer(settings)
    sides = {side: sync_call(side, operation, evict) for side in SIDES}
    for call in sides.values():
        for _ in range(settings.warmup):
            call()
    times: dict[str, list[float]] = {side: [] for side in sides}
    for index in range(settings.rounds):
        for side in rotation(SIDES, index):
            times[side].append(_block(sides[side], settings.calls))
    return _row(operation, "sync", times)


async def _async_rows(operation: str, settings: InProcessSettings) -> dict[str, Any]:
    evict = _buffer(settings)
    sides = {side: await async_call(side, operation, evict) for side in SIDES}
    for call in sides.values():
        for _ in range(settings.warmup):
            await call()
    times: dict[str, list[float]] = {side: [] for side in sides}
    for index in range(settings.rounds):
        for side in rotation(SIDES, index):
            times[side].append(await _async_block(sides[side], settings.calls))
    return _row(operation, "async", times)


def run_inprocess(
    settings: InProcessSettings, progress: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Median µs per call of each side, for each operation and mode."""
    rows: list[dict[str, Any]] = []
    with _one_cpu(settings.pin) as pinned:
        if settings.pin and not pinned:
            progress("in process: could not pin to one CPU; timings may be noisier")
        for mode in settings.modes:
            for operation in settings.operations:
                progress(f"in process: {operation} ({mode})")
                if mode == "sync":
                    rows.append(_sync_rows(operation, settings))
                else:
                    rows.append(asyncio.run(_async_rows(operation, settings)))
    return rows


def inprocess_table(rows: list[dict[str, Any]], settings: InProcessSettings) -> str:
    # Evicting costs every side the same time, inside each call: differences still
    # hold, but a ratio would be diluted by it, so none is shown.
    evicting = settings.evict_mb > 0
    lines = [
        "Per-call time in process (mock transport, no network), memos-client vs raw httpx",
        f"(median of {settings.rounds} rotating rounds of {settings.calls} calls per side;",
        " extra and ratio: the median of each round's own; httpx+pydantic: raw httpx",
        " validating into small pydantic models, with its own extra over raw httpx)",
    ]
    if evicting:
        lines.append(
            f"{settings.evict_mb} MB written before each answer, inside every side's time: "
            "read the extras, not the times"
        )
    lines += [
        "",
        f"{'call':<11}{'mode':<7}{'memos-client':>14}{'raw httpx':>12}{'extra':>11}"
        f"{'' if evicting else 'ratio':>8}{'httpx+pydantic':>17}{'extra':>11}",
    ]
    for row in rows:
        ratio = "" if evicting else f"{row['ratio']:.3f}"
        lines.append(
            f"{row['operation']:<11}{row['mode']:<7}{row['sdk_us_per_call']:>11.1f} µs"
            f"{row['raw_us_per_call']:>9.1f} µs{row['extra_us_per_call']:>+8.1f} µs"
            f"{ratio:>8}{row['httpx_pydantic_us_per_call']:>14.1f} µs"
            f"{row['floor_extra_us_per_call']:>+8.1f} µs"
        )
    return "\n".join(lines)
