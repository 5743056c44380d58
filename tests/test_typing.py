"""What a type checker enforces, checked by mypy itself in `scripts/check`.

Each `# type: ignore[...]` below marks a line that must NOT type-check: mypy runs
with `warn_unused_ignores`, so if the SDK's types ever accepted such a line, the
ignore would go unused and the check would fail. The same calls are refused at run
time too, before anything is sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from memos_client import InvalidRequestError, MemOS
from memos_client.types import MessageParam


def test_misspelt_messages_fail_the_type_checker_and_the_run(memos: MemOS) -> None:
    with pytest.raises(InvalidRequestError, match="did you mean 'content'"):
        memos.add([{"role": "usr", "contnt": "hi"}], user_id="u1")  # type: ignore[list-item]
    with pytest.raises(InvalidRequestError, match="tool_call_id"):
        memos.add([{"role": "tool", "content": "42"}], user_id="u1")  # type: ignore[misc, list-item]


def test_misspelt_or_mistyped_keywords_fail_the_type_checker_and_the_run(memos: MemOS) -> None:
    with pytest.raises(TypeError, match="did you mean 'user_id'"):
        memos.search("where?", user="u1")  # type: ignore[call-arg]
    with pytest.raises(InvalidRequestError, match="memory_limit_number: must be an int"):
        memos.search("where?", user_id="u1", memory_limit_number="5")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="user_id: is required"):
        memos.messages.list(conversation_id="c1")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="extra_body"):
        memos.memories.get("m1", extra_body={"x": 1})  # type: ignore[call-arg]


def test_well_formed_messages_of_every_kind_type_check(memos: MemOS) -> None:
    turns: list[MessageParam] = [
        {"role": "user", "content": "I'm flying to Chengdu in May.", "chat_time": "2026-05-01"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "this"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            ],
        },
        {
            "role": "user",
            "content": [{"type": "file", "file": {"file_data": "https://example.com/a.pdf"}}],
        },
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ]
    assert memos.add(turns, user_id="u1").trackable


def test_wait_returns_a_status_typed_as_final(memos: MemOS) -> None:
    from typing import Literal

    from memos_client.types import CompletedTaskStatus

    task = memos.add([{"role": "user", "content": "I run daily"}], user_id="u1")
    final = task.wait()
    done: Literal["completed"] = final.status  # the type says it is final
    assert done == "completed" and isinstance(final, CompletedTaskStatus)
    assert task.last_status is final


def test_a_file_handle_wait_returns_a_record_typed_as_final(memos: MemOS, tmp_path: Path) -> None:
    from typing import Literal

    from memos_client.types import CompletedKnowledgeBaseFile

    notes = tmp_path / "notes.md"
    notes.write_text("Guangzhou is famous for dim sum.")
    kb = memos.knowledgebases.create("travel")
    [handle] = memos.knowledgebases.files.add(kb.id, [notes])
    final = handle.wait()
    done: Literal["completed"] = final.status
    assert done == "completed" and isinstance(final, CompletedKnowledgeBaseFile)
