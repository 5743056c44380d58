"""The benchmark harness (`python -m benchmarks`) runs end to end with tiny settings.

Only its plumbing is checked here: that it runs, measures both sides, sends the
same request both ways and writes its JSON. How fast memos-client is belongs to
`python -m benchmarks` itself, never to a pass/fail test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks.__main__ import main
from benchmarks._overhead import compare_requests, median_interval
from benchmarks._profile import package_of
from benchmarks._server import LoopbackServer
from benchmarks._workload import SIDES, rotation

TINY = ["--calls", "5", "--rounds", "2", "--warmup", "2"]


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def test_overhead_measures_every_call_in_both_modes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "results" / "overhead.json"
    assert main(["overhead", *TINY, "--json", str(path)]) == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert set(document) == {"environment", "overhead"}
    assert document["environment"]["python"]
    overhead = document["overhead"]
    assert overhead["target_ratio"] == 1.03
    assert overhead["settings"]["calls"] == 5
    assert overhead["settings"]["pin"] is True
    rows = {(row["operation"], row["mode"]): row for row in overhead["results"]}
    assert set(rows) == {
        (operation, mode)
        for operation in ("search", "add", "get_status")
        for mode in ("sync", "async")
    }
    for row in rows.values():
        figures = ("sdk_us_per_call", "raw_us_per_call", "ratio", "paired_ratio")
        floor = ("httpx_pydantic_us_per_call", "floor_ratio", "sdk_over_floor")
        for key in (*figures, *floor):
            assert _positive(row[key]), (key, row)
        assert row["rounds_measured"] == 2
        rounds = ("sdk_us_per_round", "raw_us_per_round", "httpx_pydantic_us_per_round")
        assert [len(row[key]) for key in rounds] == [2, 2, 2]
        assert isinstance(row["meets_target"], bool)
        same = row["same_request"]
        for part in ("method", "url", "body_json", "authorization", "content-type"):
            assert same[part], (part, row["operation"], row["mode"])
    table = capsys.readouterr().out
    assert "memos-client" in table and "raw httpx" in table and "<= 1.03" in table
    assert "httpx+pydantic" in table and "memos-client / it" in table


def test_coldstart_times_fresh_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "coldstart.json"
    assert main(["coldstart", "--runs", "1", "--json", str(path)]) == 0
    cold = json.loads(path.read_text(encoding="utf-8"))["coldstart"]
    assert cold["target_ratio"] == 1.3
    assert cold["runs_measured"] == 1
    sides = ("sdk", "raw", "httpx_pydantic", "sdk_pydantic_in_use", "raw_pydantic_in_use")
    for side in sides:
        for key in ("import_construct_ms", "first_search_ms", "process_ms"):
            assert _positive(cold[side][key]), (side, key)
    assert _positive(cold["ratio"]) and _positive(cold["process_ratio"])
    assert _positive(cold["floor_ratio"]) and _positive(cold["in_app_ratio"])
    printed = capsys.readouterr().out
    assert "<= 1.30" in printed
    assert "httpx+pydantic / raw httpx, first search:" in printed
    assert "In a program already using pydantic, first search: memos-client" in printed


def test_coldstart_children_differ_only_where_their_sides_do() -> None:
    from benchmarks._coldstart import child_scripts

    codes = child_scripts("http://127.0.0.1:1")
    assert set(codes) == {"sdk", "raw", "floor", "sdk_in_app", "raw_in_app"}
    # The same programs, the pydantic application's work done before the clock starts.
    for name in ("sdk", "raw"):
        preamble, timed = codes[f"{name}_in_app"].split("import time\n", 1)
        assert timed == codes[name].split("import time\n", 1)[1]
        assert "_AppModel.model_validate" in preamble and "_t0" not in preamble
    assert "memos_client" not in codes["raw"] and "pydantic" not in codes["raw"]
    assert "SearchData.model_validate" in codes["floor"]


def test_profile_prints_memos_client_functions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "get_status", "--calls", "5", "--top", "5", "--vs-raw"]) == 0
    report = capsys.readouterr().out
    assert "Profile of 5 sync get_status calls" in report
    assert "Own time by package:" in report
    assert "memos_client/_sync/_client.py" in report
    assert "SDK minus raw httpx, own time per call" in report


def test_batch_compares_add_many_with_raw_httpx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "batch.json"
    argv = ["batch", "--items", "20", "--concurrency", "4", "--rounds", "1", "--latency", "0.001"]
    assert main([*argv, "--json", str(path)]) == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["settings"]["items"] == 20
    assert document["settings"]["pin"] is True
    assert {row["mode"] for row in document["batch"]} == {"sync", "async"}
    for row in document["batch"]:
        assert _positive(row["sdk_per_s"]) and _positive(row["raw_per_s"])
        assert row["target"] == 0.95 and isinstance(row["meets_target"], bool)
    assert "add_many" in capsys.readouterr().out


def test_plot_draws_the_results_it_finds(tmp_path: Path) -> None:
    results = tmp_path / "results"
    assert (
        main(
            [
                "batch",
                "--items",
                "8",
                "--concurrency",
                "2",
                "--rounds",
                "1",
                "--latency",
                "0.001",
                "--json",
                str(results / "batch.json"),
            ]
        )
        == 0
    )
    output = tmp_path / "plot.png"
    assert main(["plot", "--results", str(results), "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(SystemExit, match="no results"):
        main(["plot", "--results", str(tmp_path / "empty"), "--output", str(output)])


def test_emulator_prints_the_scale_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "emulator.json"
    argv = ["emulator", "--memories", "500", "--users", "5", "--tasks", "50", "--calls", "5"]
    assert main([*argv, "--json", str(path)]) == 0
    figures = json.loads(path.read_text(encoding="utf-8"))["emulator_ms"]
    assert set(figures) == {"add", "search", "get_status"} and all(map(_positive, figures.values()))
    assert "median of 5 in-process calls" in capsys.readouterr().out


def test_wait_measures_memory_and_polls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wait.json"
    assert main(["wait", "--handles", "200", "--json", str(path)]) == 0
    row = json.loads(path.read_text(encoding="utf-8"))["wait"]
    assert row["handles"] == 200 and row["polls"] >= 300  # half of them polled twice
    assert _positive(row["peak_mb"]) and isinstance(row["meets_target"], bool)
    assert "peak memory" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["overhead", "--calls", "0"], ["overhead", "--ops", "nope"], ["coldstart", "--runs", "-1"]],
)
def test_bad_settings_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


def test_median_interval_uses_order_statistics() -> None:
    assert median_interval([float(n) for n in range(1, 11)]) == (2.0, 9.0)
    assert median_interval([float(n) for n in range(1, 41)]) == (14.0, 27.0)
    assert median_interval([1.0, 2.0, 3.0, 4.0, 5.0]) is None


def test_overhead_rounds_give_each_side_each_place_in_turn() -> None:
    orders = [rotation(SIDES, index) for index in range(3)]
    assert orders[0] == ["sdk", "raw", "floor"]
    for place in range(3):
        assert {order[place] for order in orders} == {"sdk", "raw", "floor"}
    assert rotation(SIDES, 3) == orders[0]


def test_compare_requests_names_what_differs() -> None:
    headers = {"authorization": "Token k", "content-type": "application/json"}
    sdk = {"method": "POST", "path": "/p", "headers": headers, "body": '{"a":1,"b":2}'}
    raw = {**sdk, "headers": {**headers, "accept": "*/*"}, "body": '{"b": 2, "a": 1}'}
    same = compare_requests(sdk, raw)
    assert same["method"] and same["url"] and same["body_json"] and same["authorization"]
    assert not same["body_bytes"] and not same["accept"]


def test_package_of_groups_profiled_files() -> None:
    assert package_of("/x/site-packages/httpx/_client.py") == "httpx"
    assert package_of("/work/main/memos_client/_async/_base.py") == "memos_client"
    assert package_of("/usr/lib/python3.11/json/decoder.py") == "stdlib:json"
    assert package_of("~") == "builtins (C)"


def test_pinning_puts_the_server_on_its_own_cpu_and_then_restores_both() -> None:
    with LoopbackServer() as server:
        process = server._process
        assert process is not None
        getter = getattr(os, "sched_getaffinity", None)
        before = (set(getter(0)), set(getter(process.pid))) if getter else None
        with server.pinned() as pinned:
            if pinned:
                assert getter is not None
                mine, theirs = set(getter(0)), set(getter(process.pid))
                assert len(theirs) == 1 and not mine & theirs
        if getter is not None:
            assert (set(getter(0)), set(getter(process.pid))) == before
        if before is not None and len(before[0]) >= 2:
            assert pinned  # Linux with two CPUs or more can always pin


def test_pinning_a_server_that_is_gone_measures_unpinned() -> None:
    getter = getattr(os, "sched_getaffinity", None)
    with LoopbackServer() as server:
        process = server._process
        assert process is not None
        before = set(getter(0)) if getter else None
        process.kill()
        process.wait()
        with server.pinned() as pinned:
            assert pinned is False
        if getter is not None:
            assert set(getter(0)) == before


def test_overhead_can_leave_cpus_unpinned(tmp_path: Path) -> None:
    path = tmp_path / "overhead.json"
    argv = ["overhead", *TINY, "--ops", "get_status", "--modes", "sync", "--no-pin"]
    assert main([*argv, "--json", str(path)]) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["overhead"]["settings"]["pin"] is False


def test_batch_can_leave_cpus_unpinned(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    argv = ["batch", "--items", "8", "--concurrency", "2", "--rounds", "1", "--latency", "0"]
    assert main([*argv, "--modes", "sync", "--no-pin", "--json", str(path)]) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["settings"]["pin"] is False


FAKE_VALGRIND = """\
#!{python}
# Runs the program valgrind was asked to run, then reports a made-up count that
# grows by 700 (memos-client) or 800 (raw httpx) instructions a call.
import subprocess, sys
program = [part for part in sys.argv[1:] if not part.startswith("--")]
side, calls = program[-4], int(program[-1])
done = subprocess.run(program, capture_output=True, text=True)
sys.stderr.write(done.stderr)
per_call = 700 if side == "sdk" else 800
sys.stderr.write(f"==1== Collected : {{10_000 + calls * per_call}}\\n")
sys.exit(done.returncode)
"""


def test_instructions_counts_each_side_per_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "valgrind"
    fake.write_text(FAKE_VALGRIND.format(python=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("BENCH_VALGRIND", str(fake))
    path = tmp_path / "instructions.json"
    argv = ["instructions", "--calls", "2", "--ops", "get_status", "--modes", "sync,async"]
    assert main([*argv, "--json", str(path)]) == 0
    rows = json.loads(path.read_text(encoding="utf-8"))["instructions"]
    assert [(row["operation"], row["mode"]) for row in rows] == [
        ("get_status", "sync"),
        ("get_status", "async"),
    ]
    for row in rows:
        assert row["sdk_instructions_per_call"] == 700
        assert row["raw_instructions_per_call"] == 800
        assert row["ratio"] == 0.875
    assert "0.875" in capsys.readouterr().out


def test_instructions_without_valgrind_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BENCH_VALGRIND", raising=False)
    monkeypatch.setenv("PATH", "")
    assert main(["instructions", "--calls", "1"]) == 2
    assert "apt install valgrind" in capsys.readouterr().err


def test_plot_shows_the_cold_start_floor_beside_the_cold_start(tmp_path: Path) -> None:
    from benchmarks._plot import _bars

    figures = {"ratio": 1.9, "floor_ratio": 1.6, "in_app_ratio": 1.5, "target_ratio": 1.3}
    (tmp_path / "coldstart.json").write_text(json.dumps({"coldstart": figures}), encoding="utf-8")
    assert _bars(tmp_path) == [
        ("cold start", 1.9, 1.3, True),
        ("cold start floor:\nhttpx + pydantic", 1.6, 1.3, True),
        ("cold start, in an app\nalready using pydantic", 1.5, 1.3, True),
    ]


@pytest.mark.parametrize("pin", [True, False])
def test_inprocess_times_both_sides_on_a_mock_transport(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pin: bool
) -> None:
    path = tmp_path / "inprocess.json"
    argv = ["inprocess", "--calls", "3", "--rounds", "2", "--warmup", "1", "--json", str(path)]
    # Unpinned, the run also evicts the caches before each answer, as a round trip does.
    assert main([*argv] if pin else [*argv, "--no-pin", "--modes", "async", "--evict", "1"]) == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["settings"]["pin"] is pin and document["settings"]["warmup"] == 1
    assert document["settings"]["evict_mb"] == (0 if pin else 1)
    rows = document["inprocess"]
    modes = ("sync", "async") if pin else ("async",)
    assert [(row["operation"], row["mode"]) for row in rows] == [
        (operation, mode) for mode in modes for operation in ("search", "add", "get_status")
    ]
    for row in rows:
        assert _positive(row["sdk_us_per_call"]) and _positive(row["raw_us_per_call"])
        assert _positive(row["ratio"]) and isinstance(row["extra_us_per_call"], float)
        assert _positive(row["httpx_pydantic_us_per_call"])
        assert isinstance(row["floor_extra_us_per_call"], float)
    printed = capsys.readouterr().out
    assert "mock transport" in printed and "httpx+pydantic" in printed
    assert ("1 MB written before each answer" in printed) is not pin


def test_eviction_writes_every_cache_line_before_each_answer() -> None:
    from benchmarks._instructions import CACHE_LINE, _evicting

    buffer = bytearray(8 * CACHE_LINE)
    buffer[::CACHE_LINE] = b"\x01" * 8
    answer = _evicting(buffer)
    response = answer(httpx.Request("POST", "http://127.0.0.1:9/api/openmem/v1/get/status"))
    assert response.status_code == 200 and response.json()["code"] == 0
    assert buffer[::CACHE_LINE] == bytes(8)
