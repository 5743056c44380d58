"""What a person sees in an 80-column terminal: help, tables, and errors that advise
the command's own options."""

from __future__ import annotations

import argparse
import io
import json
import re
from typing import Any

import pytest
from rich.console import Console

from memos_client import InvalidRequestError, TaskTimeoutError
from memos_client.cli import _output as out
from memos_client.cli._errors import describe
from memos_client.types import FactMemory, ProfileTemplate

from .conftest import Run

COMMAND_PATHS = [
    [],
    *([name] for name in ("add", "search", "status", "wait", "chat", "messages", "feedback")),
    *([name] for name in ("extract", "rerank", "import", "emulator", "doctor")),
    *(["memories", name] for name in ("list", "get", "update", "delete")),
    *(["kb", name] for name in ("create", "upload", "files", "delete")),
    *(["profiles", name] for name in ("edit", "delete")),
    *(["profiles", "templates", name] for name in ("list", "get", "create", "update")),
    ["profiles", "templates", "delete"],
    ["profiles", "templates", "bind"],
]


@pytest.fixture
def narrow(cli: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("COLUMNS", "80")
    return cli


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "memos")
def test_every_help_fits_80_columns(narrow: Run, path: list[str]) -> None:
    shown = narrow(*path, "--help")
    assert shown.code == 0 and "usage: memos" in shown.out
    assert widest(shown.out) <= 80, shown.out


SHARED_OPTIONS = ["--json", "--api-key-file", "--base-url", "--region"]


@pytest.mark.parametrize("path", COMMAND_PATHS[1:], ids=" ".join)
def test_a_commands_own_options_come_before_the_shared_ones(narrow: Run, path: list[str]) -> None:
    shown = narrow(*path, "--help").out
    headings = [line for line in shown.splitlines() if re.fullmatch(r"[a-z][^:]*:", line)]
    shared = headings.index("connection and output:")
    assert not [heading for heading in headings[shared:] if heading.startswith("fields of")]
    usage = shown.split("\n\n", 1)[0]
    assert re.findall(r"\[(--[\w-]+)", usage)[-len(SHARED_OPTIONS) :] == SHARED_OPTIONS, usage


def test_help_keeps_examples_whole_and_the_exit_table_aligned(narrow: Run) -> None:
    table = narrow("--help").out.split("Exit codes:\n", 1)[1]
    assert (
        "  1  another failure: items in doubt or failed in an import, a doctor check\n     that"
        in table
    )
    example = narrow("add", "--help").out.split("example:\n", 1)[1]
    assert example.startswith("  memos add -m 'I moved to Lisbon in May' --user-id u1 \\\n    --")


def test_tables_fit_80_columns(narrow: Run) -> None:
    diary = "I keep a long diary about walking the Camino from Porto to Santiago in twelve days"
    added = narrow("add", "-m", diary, "--user-id", "narrow", "--wait")
    assert added.code == 0, added.err
    for args in (
        ("search", "Camino", "--user-id", "narrow"),
        ("memories", "list", "--user-id", "narrow"),
    ):
        shown = narrow(*args)
        assert shown.code == 0 and widest(shown.out) <= 80, shown.out
    page = narrow("memories", "list", "--user-id", "narrow").out
    assert "score" not in page  # a page has no relevance, and no column for it
    memory_id = json.loads(narrow("memories", "list", "--user-id", "narrow", "--json").out)[
        "memory_detail_list"
    ][0]["id"]
    assert memory_id in page  # whole, beneath its text


def render(table: Any) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def test_fields_show_dates_and_nested_fields() -> None:
    template = ProfileTemplate.model_validate(
        {"create_time": 1796014834444, "name": "Basics", "metadata": {"basic": {"job": {}}}}
    )
    text = render(out.fields("template", template))
    assert re.search(r"create_time +│ 2026-11-30 05:00 UTC", text) and "1796014834444" not in text
    assert re.search(r"metadata.basic +│ \{\"job\": \{\}\}", text)


def test_kinds_and_empty_tables() -> None:
    transcript = FactMemory.model_validate(
        {"memory_value": "user: hi", "memory_type": "WorkingMemory"}
    )
    fact = FactMemory.model_validate({"memory_value": "Likes tea", "memory_type": "UserMemory"})
    assert (out.kind(transcript), out.kind(fact)) == ("Working", "Fact")
    assert "(none)" in render(out.table("messages", ("role", "content"), []))


def args_of(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**values)


def test_errors_advise_the_commands_options() -> None:
    search = args_of(**{"field:user_id": None, "field:agent_id": None, "arg:query": "q"})
    missing = InvalidRequestError(
        "user_id: is required: pass user_id=... (or agent_id=... for agent memory)",
        field="user_id",
    )
    assert describe(missing, search) == (
        "--user-id: is required: pass --user-id ... (or --agent-id ... for agent memory)"
    )
    update = args_of(**{f"field:{name}": None for name in ("content", "title", "status")})
    nothing = InvalidRequestError(
        "content: nothing to change: pass content=, title= and/or status="
    )
    assert describe(nothing, update).endswith("pass --content, --title and/or --status")
    # names that are not the command's options stay as written (an import file's fields)
    item = InvalidRequestError("f.jsonl line 2: user_id: is required: pass user_id=...")
    assert describe(item, args_of(concurrency=4)) == str(item)
    assert describe(InvalidRequestError("concurrency: is 0"), args_of(concurrency=0)) == (
        "--concurrency: is 0"
    )
    late = TaskTimeoutError(
        "task 't1' is still running after 1.0 s; it is not cancelled on the server: wait again "
        "later with client.task(handle).wait()",
        task_id="t1",
    )
    assert describe(late, args_of()).endswith("wait again later with `memos wait t1`")


def test_a_missing_key_says_how_to_set_it(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("MEMOS_API_KEY")
    ran = cli("search", "tea", "--user-id", "u1")
    assert ran.code == 2
    assert (
        "set MEMOS_API_KEY, or pass --api-key-file PATH" in ran.err and "memos emulator" in ran.err
    )
    assert "MemOS(api_key" not in ran.err
    empty = tmp_path / "key"
    empty.write_text("\n")
    ran = cli("search", "tea", "--user-id", "u1", "--api-key-file", str(empty))
    assert ran.code == 2 and f"--api-key-file {empty} is empty" in ran.err
