"""The examples run offline, on the emulator, and print a readable session.

Each runs as a subprocess, as a user would run it (`python examples/NAME.py` with no
MEMOS_* variable), against this checkout's memos_client. The FastAPI service is also
tested in process, on an emulator whose clock the test moves.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

import pytest

from memos_client import AsyncMemOS, UsageError
from memos_client.testing import FakeMemOS, ManualClock

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EMULATOR_LINE = "MEMOS_API_KEY is not set: using the offline MemOS emulator at http://127.0.0.1:"
# Starlette >= 1.10 asks for httpx2 (Python >= 3.11 only) behind its TestClient, and warns
# at import when it finds only httpx, which works as well.
TESTCLIENT_WARNING = "Using `httpx` with `starlette.testclient`"


def run_example(script: str, *args: str, base_url: str | None = None) -> list[str]:
    """Run an example; it must exit 0 with nothing on stderr. Its stdout lines.

    Offline by default (no MEMOS_* variable), so the example serves its own emulator and
    says so first (that line is checked, and left out). With `base_url`, it is given an
    API key and that URL, as a user of MemOS Cloud would be.
    """
    environ = {key: value for key, value in os.environ.items() if not key.startswith("MEMOS_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")])
    if base_url is not None:
        environ.update(MEMOS_API_KEY="a-configured-key", MEMOS_BASE_URL=base_url)
    result = subprocess.run(
        [sys.executable, "-W", f"ignore:{TESTCLIENT_WARNING}", str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    if base_url is not None:
        assert not any(line.startswith(EMULATOR_LINE) for line in lines)
        return lines
    assert lines[0].startswith(EMULATOR_LINE), lines
    return lines[1:]


@pytest.mark.parametrize("script", ["quickstart.py", "quickstart_async.py"])
def test_quickstart_runs_offline(script: str) -> None:
    lines = run_example(script)
    assert lines[0].startswith("1. add: task ") and lines[0].endswith(" is running")
    assert lines[1].startswith("2. search at once: WorkingMemory ['mode:fast']")
    assert lines[2].startswith("3. wait: task completed, ")
    assert lines[3] == "4. search again, refined:"
    assert any("Guangzhou" in line and "UserMemory" in line for line in lines[4:])
    assert any(line.strip().startswith("explicit_preference: ") for line in lines[4:])
    assert lines[-1] == "5. add with async_mode=False: done at once (completed)"


def test_fastapi_service_demo_runs_offline() -> None:
    lines = run_example("fastapi_service.py", "--demo")
    assert lines[0] == "> I'm vegetarian and I live in Hangzhou."
    assert lines[1] == "< [stand-in LLM] I don't know anything about you yet. Tell me more!"
    assert lines[2].startswith("  memories used: 0; stored as task ")
    assert lines[3] == "> Can you suggest vegetarian restaurants in Hangzhou?"
    assert lines[4].startswith("< [stand-in LLM] I remember: ")
    assert "I'm vegetarian and I live in" in lines[4]  # the first turn, found at once
    assert lines[5].startswith("  memories used: 1; stored as task ")


def load_example(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import an example as a module (the examples import their shared setup by name)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module(name)


@pytest.mark.filterwarnings(f"ignore:{TESTCLIENT_WARNING}")
def test_fastapi_service_remembers_across_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    service = load_example("fastapi_service", monkeypatch)
    fake = FakeMemOS(clock=ManualClock())
    opened: list[AsyncMemOS] = []
    prompts: list[tuple[str, str]] = []

    @asynccontextmanager
    async def connect() -> AsyncIterator[AsyncMemOS]:
        async with fake.async_client() as client:
            opened.append(client)
            yield client

    async def answer(prompt: str, question: str) -> str:
        prompts.append((prompt, question))
        return "Noted."

    app = service.create_app(connect=connect, answer=answer)
    turn = {"user_id": "u1", "conversation_id": "dinner"}
    stated = "I'm vegetarian and I live in Hangzhou."
    with TestClient(app) as http:
        assert len(opened) == 1 and app.state.memos is opened[0]  # opened at startup
        first = http.post("/chat", json={**turn, "message": stated})
        assert first.status_code == 200, first.text
        reply = first.json()
        assert (reply["answer"], reply["memories_used"]) == ("Noted.", 0)
        assert fake.tasks[reply["memory_task_id"]].status == "running"  # stored, not waited on

        fake.clock.advance(fake.refine_delay)  # MemOS refines the first turn
        question = "Can you suggest vegetarian restaurants in Hangzhou?"
        second = http.post("/chat", json={**turn, "message": question}).json()
        assert second["memories_used"] >= 1

        assert http.post("/chat", json={**turn, "message": ""}).status_code == 422
    assert prompts[0] == (service.SYSTEM, stated)
    prompt, asked = prompts[1]
    assert asked == question
    assert prompt.startswith(service.SYSTEM + "\n\n## What you remember about the user\n")
    assert "The user is vegetarian and the user lives in Hangzhou." in prompt  # refined
    assert [message.content for message in fake.messages(user_id="u1")] == [
        stated,
        "Noted.",
        question,
        "Noted.",
    ]
    with pytest.raises(UsageError, match="closed"):  # closed at shutdown
        asyncio.run(opened[0].search("anything", user_id="u1"))


def test_agent_loop_runs_offline() -> None:
    lines = run_example("agent_loop.py")
    assert lines[:3] == [
        "user:  My trip next week is to Chengdu, and I love spicy food.",
        "       (memories recalled: 0)",
        "agent: Noted, I'll remember that.",
    ]
    # The city and the cuisine come from memory: the later turns name neither.
    tools = [line.split(" -> ")[0] for line in lines if line.startswith("tool:  ")]
    assert tools == [
        "tool:  get_weather({'city': 'Chengdu'})",
        "tool:  find_restaurants({'city': 'Chengdu', 'cuisine': 'spicy'})",
    ]
    assert "agent: Spicy food in Chengdu: Chen Mapo Tofu, Shujiuxiang Hot Pot." in lines
    refined = lines.index("refinement done: 3 turns, 2 memories added")
    assert lines[refined + 1 :] == [
        "facts learned: 1",
        "  - The user's trip next week is to Chengdu, and the user loves spicy food.",
        "preferences learned: 1",
        "  - The user's trip next week is to Chengdu, and the user loves spicy food.",
        "tool memories learned: 0",
    ]


def test_batch_resume_sends_only_the_rest() -> None:
    assert run_example("batch_resume.py") == [
        "wrote 40 conversations to history.jsonl",
        "run 1: the import died after reading 15 lines: "
        "15 submitted, 0 skipped, 0 failed, 0 in doubt",
        "run 2, same journal: 25 submitted, 15 skipped, 0 failed, 0 in doubt",
        "  sent in all: 15 + 25 = 40 of 40",
        "run 3, same journal: 0 submitted, 40 skipped, 0 failed, 0 in doubt",
    ]


def test_kb_upload_waits_then_searches() -> None:
    lines = run_example("kb_upload.py")
    assert lines[0].startswith("created knowledge base 'Travel guides ")
    assert lines[1:4] == [
        "uploaded guangzhou.md: running",
        "uploaded chengdu.txt: running",
        "processed: guangzhou.md completed, chengdu.txt completed",
    ]
    assert lines[4] == "search with the knowledge base, hits: 1"
    assert "Guangzhou is famous for dim sum" in lines[5]
    assert lines[-1] == "deleted 2 files and the knowledge base"


def test_chat_streaming_prints_events_then_the_plain_answer() -> None:
    lines = run_example("chat_streaming.py")
    question = "What should I pack for my trip to Chengdu?"
    assert lines[0] == f"you: {question}"
    assert lines[1] == f'reasoning: Recalled 2 memories relevant to "{question}".'
    streamed = lines[2].removeprefix("text: ")
    assert lines[2].startswith("text: Here is what I remember about you: ")
    assert "the user always gets cold on planes" in streamed
    assert lines[3] == "[end of stream]"
    assert lines[4] == f"not streamed: {streamed}"  # the same answer, in one piece
    assert len(lines) == 5


@pytest.mark.parametrize("configured", [False, True], ids=["emulator", "configured"])
def test_web_worker_waits_on_pickled_handles_in_another_process(configured: bool) -> None:
    """Offline, and on a service configured by the environment (standing for MemOS Cloud),
    which the spawned worker reaches by itself, from the environment it inherits."""
    fake = FakeMemOS(refine_delay=0.2)
    with fake.serve() as base_url:
        lines = run_example("web_worker.py", base_url=base_url if configured else None)
    assert len(fake.tasks) == (3 if configured else 0)
    assert lines[0].startswith("a handle pickles to ")
    added = [line for line in lines if line.startswith("web: request ")]
    waited = [line for line in lines if line.startswith("worker (pid ")]
    task_ids = [line.split(" as task ")[1].split()[0] for line in added]
    assert len(task_ids) == 3 and all(line.endswith("(running), handed over") for line in added)
    assert [line.split(": task ")[1] for line in waited] == [
        f"{task_id} completed, memories added: 1" for task_id in task_ids
    ]
    worker_pids = {line.split("(pid ")[1].split(")")[0] for line in waited}
    web_pid = lines[-1].rsplit(" ", 1)[1]
    assert lines[-1].startswith("worker stopped (exit code 0); web process is pid ")
    assert len(worker_pids) == 1 and web_pid not in worker_pids
