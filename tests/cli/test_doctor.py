"""`memos doctor`: what it checks, what it says to fix, and `--conformance`."""

from __future__ import annotations

import argparse
import json
import time
from email.utils import formatdate

import pytest

from memos_client.cli._commands.conformance import Outcome, compare
from memos_client.cli._commands.doctor import Doctor
from memos_client.cli._context import Context
from memos_client.testing import FakeMemOS, Fault

from .conftest import Run, Served

CHECKS = ["API key", "base URL", "TLS", "key accepted", "latency", "clock"]


def test_conformance_of_the_emulator_with_itself(memos: Run) -> None:
    ran = memos("doctor", "--conformance", "--json")
    assert ran.code == 0, ran.out + ran.err
    report = json.loads(ran.out)
    assert [check["check"] for check in report["checks"]] == [*CHECKS, "conformance"]
    assert {check["state"] for check in report["checks"]} == {"ok"}
    conformance = report["conformance"]
    assert conformance["differences"] == []
    service = conformance["service"]
    assert service["add and wait"]["status"] == "completed"
    assert service["search finds it"]["found"] is True
    assert service["unknown memory: not found"]["error"] == "NotFoundError"
    assert service["limit out of range: bad request"]["error"] == "BadRequestError"
    assert service["clean up"] == {"success": True}


def test_doctor_passes_against_the_emulator(cli: Run) -> None:
    ran = cli("doctor")
    assert ran.code == 0
    for check in CHECKS:
        assert check in ran.out
    assert "plain http to 127.0.0.1: allowed only to loopback" in ran.out


def test_a_misbehaving_service_differs(cli: Run, served: Served) -> None:
    served.fake.inject(Fault.task_fails(), endpoint="add/message")
    ran = cli("doctor", "--conformance")
    assert ran.code == 1
    assert "differences" in ran.out and "add and wait" in ran.out and "TaskFailedError" in ran.out
    users = {user for memory in served.fake.memories() for user in memory.scope.user_ids}
    assert not any(user.startswith("memos-doctor-") for user in users)  # cleaned up


def test_a_refused_key_says_where_to_get_one(cli: Run) -> None:
    with FakeMemOS(api_keys=["only-this-key-123"]).serve() as url:
        ran = cli("doctor", "--base-url", url, "--json")
    assert ran.code == 3
    failed = [check for check in json.loads(ran.out)["checks"] if check["state"] == "fail"]
    assert [check["check"] for check in failed] == ["key accepted"]
    assert "memos-dashboard" in failed[0]["fix"]


def test_no_key(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMOS_API_KEY")
    ran = cli("doctor", "--json")
    assert ran.code == 2
    checks = {check["check"]: check for check in json.loads(ran.out)["checks"]}
    assert checks["API key"]["state"] == "fail" and "MEMOS_API_KEY" in checks["API key"]["fix"]
    assert checks["base URL"]["state"] == "ok" and "key accepted" not in checks


def test_unreachable_https(cli: Run) -> None:
    ran = cli("doctor", "--base-url", "https://127.0.0.1:9/api/openmem/v1", "--json")
    assert ran.code == 6
    tls = json.loads(ran.out)["checks"][2]
    assert tls["check"] == "TLS" and tls["state"] == "fail" and "cannot reach" in tls["detail"]


def test_unreachable_emulator_says_what_to_check(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    ran = cli("doctor", "--base-url", "http://127.0.0.1:9/api/openmem/v1")
    assert ran.code == 6
    assert "fix: check the base URL" in ran.out and "memos emulator" in ran.out
    assert max(len(line) for line in ran.out.splitlines()) <= 80  # the fix beneath the detail


def test_insecure_or_bad_urls(cli: Run) -> None:
    ran = cli("doctor", "--base-url", "http://memos.example/api/openmem/v1", "--json")
    assert ran.code == 2
    assert "plain http" in json.loads(ran.out)["checks"][1]["detail"]


def doctor() -> Doctor:
    return Doctor(Context(argparse.Namespace(json=True, api_key_file=None)))


def test_clock_skew() -> None:
    skewed = doctor()
    skewed.recorder.dates = [(formatdate(time.time() + 120, usegmt=True), time.time())]
    skewed.check_clock()
    [finding] = skewed.findings
    assert finding.state == "warn" and "behind the server's" in finding.detail
    assert "NTP" in finding.fix
    silent = doctor()
    silent.check_clock()
    assert silent.findings[0].state == "skip"


def test_compare_lists_the_steps_that_differ() -> None:
    service: dict[str, Outcome] = {"a": {"x": 1}, "b": {"error": "NotFoundError", "code": 40001}}
    emulator: dict[str, Outcome] = {
        "a": {"x": 1},
        "b": {"error": "NotFoundError", "code": 50131},
        "c": {},
    }
    assert compare(service, emulator) == [
        ("b", service["b"], emulator["b"]),
        ("c", None, {}),
    ]
