"""`SearchResult`: what `search` returns (memos-api.md section 3.2)."""

from __future__ import annotations

import html

from ._base import MemOSModel
from ._memories import (
    EventMemory,
    FactMemory,
    PreferenceMemory,
    ProfileMemory,
    Skill,
    ToolMemory,
)

__all__ = ["SearchResult"]


class SearchResult(MemOSModel):
    """The memories recalled for a query, one list per kind, best first.

    Lists the request did not ask for are empty. `preference_note` is MemOS's
    instruction text to add to a prompt when preferences are used (may be "").
    """

    memory_detail_list: list[FactMemory] = []
    """Facts: the rough transcript (`WorkingMemory`) and refined facts."""
    preference_detail_list: list[PreferenceMemory] = []
    """Stated and inferred preferences."""
    tool_memory_detail_list: list[ToolMemory] = []
    """Tool-use memories (only when asked for)."""
    skill_detail_list: list[Skill] = []
    """Skills (only when asked for)."""
    event_detail_list: list[EventMemory] = []
    """Events (only when asked for)."""
    profile_detail_list: list[ProfileMemory] = []
    """Profile attributes (only when asked for and a template is bound)."""
    preference_note: str = ""
    """Instruction text for prompts that use preferences."""

    @property
    def memories(self) -> list[FactMemory]:
        """Shorthand for `memory_detail_list`."""
        return self.memory_detail_list

    @property
    def preferences(self) -> list[PreferenceMemory]:
        """Shorthand for `preference_detail_list`."""
        return self.preference_detail_list

    def __len__(self) -> int:
        """How many items were recalled across all kinds."""
        return (
            len(self.memory_detail_list)
            + len(self.preference_detail_list)
            + len(self.tool_memory_detail_list)
            + len(self.skill_detail_list)
            + len(self.event_detail_list)
            + len(self.profile_detail_list)
        )

    def _repr_html_(self) -> str:
        rows = [
            (memory.memory_type or "memory", memory.memory_value or "", memory.relativity)
            for memory in self.memory_detail_list
        ] + [
            (pref.preference_type or "preference", pref.preference or "", pref.relativity)
            for pref in self.preference_detail_list
        ]
        body = "".join(
            f"<tr><td>{html.escape(kind)}</td><td>{html.escape(text)}</td>"
            f"<td>{'' if score is None else f'{score:.2f}'}</td></tr>"
            for kind, text, score in rows
        )
        return (
            f"<table><caption>SearchResult: {len(self)} items</caption>"
            f"<tr><th>kind</th><th>memory</th><th>relativity</th></tr>{body}</table>"
        )
