"""cProfile over N SDK calls against the loopback server, to show where the time goes.

Prints the own time by package (memos_client, httpx, httpcore, h11, pydantic,
json, the standard library, C builtins such as socket I/O), then the functions
inside memos_client by cumulative time. With `--vs-raw`, raw httpx making the
same calls is profiled too, and the functions are listed by how much more own
time per call they take under the SDK: the overhead, function by function.

cProfile inflates code that makes many small calls, and socket time includes
waiting for the server, so read the figures as proportions and confirm any gain
with `python -m benchmarks overhead`.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import re
import sysconfig
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from memos_client import AsyncMemOS, MemOS

from ._server import LoopbackServer
from ._workload import (
    API_KEY,
    OPERATIONS,
    RAW_HEADERS,
    TIMEOUT,
    Operation,
    async_raw_call,
    raw_call,
)

__all__ = ["ProfileSettings", "package_of", "run_profile"]

_SITE = re.compile(r"[\\/](?:site|dist)-packages[\\/]([A-Za-z0-9_]+)")
_STDLIB = re.compile(r"[\\/]lib[\\/]python3[.0-9]*[\\/]([A-Za-z0-9_]+)")
_WAITS = re.compile(r"'(?:_socket\.socket|select\.\w+)' objects|^<built-in method select\.")
_WARMUP = 50
_ROOT = str(Path(__file__).resolve().parent.parent)

_Key = tuple[str, int, str]
_Row = tuple[int, int, float, float, object]


@dataclass(frozen=True)
class ProfileSettings:
    operation: str = "search"
    calls: int = 2000
    top: int = 20
    use_async: bool = False
    vs_raw: bool = False


def package_of(filename: str) -> str:
    """A short owner for a profiled function's file: a package, stdlib module or builtin."""
    if filename.startswith(("~", "<")):
        return "builtins (C)"
    if "/memos_client/" in filename.replace("\\", "/"):
        return "memos_client"
    site = _SITE.search(filename)
    if site:
        return site.group(1)
    stdlib = _STDLIB.search(filename)
    if stdlib:
        return f"stdlib:{stdlib.group(1).removesuffix('.py')}"
    return "other"


def _short(filename: str) -> str:
    for prefix in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"], _ROOT):
        if filename.startswith(prefix):
            return filename[len(prefix) :].lstrip("\\/")
    return filename


def _label(key: _Key) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    return f"{_short(filename)}:{line}({name})"


def _rows(stats: pstats.Stats) -> dict[_Key, _Row]:
    rows: dict[_Key, _Row] = stats.stats  # type: ignore[attr-defined]
    return rows


def _by_package(rows: dict[_Key, _Row]) -> list[tuple[str, float]]:
    totals: defaultdict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cumulative, _callers) in rows.items():
        totals[package_of(filename)] += own
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)


def _profile_sync(call: Callable[[], object], calls: int) -> pstats.Stats:
    for _ in range(_WARMUP):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for _ in range(calls):
            call()
    finally:
        profiler.disable()
    return pstats.Stats(profiler)


async def _profile_async(call: Callable[[], Awaitable[object]], calls: int) -> pstats.Stats:
    for _ in range(_WARMUP):
        await call()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for _ in range(calls):
            await call()
    finally:
        profiler.disable()
    return pstats.Stats(profiler)


def _profile_both_sync(
    server: LoopbackServer, op: Operation, settings: ProfileSettings
) -> tuple[pstats.Stats, pstats.Stats | None]:
    url = f"{server.base_url}/{op.path}"
    with MemOS(api_key=API_KEY, base_url=server.base_url, timeout=TIMEOUT) as client:
        sdk = _profile_sync(lambda: op.sdk(client), settings.calls)
    if not settings.vs_raw:
        return sdk, None
    with httpx.Client(headers=RAW_HEADERS, timeout=TIMEOUT) as raw_client:
        raw = _profile_sync(lambda: raw_call(raw_client, url, op.body), settings.calls)
    return sdk, raw


async def _profile_both_async(
    server: LoopbackServer, op: Operation, settings: ProfileSettings
) -> tuple[pstats.Stats, pstats.Stats | None]:
    url = f"{server.base_url}/{op.path}"
    async with AsyncMemOS(api_key=API_KEY, base_url=server.base_url, timeout=TIMEOUT) as client:
        sdk = await _profile_async(lambda: op.async_sdk(client), settings.calls)
    if not settings.vs_raw:
        return sdk, None
    async with httpx.AsyncClient(headers=RAW_HEADERS, timeout=TIMEOUT) as raw_client:
        raw = await _profile_async(lambda: async_raw_call(raw_client, url, op.body), settings.calls)
    return sdk, raw


def _extra_table(sdk: dict[_Key, _Row], raw: dict[_Key, _Row], calls: int, top: int) -> str:
    """Functions by SDK own time minus raw own time, per call."""
    empty: _Row = (0, 0, 0.0, 0.0, None)
    rows = []
    for key in sdk.keys() | raw.keys():
        if key[0] == "~" and _WAITS.search(key[2]):
            continue
        mine, theirs = sdk.get(key, empty), raw.get(key, empty)
        extra = (mine[2] - theirs[2]) / calls * 1e6
        rows.append((extra, mine[1] / calls, theirs[1] / calls, key))
    rows.sort(key=lambda row: row[0], reverse=True)
    total = sum(row[0] for row in rows)
    lines = [
        f"SDK minus raw httpx, own time per call (total {total:+.1f} µs), top {top}",
        "(socket I/O and event-loop polling left out: they time the server and the scheduler):",
        f"  {'extra':>10}  {'calls/op sdk':>12} {'raw':>5}  function",
    ]
    for extra, sdk_calls, raw_calls, key in rows[:top]:
        lines.append(f"  {extra:>+7.1f} µs  {sdk_calls:>12.1f} {raw_calls:>5.1f}  {_label(key)}")
    return "\n".join(lines) + "\n"


def run_profile(server: LoopbackServer, settings: ProfileSettings) -> str:
    """The profile report for `settings.calls` calls, as text."""
    op = OPERATIONS[settings.operation]
    if settings.use_async:
        sdk, raw = asyncio.run(_profile_both_async(server, op, settings))
    else:
        sdk, raw = _profile_both_sync(server, op, settings)
    out = io.StringIO()
    sdk.stream = out  # type: ignore[attr-defined]
    calls = settings.calls
    total: float = sdk.total_tt  # type: ignore[attr-defined]
    mode = "async" if settings.use_async else "sync"
    out.write(
        f"Profile of {calls} {mode} {settings.operation} calls: {total:.3f} s under "
        f"cProfile, {total / calls * 1e6:.1f} µs per call\n\nOwn time by package:\n"
    )
    for package, own in _by_package(_rows(sdk)):
        if own / total >= 0.005:
            out.write(f"  {package:<24} {own / calls * 1e6:8.1f} µs/call  {own / total:6.1%}\n")
    out.write(f"\nInside memos_client, by cumulative time (top {settings.top}):\n")
    sdk.sort_stats("cumulative").print_stats(r"[\\/]memos_client[\\/]", settings.top)
    if raw is not None:
        raw_total: float = raw.total_tt  # type: ignore[attr-defined]
        out.write(
            f"Raw httpx, same calls: {raw_total / calls * 1e6:.1f} µs per call under cProfile\n\n"
        )
        out.write(_extra_table(_rows(sdk), _rows(raw), calls, settings.top))
    return out.getvalue().replace(_ROOT + "/", "")
