"""Cold start: import, construct and the first `search`, in a fresh interpreter each time.

Each run is a new `python -c` process that times itself from just before the
first import to the decoded answer of its first search against the loopback
server: memos-client (`from memos_client import MemOS`, `MemOS(...)`,
`client.search(...)`) against raw httpx (`import httpx`, `httpx.Client(...)`,
one POST, `response.json()`). The parent also times each whole process,
interpreter start-up included, as a second view. Runs alternate between the
sides after one untimed warm-up run of each, each side taking each place in turn.

A third side, "httpx + pydantic", is raw httpx plus the least a typed client
built on pydantic must do: import pydantic, declare three small models for the
answer (a memory, a preference, the result) and validate `data` into them. It
has no target; it shows the floor that any pydantic-typed client starts from,
so the SDK's own share of a cold start reads as `first search` over this floor.

Two more sides run the SDK's and raw httpx's children in a program that has
already imported pydantic and validated a model of its own before the clock
starts, as any program using openai, anthropic, FastAPI or LangChain has. Their
ratio has no target either: it is what memos-client costs such an application.

Bytecode caches are warm, as after a `pip install` (which compiles them): the
children write and read them under a temporary `PYTHONPYCACHEPREFIX`, whatever
`PYTHONDONTWRITEBYTECODE` says, so an editable checkout without `__pycache__`
is not charged for compiling its source on every run, and the source tree is
left untouched.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._floor import SEARCH_MODELS
from ._server import LoopbackServer
from ._workload import (
    API_KEY,
    OPERATIONS,
    QUERY,
    RAW_HEADERS,
    SEARCH_OPTIONS,
    TIMEOUT,
    child_environment,
    rotation,
)

__all__ = ["TARGET_RATIO", "ColdStartResult", "ColdStartSettings", "run_coldstart"]

TARGET_RATIO = 1.3
"""Goal: import + construct + first search costs at most 1.3 x doing it with raw httpx."""

CHILD_TIMEOUT = 60.0

_SDK_CHILD = """\
{preamble}import time
_t0 = time.perf_counter()
from memos_client import MemOS
_client = MemOS(api_key={key!r}, base_url={base_url!r}, timeout={timeout!r})
_t1 = time.perf_counter()
_result = _client.search({query!r}, **{options!r})
_t2 = time.perf_counter()
assert len(_result.memories) == 10, _result
_client.close()
print(_t1 - _t0, _t2 - _t0)
"""

# What an application that already uses pydantic (as openai, anthropic, FastAPI and
# LangChain all do) has done before it first calls memos-client: imported pydantic
# and validated a model of its own, which also loads pydantic's plugins.
_PYDANTIC_IN_USE = """\
from pydantic import BaseModel
class _AppModel(BaseModel):
    name: str = ""
_AppModel.model_validate({"name": "app"})
"""

# Raw httpx, and raw httpx with pydantic models: the same program but for `{models}`
# (declared before the clock stops for construction) and how `data` is read.
_HTTPX_CHILD = """\
{preamble}import time
_t0 = time.perf_counter()
import httpx
{models}_client = httpx.Client(headers={headers!r}, timeout={timeout!r})
_t1 = time.perf_counter()
_response = _client.post({url!r}, json={body!r})
_response.raise_for_status()
_payload = _response.json()
if _payload.get("code") != 0:
    raise SystemExit("unexpected answer")
_data = {decode}
_t2 = time.perf_counter()
assert len({memories}) == 10, _data
_client.close()
print(_t1 - _t0, _t2 - _t0)
"""


@dataclass(frozen=True)
class ColdStartSettings:
    runs: int = 15
    max_seconds: float = 120.0

    def as_dict(self) -> dict[str, Any]:
        return {"runs": self.runs, "max_seconds": self.max_seconds}


@dataclass
class _Side:
    """One side's runs, in milliseconds."""

    construct_ms: list[float] = field(default_factory=list)
    first_call_ms: list[float] = field(default_factory=list)
    process_ms: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_construct_ms": round(statistics.median(self.construct_ms), 2),
            "first_search_ms": round(statistics.median(self.first_call_ms), 2),
            "process_ms": round(statistics.median(self.process_ms), 2),
            "first_search_ms_per_run": [round(value, 2) for value in self.first_call_ms],
            "process_ms_per_run": [round(value, 2) for value in self.process_ms],
        }


