"""The refined pass's extraction: a turn of messages in, fact and preference drafts out.

Rule-based and deterministic, no model. Only what the *user* says is mined:
each informative user sentence (not a question, not an acknowledgement, at least
two content words) becomes one fact, `UserMemory` when the user speaks about
themselves and `LongTermMemory` otherwise, rephrased in the third person, with a
short Title Case key and topical tags. Sentences that state or imply a
preference also yield a preference (`_preferences`).

Assistant messages are used only as context for choices ("I'll choose X" among
the options the assistant listed). System and tool messages, and assistants'
tool calls, are ignored by refinement: the emulator produces no tool memories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .._messages._parse import Message
from ._lexicon import topic_of, topics_in
from ._phrasing import is_first_person, third_person, title
from ._preferences import PreferenceDraft, preference_in
from ._text import content_terms, has_cjk, sentences

__all__ = ["Extraction", "FactDraft", "extract"]

MemoryType = Literal["UserMemory", "LongTermMemory"]

_MEDIA_MARKERS = re.compile(r"\[(?:image|file)\]")
_PROPER_NOUN = re.compile(r"(?:\b\d+\s+)?\b[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*")
_NOT_NAMES = frozenset({"I", "I'm", "I've", "I'll", "I'd"})
_MEDIA_TAGS = {"image_url": "multimodal:image", "file": "multimodal:file"}
MAX_NAME_TAGS = 2


@dataclass(frozen=True)
class FactDraft:
    """A fact memory before it gets an id, owner and timestamps."""

    memory_key: str
    memory_value: str
    memory_type: MemoryType
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Extraction:
    """What refinement found in one turn."""

    facts: tuple[FactDraft, ...] = ()
    preferences: tuple[PreferenceDraft, ...] = ()


def extract(messages: Sequence[Message], request_tags: Sequence[str] = ()) -> Extraction:
    """Mine a turn for facts and preferences (see the module docstring for the rules)."""
    media = sorted({kind for message in messages for kind in message.media})
    system_tags = [_MEDIA_TAGS[kind] for kind in media] + ["mode:fine"]
    facts: dict[str, FactDraft] = {}
    preferences: dict[str, PreferenceDraft] = {}
    context = ""
    for message in messages:
        if message.role == "assistant":
            context = message.text
            continue
        if message.role != "user":
            continue
        for sentence in sentences(_MEDIA_MARKERS.sub(" ", message.text)):
            if not _informative(sentence):
                continue
            fact = _fact(sentence, request_tags, system_tags)
            facts.setdefault(fact.memory_value, fact)
            preference = preference_in(sentence, context)
            if preference is not None:
                preferences.setdefault(preference.preference, preference)
    return Extraction(tuple(facts.values()), tuple(preferences.values()))


def _informative(sentence: str) -> bool:
    if sentence.rstrip().endswith(("?", "？")):
        return False
    return len(set(content_terms(sentence))) >= 2


def _fact(sentence: str, request_tags: Sequence[str], system_tags: Sequence[str]) -> FactDraft:
    terms = content_terms(sentence)
    topics = topics_in(terms, sentence)
    tags = [*topics, *_names(sentence), *_matching_tags(request_tags, terms, topics, sentence)]
    memory_type: MemoryType = "UserMemory" if is_first_person(sentence) else "LongTermMemory"
    value = third_person(sentence) if memory_type == "UserMemory" else _as_statement(sentence)
    return FactDraft(
        memory_key=title(sentence),
        memory_value=value,
        memory_type=memory_type,
        tags=tuple(dict.fromkeys([*tags, *system_tags])),
    )


def _as_statement(sentence: str) -> str:
    text = sentence.strip()
    if has_cjk(text):
        return text if text.endswith(("。", "！")) else text + "。"
    text = text.rstrip(" !;")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _names(sentence: str) -> list[str]:
    """Proper-noun phrases after the first word: `Guangzhou`, `7 Days Inn`."""
    names = []
    for match in _PROPER_NOUN.finditer(sentence):
        name = match.group(0)
        if match.start() == 0 or name in _NOT_NAMES or name.split()[0] in _NOT_NAMES:
            continue
        names.append(name)
    return names[:MAX_NAME_TAGS]


def _matching_tags(
    candidates: Iterable[str], terms: Sequence[str], topics: Sequence[str], sentence: str
) -> list[str]:
    """The caller's candidate tags that the sentence is about, by word or by topic."""
    words, topic_set = set(terms), set(topics)
    chosen = []
    for tag in candidates:
        tag_terms = content_terms(tag)
        by_word = any(term in words for term in tag_terms)
        by_topic = tag in topic_set or any(topic_of(term) in topic_set for term in tag_terms)
        by_text = has_cjk(tag) and tag in sentence
        if by_word or by_topic or by_text:
            chosen.append(tag)
    return chosen
