"""Each documented exit code, from the error class that ends with it; the table in
`memos --help` and in docs/cli.md is the one in code."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from memos_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InDoubtError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TaskTimeoutError,
    UsageError,
)
from memos_client.cli._exits import EXIT_CODES, exit_code_for, help_table, markdown_table
from memos_client.cli._parser import COMMANDS, help_width
from memos_client.testing import FakeMemOS, Fault

from .conftest import ROOT, Run, Served, environment

DOCS = ROOT / "docs" / "cli.md"


def test_the_table_names_every_code_once() -> None:
    assert [row.code for row in EXIT_CODES] == list(range(8))
    samples = {
        ConfigurationError("x"): 2,
        InvalidRequestError("x"): 2,
        BadRequestError("x"): 2,
        AuthenticationError("x"): 3,
        NotFoundError("x"): 4,
        RateLimitError("x"): 5,
        QuotaExceededError("x"): 5,
        ServerError("x"): 6,
        APIConnectionError("x"): 6,
        TaskFailedError("x", task_id="t"): 7,
        TaskTimeoutError("x", task_id="t"): 7,
        InDoubtError("x"): 1,
        UsageError("x"): 1,
    }
    assert {type(error).__name__: exit_code_for(error) for error in samples} == {
        type(error).__name__: code for error, code in samples.items()
    }


def test_help_and_docs_show_the_table(cli: Run) -> None:
    shown = cli("--help")
    assert shown.code == 0
    assert help_table(help_width()) in shown.out and "Exit codes:" in shown.out
    page = DOCS.read_text(encoding="utf-8")
    section = page.split("## Exit codes", 1)[1]
    assert markdown_table() in section
    for name, _, _ in COMMANDS:  # each command has a section and an example
        assert f"### {name}\n" in page and f"\nmemos {name} " in page, name


def test_success_and_usage(cli: Run) -> None:
    assert cli("search", "tea", "--user-id", "u1").code == 0
    missing = cli("search", "tea")  # the SDK refuses it before sending
    assert missing.code == 2
    assert missing.err.startswith("memos: error: --user-id") and missing.err.count("\n") == 1
    assert cli("search", "tea", "--user-id", "u1", "--no-such-option").code == 2
    assert cli("add", "--user-id", "u1").code == 2  # no messages
    assert "--message" in cli("add", "--user-id", "u1").err
    assert cli("search", "tea", "--user-id", "u1", "--filter", "{oops").code == 2
    assert cli().code == 2  # no command: the help, on stderr
    refused = cli("search", "tea", "--user-id", "u1", "--base-url", "http://memos.example/api")
    assert refused.code == 2 and "http://" in refused.err


def test_authentication_as_a_subprocess(memos: Run, tmp_path: Path) -> None:
    fake = FakeMemOS(api_keys=["the-right-key-123"], refine_delay=0)
    with fake.serve() as url:
        key_file = tmp_path / "key"
        key_file.write_text("the-wrong-key-456\n")
        refused = memos("search", "tea", "--user-id", "u1", "--api-key-file", str(key_file),
                        env=environment(url))  # fmt: skip
        key_file.write_text("the-right-key-123\n")
        accepted = memos("search", "tea", "--user-id", "u1", "--api-key-file", str(key_file),
                         "--json", env=environment(url, key="the-wrong-key-456"))  # fmt: skip
    assert refused.code == 3, refused.err
    assert refused.err.startswith("memos: error:") and "Traceback" not in refused.err
    assert "the-wrong-key-456" not in refused.err + refused.out
    assert accepted.code == 0 and "memory_detail_list" in json.loads(accepted.out)


def test_a_missing_key_or_key_file_is_a_usage_error(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert cli("search", "tea", "--user-id", "u1", "--api-key-file", str(tmp_path / "no")).code == 2
    monkeypatch.delenv("MEMOS_API_KEY")
    no_key = cli("search", "tea", "--user-id", "u1")
    assert no_key.code == 2 and "MEMOS_API_KEY" in no_key.err


def test_not_found(cli: Run) -> None:
    assert cli("status", "no-such-task").code == 4
    assert cli("memories", "get", "no-such-memory").code == 4


def test_rate_limit_and_quota(cli: Run, served: Served) -> None:
    quota_fault = Fault.business_error(40301, "token quota exhausted")
    served.fake.inject(quota_fault, endpoint="add/message", times=1)
    quota = cli("add", "-m", "hello", "--user-id", "u1")
    assert quota.code == 5 and "quota" in quota.err
    served.fake.inject(Fault.rate_limit(retry_after=0), endpoint="add/message")
    limited = cli("add", "-m", "hello", "--user-id", "u1")
    assert limited.code == 5 and "40300" in limited.err


def test_server_and_connection(cli: Run, served: Served) -> None:
    served.fake.inject(Fault.server_error(503), endpoint="add/message")
    failed = cli("add", "-m", "hello", "--user-id", "u1")
    assert failed.code == 6 and "503" in failed.err


def test_task_failed_or_timed_out(cli: Run, served: Served) -> None:
    served.fake.inject(Fault.task_fails(), endpoint="add/message")
    failed = cli("add", "-m", "hello", "--user-id", "u1", "--wait")
    assert failed.code == 7 and "failed" in failed.err
    served.fake.inject(Fault.task_never_finishes(), endpoint="add/message")
    task = json.loads(cli("add", "-m", "hello", "--user-id", "u1", "--json").out)["task_id"]
    late = cli("wait", task, "--timeout", "0")
    assert late.code == 7 and re.search(r"time|still running", late.err)


def test_without_rich_a_one_line_message(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    ran = cli("search", "tea", "--user-id", "u1")
    assert ran.code == 2
    assert ran.err == "memos needs rich for its output: pip install 'memos-client[cli]'\n"
