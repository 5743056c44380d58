"""`python -m benchmarks plot`: the latest results as one figure, ratios against targets.

Reads the JSON that `overhead` (or `all`), `coldstart` and `batch` wrote to
`benchmarks/results/` and draws each measured ratio beside its target. Needs
matplotlib, from the `[bench]` extra; everything else in `benchmarks/` runs without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["plot_results"]


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _section(results: Path, name: str) -> dict[str, Any]:
    """A command's results, from its own file or from `all`'s."""
    found: dict[str, Any] = (
        _read(results / f"{name}.json").get(name) or _read(results / "all.json").get(name) or {}
    )
    return found


def _bars(results: Path) -> list[tuple[str, float, float, bool]]:
    """`(label, ratio, target, lower_is_better)` for every figure found."""
    bars: list[tuple[str, float, float, bool]] = []
    overhead = _section(results, "overhead")
    for row in overhead.get("results", []):
        label = f"{row['operation']} ({row['mode']})"
        bars.append((label, row["paired_ratio"], overhead["target_ratio"], True))
    cold = _section(results, "coldstart")
    if cold:
        bars.append(("cold start", cold["ratio"], cold["target_ratio"], True))
        if "floor_ratio" in cold:  # raw httpx + pydantic: where any pydantic client starts
            bars.append(
                (
                    "cold start floor:\nhttpx + pydantic",
                    cold["floor_ratio"],
                    cold["target_ratio"],
                    True,
                )
            )
        if "in_app_ratio" in cold:  # in a program that has already paid for pydantic
            label = "cold start, in an app\nalready using pydantic"
            bars.append((label, cold["in_app_ratio"], cold["target_ratio"], True))
    for row in _read(results / "batch.json").get("batch", []):
        bars.append((f"add_many ({row['mode']})", row["ratio"], row["target"], False))
    return bars


def plot_results(results: Path, output: Path) -> Path:
    """Draw the figures in `results` into `output` (PNG); returns the path."""
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    bars = _bars(results)
    if not bars:
        raise SystemExit(f"no results in {results}: run python -m benchmarks first")
    figure, axes = plt.subplots(figsize=(9, 0.45 * len(bars) + 1.5))
    labels = [label for label, *_ in bars]
    ratios = [ratio for _, ratio, _, _ in bars]
    colours = [
        "tab:green" if (ratio <= target if lower else ratio >= target) else "tab:red"
        for _, ratio, target, lower in bars
    ]
    axes.barh(labels, ratios, color=colours)
    for row, (_, _, target, _) in enumerate(bars):
        axes.plot([target, target], [row - 0.4, row + 0.4], color="black", linewidth=2)
    axes.axvline(1.0, color="grey", linestyle=":", linewidth=1)
    axes.invert_yaxis()
    axes.set_xlabel("memos-client / raw httpx (black tick: target; green: met)")
    axes.set_title("memos-client against raw httpx")
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=110)
    plt.close(figure)
    return output
