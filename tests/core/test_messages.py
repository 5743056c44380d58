"""Message validation: what users get wrong, caught before a round trip."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import InvalidRequestError
from memos_client._core._messages import check_messages

TOOL_CALL = {
    "id": "call_123",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"location": "Beijing"}'},
}
GOOD = [
    {"role": "user", "content": "I am studying MemOS.", "chat_time": "2025-09-12 08:00:00"},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "Look at this"},
            {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
            {"type": "file", "file": {"file_data": "https://x.test/MemOS.pdf"}},
        ],
    },
    {"role": "assistant", "tool_calls": [TOOL_CALL]},
    {"role": "tool", "tool_call_id": "call_123", "content": '{"temperature": "7C"}'},
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "hi all", "role_id": "u2", "role_name": "Bob"},
]


def test_valid_messages_pass_through_unchanged() -> None:
    assert check_messages(GOOD) == GOOD


def test_a_tuple_of_messages_is_accepted() -> None:
    assert check_messages(tuple(GOOD[:1])) == GOOD[:1]


@pytest.mark.parametrize(
    ("messages", "field", "hint"),
    [
        ([], "messages", "is empty"),
        ("hello", "messages", "must be a list"),
        ({"role": "user"}, "messages", "must be a list"),
        (["hello"], "messages[0]", "must be a dict"),
        ([{"content": "hi"}], "messages[0].role", "must be one of"),
        ([{"role": "User", "content": "hi"}], "messages[0].role", "must be one of"),
        ([{"role": "function", "content": "x"}], "messages[0].role", "role='tool'"),
        ([{"role": "user"}], "messages[0].content", "is empty"),
        ([{"role": "user", "content": ""}], "messages[0].content", "is empty"),
        ([{"role": "assistant", "content": []}], "messages[0].content", "is empty"),
        ([{"role": "user", "content": 42}], "messages[0].content", "string or a list"),
        ([{"role": "user", "content": ["hi"]}], "messages[0].content[0]", "must be a dict"),
        (
            [{"role": "user", "content": [{"type": "audio", "audio": {}}]}],
            "messages[0].content[0].type",
            "must be one of",
        ),
        (
            [{"role": "user", "content": [{"type": "text", "text": 1}]}],
            "messages[0].content[0].text",
            "must be a string",
        ),
        (
            [{"role": "user", "content": [{"type": "image_url", "image_url": "https://x"}]}],
            "messages[0].content[0].image_url",
            "'url'",
        ),
        (
            [{"role": "user", "content": [{"type": "file", "file": {"url": "x"}}]}],
            "messages[0].content[0].file",
            "'file_data'",
        ),
        ([{"role": "tool", "content": "22C"}], "messages[0].tool_call_id", "is required"),
        (
            [
                {
                    "role": "assistant",
                    "tool_calls": [{**TOOL_CALL, "function": {"name": "f", "arguments": {"a": 1}}}],
                }
            ],
            "messages[0].tool_calls[0].function.arguments",
            "json.dumps",
        ),
        (
            [{"role": "assistant", "tool_calls": [{"id": "x"}]}],
            "messages[0].tool_calls[0]",
            "'function'",
        ),
        (
            [{"role": "assistant", "content": "x", "tool_calls": "f"}],
            "messages[0].tool_calls",
            "list",
        ),
        (
            [{"role": "user", "content": "x", "chat_time": 1700000000}],
            "messages[0].chat_time",
            "string",
        ),
        ([GOOD[0], {"role": "bot", "content": "x"}], "messages[1].role", "must be one of"),
    ],
)
def test_bad_messages_name_the_field_and_the_fix(messages: object, field: str, hint: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        check_messages(messages)
    assert caught.value.field == field
    assert hint in str(caught.value)


@pytest.mark.parametrize(
    "name", ["chat_time", "role_name", "role_id", "tool_calls", "tool_call_id"]
)
def test_none_in_a_message_means_absent(name: str) -> None:
    [sent] = check_messages([{"role": "user", "content": "x", name: None}])
    assert sent == {"role": "user", "content": "x"}


def test_none_in_a_content_part_means_absent() -> None:
    parts = [{"type": "text", "text": "hi", "detail": None}]
    [sent] = check_messages([{"role": "user", "content": parts}])
    assert sent["content"] == [{"type": "text", "text": "hi"}]


def test_a_message_without_none_is_passed_through_as_is() -> None:
    message = {"role": "user", "content": "x", "chat_time": "2026-01-01"}
    assert check_messages([message])[0] is message


@pytest.mark.parametrize(
    ("message", "text"),
    [
        (
            {"role": "usr", "contnt": "hi"},
            "messages[0]: unknown key 'contnt'; did you mean 'content'?",
        ),
        ({"rol": "user", "content": "x"}, "unknown key 'rol'; did you mean 'role'?"),
        ({"role": "user", "content": "x", "chat_tim": "now"}, "did you mean 'chat_time'?"),
        ({"role": "tool", "content": "x", "tool_call": "c1"}, "did you mean"),
    ],
)
def test_a_misspelt_key_is_named_with_the_fix(message: dict[str, Any], text: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        check_messages([message])
    assert text in str(caught.value) and caught.value.field == "messages[0]"


def test_an_unrelated_extra_key_passes_through_for_fields_memos_adds_later() -> None:
    message = {"role": "user", "content": "x", "metadata": {"client": "web"}}
    assert check_messages([message]) == [message]
