"""search/memory: relevance, threshold, limits, kinds of memory, scope and boost."""

from __future__ import annotations

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock

from .helpers import add, search, values

FACTS = [
    "I play tennis every weekend",
    "I play tennis and badminton with my brother",
    "I work as a nurse in Lyon",
    "I adopted a cat named Miso",
]


@pytest.fixture
def facts(http: httpx.Client) -> None:
    """Four refined facts of user `u1` (sync mode, so no clock needed)."""
    for index, sentence in enumerate(FACTS):
        add(http, sentence, async_mode=False, conversation_id=f"c{index}")


@pytest.mark.usefixtures("facts")
def test_results_are_sorted_by_relativity(http: httpx.Client) -> None:
    found = search(http, "tennis badminton brother", relativity=0)["memory_detail_list"]
    scores = [item["relativity"] for item in found]
    assert scores == sorted(scores, reverse=True)
    assert (
        found[0]["memory_value"] == "The user plays tennis and badminton with the user's brother."
    )
    assert found[0]["relativity"] == 1.0
    assert found[-1]["relativity"] == 0.0
    assert all(isinstance(score, float) and round(score, 4) == score for score in scores)


@pytest.mark.usefixtures("facts")
@pytest.mark.parametrize(
    ("relativity", "count"), [(None, 2), (0.45, 2), (0.9, 1), (1.0, 1), (0, 4)]
)
def test_threshold_cuts_weak_hits_and_zero_disables_it(
    http: httpx.Client, relativity: float | None, count: int
) -> None:
    extra = {} if relativity is None else {"relativity": relativity}
    found = search(http, "tennis badminton", **extra)["memory_detail_list"]
    assert len(found) == count


@pytest.mark.usefixtures("facts")
def test_memory_limit_truncates_after_ranking(http: httpx.Client) -> None:
    full = values(search(http, "tennis badminton", relativity=0))
    assert values(search(http, "tennis badminton", relativity=0, memory_limit_number=2)) == full[:2]


def test_default_limits_are_nine(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    for index in range(12):
        add(http, f"I like green tea number {index}", async_mode=False, conversation_id=f"c{index}")
    data = search(http, "green tea")
    assert len(data["memory_detail_list"]) == 9
    assert len(data["preference_detail_list"]) == 9
    assert len(search(http, "green tea", preference_limit_number=3)["preference_detail_list"]) == 3


def test_response_has_all_six_lists_and_a_preference_note(http: httpx.Client) -> None:
    add(http, "I love sushi", async_mode=False)
    data = search(http, "sushi")
    assert set(data) == {
        "memory_detail_list",
        "preference_detail_list",
        "tool_memory_detail_list",
        "skill_detail_list",
        "event_detail_list",
        "profile_detail_list",
        "preference_note",
    }
    assert data["preference_note"].startswith("\n# Note:")
    assert search(http, "sushi", include_preference=False)["preference_note"] == ""


@pytest.mark.parametrize(
    ("switches", "facts", "preferences"),
    [
        ({}, True, True),
        ({"include_preference": False}, True, False),
        ({"include_memory_view": ["preference"]}, False, True),
        ({"include_memory_view": ["detail_factual"]}, True, False),
        ({"include_memory_view": []}, False, False),
        # Views, when given, decide; the legacy switches are then ignored.
        ({"include_memory_view": ["preference"], "include_preference": False}, False, True),
        ({"include_tool_memory": True, "include_skill": True}, True, True),
        ({"include_memory_view": ["tool_memory", "skill", "event", "profile"]}, False, False),
    ],
)
def test_include_switches_and_views_choose_the_lists(
    http: httpx.Client, switches: dict[str, object], facts: bool, preferences: bool
) -> None:
    add(http, "I love sushi", async_mode=False)
    data = search(http, "sushi", **switches)
    assert bool(data["memory_detail_list"]) is facts
    assert bool(data["preference_detail_list"]) is preferences
    for name in ("tool_memory", "skill", "event", "profile"):
        assert data[f"{name}_detail_list"] == []


def test_conversation_id_boosts_rank_but_never_filters(http: httpx.Client) -> None:
    add(http, "I play tennis on Mondays", async_mode=False, conversation_id="other")
    add(http, "I play tennis on Fridays", async_mode=False, conversation_id="here")
    plain = values(search(http, "tennis"))
    boosted = values(search(http, "tennis", conversation_id="here"))
    assert plain == ["The user plays tennis on Fridays.", "The user plays tennis on Mondays."]
    assert boosted == plain  # newest first on a tie; the boost agrees
    boosted_other = values(search(http, "tennis", conversation_id="other"))
    assert boosted_other == list(reversed(plain))
    assert values(search(http, "tennis", conversation_id="nowhere")) == plain


def test_a_boost_does_not_lift_hits_over_the_threshold(http: httpx.Client) -> None:
    add(http, "I play tennis on Mondays", async_mode=False, conversation_id="here")
    assert search(http, "tennis opera ballet", conversation_id="here")["memory_detail_list"] == []


def test_users_are_isolated(http: httpx.Client) -> None:
    add(http, "I collect vintage stamps", user_id="alice", async_mode=False)
    add(http, "I collect vintage coins", user_id="bob", async_mode=False)
    assert values(search(http, "vintage", user_id="alice")) == ["The user collects vintage stamps."]
    assert values(search(http, "vintage", user_id="bob")) == ["The user collects vintage coins."]
    assert values(search(http, "vintage", user_id="carol")) == []


def test_public_memories_reach_every_user(http: httpx.Client) -> None:
    add(
        http,
        "The office closes at six on Fridays",
        user_id="admin",
        allow_public=True,
        async_mode=False,
    )
    assert values(search(http, "office closes Fridays", user_id="anyone")) == [
        "The office closes at six on Fridays."
    ]


def test_agent_memories_are_searchable_by_agent_id(http: httpx.Client) -> None:
    add(http, "I prefer concise answers", user_id="u1", agent_id="helper", async_mode=False)
    add(http, "I prefer long answers", user_id=None, agent_id="other", async_mode=False)
    found = search(http, "concise answers", user_id=None, agent_id="helper")
    assert values(found) == ["The user prefers concise answers."]
    assert values(search(http, "concise answers", user_id="u1")) == values(found)


def test_group_chat_memories_belong_to_every_listed_user(http: httpx.Client) -> None:
    add(http, "We are planning a hiking trip to Nepal", user_id=["ann", "ben"], async_mode=False)
    for user in ("ann", "ben"):
        assert values(search(http, "Nepal hiking", user_id=user)) == [
            "We are planning a hiking trip to Nepal."
        ]


def test_chinese_queries_match_chinese_memories(http: httpx.Client) -> None:
    add(http, "我喜欢吃辣的川菜", async_mode=False)
    found = search(http, "用户喜欢吃什么辣的菜")["memory_detail_list"]
    assert [item["memory_value"] for item in found] == ["用户喜欢吃辣的川菜。"]