@dataclass
class ColdStartResult:
    sdk: _Side = field(default_factory=_Side)
    raw: _Side = field(default_factory=_Side)
    floor: _Side = field(default_factory=_Side)
    """httpx + pydantic: the floor of any pydantic-typed client (no target)."""
    sdk_in_app: _Side = field(default_factory=_Side)
    """memos-client in a program that already uses pydantic (no target)."""
    raw_in_app: _Side = field(default_factory=_Side)
    """Raw httpx in that same program."""

    @property
    def ratio(self) -> float:
        """In-process time to the first answer, SDK / raw (the figure with the target)."""
        return statistics.median(self.sdk.first_call_ms) / statistics.median(self.raw.first_call_ms)

    @property
    def floor_ratio(self) -> float:
        """httpx + pydantic's time to the first answer / raw httpx's: the least a
        client with pydantic models can reach."""
        return statistics.median(self.floor.first_call_ms) / statistics.median(
            self.raw.first_call_ms
        )

    @property
    def in_app_ratio(self) -> float:
        """Time to the first answer in a program already using pydantic (whose import
        and plugins are then paid, along with the standard modules it loads), SDK / raw."""
        return statistics.median(self.sdk_in_app.first_call_ms) / statistics.median(
            self.raw_in_app.first_call_ms
        )

    @property
    def process_ratio(self) -> float:
        """Whole-process time, interpreter start-up included, SDK / raw."""
        return statistics.median(self.sdk.process_ms) / statistics.median(self.raw.process_ms)

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs_measured": len(self.sdk.first_call_ms),
            "sdk": self.sdk.as_dict(),
            "raw": self.raw.as_dict(),
            "httpx_pydantic": self.floor.as_dict(),
            "sdk_pydantic_in_use": self.sdk_in_app.as_dict(),
            "raw_pydantic_in_use": self.raw_in_app.as_dict(),
            "ratio": round(self.ratio, 4),
            "floor_ratio": round(self.floor_ratio, 4),
            "in_app_ratio": round(self.in_app_ratio, 4),
            "process_ratio": round(self.process_ratio, 4),
            "target_ratio": TARGET_RATIO,
            "meets_target": self.ratio <= TARGET_RATIO,
        }


def child_scripts(base_url: str) -> dict[str, str]:
    """Each side's child program (`sdk`, `raw`, `floor`, and `sdk_in_app` and
    `raw_in_app` in a program already using pydantic) for a server at `base_url`."""
    search = OPERATIONS["search"]
    call = {
        "key": API_KEY,
        "base_url": base_url,
        "timeout": TIMEOUT,
        "query": QUERY,
        "options": SEARCH_OPTIONS,
    }
    sdk = _SDK_CHILD.format(preamble="", **call)
    sdk_in_app = _SDK_CHILD.format(preamble=_PYDANTIC_IN_USE, **call)
    request = {
        "headers": RAW_HEADERS,
        "timeout": TIMEOUT,
        "url": f"{base_url}/{search.path}",
        "body": search.body,
    }
    untyped = {
        "models": "",
        "decode": '_payload["data"]',
        "memories": '_data["memory_detail_list"]',
    }
    raw = _HTTPX_CHILD.format(preamble="", **untyped, **request)
    raw_in_app = _HTTPX_CHILD.format(preamble=_PYDANTIC_IN_USE, **untyped, **request)
    floor = _HTTPX_CHILD.format(
        preamble="",
        models=SEARCH_MODELS,
        decode='SearchData.model_validate(_payload["data"])',
        memories="_data.memory_detail_list",
        **request,
    )
    return {
        "sdk": sdk,
        "raw": raw,
        "floor": floor,
        "sdk_in_app": sdk_in_app,
        "raw_in_app": raw_in_app,
    }


def _run_child(code: str, environ: dict[str, str], side: _Side | None) -> None:
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environ,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"a cold-start run failed:\n{completed.stderr.strip()}")
    construct, first_call = (float(value) for value in completed.stdout.split())
    if side is not None:
        side.construct_ms.append(construct * 1000)
        side.first_call_ms.append(first_call * 1000)
        side.process_ms.append(elapsed * 1000)


def run_coldstart(
    server: LoopbackServer,
    settings: ColdStartSettings,
    progress: Callable[[str], None] | None = None,
) -> ColdStartResult:
    """`runs` fresh processes per side, alternating; stops early past `max_seconds`."""
    codes = child_scripts(server.base_url)
    if progress is not None:
        progress(f"cold start: {settings.runs} fresh processes per side")
    with tempfile.TemporaryDirectory(prefix="memos-bench-pycache-") as pycache:
        environ = child_environment(pycache)
        for code in codes.values():  # the warm-up runs fill the bytecode cache
            _run_child(code, environ, None)
        result = ColdStartResult()
        sides = {
            "sdk": result.sdk,
            "raw": result.raw,
            "floor": result.floor,
            "sdk_in_app": result.sdk_in_app,
            "raw_in_app": result.raw_in_app,
        }
        order = [(codes[name], side) for name, side in sides.items()]
        deadline = time.monotonic() + settings.max_seconds
        for index in range(settings.runs):
            if index > 0 and time.monotonic() > deadline:
                break
            for code, side in rotation(order, index):
                _run_child(code, environ, side)
    return result
