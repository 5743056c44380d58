"""Per-call cost of memos-client against raw pooled httpx, over loopback.

For each operation and mode (sync `MemOS`, async `AsyncMemOS`): check that both
sides send the same request, warm both up, then run `rounds` rounds, each one
block of `calls` SDK calls and one block of `calls` raw calls, in turn with one
block of the "httpx + pydantic" floor (raw httpx validating each answer into
small pydantic models, see `_floor`; it has no target), the order rotating from
round to round. A block's per-call time is its elapsed time over `calls`; each
side's figure is the median over rounds, which resists drift and the odd noisy
block on a small machine. A collection runs before every block, so no block pays
for another's garbage.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from memos_client import AsyncMemOS, MemOS

from ._floor import async_floor_call, envelope, floor_call
from ._server import LoopbackServer
from ._workload import (
    API_KEY,
    OPERATIONS,
    RAW_HEADERS,
    SIDES,
    TIMEOUT,
    Operation,
    async_raw_call,
    raw_call,
    rotation,
)

__all__ = ["TARGET_RATIO", "OverheadResult", "OverheadSettings", "run_overhead"]

TARGET_RATIO = 1.03
"""Goal: a call through memos-client costs at most 3% more than the same call by hand."""

_COMPARED_HEADERS = ("authorization", "content-type", "accept", "content-length")


@dataclass(frozen=True)
class OverheadSettings:
    calls: int = 50
    rounds: int = 40
    warmup: int = 100
    operations: tuple[str, ...] = tuple(OPERATIONS)
    modes: tuple[str, ...] = ("sync", "async")
    max_seconds: float = 180.0
    pin: bool = True
    """Server and client on separate CPUs while measuring (see `LoopbackServer.pinned`)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "rounds": self.rounds,
            "warmup": self.warmup,
            "operations": list(self.operations),
            "modes": list(self.modes),
            "max_seconds": self.max_seconds,
            "pin": self.pin,
        }


@dataclass
class OverheadResult:
    """One operation in one mode: per-call microseconds per round, for each side."""

    operation: str
    mode: str
    same_request: dict[str, bool]
    sdk_us: list[float] = field(default_factory=list)
    raw_us: list[float] = field(default_factory=list)
    floor_us: list[float] = field(default_factory=list)
    """httpx + pydantic, per round (no target)."""

    @property
    def sdk_median(self) -> float:
        return statistics.median(self.sdk_us)

    @property
    def raw_median(self) -> float:
        return statistics.median(self.raw_us)

    @property
    def ratio(self) -> float:
        return self.sdk_median / self.raw_median

    @property
    def paired_ratios(self) -> list[float]:
        """Each round's SDK / raw: the two blocks ran back to back, so drift cancels."""
        return [sdk / raw for sdk, raw in zip(self.sdk_us, self.raw_us, strict=True)]

    @property
    def paired_ratio(self) -> float:
        return statistics.median(self.paired_ratios)

    @property
    def floor_ratio(self) -> float:
        """httpx + pydantic / raw, paired by round: what pydantic results cost a call."""
        pairs = zip(self.floor_us, self.raw_us, strict=True)
        return statistics.median(floor / raw for floor, raw in pairs)

    @property
    def sdk_over_floor(self) -> float:
        """memos-client / httpx + pydantic, paired by round: the SDK's own cost."""
        pairs = zip(self.sdk_us, self.floor_us, strict=True)
        return statistics.median(sdk / floor for sdk, floor in pairs)

    @property
    def paired_interval(self) -> tuple[float, float] | None:
        """A 95% confidence interval for the median paired ratio (None under 6 rounds)."""
        return median_interval(self.paired_ratios)

    def as_dict(self) -> dict[str, Any]:
        interval = self.paired_interval
        return {
            "operation": self.operation,
            "mode": self.mode,
            "sdk_us_per_call": round(self.sdk_median, 2),
            "raw_us_per_call": round(self.raw_median, 2),
            "extra_us_per_call": round(self.sdk_median - self.raw_median, 2),
            "ratio": round(self.ratio, 4),
            "paired_ratio": round(self.paired_ratio, 4),
            "paired_ratio_95ci": [round(bound, 4) for bound in interval] if interval else None,
            "target_ratio": TARGET_RATIO,
            "meets_target": self.ratio <= TARGET_RATIO,
            "httpx_pydantic_us_per_call": round(statistics.median(self.floor_us), 2),
            "floor_ratio": round(self.floor_ratio, 4),
            "sdk_over_floor": round(self.sdk_over_floor, 4),
            "rounds_measured": len(self.sdk_us),
            "sdk_us_per_round": [round(value, 2) for value in self.sdk_us],
            "raw_us_per_round": [round(value, 2) for value in self.raw_us],
            "httpx_pydantic_us_per_round": [round(value, 2) for value in self.floor_us],
            "same_request": self.same_request,
        }


