"""The rule-based pieces, unit by unit: stemming, rephrasing, titles, preferences, scores."""

from __future__ import annotations

import math

import pytest

from memos_client.testing._memories._extract import extract
from memos_client.testing._memories._phrasing import inflect, third_person, title
from memos_client.testing._memories._preferences import preference_in
from memos_client.testing._memories._relevance import RELATED, document, relativities
from memos_client.testing._memories._text import content_terms, sentences, stem
from memos_client.testing._messages._parse import parse_messages


@pytest.mark.parametrize(
    ("words", "root"),
    [
        (("trip", "trips"), "trip"),
        (("travel", "travelling", "traveled", "travels"), "travel"),
        (("like", "likes", "liked", "liking"), "lik"),
        (("movie", "movies"), "movi"),
        (("study", "studies", "studied", "studying"), "studi"),
        (("plan", "planned", "planning", "plans"), "plan"),
        (("box", "boxes"), "box"),
        (("coffee",), "coffee"),
    ],
)
def test_stemming_joins_inflections(words: tuple[str, ...], root: str) -> None:
    assert {stem(word) for word in words} == {root}


def test_content_terms_drop_stopwords_and_split_cjk() -> None:
    assert content_terms("Where is the user travelling this summer?") == ["travel", "summer"]
    assert content_terms("我喜欢吃辣") == ["喜", "欢", "吃", "辣"]


def test_sentences_split_on_terminators_but_not_decimals() -> None:
    text = "I paid 3.5 euros. Was it cheap? Yes!\nNew line。第二句"
    assert sentences(text) == ["I paid 3.5 euros.", "Was it cheap?", "Yes!", "New line。", "第二句"]


@pytest.mark.parametrize(
    ("verb", "third"),
    [
        ("like", "likes"),
        ("go", "goes"),
        ("watch", "watches"),
        ("study", "studies"),
        ("play", "plays"),
        ("have", "has"),
        ("am", "is"),
        ("booked", "booked"),
        ("will", "will"),
        ("can't", "can't"),
        ("don't", "doesn't"),
        ("went", "went"),
    ],
)
def test_inflect(verb: str, third: str) -> None:
    assert inflect(verb) == third


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I booked a trip to Guangzhou", "The user booked a trip to Guangzhou."),
        ("I've booked a trip", "The user has booked a trip."),
        ("I'm a nurse", "The user is a nurse."),
        ("I'll choose 7 Days Inn", "The user will choose 7 Days Inn."),
        ("I'd rather stay home!", "The user would rather stay home."),
        ("I am tired", "The user is tired."),
        ("I usually take my bike", "The user usually takes the user's bike."),
        ("I don't like heavy oil", "The user doesn't like heavy oil."),
        ("Call me after lunch", "Call the user after lunch."),
        ("i like tea", "The user likes tea."),
        ("I\u2019ve moved", "The user has moved."),
        ("我喜欢吃辣", "用户喜欢吃辣。"),
    ],
)
def test_third_person(sentence: str, expected: str) -> None:
    assert third_person(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        (
            "I've booked a trip to Guangzhou for the summer vacation",
            "Trip Guangzhou Summer Vacation",
        ),
        ("I'll choose 7 Days Inn", "Choose 7 Days Inn"),
        ("I love spicy food", "Spicy Food"),
        ("我喜欢吃辣", "喜欢吃辣"),
    ],
)
def test_title_keeps_the_strongest_keywords_in_order(sentence: str, key: str) -> None:
    assert title(sentence) == key


