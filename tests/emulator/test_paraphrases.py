"""Recall survives the paraphrases users write: stems, irregular forms, the words for
liking, soft question verbs, and a topic lexicon (travel, food and drink, work, family,
health, hobbies). Each case also stores a memory of another topic that must stay out."""

from __future__ import annotations

import re

import httpx
import pytest

from memos_client.testing._memories._relevance import SOFT, query_terms
from memos_client.testing._memories._text import LIKING, content_terms, stem

from .helpers import add, search, values

CASES = [
    # travel
    (
        "Where is the user going on holiday?",
        "I've booked a trip to Guangzhou for the summer vacation",
        "I love green tea",
    ),
    ("Does the user have any upcoming journeys?", "I'm flying to Tokyo next month", "I love pizza"),
    (
        "Where did the user travel?",
        "I visited Kyoto last spring",
        "My sister Anna is getting married",
    ),
    # food and drink
    ("What do I like to drink?", "I love green tea", "I love pizza"),
    ("What do I like to drink?", "I drink green tea every morning", "I love hiking in the Alps"),
    ("What did the user have for supper?", "I ate ramen for dinner", "I love green tea"),
    ("Does the user have any food allergies?", "I'm allergic to peanuts", "I play the guitar"),
    # work
    ("What is the user's job?", "I work as a nurse at the city hospital", "I love hiking"),
    ("How is the user's career going?", "I got promoted to team lead", "My mom lives in Hangzhou"),
    ("What is the user's occupation?", "I'm a software engineer at a startup", "I love green tea"),
    # family
    (
        "Tell me about the user's siblings",
        "My sister Anna is getting married",
        "I'm flying to Tokyo",
    ),
    ("Does the user have children?", "I have two kids, Tom and Lily", "I work as a nurse"),
    ("What does the user's spouse do?", "My wife is a teacher", "I love green tea"),
    # health
    ("Does the user have insomnia?", "I sleep badly and wake up at 4am", "I love pizza"),
    ("Has the user had any injuries?", "I broke my leg skiing last winter", "I love green tea"),
    ("What supplements does the user take?", "I take vitamin D every day", "I'm flying to Tokyo"),
    # hobbies
    ("Where does the user like to go outdoors?", "I love hiking in the Alps", "I love green tea"),
    ("What are the user's hobbies?", "I play the guitar in a band", "I work as a nurse"),
    ("What does the user do for fun?", "I love painting watercolors", "I'm allergic to peanuts"),
    (
        "What does the user do outdoors?",
        "I go fishing at the lake on weekends",
        "My wife is a teacher",
    ),
]


def _holds(found: list[str], statement: str) -> bool:
    """Whether a recalled memory (or preference) came from `statement`: holds its last word."""
    last = re.compile(rf"\b{re.escape(statement.split()[-1])}\b", re.IGNORECASE)
    return any(last.search(text) for text in found)


@pytest.mark.parametrize(("query", "memory", "other"), CASES)
def test_a_paraphrase_finds_the_memory_and_not_another_topic(
    http: httpx.Client, query: str, memory: str, other: str
) -> None:
    add(http, memory, async_mode=False)
    add(http, other, async_mode=False, conversation_id="c2")
    data = search(http, query)
    found = values(data) + [item["preference"] for item in data["preference_detail_list"]]
    assert _holds(found, memory), found
    assert not _holds(found, other), found


def test_the_words_for_liking_meet_and_soft_words_alone_still_count(http: httpx.Client) -> None:
    add(http, "I adore jazz", async_mode=False)
    add(http, "I work as a nurse", async_mode=False, conversation_id="c2")
    assert values(search(http, "What do I enjoy?")) == ["The user adores jazz."]


def test_a_soft_word_never_finds_a_memory_on_its_own(http: httpx.Client) -> None:
    """ "like" is held by both memories, but only the one that is about drinks is found."""
    add(http, "I love pizza", async_mode=False)
    add(http, "I love green tea", async_mode=False, conversation_id="c2")
    found = search(http, "What do I like to drink?")
    assert values(found) == ["The user loves green tea."]
    assert [item["preference"] for item in found["preference_detail_list"]] == [
        "The user loves green tea."
    ]


def test_stems_meet_irregular_and_plural_forms() -> None:
    assert {stem(word) for word in ("go", "goes", "going", "went", "gone")} == {"go"}
    assert {stem(word) for word in ("fly", "flies", "flying", "flew")} == {"fly"}
    assert {stem(word) for word in ("sibling", "siblings")} == {stem("sibling")}
    assert stem("children") == stem("child") and stem("dietary") == stem("diet")
    assert content_terms("I love, enjoy and adore it; my favourite") == [LIKING] * 4


def test_query_terms_mark_the_soft_ones_unless_all_are() -> None:
    assert query_terms("Where does the user like to go outdoors?") == [
        (LIKING, True),
        ("go", True),
        ("outdoor", False),
    ]
    assert query_terms("What do I like?") == [(LIKING, False)]
    assert stem("usually") in SOFT
