"""A small keyword -> topic lexicon: the emulator's only "semantics".

Refinement uses it to tag memories (`Travel`, `Food`, ...) and search uses it to
let a query word meet a related memory word (`travelling` finds `trip`, `drink`
finds `tea`, `outdoors` finds `hiking`). Words are stored stemmed with
`_text.stem`, so every inflection maps to the same topic. Each word tags one
topic; a few umbrella words (`hobby`, `diet`, ...) also meet the neighbouring
topics they stand for when they appear in a query (`hobbies` finds `guitar`,
`hiking` and `movies`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ._text import stem

__all__ = ["TOPICS", "topic_of", "topics_in", "topics_of"]

_RAW: dict[str, str] = {
    "Travel": """travel trip vacation holiday flight fly hotel inn hostel motel airport tour
        tourist journey visit passport luggage beach resort accommodation cruise itinerary
        abroad destination sightseeing airline getaway excursion overseas visa suitcase""",
    "Food": """food eat meal dinner lunch breakfast supper brunch restaurant cook recipe spicy
        sweet vegetarian vegan sushi pizza noodle rice dessert cuisine snack fruit taste oil
        salad burger chocolate ramen dumpling curry pasta steak meat seafood vegetable bread
        cake cheese peanut bake hungry""",
    "Drink": """drink beverage tea coffee juice wine beer milk soda latte cocktail smoothie
        espresso cappuccino matcha alcohol thirsty""",
    "Work": """work job office career meeting project boss colleague coworker manager salary
        promotion promote client deadline interview company employer employee startup
        engineer resume occupation profession nurse lawyer accountant consultant workplace
        internship""",
    "Health": """health doctor hospital clinic medicine medical sick ill illness disease pain
        sleep insomnia diet allergy allergic asthma diabetes weight fitness therapy headache
        symptom medication dentist injury injure vitamin supplement nutrition flu fever
        surgery leg arm knee ankle wrist tooth condition""",
    "Sports": """sport football soccer basketball tennis badminton swim run hike gym exercise
        yoga cycle bike marathon workout ski climb golf baseball volleyball outdoor nature
        mountain trail trek camp kayak surf lake""",
    "Family": """family mother mom mum father dad parent sister brother sibling wife husband
        spouse son daughter child kid baby grandma grandpa grandmother grandfather
        grandparent wedding marry cousin uncle aunt niece nephew relative""",
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
    "Hobbies": """hobby pastime leisure craft paint draw sketch photography knit sew stamp
        chess puzzle instrument guitar piano violin drum band sing choir dance pottery fun""",
    "Pets": "pet dog cat puppy kitten vet",
    "Home": "home house apartment furniture garden kitchen neighbor neighbour",
}

_UMBRELLAS: dict[str, tuple[str, ...]] = {
    "hobby": ("Hobbies", "Sports", "Entertainment"),
    "pastime": ("Hobbies", "Sports", "Entertainment"),
    "leisure": ("Hobbies", "Sports", "Entertainment"),
    "fun": ("Hobbies", "Sports", "Entertainment"),
    "diet": ("Health", "Food", "Drink"),
    "allergy": ("Health", "Food", "Drink"),
    "allergic": ("Health", "Food", "Drink"),
    "cuisine": ("Food", "Drink"),
    "nutrition": ("Health", "Food", "Drink"),
}
"""Words that stand for several topics: a query word among them meets any of them."""

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
    "咖啡": "Drink",
    "茶": "Drink",
    "喝": "Drink",
    "工作": "Work",
    "上班": "Work",
    "健康": "Health",
    "医生": "Health",
    "运动": "Sports",
    "跑步": "Sports",
    "健身": "Sports",
    "爬山": "Sports",
    "徒步": "Sports",
    "户外": "Sports",
    "家人": "Family",
    "孩子": "Family",
    "买": "Shopping",
    "学习": "Study",
    "考试": "Study",
    "电影": "Entertainment",
    "音乐": "Entertainment",
    "爱好": "Hobbies",
    "投资": "Finance",
    "猫": "Pets",
    "狗": "Pets",
}
"""CJK keywords, matched as substrings of the raw text (no segmenter needed)."""

_TOPICS_OF: dict[str, frozenset[str]] = {
    term: frozenset({topic}) for term, topic in _BY_STEM.items()
}
for _word, _covered in _UMBRELLAS.items():
    _TOPICS_OF[stem(_word)] = frozenset(_covered)


def topic_of(term: str) -> str | None:
    """The topic of one stemmed term, if the lexicon knows it (what tags name)."""
    return _BY_STEM.get(term)


def topics_of(term: str) -> frozenset[str]:
    """Every topic a stemmed query term may meet: its own, or all an umbrella word covers."""
    return _TOPICS_OF.get(term, frozenset())


def topics_in(terms: Iterable[str], raw_text: str = "") -> list[str]:
    """The topics of some stemmed terms (and CJK keywords of `raw_text`), in `TOPICS` order."""
    found = {topic for term in terms if (topic := _BY_STEM.get(term)) is not None}
    found.update(topic for word, topic in _CJK_WORDS.items() if word in raw_text)
    return [topic for topic in TOPICS if topic in found]
