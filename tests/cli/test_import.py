"""`memos import FILE.jsonl`: items through add_many, a journal that resumes, bad lines
named by number before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

from memos_client.testing import Fault

from .conftest import Run, Served


def item(key: str, text: str, **fields: object) -> str:
    turn = {"role": "user", "content": text}
    return json.dumps({"messages": [turn], "user_id": "importer", "id": key, **fields})


def test_import_resumes_from_its_journal(memos: Run, cli: Run, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    journal = tmp_path / "import.sqlite"
    history.write_text(item("a", "I like jazz") + "\n\n" + item("b", "I play chess") + "\n")
    first = memos("import", str(history), "--journal", str(journal), "--concurrency", "2")
    assert first.code == 0, first.err
    assert "submitted │ 2" in first.out

    with history.open("a") as more:
        more.write(item("c", "I run on Sundays", conversation_id="c9", tags=["sport"]) + "\n")
    again = cli("import", str(history), "--journal", str(journal), "--wait", "--json")
    assert again.code == 0, again.err
    summary = json.loads(again.out)
    assert (summary["read"], summary["skipped"], summary["submitted"]) == (3, 2, 1)
    assert summary["errors"] == [] and all(summary["tasks"])


def test_a_bad_line_is_named_and_nothing_is_sent(cli: Run, served: Served, tmp_path: Path) -> None:
    sent = served.fake.stats.received.get("add/message", 0)
    history = tmp_path / "bad.jsonl"
    lines = [item("a", "fine"), "", '{"messages": [], "usr_id": "u1"}']
    history.write_text("\n".join(lines) + "\n")
    typo = cli("import", str(history))
    assert typo.code == 2 and "line 3: unknown field 'usr_id'; did you mean 'user_id'?" in typo.err
    history.write_text(item("a", "fine") + "\n{not json\n")
    assert "line 2: not JSON" in cli("import", str(history)).err
    history.write_text('["a list"]\n{"user_id": "u1"}\n')
    assert "line 1: expected a JSON object" in cli("import", str(history)).err
    history.write_text('{"user_id": "u1"}\n')
    assert '"messages" must be a list' in cli("import", str(history)).err
    assert cli("import", str(tmp_path / "missing.jsonl")).code == 2
    # what add itself refuses before sending is found in the first pass too
    history.write_text(item("a", "fine") + '\n{"messages": [{"role": "user", "content": "hi"}]}\n')
    no_owner = cli("import", str(history))
    assert no_owner.code == 2 and "line 2: user_id: is required" in no_owner.err
    history.write_text(item("a", "fine") + "\n" + item("b", "x", tags="sport") + "\n")
    assert "line 2: tags:" in cli("import", str(history)).err
    assert served.fake.stats.received.get("add/message", 0) == sent


def test_failed_items_set_the_exit_code(cli: Run, served: Served, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    history.write_text(item("q1", "one") + "\n" + item("q2", "two") + "\n")
    served.fake.inject(Fault.business_error(40301, "quota exhausted"), endpoint="add/message")
    stopped = cli("import", str(history))
    assert stopped.code == 5
    assert "QuotaExceededError" in stopped.out and "stopped" in stopped.out
