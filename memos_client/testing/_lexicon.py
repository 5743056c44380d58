"""A small keyword -> topic lexicon: the emulator's only "semantics".

Refinement uses it to tag memories (`Travel`, `Food`, ...) and search uses it to
let a query word meet a related memory word (`travelling` finds `trip`). Words
are stored stemmed with `_text.stem`, so every inflection maps to the same topic.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._text import stem

__all__ = ["TOPICS", "topic_of", "topics_in"]

_RAW: dict[str, str] = {
    "Travel": """travel trip vacation holiday flight fly hotel inn hostel motel airport tour
        tourist journey visit passport luggage beach resort accommodation cruise itinerary
        abroad destination sightseeing airline""",
    "Food": """food eat meal dinner lunch breakfast restaurant cook recipe spicy sweet
        vegetarian vegan coffee tea sushi pizza noodle rice dessert cuisine drink snack fruit
        taste oil salad burger chocolate""",
    "Work": """work job office career meeting project boss colleague manager salary promotion
        client deadline interview company employer startup engineer resume""",
    "Health": """health doctor hospital medicine sick pain sleep diet allergy allergic weight
        fitness therapy headache symptom medication dentist""",
    "Sports": """sport football soccer basketball tennis badminton swim run hike gym exercise
        yoga cycle bike marathon workout ski climb golf baseball volleyball""",
    "Family": """family mother mom father dad parent sister brother wife husband son daughter
        child children kid baby grandma grandpa wedding cousin""",
    "Shopping": """shop buy purchase order store mall discount sale brand cart delivery
        bargain""",
    "Technology": """computer laptop phone software app code program programming python
        internet robot gadget tech technology database api server developer""",
    "Study": """study school university college class course exam homework teacher student
        learn lesson degree thesis research library textbook""",
    "Finance": """money bank budget invest investment stock loan saving tax pay cost expensive
        cheap credit debt insurance mortgage price""",
    "Entertainment": """movie film music song concert game gaming show series novel reading
        theater theatre podcast anime museum party""",
    "Pets": "pet dog cat puppy kitten vet",
    "Home": "home house apartment furniture garden kitchen neighbor neighbour",
}

TOPICS: tuple[str, ...] = tuple(_RAW)
"""Topic names, in the order tags are listed."""

_BY_STEM: dict[str, str] = {}
for _topic, _words in _RAW.items():
    for _word in _words.split():
        _BY_STEM.setdefault(stem(_word), _topic)

_CJK_WORDS: dict[str, str] = {
    "旅行": "Travel",
    "旅游": "Travel",
    "酒店": "Travel",
    "机票": "Travel",
    "度假": "Travel",
    "吃": "Food",
    "辣": "Food",
    "菜": "Food",
    "咖啡": "Food",
    "工作": "Work",
    "上班": "Work",
    "健康": "Health",
    "医生": "Health",
    "运动": "Sports",
    "跑步": "Sports",
    "健身": "Sports",
    "家人": "Family",
    "孩子": "Family",
    "买": "Shopping",
    "学习": "Study",
    "考试": "Study",
    "电影": "Entertainment",
    "音乐": "Entertainment",
    "投资": "Finance",
    "猫": "Pets",
    "狗": "Pets",
}
"""CJK keywords, matched as substrings of the raw text (no segmenter needed)."""


def topic_of(term: str) -> str | None:
    """The topic of one stemmed term, if the lexicon knows it."""
    return _BY_STEM.get(term)


def topics_in(terms: Iterable[str], raw_text: str = "") -> list[str]:
    """The topics of some stemmed terms (and CJK keywords of `raw_text`), in `TOPICS` order."""
    found = {topic for term in terms if (topic := _BY_STEM.get(term)) is not None}
    found.update(topic for word, topic in _CJK_WORDS.items() if word in raw_text)
    return [topic for topic in TOPICS if topic in found]
