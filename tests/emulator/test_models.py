"""extract/memory (stateless extraction) and rerank (a bare, non-enveloped answer)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import SEED_TURN, code_of, ok

SIMPLE_SEED = [{"role": m["role"], "content": m["content"]} for m in SEED_TURN]


def test_extract_returns_facts_and_preferences_and_stores_nothing(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    data = ok(http, "extract/memory", {"messages": SIMPLE_SEED})
    assert data["success"] is True
    facts = data["memory_detail_list"]
    assert [fact["memory_value"] for fact in facts] == [
        "The user has booked a trip to Guangzhou for the summer vacation.",
        "The user will choose 7 Days Inn.",
    ]
    assert set(facts[0]) == {"memory_key", "memory_value", "memory_type", "tags"}
    assert facts[0]["memory_type"] == "UserMemory"
    assert "Travel" in facts[0]["tags"] and "mode:fine" not in facts[0]["tags"]
    [preference] = data["preference_detail_list"]
    assert set(preference) == {"preference", "reasoning", "preference_type"}
    assert preference["preference_type"] == "implicit_preference"
    assert "Ji Hotel, Hilton" in preference["reasoning"]
    stats = fake.stats
    assert (stats.memories_stored, stats.preferences_stored, stats.messages_stored) == (0, 0, 0)
    assert stats.tasks_created == 0


@pytest.mark.parametrize(
    ("types", "facts", "preferences"),
    [(["memory"], True, False), (["preference"], False, True), (["memory", "preference"], 1, 1)],
)
def test_extraction_types_choose_the_lists(
    http: httpx.Client, types: list[str], facts: bool, preferences: bool
) -> None:
    body = {"messages": [{"role": "user", "content": "I love sushi"}], "extraction_types": types}
    data = ok(http, "extract/memory", body)
    assert bool(data["memory_detail_list"]) is bool(facts)
    assert bool(data["preference_detail_list"]) is bool(preferences)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 40002),
        ({"messages": []}, 40003),
        ({"messages": "hi"}, 40000),
        ({"messages": ["hi"]}, 40000),
        ({"messages": [{"content": "hi"}]}, 40002),
        ({"messages": [{"role": "tool", "content": "hi"}]}, 40000),
        ({"messages": [{"role": "user"}]}, 40002),
        ({"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}, 40000),
        ({"messages": [{"role": "user", "content": "x"}], "extraction_types": ["event"]}, 40000),
        ({"messages": [{"role": "user", "content": "x"}], "extraction_types": []}, 40000),
        ({"messages": [{"role": "user", "content": "x"}], "model": 3}, 40000),
    ],
)
def test_extract_validation(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "extract/memory", body) == code


DOCUMENTS = [
    "The weather is nice today",
    "User likes playing badminton on weekends",
    "User plays tennis",
    "Badminton rackets are on sale",
]


def test_rerank_answers_a_bare_object_sorted_by_score(http: httpx.Client) -> None:
    response = http.post(
        "/rerank", json={"query": "user badminton weekends", "documents": DOCUMENTS}
    )
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"id", "model", "usage", "results"}
    assert data["model"] == "memos-reranker-0.6b"
    assert data["usage"]["prompt_tokens"] == data["usage"]["total_tokens"] > 0
    results = data["results"]
    assert [hit["index"] for hit in results] == [1, 3, 2, 0]
    assert results[0] == {
        "index": 1,
        "document": {"text": DOCUMENTS[1]},
        "relevance_score": 1.0,
    }
    scores = [hit["relevance_score"] for hit in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 1 for score in scores)


def test_rerank_top_n_and_model(http: httpx.Client) -> None:
    body = {"query": "badminton", "documents": DOCUMENTS, "top_n": 2, "model": "memos-reranker-4b"}
    data = http.post("/rerank", json=body).json()
    assert data["model"] == "memos-reranker-4b"
    assert [hit["index"] for hit in data["results"]] == [1, 3]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"documents": ["a"]}, 40002),
        ({"query": "q"}, 40002),
        ({"query": "q", "documents": []}, 40003),
        ({"query": "q", "documents": [1]}, 40000),
        ({"query": "q", "documents": ["a"], "top_n": 0}, 40000),
        ({"query": "q", "documents": ["a"], "model": "other"}, 40000),
    ],
)
def test_rerank_errors_are_enveloped(http: httpx.Client, body: dict[str, Any], code: int) -> None:
    assert code_of(http, "rerank", body) == code


def test_rerank_faults_apply(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    fake.inject(Fault.rate_limit(), endpoint="rerank", times=1)
    body = {"query": "q", "documents": ["a"]}
    assert http.post("/rerank", json=body).status_code == 429
    assert http.post("/rerank", json=body).status_code == 200