def median_interval(samples: list[float], confidence: float = 0.95) -> tuple[float, float] | None:
    """A distribution-free confidence interval for the median: two order statistics.

    The k-th smallest and k-th largest samples, with k the largest rank such that
    P(Binomial(n, 1/2) < k) <= (1 - confidence) / 2. None when n is too small.
    """
    n = len(samples)
    tail = (1 - confidence) / 2
    below, k = 0.0, 0
    while k < n and below + math.comb(n, k) / 2**n <= tail:
        below += math.comb(n, k) / 2**n
        k += 1
    if k == 0:
        return None
    ordered = sorted(samples)
    return ordered[k - 1], ordered[n - k]


def compare_requests(sdk: dict[str, Any], raw: dict[str, Any]) -> dict[str, bool]:
    """Which parts of the two recorded requests match (the User-Agent may differ)."""
    checks = {
        "method": sdk.get("method") == raw.get("method"),
        "url": sdk.get("path") == raw.get("path"),
        "body_json": json.loads(sdk.get("body") or "null") == json.loads(raw.get("body") or "null"),
        "body_bytes": sdk.get("body") == raw.get("body"),
    }
    for name in _COMPARED_HEADERS:
        checks[name] = sdk["headers"].get(name) == raw["headers"].get(name)
    return checks


def _per_call_us(elapsed_ns: int, calls: int) -> float:
    return elapsed_ns / calls / 1000.0


def _time_block(call: Callable[[], object], calls: int) -> float:
    gc.collect()
    start = time.perf_counter_ns()
    for _ in range(calls):
        call()
    return _per_call_us(time.perf_counter_ns() - start, calls)


async def _time_async_block(call: Callable[[], Awaitable[object]], calls: int) -> float:
    gc.collect()
    start = time.perf_counter_ns()
    for _ in range(calls):
        await call()
    return _per_call_us(time.perf_counter_ns() - start, calls)


def _record(result: OverheadResult, side: str, per_call_us: float) -> None:
    {"sdk": result.sdk_us, "raw": result.raw_us, "floor": result.floor_us}[side].append(per_call_us)


def _run_sync(
    server: LoopbackServer, op: Operation, settings: OverheadSettings, deadline: float
) -> OverheadResult:
    url = f"{server.base_url}/{op.path}"
    model = envelope(op.name)
    with (
        MemOS(api_key=API_KEY, base_url=server.base_url, timeout=TIMEOUT) as sdk,
        httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT) as raw,
        httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT) as typed,
    ):
        calls: dict[str, Callable[[], object]] = {
            "sdk": lambda: op.sdk(sdk),
            "raw": lambda: raw_call(raw, url, op.body),
            "floor": lambda: floor_call(typed, url, op.body, model),
        }
        calls["sdk"]()
        sdk_request = raw.get(f"{server.origin}/__bench/last").json()
        calls["raw"]()
        raw_request = raw.get(f"{server.origin}/__bench/last").json()
        result = OverheadResult(op.name, "sync", compare_requests(sdk_request, raw_request))
        for _ in range(settings.warmup):
            for call in calls.values():
                call()
        for index in range(settings.rounds):
            if index > 0 and time.monotonic() > deadline:
                break
            for side in rotation(SIDES, index):
                _record(result, side, _time_block(calls[side], settings.calls))
    return result


async def _run_async(
    server: LoopbackServer, op: Operation, settings: OverheadSettings, deadline: float
) -> OverheadResult:
    url = f"{server.base_url}/{op.path}"
    model = envelope(op.name)
    async with (
        AsyncMemOS(api_key=API_KEY, base_url=server.base_url, timeout=TIMEOUT) as sdk,
        httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT) as raw,
        httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT) as typed,
    ):
        calls: dict[str, Callable[[], Awaitable[object]]] = {
            "sdk": lambda: op.async_sdk(sdk),
            "raw": lambda: async_raw_call(raw, url, op.body),
            "floor": lambda: async_floor_call(typed, url, op.body, model),
        }
        await calls["sdk"]()
        sdk_request = (await raw.get(f"{server.origin}/__bench/last")).json()
        await calls["raw"]()
        raw_request = (await raw.get(f"{server.origin}/__bench/last")).json()
        result = OverheadResult(op.name, "async", compare_requests(sdk_request, raw_request))
        for _ in range(settings.warmup):
            for call in calls.values():
                await call()
        for index in range(settings.rounds):
            if index > 0 and time.monotonic() > deadline:
                break
            for side in rotation(SIDES, index):
                _record(result, side, await _time_async_block(calls[side], settings.calls))
    return result


def run_overhead(
    server: LoopbackServer,
    settings: OverheadSettings,
    progress: Callable[[str], None] | None = None,
) -> list[OverheadResult]:
    """Measure every operation in every mode; stops adding rounds past `max_seconds`."""
    deadline = time.monotonic() + settings.max_seconds
    results: list[OverheadResult] = []
    with server.pinned() if settings.pin else contextlib.nullcontext(False) as pinned:
        if progress is not None and settings.pin and not pinned:
            progress("overhead: could not pin the server to its own CPU; timings may be noisier")
        for mode in settings.modes:
            for name in settings.operations:
                op = OPERATIONS[name]
                if progress is not None:
                    progress(f"overhead: {name} ({mode})")
                if mode == "sync":
                    results.append(_run_sync(server, op, settings, deadline))
                else:
                    results.append(asyncio.run(_run_async(server, op, settings, deadline)))
    return results
