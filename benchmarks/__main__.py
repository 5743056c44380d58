"""`python -m benchmarks COMMAND`: all, overhead, coldstart, inprocess, instructions, profile,
batch, wait, emulator, plot.

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ._batch import BatchSettings, batch_table, run_batch
from ._coldstart import ColdStartResult, ColdStartSettings, run_coldstart
from ._inprocess import InProcessSettings, inprocess_table, run_inprocess
from ._instructions import InstructionSettings, instructions_table, run_instructions, valgrind
from ._overhead import OverheadResult, OverheadSettings, run_overhead
from ._profile import ProfileSettings, run_profile
from ._report import coldstart_table, overhead_table, results_document, write_json
from ._server import LoopbackServer
from ._wait import WaitSettings, run_wait, wait_table
from ._workload import OPERATIONS, clean_environment

RESULTS = Path(__file__).resolve().parent / "results"
MODES = ("sync", "async")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _add_call_choices(
    sub: argparse.ArgumentParser, operations: tuple[str, ...], modes: tuple[str, ...]
) -> None:
    """`--ops` and `--modes`: which calls, and on which client, sync or async."""
    sub.add_argument(
        "--ops",
        type=_choices(tuple(OPERATIONS)),
        default=operations,
        help=f"calls to measure (default {','.join(operations)})",
    )
    sub.add_argument(
        "--modes",
        type=_choices(MODES),
        default=modes,
        help=f"sync, async or both (default {','.join(modes)})",
    )


SERVER_PIN_HELP = (
    "leave the server and this process wherever the scheduler puts them "
    "(default: each on its own CPUs, on Linux)"
)


def _add_blocks(sub: argparse.ArgumentParser, calls: int, rounds: int) -> None:
    """`--calls` and `--rounds`: how long each timed block is, and how many rounds run."""
    sub.add_argument(
        "--calls", type=_positive_int, default=calls, help=f"calls per block (default {calls})"
    )
    sub.add_argument(
        "--rounds",
        type=_positive_int,
        default=rounds,
        help=f"rounds, each timing every side once, in turn (default {rounds})",
    )


def _add_warmup(sub: argparse.ArgumentParser, warmup: int) -> None:
    sub.add_argument(
        "--warmup",
        type=_non_negative_int,
        default=warmup,
        help=f"untimed calls per side first (default {warmup})",
    )


def _add_no_pin(sub: argparse.ArgumentParser, help: str) -> None:
    """`--no-pin`: measure without pinning processes to CPUs (`settings.pin` False)."""
    sub.add_argument("--no-pin", dest="pin", action="store_false", help=help)


def _choices(allowed: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(part.strip() for part in text.split(",") if part.strip())
        unknown = [part for part in chosen if part not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"pick from {', '.join(allowed)} (comma-separated), not {text!r}"
            )
        return chosen

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure memos-client against raw httpx over loopback (default: all).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    every = commands.add_parser("all", help="overhead, then coldstart (the default)")
    overhead = commands.add_parser("overhead", help="per-call cost vs raw pooled httpx")
    coldstart = commands.add_parser("coldstart", help="import + construct + first search")
    profile = commands.add_parser("profile", help="cProfile of N SDK calls")
    inprocess = commands.add_parser(
        "inprocess", help="per-call time vs raw httpx on a mock transport (no network)"
    )
    inprocess_defaults = InProcessSettings()
    _add_blocks(inprocess, inprocess_defaults.calls, inprocess_defaults.rounds)
    _add_warmup(inprocess, inprocess_defaults.warmup)
    _add_call_choices(inprocess, inprocess_defaults.operations, inprocess_defaults.modes)
    _add_no_pin(inprocess, "leave this process wherever the scheduler puts it (default: one CPU)")
    inprocess.add_argument(
        "--evict",
        type=_non_negative_int,
        default=inprocess_defaults.evict_mb,
        metavar="MB",
        help="write to every cache line of an MB-sized buffer between each request and "
        "its answer, as a network round trip does to the caches (default 0: none; 8 "
        "evicts a small machine's caches)",
    )
    inprocess.add_argument("--json", type=Path, default=RESULTS / "inprocess.json")
    instructions = commands.add_parser(
        "instructions", help="CPU instructions per call vs raw httpx (needs valgrind)"
    )
    instruction_defaults = InstructionSettings()
    instructions.add_argument(
        "--calls",
        type=_positive_int,
        default=instruction_defaults.calls,
        help=f"calls per side (default {instruction_defaults.calls})",
    )
    _add_call_choices(instructions, instruction_defaults.operations, instruction_defaults.modes)
    instructions.add_argument("--json", type=Path, default=RESULTS / "instructions.json")
    batch = commands.add_parser("batch", help="add_many throughput vs raw httpx, same concurrency")
    batch_defaults = BatchSettings()
    batch.add_argument("--items", type=_positive_int, default=batch_defaults.items)
    batch.add_argument("--concurrency", type=_positive_int, default=batch_defaults.concurrency)
    batch.add_argument(
        "--latency",
        type=float,
        default=batch_defaults.latency,
        help="seconds the server waits before each answer (default %(default)s)",
    )
    batch.add_argument("--rounds", type=_positive_int, default=batch_defaults.rounds)
    batch.add_argument("--modes", type=_choices(MODES), default=batch_defaults.modes)
    _add_no_pin(batch, SERVER_PIN_HELP)
    batch.add_argument("--json", type=Path, default=RESULTS / "batch.json")
    batch.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    plot = commands.add_parser("plot", help="draw the latest results (needs the [bench] extra)")
    plot.add_argument("--results", type=Path, default=RESULTS)
    plot.add_argument("--output", type=Path, default=RESULTS / "performance.png")
    emulator = commands.add_parser(
        "emulator", help="the emulator at scale: median ms of add, search, get/status"
    )
    emulator.add_argument("--memories", type=_positive_int, default=100_000)
    emulator.add_argument("--users", type=_positive_int, default=1_000)
    emulator.add_argument("--tasks", type=_positive_int, default=10_000)
    emulator.add_argument("--calls", type=_positive_int, default=200)
    emulator.add_argument("--json", type=Path, default=RESULTS / "emulator.json")
    emulator.add_argument("--check", action="store_true", help="exit 1 if a call is 1 ms or more")
    wait = commands.add_parser("wait", help="wait_all over many handles: peak memory, polls")
    wait_defaults = WaitSettings()
    wait.add_argument("--handles", type=_positive_int, default=wait_defaults.handles)
    wait.add_argument("--concurrency", type=_positive_int, default=wait_defaults.concurrency)
    wait.add_argument("--json", type=Path, default=RESULTS / "wait.json")
    wait.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    defaults = OverheadSettings()
    for sub in (every, overhead):
        _add_blocks(sub, defaults.calls, defaults.rounds)
        _add_warmup(sub, defaults.warmup)
        _add_call_choices(sub, defaults.operations, defaults.modes)
        sub.add_argument(
            "--max-seconds",
            type=_positive_float,
            default=defaults.max_seconds,
            help="stop adding rounds after this long (default %(default)s)",
        )
        _add_no_pin(sub, SERVER_PIN_HELP)
    cold_defaults = ColdStartSettings()
    for sub in (every, coldstart):
        sub.add_argument(
            "--runs",
            type=_positive_int,
            default=cold_defaults.runs,
            help=f"fresh processes per side (default {cold_defaults.runs})",
        )
        sub.add_argument(
            "--cold-max-seconds",
            type=_positive_float,
            default=cold_defaults.max_seconds,
            help="stop adding cold-start runs after this long (default %(default)s)",
        )
    for sub, name in ((every, "all"), (overhead, "overhead"), (coldstart, "coldstart")):
        sub.add_argument(
            "--json",
            type=Path,
            default=RESULTS / f"{name}.json",
            help=f"where to write the results (default benchmarks/results/{name}.json)",
        )
        sub.add_argument(
            "--check", action="store_true", help="exit with status 1 if a target is missed"
        )
    profile_defaults = ProfileSettings()
    profile.add_argument(
        "operation", nargs="?", choices=tuple(OPERATIONS), default=profile_defaults.operation
    )
    profile.add_argument(
        "--calls",
        type=_positive_int,
        default=profile_defaults.calls,
        help=f"calls to profile (default {profile_defaults.calls})",
    )
    profile.add_argument(
        "--top",
        type=_positive_int,
        default=profile_defaults.top,
        help=f"functions per table (default {profile_defaults.top})",
    )
    profile.add_argument("--async", dest="use_async", action="store_true", help="AsyncMemOS")
    profile.add_argument(
        "--vs-raw",
        action="store_true",
        help="also profile raw httpx and list functions by extra time under the SDK",
    )
    return parser


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "all")
    args = build_parser().parse_args(args_list)
    started = time.monotonic()
    if args.command == "batch":
        return _batch(args, started)
    if args.command == "instructions":
        return _instructions(args, started)
    if args.command == "inprocess":
        return _inprocess(args, started)
    if args.command == "plot":
        from ._plot import plot_results

        print(f"Plot written to {plot_results(args.results, args.output)}")
        return 0
    if args.command == "emulator":
        return _emulator(args, started)
    if args.command == "wait":
        settings_w = WaitSettings(args.handles, args.concurrency)
        _progress(f"wait: {settings_w.handles} handles")
        row = run_wait(settings_w)
        print(wait_table(row), end="\n\n", flush=True)
        write_json(args.json, {"settings": settings_w.as_dict(), "wait": row})
        print(f"Results written to {args.json} ({time.monotonic() - started:.1f} s in all)")
        return 1 if args.check and not row["meets_target"] else 0
    with clean_environment(), LoopbackServer() as server:
        if args.command == "profile":
            settings = ProfileSettings(
                args.operation, args.calls, args.top, args.use_async, args.vs_raw
            )
            print(run_profile(server, settings))
            return 0
        overhead: tuple[OverheadSettings, list[OverheadResult]] | None = None
        coldstart: tuple[ColdStartSettings, ColdStartResult] | None = None
        missed = False
        if args.command in ("all", "overhead"):
            settings_o = OverheadSettings(
                calls=args.calls,
                rounds=args.rounds,
                warmup=args.warmup,
                operations=args.ops,
                modes=args.modes,
                max_seconds=args.max_seconds,
                pin=args.pin,
            )
            results = run_overhead(server, settings_o, _progress)
            overhead = (settings_o, results)
            print(overhead_table(results, settings_o), end="\n\n", flush=True)
            missed |= not all(result.as_dict()["meets_target"] for result in results)
        if args.command in ("all", "coldstart"):
            settings_c = ColdStartSettings(runs=args.runs, max_seconds=args.cold_max_seconds)
            cold = run_coldstart(server, settings_c, _progress)
            coldstart = (settings_c, cold)
            print(coldstart_table(cold), end="\n\n", flush=True)
            missed |= not cold.as_dict()["meets_target"]
    write_json(args.json, results_document(overhead, coldstart))
    print(f"Results written to {args.json} ({time.monotonic() - started:.1f} s in all)")
    return 1 if args.check and missed else 0


def _emulator(args: argparse.Namespace, started: float) -> int:
    """`python -m benchmarks emulator`: median ms per in-process call on a large store."""
    from memos_client.testing._scale import scale_figures

    _progress(f"emulator: {args.memories} memories, {args.users} users, {args.tasks} tasks")
    figures = scale_figures(args.memories, args.users, args.tasks, calls=args.calls)
    print(
        f"Emulator with {args.memories:,} memories over {args.users:,} users and "
        f"{args.tasks:,} tasks: median of {args.calls} in-process calls (target < 1 ms)\n"
    )
    for name, ms in figures.items():
        print(f"{name:<12}{ms:>8.3f} ms  {'ok' if ms < 1.0 else 'OVER'}")
    settings = {k: getattr(args, k) for k in ("memories", "users", "tasks", "calls")}
    write_json(args.json, {"settings": settings, "emulator_ms": figures})
    print(f"\nResults written to {args.json} ({time.monotonic() - started:.1f} s in all)")
    return 1 if args.check and max(figures.values()) >= 1.0 else 0


def _publish(
    args: argparse.Namespace, started: float, table: str, settings: object, **rows: object
) -> None:
    """Print a command's table, write its settings and rows to `--json`, say where."""
    print(table, end="\n\n", flush=True)
    write_json(args.json, {"settings": settings, **rows})
    print(f"Results written to {args.json} ({time.monotonic() - started:.1f} s in all)")


