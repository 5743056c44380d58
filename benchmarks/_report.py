"""Tables for the terminal and the JSON results file."""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pydantic

import memos_client

from ._coldstart import TARGET_RATIO as COLDSTART_TARGET, ColdStartResult, ColdStartSettings
from ._overhead import TARGET_RATIO as OVERHEAD_TARGET, OverheadResult, OverheadSettings

__all__ = [
    "coldstart_table",
    "environment",
    "overhead_table",
    "results_document",
    "write_json",
]

ROOT = Path(__file__).resolve().parent.parent


def _verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "OVER"


def _interval(result: OverheadResult) -> str:
    interval = result.paired_interval
    shown = f"{result.paired_ratio:.3f}"
    if interval is None:
        return f"{shown} (too few rounds for an interval)"
    return f"{shown} [{interval[0]:.3f}, {interval[1]:.3f}]"


def overhead_table(results: list[OverheadResult], settings: OverheadSettings) -> str:
    rounds = max((len(result.sdk_us) for result in results), default=0)
    lines = [
        "Per-call cost, memos-client vs raw pooled httpx, same request over loopback",
        f"(median over {rounds} rotating rounds of {settings.calls} calls per side)",
        "",
        f"{'call':<11}{'mode':<7}{'memos-client':>14}{'raw httpx':>12}{'extra':>12}"
        f"{'ratio':>8}{'target':>10}  {'verdict':<9}paired ratio, 95% CI",
    ]
    for result in results:
        lines.append(
            f"{result.operation:<11}{result.mode:<7}"
            f"{result.sdk_median:>11.1f} µs{result.raw_median:>9.1f} µs"
            f"{result.sdk_median - result.raw_median:>+9.1f} µs"
            f"{result.ratio:>8.3f}{'<= ' + format(OVERHEAD_TARGET, '.2f'):>10}  "
            f"{_verdict(result.ratio, OVERHEAD_TARGET):<9}{_interval(result)}"
        )
        mismatched = [name for name, same in result.same_request.items() if not same]
        if mismatched:
            lines.append(f"  warning: requests differ in {', '.join(mismatched)}")
    lines += [
        "",
        "The floor: raw httpx validating each answer into small pydantic models (no target)",
        "",
        f"{'call':<11}{'mode':<7}{'httpx+pydantic':>16}{'/ raw httpx':>13}"
        f"{'memos-client / it':>19}",
    ]
    for result in results:
        lines.append(
            f"{result.operation:<11}{result.mode:<7}"
            f"{statistics.median(result.floor_us):>13.1f} µs"
            f"{result.floor_ratio:>13.3f}{result.sdk_over_floor:>19.3f}"
        )
    return "\n".join(lines)


def coldstart_table(result: ColdStartResult) -> str:
    sdk, raw, floor = result.sdk.as_dict(), result.raw.as_dict(), result.floor.as_dict()
    runs = len(result.sdk.first_call_ms)
    rows = [
        ("import + construct", "import_construct_ms", None),
        ("+ first search", "first_search_ms", result.ratio),
        ("whole process", "process_ms", result.process_ratio),
    ]
    lines = [
        "Cold start in a fresh process, memos-client vs raw httpx",
        f"(median of {runs} runs per side; the target applies to 'first search';",
        " 'httpx+pydantic' is raw httpx validating into three pydantic models: the floor",
        " of any pydantic-typed client, with no target)",
        "",
        f"{'':<20}{'memos-client':>14}{'raw httpx':>12}{'httpx+pydantic':>16}{'ratio':>8}"
        f"{'target':>10}  verdict",
    ]
    for label, key, ratio in rows:
        shown = f"{ratio:>8.3f}" if ratio is not None else f"{sdk[key] / raw[key]:>8.3f}"
        target = ""
        if key == "first_search_ms":
            target = f"{'<= ' + format(COLDSTART_TARGET, '.2f'):>10}  "
            target += _verdict(result.ratio, COLDSTART_TARGET)
        lines.append(
            f"{label:<20}{sdk[key]:>11.1f} ms{raw[key]:>9.1f} ms{floor[key]:>13.1f} ms"
            f"{shown}{target}"
        )
    lines.append(
        f"httpx+pydantic / raw httpx, first search: {result.floor_ratio:.3f}; "
        f"memos-client / httpx+pydantic: {result.ratio / result.floor_ratio:.3f}"
    )
    sdk_in_app = result.sdk_in_app.as_dict()["first_search_ms"]
    raw_in_app = result.raw_in_app.as_dict()["first_search_ms"]
    lines.append(
        "In a program already using pydantic, first search: "
        f"memos-client {sdk_in_app:.1f} ms, raw httpx {raw_in_app:.1f} ms, "
        f"ratio {result.in_app_ratio:.3f}"
    )
    return "\n".join(lines)


def _git_commit() -> str | None:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None


def environment() -> dict[str, Any]:
    return {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "memos_client": memos_client.__version__,
        "httpx": httpx.__version__,
        "pydantic": pydantic.VERSION,
    }


def results_document(
    overhead: tuple[OverheadSettings, list[OverheadResult]] | None,
    coldstart: tuple[ColdStartSettings, ColdStartResult] | None,
) -> dict[str, Any]:
    document: dict[str, Any] = {"environment": environment()}
    if overhead is not None:
        settings, results = overhead
        document["overhead"] = {
            "unit": "microseconds per call",
            "target_ratio": OVERHEAD_TARGET,
            "settings": settings.as_dict(),
            "results": [result.as_dict() for result in results],
        }
    if coldstart is not None:
        cold_settings, cold = coldstart
        document["coldstart"] = {
            "unit": "milliseconds",
            "target_ratio": COLDSTART_TARGET,
            "settings": cold_settings.as_dict(),
            **cold.as_dict(),
        }
    return document


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
