"""`SearchResult`: what `search` returns (memos-api.md section 3.2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TypeAlias

from pydantic import Field

from .. import _display as display
from ._base import Collection, items
from ._memories import (
    EventMemory,
    FactMemory,
    PreferenceMemory,
    ProfileMemory,
    Skill,
    SkillValue,
    ToolMemory,
)

__all__ = ["MemoryItem", "MemoryLists", "SearchResult"]

MemoryItem: TypeAlias = (
    FactMemory | PreferenceMemory | ToolMemory | Skill | EventMemory | ProfileMemory
)
"""An item of any memory list: what iterating a `SearchResult` or `MemoryPage` yields."""


def _line(text: object, when: datetime | None, dates: bool) -> str:
    if not isinstance(text, str) or not text.strip():
        return ""
    stamp = f"[{when.date().isoformat()}] " if dates and when is not None else ""
    return f"- {stamp}{' '.join(text.split())}"


def _skill_line(skill: Skill) -> str:
    value = skill.skill_value
    if not isinstance(value, SkillValue):
        return ""
    name = value.name if isinstance(value.name, str) else ""
    description = value.description if isinstance(value.description, str) else ""
    if not (name or description):
        return ""
    return _line(f"Skill {name}: {description}".replace(" :", ":"), None, False)


class MemoryLists(Collection):
    """The six memory lists that search results and listings share, best or newest first.

    Lists a request did not ask for are empty. `len()` counts the items of all six,
    and iterating yields them list by list, in this order: facts, preferences, tool
    memories, skills, events, profile attributes. An item that did not decode as its
    model (kept as sent) is neither counted nor yielded, as `to_prompt()` skips it.
    """

    memory_detail_list: list[FactMemory] = Field(default_factory=list)
    """Facts: the rough transcript (`WorkingMemory`) and refined facts."""
    preference_detail_list: list[PreferenceMemory] = Field(default_factory=list)
    """Stated and inferred preferences."""
    tool_memory_detail_list: list[ToolMemory] = Field(default_factory=list)
    """Tool-use memories (only when asked for)."""
    skill_detail_list: list[Skill] = Field(default_factory=list)
    """Skills (only when asked for)."""
    event_detail_list: list[EventMemory] = Field(default_factory=list)
    """Events (only when asked for)."""
    profile_detail_list: list[ProfileMemory] = Field(default_factory=list)
    """Profile attributes (only when asked for and a template is bound)."""

    _noun = ("memory", "memories")
    _columns = ("kind", "memory", "created", "id")

    def _rows(self) -> list[tuple[object, ...]]:
        return [(*item._gist(), item.created_at, item.id) for item in MemoryLists.__iter__(self)]

    @property
    def memories(self) -> list[FactMemory]:
        """Shorthand for `memory_detail_list`."""
        return self.memory_detail_list

    @property
    def preferences(self) -> list[PreferenceMemory]:
        """Shorthand for `preference_detail_list`."""
        return self.preference_detail_list

    def __len__(self) -> int:
        """How many items there are across all kinds."""
        return sum(1 for _ in MemoryLists.__iter__(self))

    def __iter__(self) -> Iterator[MemoryItem]:  # type: ignore[override]
        """Every item, list by list: facts, preferences, tool memories, skills, events,
        profile attributes."""
        yield from items(self.memory_detail_list, FactMemory)
        yield from items(self.preference_detail_list, PreferenceMemory)
        yield from items(self.tool_memory_detail_list, ToolMemory)
        yield from items(self.skill_detail_list, Skill)
        yield from items(self.event_detail_list, EventMemory)
        yield from items(self.profile_detail_list, ProfileMemory)


class SearchResult(MemoryLists):
    """The memories recalled for a query, one list per kind, best first.

    `preference_note` is MemOS's instruction text to add to a prompt when
    preferences are used (may be "").
    """

    preference_note: str = ""
    """Instruction text for prompts that use preferences."""

    _columns = ("kind", "memory", "created", "relativity")

    def _rows(self) -> list[tuple[object, ...]]:
        return [
            (*item._gist(), item.created_at, display.score(item.relativity))
            for item in MemoryLists.__iter__(self)
        ]

    def to_prompt(self, *, dates: bool = True) -> str:
        """The recalled memories as a context block for an LLM prompt ("" if none).

        Facts, events, profile attributes, skills and tool experience come first,
        then preferences followed by MemOS's `preference_note`, which tells the
        model how to use them.

        ```python
        context = client.search(question, user_id="u1").to_prompt()
        messages = [{"role": "system", "content": f"{SYSTEM}\\n\\n{context}"}, ...]
        ```
        """
        facts = [
            _line(m.memory_value or m.memory_key, m.created_at, dates)
            for m in items(self.memory_detail_list, FactMemory)
        ]
        facts += [
            _line(e.event_value or e.event_key, e.created_at, dates)
            for e in items(self.event_detail_list, EventMemory)
        ]
        facts += [
            _line(p.memory, None, False) for p in items(self.profile_detail_list, ProfileMemory)
        ]
        facts += [_skill_line(skill) for skill in items(self.skill_detail_list, Skill)]
        facts += [
            _line(t.experience, t.created_at, dates)
            for t in items(self.tool_memory_detail_list, ToolMemory)
        ]
        preferences = [
            _line(p.preference, None, False)
            for p in items(self.preference_detail_list, PreferenceMemory)
        ]
        sections = []
        if any(facts):
            sections.append(
                "## What you remember about the user\n" + "\n".join(f for f in facts if f)
            )
        if any(preferences):
            block = "## The user's preferences\n" + "\n".join(p for p in preferences if p)
            if isinstance(self.preference_note, str) and self.preference_note.strip():
                block += "\n" + self.preference_note.strip()
            sections.append(block)
        return "\n\n".join(sections)
