"""Bad input fails fast with InvalidRequestError naming the field, and sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import respx

from memos_client import AsyncMemOS, InvalidRequestError
from tests.helpers import MESSAGES

Call = Callable[[AsyncMemOS], Any]  # a coroutine on the async client
LONG = "u" * 101

CASES: list[tuple[str, Call, str]] = [
    ("empty messages", lambda c: c.add([], user_id="u1"), "messages"),
    ("messages as text", lambda c: c.add("hi", user_id="u1"), "messages"),  # type: ignore[arg-type]
    ("missing subject on add", lambda c: c.add(MESSAGES), "user_id"),
    ("long user_id", lambda c: c.add(MESSAGES, user_id=LONG), "user_id"),
    (
        "long conversation_id",
        lambda c: c.add(MESSAGES, user_id="u", conversation_id=LONG),
        "conversation_id",
    ),
    (
        "function role",
        lambda c: c.add([{"role": "function", "content": "x"}], user_id="u"),  # type: ignore[misc, list-item]
        "messages[0].role",
    ),
    ("missing subject on search", lambda c: c.search("q"), "user_id"),
    ("doubled subject on search", lambda c: c.search("q", user_id="u", agent_id="a"), "agent_id"),
    ("empty query", lambda c: c.search("", user_id="u"), "query"),
    (
        "limit too high",
        lambda c: c.search("q", user_id="u", memory_limit_number=26),
        "memory_limit_number",
    ),
    ("relativity too high", lambda c: c.search("q", user_id="u", relativity=2), "relativity"),
    ("empty task id", lambda c: c.get_status(""), "task_id"),
    ("bad per-call timeout", lambda c: c.get_status("t1", timeout=-1), "timeout"),
    ("extra_body not a dict", lambda c: c.get_status("t1", extra_body=[1]), "extra_body"),  # type: ignore[arg-type]
    ("extra_headers not a dict", lambda c: c.get_status("t1", extra_headers="x"), "extra_headers"),  # type: ignore[arg-type]
    ("bad concurrency", lambda c: c.wait_all(["t1"], concurrency=0), "concurrency"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("label", "call", "field"), CASES)
async def test_bad_input_sends_nothing(
    client: AsyncMemOS, router: respx.MockRouter, label: str, call: Call, field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await call(client)
    assert caught.value.field == field, label
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_task_handle_needs_an_id(client: AsyncMemOS) -> None:
    with pytest.raises(InvalidRequestError, match="task"):
        client.task("")


@pytest.mark.anyio
async def test_with_options_validates(client: AsyncMemOS) -> None:
    with pytest.raises(InvalidRequestError, match="max_retries"):
        client.with_options(max_retries=-1)
    with pytest.raises(InvalidRequestError, match="timeout"):
        client.with_options(timeout=0)
