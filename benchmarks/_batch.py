"""Batch throughput: `add_many` against raw httpx doing the same adds, at the same
concurrency, over loopback with a fixed answer latency (a distant server's round trip).

Raw httpx is what a careful user would write by hand: a pool of `concurrency` threads
(sync) or tasks under a semaphore (async) sharing one pooled client, each posting an
add and checking its envelope. The goal: `add_many` reaches at least 0.95 of that.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from memos_client import AsyncMemOS, MemOS

from ._server import LoopbackServer
from ._workload import API_KEY, MESSAGES, RAW_HEADERS, TIMEOUT

__all__ = ["BATCH_TARGET", "BatchSettings", "run_batch"]

BATCH_TARGET = 0.95
"""Goal: add_many's throughput is at least 0.95 x raw httpx's at the same concurrency."""


@dataclass(frozen=True)
class BatchSettings:
    items: int = 2000
    concurrency: int = 32
    latency: float = 0.020
    modes: tuple[str, ...] = ("sync", "async")
    rounds: int = 3
    pin: bool = True
    """The server on its own CPU, as a remote server would be (`LoopbackServer.pinned`):
    left to the scheduler on a 2-core machine, the two sides' figures moved by 5-10%
    from run to run."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "concurrency": self.concurrency,
            "latency_s": self.latency,
            "modes": list(self.modes),
            "rounds": self.rounds,
            "pin": self.pin,
        }


def _item(number: int) -> dict[str, Any]:
    return {"messages": MESSAGES, "user_id": f"u{number % 100}", "conversation_id": f"c{number}"}


def _limits(settings: BatchSettings) -> httpx.Limits:
    """A pool that keeps every connection in flight alive, as the SDK's does (httpx's
    default keeps 20, which would make raw httpx reconnect at concurrency 32)."""
    return httpx.Limits(
        max_connections=settings.concurrency * 2, max_keepalive_connections=settings.concurrency
    )


def _raw_sync(base_url: str, settings: BatchSettings) -> float:
    with httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT, limits=_limits(settings)) as client:

        def add(number: int) -> None:
            body = json.dumps(_item(number), separators=(",", ":")).encode()
            response = client.post(f"{base_url}/add/message", content=body)
            response.raise_for_status()
            assert response.json()["code"] == 0

        started = time.perf_counter()
        with ThreadPoolExecutor(settings.concurrency) as pool:
            list(pool.map(add, range(settings.items)))
        return settings.items / (time.perf_counter() - started)


def _sdk_sync(base_url: str, settings: BatchSettings) -> float:
    with MemOS(api_key=API_KEY, base_url=base_url, timeout=TIMEOUT) as client:
        started = time.perf_counter()
        items = (_item(number) for number in range(settings.items))
        result = client.add_many(items, concurrency=settings.concurrency)  # type: ignore[arg-type]
        assert result.submitted == settings.items, result
        return settings.items / (time.perf_counter() - started)


async def _raw_async(base_url: str, settings: BatchSettings) -> float:
    limits = _limits(settings)
    async with httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT, limits=limits) as client:
        gate = asyncio.Semaphore(settings.concurrency)

        async def add(number: int) -> None:
            async with gate:
                body = json.dumps(_item(number), separators=(",", ":")).encode()
                response = await client.post(f"{base_url}/add/message", content=body)
                response.raise_for_status()
                assert response.json()["code"] == 0

        started = time.perf_counter()
        await asyncio.gather(*(add(number) for number in range(settings.items)))
        return settings.items / (time.perf_counter() - started)


async def _sdk_async(base_url: str, settings: BatchSettings) -> float:
    async with AsyncMemOS(api_key=API_KEY, base_url=base_url, timeout=TIMEOUT) as client:
        started = time.perf_counter()
        items = (_item(number) for number in range(settings.items))
        result = await client.add_many(items, concurrency=settings.concurrency)  # type: ignore[arg-type]
        assert result.submitted == settings.items, result
        return settings.items / (time.perf_counter() - started)


def run_batch(settings: BatchSettings, progress: Callable[[str], None]) -> list[dict[str, Any]]:
    """Adds per second, best of `rounds` per side, for each mode."""
    rows: list[dict[str, Any]] = []
    with (
        LoopbackServer(latency=settings.latency) as server,
        server.pinned() if settings.pin else contextlib.nullcontext(False),
    ):
        base_url = server.base_url
        for mode in settings.modes:
            progress(f"batch: {settings.items} adds at concurrency {settings.concurrency} ({mode})")
            sdk: list[float] = []
            raw: list[float] = []
            for _ in range(settings.rounds):
                if mode == "sync":
                    raw.append(_raw_sync(base_url, settings))
                    sdk.append(_sdk_sync(base_url, settings))
                else:
                    raw.append(asyncio.run(_raw_async(base_url, settings)))
                    sdk.append(asyncio.run(_sdk_async(base_url, settings)))
            ratio = max(sdk) / max(raw)
            rows.append(
                {
                    "mode": mode,
                    "sdk_per_s": round(max(sdk), 1),
                    "raw_per_s": round(max(raw), 1),
                    "ratio": round(ratio, 3),
                    "target": BATCH_TARGET,
                    "meets_target": ratio >= BATCH_TARGET,
                }
            )
    return rows


def batch_table(rows: list[dict[str, Any]], settings: BatchSettings) -> str:
    lines = [
        f"Batch import: {settings.items} adds at concurrency {settings.concurrency}, "
        f"{settings.latency * 1000:.0f} ms answer latency (best of {settings.rounds})",
        "",
        f"{'mode':<7}{'add_many':>14}{'raw httpx':>14}{'ratio':>8}{'target':>10}  verdict",
    ]
    for row in rows:
        verdict = "ok" if row["meets_target"] else "UNDER"
        lines.append(
            f"{row['mode']:<7}{row['sdk_per_s']:>10.1f} /s{row['raw_per_s']:>10.1f} /s"
            f"{row['ratio']:>8.3f}{'>= ' + str(row['target']):>10}  {verdict}"
        )
    return "\n".join(lines)
