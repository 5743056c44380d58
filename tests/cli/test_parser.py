"""The command line itself: options come from the SDK's declarations, `--help` loads
no more than it needs, and the console script points at `main`."""

from __future__ import annotations

import argparse
import inspect
import json
import re
import subprocess
import sys
from typing import Any

import pytest

from memos_client._core._api import ENDPOINTS, Endpoint
from memos_client.cli._fields import add_endpoint, call_arguments, shape_of
from memos_client.cli._parser import COMMANDS, build_parser
from memos_client.types import _fielddocs

from .conftest import ROOT, Run

FAST_HELP = """
import sys
from memos_client.cli import main
code = main(["--help"])
heavy = sorted(name for name in ("httpx", "pydantic", "rich") if name in sys.modules)
print(code, heavy, file=sys.stderr)
"""


def test_help_lists_every_command_and_loads_nothing_heavy() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", FAST_HELP], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert ran.stderr == "0 []\n"
    listed = re.findall(r"^    (\S+) ", ran.stdout, re.MULTILINE)
    assert listed == [name for name, _, _ in COMMANDS]
    assert "Exit codes:" in ran.stdout


def words(name: str, value: Any, shape: str) -> list[str]:
    """The command-line words that give field `name` the value `value`."""
    option = "--" + name.replace("_", "-")
    if shape == "bool":
        return [option if value else "--no-" + option[2:]]
    if shape in ("list", "str_or_list"):
        return [option, *([value] if isinstance(value, str) else value)]
    if shape == "json":
        return [option, json.dumps(value)]
    return [option, str(value)]


@pytest.mark.parametrize("target", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_every_field_is_an_option_for_its_keyword(target: Endpoint) -> None:
    annotations = target.params.__annotations__
    for name, spec in target.fields.items():
        parser = argparse.ArgumentParser()
        add_endpoint(parser, target.name)
        positional = ["x"] * sum(1 for arg in target.args if arg.name not in ("messages",))
        required = [
            word
            for other, field in target.fields.items()
            if field.required and other != name
            for word in words(other, field.check.good, shape_of(annotations[other]))
        ]
        given = words(name, spec.check.good, shape_of(annotations[name]))
        args = parser.parse_args([*positional, *required, *given])
        _, keywords = call_arguments(args, target.name)
        assert keywords[name] == spec.check.good, name


def test_options_carry_the_field_docs() -> None:
    args = build_parser().parse_args(["search", "tea"])  # builds the command on first use
    assert args.run.__name__ == "run_search" and vars(args)["arg:query"] == "tea"
    parser = argparse.ArgumentParser()
    add_endpoint(parser, "search")
    assert "Minimum relevance of a recalled memory" in parser.format_help()


def test_field_docs_without_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_source(module: object) -> str:
        raise OSError("no source")

    _fielddocs._params_classes.cache_clear()
    monkeypatch.setattr(inspect, "getsource", no_source)
    try:
        assert _fielddocs.params_doc("SearchParams", "user_id") == ""
    finally:
        _fielddocs._params_classes.cache_clear()


def test_json_values_from_files_and_errors(cli: Run, tmp_path: Any) -> None:
    tree = tmp_path / "filter.json"
    tree.write_text('{"and": [{"tags": {"contains": "x"}}]}')
    assert cli("search", "tea", "--user-id", "u1", "--filter", f"@{tree}").code == 0
    missing = cli("search", "tea", "--user-id", "u1", "--filter", f"@{tmp_path / 'none'}")
    assert missing.code == 2 and "cannot read" in missing.err


def test_messages_from_json_or_flags(cli: Run) -> None:
    turns = '[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]'
    assert cli("add", "--messages-json", turns, "--user-id", "u5").code == 0
    assert cli("add", "--messages-json", '{"role": "user", "content": "hi"}',
               "--user-id", "u5").code == 0  # fmt: skip
    both = cli("add", "-m", "hi", "--messages-json", turns, "--user-id", "u5")
    assert both.code == 2 and "not both" in both.err
    assert cli("add", "-m", "hi", "--role", "robot", "--user-id", "u5").code == 2


def test_the_console_script_is_main() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^memos = "memos_client\.cli:main"$', pyproject, re.MULTILINE)