@pytest.mark.parametrize(
    ("sentence", "kind", "text"),
    [
        ("I like spicy food", "explicit_preference", "The user likes spicy food."),
        ("I really love jazz", "explicit_preference", "The user really loves jazz."),
        ("I prefer window seats", "explicit_preference", "The user prefers window seats."),
        ("I enjoy hiking", "explicit_preference", "The user enjoys hiking."),
        ("I don't like cilantro", "explicit_preference", "The user doesn't like cilantro."),
        ("I dislike crowds", "explicit_preference", "The user dislikes crowds."),
        ("I hate traffic", "explicit_preference", "The user hates traffic."),
        ("I can't stand loud music", "explicit_preference", "The user can't stand loud music."),
        (
            "My favorite color is green",
            "explicit_preference",
            "The user's favorite color is green.",
        ),
        ("我喜欢吃辣", "explicit_preference", "用户喜欢吃辣。"),
        ("我不喜欢香菜", "explicit_preference", "用户不喜欢香菜。"),
        ("我讨厌堵车", "explicit_preference", "用户讨厌堵车。"),
        ("我偏好靠窗的座位", "explicit_preference", "用户偏好靠窗的座位。"),
        ("I usually take the train", "implicit_preference", "The user tends to take the train."),
        (
            "I always drink my coffee black",
            "implicit_preference",
            "The user tends to drink the user's coffee black.",
        ),
        (
            "I'll choose 7 Days Inn",
            "implicit_preference",
            "The user may prefer options like 7 Days Inn.",
        ),
        (
            "I went with the cheaper plan",
            "implicit_preference",
            "The user may prefer options like cheaper plan.",
        ),
        ("我通常坐地铁上班", "implicit_preference", "用户倾向于坐地铁上班。"),
        ("我选择如家", "implicit_preference", "用户可能偏好如家这类选择。"),
    ],
)
def test_preference_rules(sentence: str, kind: str, text: str) -> None:
    found = preference_in(sentence)
    assert found is not None
    assert (found.preference_type, found.preference) == (kind, text)
    assert found.reasoning


@pytest.mark.parametrize(
    "sentence", ["I booked a flight", "I'd like to book a table", "The weather is nice"]
)
def test_no_preference_without_a_rule(sentence: str) -> None:
    assert preference_in(sentence) is None


def test_a_choice_names_the_alternatives_the_assistant_offered() -> None:
    found = preference_in("I'll choose Ji Hotel", "Consider [7 Days Inn, Ji Hotel, Hilton].")
    assert found is not None
    assert "over the other options offered (7 Days Inn, Hilton)" in found.reasoning


def test_extract_ignores_questions_small_talk_and_non_user_roles() -> None:
    messages = parse_messages(
        [
            {"role": "system", "content": "I am a helpful assistant who loves rules."},
            {"role": "user", "content": "Hello! What is the weather like?"},
            {"role": "assistant", "content": "I love sunny days in Paris."},
            {"role": "tool", "tool_call_id": "c", "content": "I like JSON payloads"},
            {"role": "user", "content": "ok thanks"},
        ]
    )
    assert extract(messages).facts == ()
    assert extract(messages).preferences == ()


def test_extract_tags_topics_names_and_matching_request_tags() -> None:
    messages = parse_messages([{"role": "user", "content": "I go running with my dog Rex"}])
    [fact] = extract(messages, ["sports", "pets", "exercise advice", "cooking"]).facts
    assert fact.tags == ("Sports", "Pets", "Rex", "sports", "pets", "exercise advice", "mode:fine")


def test_relativity_formula_on_a_tiny_corpus() -> None:
    """Full hit 1.0; topical hit RELATED; idf weights rare words more."""
    docs = [document("The user booked a trip to Guangzhou"), document("The user likes tea")]
    assert relativities("Guangzhou trip", docs) == [1.0, 0.0]
    # "travelling" meets "trip" through the Travel topic only.
    assert relativities("travelling", docs) == [RELATED, 0.0]
    # "tea" is in one doc of two, "Guangzhou" in one: equal weights, half each.
    assert relativities("tea Guangzhou", docs) == [0.5, 0.5]
    # "opera" is in no doc: it weighs 1 + ln(3), "tea" 1 + ln(3/2).
    w_opera, w_tea = 1 + math.log(3), 1 + math.log(1.5)
    assert relativities("opera tea", docs) == [0.0, round(w_tea / (w_opera + w_tea), 4)]
    assert relativities("the of and", docs) == [0.0, 0.0]
