"""Every `memos` command, run as a subprocess against the served emulator at least once
(its output and exit status), and the rest of each family in process."""

from __future__ import annotations

import json
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from memos_client import AuthenticationError, MemOS

from .conftest import KEY, ROOT, Run, Served

STARTUP_TIMEOUT = 15.0


def test_add_status_wait_search(memos: Run) -> None:
    added = memos("add", "-m", "I adopted a greyhound named Biscuit", "--user-id", "u1",
                  "--conversation-id", "c1", "--json")  # fmt: skip
    assert added.code == 0, added.err
    task = json.loads(added.out)
    assert task["status"] == "running" and task["task_id"]

    status = memos("status", task["task_id"])
    assert status.code == 0 and task["task_id"] in status.out

    waited = memos("wait", task["task_id"], "--timeout", "30")
    assert waited.code == 0, waited.err
    assert re.search(rf"{task['task_id']}\s*│\s*completed", waited.out)

    found = memos("search", "What is the name of my greyhound?", "--user-id", "u1")
    assert found.code == 0 and "Biscuit" in found.out and "│ Fact " in found.out
    assert re.search(r"│\s+[0-9a-f-]{36}\s+│", found.out)  # the id whole, beneath the text


def test_memories_messages_feedback(memos: Run, cli: Run) -> None:
    assert cli("add", "-m", "I live in Lisbon", "--user-id", "u2", "--conversation-id", "c2",
               "--wait").code == 0  # fmt: skip
    listed = memos("memories", "list", "--user-id", "u2", "--json")
    assert listed.code == 0
    page = json.loads(listed.out)
    memory_id = page["memory_detail_list"][0]["id"]
    assert page["current"] == 1

    got = cli("memories", "get", memory_id)
    assert got.code == 0 and "Lisbon" in got.out
    updated = cli("memories", "update", memory_id, "--content", "The user lives in Porto.")
    assert updated.code == 0 and "True" in updated.out
    assert "Porto" in json.loads(cli("memories", "get", memory_id, "--json").out)["memory"]

    messages = memos("messages", "--user-id", "u2", "--conversation-id", "c2")
    assert messages.code == 0 and "I live in Lisbon" in messages.out

    feedback = memos("feedback", "The user moved to Madrid", "--user-id", "u2", "--wait")
    assert feedback.code == 0 and "completed" in feedback.out

    deleted = cli("memories", "delete", "--memory-ids", memory_id, "--json")
    assert json.loads(deleted.out) == {"success": True}
    assert cli("memories", "get", memory_id).code == 4


def test_chat_streams_the_answer(memos: Run, cli: Run, served: Served) -> None:
    cli("add", "-m", "I love green tea", "--user-id", "u3", "--async-mode")
    chat = memos("chat", "What do I drink?", "--user-id", "u3", "--conversation-id", "c3")
    assert chat.code == 0 and "tea" in chat.out
    reasoned = cli("chat", "What do I drink?", "--user-id", "u3", "--conversation-id", "c3",
                   "--reasoning")  # fmt: skip
    assert reasoned.err.startswith("Recalled") and reasoned.err.endswith(".\n")  # its own line
    assert reasoned.out.startswith("Here is what I remember")
    whole = cli("chat", "What do I drink?", "--user-id", "u3", "--conversation-id", "c3",
                "--no-add-message-on-answer", "--json")  # fmt: skip
    assert "tea" in json.loads(whole.out)["response"]
    sent = served.fake.requests[-1].body
    assert sent["stream"] is True and sent["add_message_on_answer"] is False


def test_extract_and_rerank(memos: Run, cli: Run) -> None:
    extracted = memos(
        "extract", "-m", "I am vegetarian and live in Porto", "--extraction-types", "memory"
    )
    assert extracted.code == 0 and "vegetarian" in extracted.out
    ranked = memos("rerank", "tea", "The bus was late", "I drink green tea", "--top-n", "1")
    assert ranked.code == 0 and "I drink green tea" in ranked.out
    assert "bus" not in ranked.out
    turns = '[{"role": "user", "content": "I am vegetarian and live in Porto"}]'
    both = cli("extract", "--messages-json", turns, "--json")
    assert json.loads(both.out)["memory_detail_list"]


def test_knowledge_bases(memos: Run, cli: Run, served: Served, tmp_path: Path) -> None:
    created = memos("kb", "create", "FAQ", "--knowledgebase-description", "answers", "--json")
    assert created.code == 0, created.err
    kb_id = json.loads(created.out)["id"]
    doc = tmp_path / "faq.md"
    doc.write_text("# FAQ\n\nGreen tea is served all day.\n")
    guide = "https://example.com/guide.md"
    served.fake.register_url(guide, "# Guide\n\nOpen from nine.\n")
    # a path and a URL go in two calls (multipart, then JSON), as the docs' example does
    uploaded = cli("kb", "upload", kb_id, str(doc), guide, "--wait", "--json")
    assert uploaded.code == 0, uploaded.err
    record, remote = json.loads(uploaded.out)
    assert record["status"] == "completed" and record["name"] == "faq.md"
    assert remote["status"] == "completed" and remote["name"] == "guide.md"
    files = cli("kb", "files", kb_id)
    assert files.code == 0 and record["id"] in files.out
    assert json.loads(cli("kb", "delete", kb_id, "--json").out) == {"success": True}


def test_profiles(memos: Run, cli: Run) -> None:
    tree = '{"basic": {"job": {"value": "", "algorithm_updatable": true}}}'
    created = cli("profiles", "templates", "create", "Basics", tree, "--json")
    assert created.code == 0, created.err
    template = json.loads(created.out)["profile_template_id"]
    listed = memos("profiles", "templates", "list")
    assert listed.code == 0 and template in listed.out and "Basics" in listed.out
    binding = json.dumps([{"user_id": "u4", "profile_template_id": template}])
    assert cli("profiles", "templates", "bind", binding).code == 0
    assert cli("profiles", "templates", "update", template, "--name", "Work",
               "--metadata", tree).code == 0  # fmt: skip
    assert json.loads(cli("profiles", "templates", "get", template, "--json").out)["name"] == "Work"
    edit = cli("profiles", "edit", template, "--user-id", "u4", "--remove-fields", "basic.job")
    assert edit.code == 0, edit.err
    assert cli("profiles", "delete", template, "--user-id", "u4").code == 0
    deletion = json.loads(cli("profiles", "templates", "delete", template, "--json").out)
    assert deletion["success"] is True


def test_emulator_serves_until_sigterm(served: Served) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "memos_client.cli",
            "emulator",
            "--port",
            "0",
            "--api-key",
            "emu-key-123456",
            "--refine-delay",
            "0",
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
        assert ready, "the emulator printed nothing"
        url = re.search(r"(http://\S+)", process.stdout.readline())
        assert url is not None
        with MemOS(api_key="emu-key-123456", base_url=url.group(1)) as client:
            assert client.memories.list(user_id="nobody").total == 0
        with MemOS(api_key=KEY, base_url=url.group(1)) as stranger:
            with pytest.raises(AuthenticationError):  # it took --api-key
                stranger.memories.list(user_id="nobody")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
        process.communicate()