def _inprocess(args: argparse.Namespace, started: float) -> int:
    """`python -m benchmarks inprocess`: each side's own CPU time per call."""
    settings = InProcessSettings(
        args.calls, args.rounds, args.ops, args.modes, args.pin, args.warmup, args.evict
    )
    with clean_environment():
        rows = run_inprocess(settings, _progress)
    _publish(args, started, inprocess_table(rows, settings), settings.as_dict(), inprocess=rows)
    return 0


def _instructions(args: argparse.Namespace, started: float) -> int:
    """`python -m benchmarks instructions`: valgrind's count of what each call executes."""
    tool = valgrind()
    if tool is None:
        print(
            "instructions needs valgrind: install it (apt install valgrind), or name one in "
            "BENCH_VALGRIND",
            file=sys.stderr,
        )
        return 2
    settings = InstructionSettings(args.calls, args.ops, args.modes)
    with clean_environment():
        rows = run_instructions(settings, tool, _progress)
    table = instructions_table(rows, settings)
    _publish(args, started, table, settings.as_dict(), instructions=rows)
    return 0


def _batch(args: argparse.Namespace, started: float) -> int:
    """`python -m benchmarks batch`: its own server, with the answer latency asked for."""
    settings = BatchSettings(
        args.items, args.concurrency, args.latency, args.modes, args.rounds, args.pin
    )
    with clean_environment():
        rows = run_batch(settings, _progress)
    _publish(args, started, batch_table(rows, settings), settings.as_dict(), batch=rows)
    return 1 if args.check and not all(row["meets_target"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
