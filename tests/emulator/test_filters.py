"""The search `filter` grammar: every documented form, and refusals of invalid ones."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock

from .helpers import add, call, values

DAY = 86_400.0

HIKING = "The user loves hiking in the Alps."
TRAIN = "The user loves the train ride to work."
CAT = "The user loves the cat Miso."
PUBLIC = "Everyone loves the garden party."


@pytest.fixture
def corpus(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    """Three memories of `u1` one day apart from 10 December 2025, and one public memory."""
    add(
        http,
        "I love hiking in the Alps",
        agent_id="coach",
        app_id="fit",
        info={"scene": "chat", "biz_id": "b1"},
        tags=["sports"],
        async_mode=False,
    )
    fake.clock.advance(DAY)
    add(
        http,
        "I love the train ride to work",
        agent_id="planner",
        app_id="fit",
        info={"scene": "commute", "tags_list": ["x"]},
        async_mode=False,
    )
    fake.clock.advance(DAY)
    add(http, "I love the cat Miso", app_id="home", info={"scene": "chat"}, async_mode=False)
    add(
        http,
        "Everyone loves the garden party",
        user_id="host",
        allow_public=True,
        agent_id="coach",
        info={"scene": "chat"},
        async_mode=False,
    )


def _found(http: httpx.Client, flt: Any) -> list[str]:
    envelope = call(
        http,
        "search/memory",
        {
            "user_id": "u1",
            "query": "love",
            "relativity": 0,
            "include_preference": False,
            "filter": flt,
        },
    )
    assert envelope["code"] == 0, envelope
    return sorted(values(envelope["data"]))


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (None, [CAT, PUBLIC, HIKING, TRAIN]),
        ({"and": [{"agent_id": "coach"}]}, [PUBLIC, HIKING]),
        ({"and": [{"app_id": "fit"}]}, [HIKING, TRAIN]),
        ({"and": [{"scene": "chat"}]}, [CAT, PUBLIC, HIKING]),
        ({"and": [{"scene": "chat"}, {"biz_id": "b1"}]}, [HIKING]),
        ({"or": [{"agent_id": "planner"}, {"app_id": "home"}]}, [CAT, TRAIN]),
        ({"and": [{"tags": {"contains": "Sports"}}]}, [HIKING]),
        ({"and": [{"tags": {"contains": "sports"}}]}, [HIKING]),
        ({"and": [{"tags": {"contains": "Alps"}}]}, [HIKING]),
        ({"and": [{"tags_list": "x"}]}, []),  # only flat string info values filter
        ({"and": [{"create_time": {"lt": "2025-12-11"}}]}, [HIKING]),
        ({"and": [{"create_time": {"lte": "2025-12-11"}}]}, [HIKING, TRAIN]),
        ({"and": [{"create_time": {"gt": "2025-12-11"}}]}, [CAT, PUBLIC]),
        ({"and": [{"create_time": {"gte": "2025-12-11"}}]}, [CAT, PUBLIC, TRAIN]),
        ({"and": [{"create_time": {"gte": "2025-12-11", "lt": "2025-12-12"}}]}, [TRAIN]),
        ({"and": [{"update_time": {"gte": "2025-12-11T09:44:00Z"}}]}, [CAT, PUBLIC, TRAIN]),
        ({"and": [{"create_time": {"gt": "2025-12-11 09:44:00"}}]}, [CAT, PUBLIC]),
        ({"and": [{"create_time": {"lt": 1765359840001}}]}, [HIKING]),
        ({"user": {"and": [{"agent_id": "coach"}]}}, [PUBLIC, HIKING]),
        ({"public": {"and": [{"agent_id": "nobody"}]}}, [CAT, HIKING, TRAIN]),
        ({"user": {"or": [{"app_id": "home"}]}, "public": {"and": [{"scene": "nope"}]}}, [CAT]),
        ({"knowledgebase": {"and": [{"scene": "x"}]}}, [CAT, PUBLIC, HIKING, TRAIN]),
    ],
)
def test_filter_forms(http: httpx.Client, flt: Any, expected: list[str]) -> None:
    assert _found(http, flt) == sorted(expected)


def test_filters_apply_to_preferences_too(http: httpx.Client) -> None:
    add(http, "I love opera", app_id="music", async_mode=False)
    add(http, "I love ballet", app_id="dance", async_mode=False)
    data = call(
        http,
        "search/memory",
        {
            "user_id": "u1",
            "query": "love",
            "relativity": 0,
            "filter": {"and": [{"app_id": "music"}]},
        },
    )["data"]
    assert [p["preference"] for p in data["preference_detail_list"]] == ["The user loves opera."]


@pytest.mark.parametrize(
    ("flt", "fragment"),
    [
        ("agent_id=a", "non-empty object"),
        ({}, "non-empty object"),
        ({"agent_id": "a"}, "root must be"),
        ({"and": [{"agent_id": "a"}], "user": {"and": []}}, "root must be"),
        ({"and": []}, "non-empty list"),
        ({"and": {"agent_id": "a"}}, "non-empty list"),
        ({"and": [{"or": [{"agent_id": "a"}]}]}, "nested"),
        ({"and": [{"agent_id": "a", "app_id": "b"}]}, "exactly one field"),
        ({"and": ["agent_id"]}, "exactly one field"),
        ({"and": [{"user_id": "u1"}]}, "user_id is not a filter field"),
        ({"and": [{"agent_id": {"contains": "a"}}]}, "equality"),
        ({"and": [{"scene": 3}]}, "equality"),
        ({"and": [{"tags": "travel"}]}, "contains"),
        ({"and": [{"tags": {"contains": 1}}]}, "tags.contains"),
        ({"and": [{"create_time": "2025-12-10"}]}, "lt/gt/lte/gte"),
        ({"and": [{"create_time": {"before": "2025-12-10"}}]}, "lt/gt/lte/gte"),
        ({"and": [{"create_time": {"lt": "10 Dec 2025"}}]}, "not a date"),
        ({"and": [{"create_time": {"lt": "2025-13-45"}}]}, "not a date"),
        ({"and": [{"create_time": {"lt": None}}]}, "date string"),
        ({"user": {"and": [{"agent_id": "a"}], "or": []}}, "exactly one key"),
        ({"user": {}}, "exactly one key"),
    ],
)
def test_invalid_filters_are_40000_with_a_clear_message(
    http: httpx.Client, flt: Any, fragment: str
) -> None:
    envelope = call(http, "search/memory", {"user_id": "u1", "query": "x", "filter": flt})
    assert envelope["code"] == 40000
    assert envelope["message"].startswith("Invalid request parameters: filter")
    assert fragment in envelope["message"]
    assert "{0}" not in envelope["message"]
