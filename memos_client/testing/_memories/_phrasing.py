"""Rule-based rephrasing: first-person sentences to third person, and short titles.

`"I've booked a trip to Guangzhou"` -> `"The user has booked a trip to Guangzhou."`,
`"I usually take the train"` -> `"The user usually takes the train."`,
`"我喜欢吃辣"` -> `"用户喜欢吃辣。"`. No model: a handful of regular expressions
and a verb inflector good enough for the everyday sentences tests are made of.
"""

from __future__ import annotations

import re

from ._lexicon import topic_of
from ._text import STOPWORDS, has_cjk, normalise_quotes, stem

__all__ = ["FIRST_PERSON", "inflect", "is_first_person", "third_person", "title"]

FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'll|i'd|my|me|mine|myself)\b", re.IGNORECASE)

ADVERBS = frozenset(
    """also really usually always often sometimes never just still now recently actually
    mostly generally typically normally rarely seldom definitely absolutely totally only even
    already currently finally occasionally truly regularly""".split()
)
_MODALS = frozenset("will would can could should shall may might must".split())
_IRREGULAR_PAST = frozenset(
    """was were had did went bought made took got saw came ate drank ran met left found felt
    thought told gave paid spent flew drove wrote sold sent kept began became brought chose
    knew lost heard held moved broke woke wore swam rode sang won taught caught fell
    slept""".split()
)
_GENERIC_VERBS = frozenset(
    """like love prefer enjoy want need choose think go take make use try plan decide hate
    dislike usually""".split()
)
"""Verbs too common to name a memory; they rank below nouns in titles."""
_PRESENT = {"am": "is", "are": "is", "have": "has", "do": "does", "go": "goes", "don't": "doesn't"}

_CONTRACTIONS = (
    (re.compile(r"\bI'm\b", re.IGNORECASE), "the user is"),
    (re.compile(r"\bI've\b", re.IGNORECASE), "the user has"),
    (re.compile(r"\bI'll\b", re.IGNORECASE), "the user will"),
    (re.compile(r"\bI'd\b", re.IGNORECASE), "the user would"),
)
_ADVERB_GROUP = "|".join(sorted(ADVERBS))
_I_VERB = re.compile(rf"\bI((?:\s+(?:{_ADVERB_GROUP}))*)\s+([A-Za-z']+)", re.IGNORECASE)
_OBJECTS = (
    (re.compile(r"\bmyself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\b(?:my|mine)\b", re.IGNORECASE), "the user's"),
    (re.compile(r"\bme\b", re.IGNORECASE), "the user"),
    (re.compile(r"\bI\b", re.IGNORECASE), "the user"),
)


def inflect(verb: str) -> str:
    """The third-person singular of a verb after "I": `like` -> `likes`, `go` -> `goes`.

    Past tenses, modals and unknown shapes are returned unchanged.
    """
    lower = verb.lower()
    if lower in _PRESENT:
        return _PRESENT[lower]
    if lower in _MODALS or lower in _IRREGULAR_PAST or lower.endswith(("ed", "n't", "'t")):
        return verb
    if lower.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(lower) > 2 and lower.endswith("y") and lower[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def is_first_person(sentence: str) -> bool:
    """Whether the speaker talks about themselves (`I`, `my`, `me`, ... or `我`)."""
    return "我" in sentence or FIRST_PERSON.search(normalise_quotes(sentence)) is not None


def third_person(sentence: str) -> str:
    """Rewrite a user's sentence about themselves as a statement about "the user"."""
    text = normalise_quotes(sentence).strip()
    if has_cjk(text):
        text = text.replace("我们", "用户们").replace("我", "用户").rstrip("。！!?？.")
        return text + "。"
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\bI\s+am\b", "the user is", text, flags=re.IGNORECASE)
    text = _I_VERB.sub(lambda match: f"the user{match.group(1)} {inflect(match.group(2))}", text)
    for pattern, replacement in _OBJECTS:
        text = pattern.sub(replacement, text)
    text = text.rstrip(" .!?;")
    return text[:1].upper() + text[1:] + "."


def title(sentence: str, limit: int = 4) -> str:
    """A short Title Case `memory_key` from a sentence's strongest keywords.

    Keywords are the sentence's content words, ranked by lexicon topic, proper-noun
    capitalisation and length, then kept in sentence order.
    """
    text = normalise_quotes(sentence)
    if has_cjk(text):
        core = text.replace("我", "").strip(" 。！？!?.")
        return core[:12] or text[:12]
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9'-]*|\d+", text)
    seen: set[str] = set()
    scored: list[tuple[float, int, str]] = []
    for index, token in enumerate(tokens):
        lower = token.lower()
        key = stem(lower)
        if lower in STOPWORDS or lower in ADVERBS or "'" in lower or key in seen:
            continue
        seen.add(key)
        score = len(token) / 10
        if lower in _GENERIC_VERBS or lower.endswith(("ed", "ing")):
            score -= 0.5
        if topic_of(key) is not None:
            score += 2
        if token[:1].isupper() and index > 0:
            score += 2
        scored.append((score, index, token))
    strong = [item for item in scored if item[0] > 0]
    if len(strong) >= 2:
        scored = strong  # common verbs ("love", "booked") only when little else is left
    best = sorted(sorted(scored, key=lambda item: -item[0])[:limit], key=lambda item: item[1])
    words = [token if token[:1].isupper() else token.capitalize() for _, _, token in best]
    return " ".join(words) or "Note"
