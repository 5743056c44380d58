"""Rule-based preference detection, explicit and implicit, with the reason for each.

Explicit: the user states a preference ("I like/love/prefer/enjoy ...", "I don't
like/dislike/hate/can't stand ...", "my favorite ... is ...", 我喜欢/我不喜欢/我讨厌/我偏好).
Implicit: a habit ("I usually/always/often ...", 我通常/经常/总是 ...) or a choice among
options ("I'll choose 7 Days Inn", 我选择 ...), as in MemOS's own 7 Days Inn example.
Every rule writes a `reasoning` that says which rule fired and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._phrasing import third_person
from ._text import normalise_quotes

__all__ = ["PreferenceDraft", "preference_in"]

PreferenceType = Literal["explicit_preference", "implicit_preference"]

_EXPLICIT = re.compile(
    r"\bI\s+(?:(?:really|also|just|absolutely|truly|totally|do|still)\s+)*"
    r"(?:like|love|prefer|enjoy|adore|dislike|hate|detest|don't\s+(?:like|enjoy)|"
    r"do\s+not\s+(?:like|enjoy)|can't\s+stand|cannot\s+stand)\b",
    re.IGNORECASE,
)
_FAVORITE = re.compile(r"\bmy\s+(?:all-time\s+)?favou?rite\s+.+?\s(?:is|are)\s+\S", re.IGNORECASE)
_CJK_EXPLICIT = re.compile(
    r"我(?:很|非常|特别|最|也|真的|还是)?(?:喜欢|喜爱|偏好|讨厌|不喜欢|不太喜欢)"
)
_HABIT = re.compile(
    r"\bI\s+(usually|always|often|normally|typically|generally|regularly|tend\s+to)\s+(.+)",
    re.IGNORECASE,
)
_CJK_HABIT = re.compile(r"我(通常|经常|总是|一般|平时)(.+)")
_CHOICE = re.compile(
    r"\bI(?:'ll|\s+will|'d|\s+would|'ve|\s+have)?\s+(?:(?:finally|probably|just)\s+)?"
    r"(?:choose|chose|chosen|pick|picked|go\s+with|went\s+with|opt\s+for|opted\s+for|"
    r"decided\s+on|decide\s+on|settle\s+on|settled\s+on)\s+(?:the\s+)?(.+)",
    re.IGNORECASE,
)
_CJK_CHOICE = re.compile(r"我(?:选择|决定选|选)了?(.+)")
_BRACKETS = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class PreferenceDraft:
    """A preference found in one sentence, before it gets an id and timestamps."""

    preference: str
    preference_type: PreferenceType
    reasoning: str


def preference_in(sentence: str, context: str = "") -> PreferenceDraft | None:
    """The preference a user sentence states or implies, if any.

    Args:
        sentence: one sentence the user said.
        context: what the assistant said just before, used to name the
            alternatives a choice was made among.
    """
    text = normalise_quotes(sentence).strip()
    quoted = f'"{text}"'
    if _EXPLICIT.search(text) or _FAVORITE.search(text):
        return PreferenceDraft(
            third_person(text),
            "explicit_preference",
            f"The user stated this preference in their own words ({quoted}), "
            "so it is recorded as an explicit preference.",
        )
    if _CJK_EXPLICIT.search(text):
        return PreferenceDraft(
            third_person(text),
            "explicit_preference",
            f"用户直接表达了这一偏好（{text}），因此记为显式偏好。",
        )
    if habit := _HABIT.search(text):
        adverb = " ".join(habit.group(1).split()).lower()
        rest = third_person(habit.group(2))
        rest = rest[:1].lower() + rest[1:]
        return PreferenceDraft(
            f"The user tends to {rest}",
            "implicit_preference",
            f"The user described a habit ({quoted}). Doing something {adverb} suggests a "
            "standing preference, although the user did not state it as one.",
        )
    if habit_cjk := _CJK_HABIT.search(text):
        return PreferenceDraft(
            f"用户倾向于{habit_cjk.group(2).rstrip('。！!.')}。",
            "implicit_preference",
            f"用户描述了一个习惯（{text}），“{habit_cjk.group(1)}”这样做暗示了稳定的偏好，尽管用户没有明确说明。",
        )
    if choice := _CHOICE.search(text):
        option = choice.group(1).strip().rstrip(".!;")
        others = _alternatives(option, context)
        among = f" over the other options offered ({', '.join(others)})" if others else ""
        return PreferenceDraft(
            f"The user may prefer options like {option}.",
            "implicit_preference",
            f"The user chose {option}{among} ({quoted}). Picking one option over the others "
            "suggests a preference for what it offers, although the user did not state one.",
        )
    if choice_cjk := _CJK_CHOICE.search(text):
        option = choice_cjk.group(1).strip().rstrip("。！!.")
        return PreferenceDraft(
            f"用户可能偏好{option}这类选择。",
            "implicit_preference",
            f"用户在多个选项中选择了{option}（{text}），这暗示了对该类选项的偏好。",
        )
    return None


def _alternatives(option: str, context: str) -> list[str]:
    """The other items of a bracketed list in `context` that contains `option`."""
    wanted = option.lower()
    for group in _BRACKETS.findall(context):
        items = [item.strip() for item in re.split(r",|、|\bor\b", group) if item.strip()]
        if any(item.lower() == wanted for item in items):
            return [item for item in items if item.lower() != wanted]
    return []
