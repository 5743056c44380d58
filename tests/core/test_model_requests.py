"""Request building for chat, extract/memory and rerank."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import InvalidRequestError
from tests.core.requests import build


def test_chat_sends_every_documented_field() -> None:
    spec = build(
        "chat_stream",
        "Where am I going?",
        user_id="u1",
        conversation_id="c1",
        filter={"and": [{"agent_id": "a"}]},
        knowledgebase_ids=["all"],
        memory_limit_number=9,
        include_preference=True,
        preference_limit_number=3,
        relativity=0.5,
        model_name="qwen3-32b",
        system_prompt="Use {memories}.",
        max_tokens=256,
        temperature=0.2,
        top_p=0.9,
        add_message_on_answer=True,
        app_id="app",
        agent_id="a",
        tags=["t"],
        info={"scene": "chat"},
        allow_public=False,
        allow_knowledgebase_ids=["kb"],
    )
    assert (spec.path, spec.kind) == ("chat", "write")
    assert spec.body == {
        "user_id": "u1",
        "conversation_id": "c1",
        "query": "Where am I going?",
        "stream": True,
        "filter": {"and": [{"agent_id": "a"}]},
        "knowledgebase_ids": ["all"],
        "memory_limit_number": 9,
        "include_preference": True,
        "preference_limit_number": 3,
        "relativity": 0.5,
        "model_name": "qwen3-32b",
        "system_prompt": "Use {memories}.",
        "max_tokens": 256,
        "temperature": 0.2,
        "top_p": 0.9,
        "add_message_on_answer": True,
        "app_id": "app",
        "agent_id": "a",
        "tags": ["t"],
        "info": {"scene": "chat"},
        "allow_public": False,
        "allow_knowledgebase_ids": ["kb"],
    }


@pytest.mark.parametrize(("add", "kind"), [(None, "write"), (True, "write"), (False, "read")])
def test_chat_retries_like_a_read_only_when_it_writes_nothing(add: bool | None, kind: str) -> None:
    spec = build("chat", "q", user_id="u", conversation_id="c", add_message_on_answer=add)
    assert spec.kind == kind


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"temperature": 2.5}, "temperature"),
        ({"top_p": -0.1}, "top_p"),
        ({"top_p": True}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"relativity": 1.2}, "relativity"),
        ({"memory_limit_number": 26}, "memory_limit_number"),
        ({"model_name": ""}, "model_name"),
        ({"tags": "a"}, "tags"),
        ({"info": {"floor": 3}}, "info['floor']"),
        ({"info": {"vip": True}}, "info['vip']"),
        ({"info": {"labels": ["a"]}}, "info['labels']"),
    ],
)
def test_bad_chat_options(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        build("chat", "q", user_id="u", conversation_id="c", **fields)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"query": "", "user_id": "u", "conversation_id": "c"}, "query"),
        ({"query": "q", "user_id": "", "conversation_id": "c"}, "user_id"),
        ({"query": "q", "user_id": "u", "conversation_id": None}, "conversation_id"),
    ],
)
def test_chat_needs_query_user_and_conversation(args: dict[str, Any], field: str) -> None:
    query = args.pop("query")
    with pytest.raises(InvalidRequestError) as caught:
        build("chat", query, **args)
    assert caught.value.field == field


def test_extract_request() -> None:
    spec = build(
        "extract",
        [{"role": "user", "content": "I like tea", "chat_time": "ignored"}],
        extraction_types=["preference"],
        model="memos-extractor-0.6b",
    )
    assert (spec.path, spec.kind) == ("extract/memory", "read")
    assert spec.body == {
        "messages": [{"role": "user", "content": "I like tea"}],
        "extraction_types": ["preference"],
        "model": "memos-extractor-0.6b",
    }


@pytest.mark.parametrize(
    ("messages", "types", "field"),
    [
        ([], None, "messages"),
        ("hi", None, "messages"),
        ([{"role": "tool", "content": "x"}], None, "messages[0].role"),
        (
            [{"role": "user", "content": [{"type": "text", "text": "x"}]}],
            None,
            "messages[0].content",
        ),
        ([{"role": "user", "content": "x"}], ["facts"], "extraction_types[0]"),
    ],
)
def test_bad_extract_arguments(messages: Any, types: Any, field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        build("extract", messages, extraction_types=types, model=None)
    assert caught.value.field == field


def test_rerank_request_accepts_a_bare_answer() -> None:
    spec = build("rerank", "badminton", ["a", "b"], top_n=1, model="memos-reranker-4b")
    assert (spec.path, spec.kind, spec.bare_ok) == ("rerank", "read", True)
    assert spec.body == {
        "query": "badminton",
        "documents": ["a", "b"],
        "top_n": 1,
        "model": "memos-reranker-4b",
    }


@pytest.mark.parametrize(
    ("query", "documents", "top_n", "field"),
    [
        ("", ["a"], None, "query"),
        ("q", [], None, "documents"),
        ("q", "abc", None, "documents"),
        ("q", ["a", 1], None, "documents[1]"),
        ("q", ["a"], 0, "top_n"),
    ],
)
def test_bad_rerank_arguments(query: str, documents: Any, top_n: Any, field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        build("rerank", query, documents, top_n=top_n, model=None)
    assert caught.value.field == field
