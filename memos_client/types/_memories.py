"""The memory items MemOS returns, one model per kind (memos-api.md section 4.5).

Enums are open (`Literal[...] | str`): a new server value is kept, never rejected.
`relativity` is a 0..1 relevance score, present on search results only; `sources`
and `info` are present on listings only.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

from pydantic import Field

from ._base import MemOSModel, Timestamped

__all__ = [
    "EventMemory",
    "FactMemory",
    "MemoryType",
    "PreferenceMemory",
    "PreferenceType",
    "ProfileMemory",
    "Skill",
    "SkillValue",
    "ToolMemory",
    "ToolUsage",
]

MemoryType: TypeAlias = Literal["WorkingMemory", "LongTermMemory", "UserMemory"] | str
PreferenceType: TypeAlias = Literal["explicit_preference", "implicit_preference"] | str


class _Item(Timestamped):
    id: str | None = None
    """The memory id: use it with `memories.get`, `.update` and `.delete`."""
    conversation_id: str | None = None
    """The conversation the memory came from (`default_session` for knowledge bases)."""
    status: str | None = None
    """Lifecycle state; `activated` is the only documented value."""
    relativity: float | None = None
    """Relevance of this hit to the query, 0..1 (search results only)."""

    def _gist(self) -> tuple[object, object]:
        """`(kind, text)`: what a row of a table of memories says this one is."""
        raise NotImplementedError


class FactMemory(_Item):
    """A factual memory (`memory_detail_list`): the rough transcript or a refined fact."""

    memory_key: str | None = None
    """A short title. For a fresh WorkingMemory it is the first user line."""
    memory_value: str | None = None
    """The memory text."""
    memory_type: MemoryType | None = None
    """`WorkingMemory` (rough, just added), `LongTermMemory` or `UserMemory` (refined)."""
    confidence: float | None = None
    """The extractor's confidence, 0..1."""
    tags: list[str] = Field(default_factory=list)
    """Business and system tags, e.g. `mode:fast` (rough pass) or `mode:fine` (refined)."""
    memory_time: str | None = None
    """When the remembered thing happened, when MemOS could tell."""
    sources: list[dict[str, Any]] | None = None
    """The messages the memory came from (listings only)."""
    info: dict[str, Any] | None = None
    """The `info` metadata given when the messages were added (listings only)."""

    _repr_fields = ("id", "memory_type", "memory_value", "relativity", "created_at")

    def _gist(self) -> tuple[object, object]:
        return self.memory_type or "fact", self.memory_value or self.memory_key


class PreferenceMemory(_Item):
    """A user preference (`preference_detail_list`), stated or inferred."""

    preference: str | None = None
    """The preference in words."""
    preference_type: PreferenceType | None = None
    """`explicit_preference` (stated) or `implicit_preference` (inferred)."""
    reasoning: str | None = None
    """Why MemOS inferred it."""
    sources: list[dict[str, Any]] | None = None
    info: dict[str, Any] | None = None

    _repr_fields = ("id", "preference_type", "preference", "relativity", "created_at")

    def _gist(self) -> tuple[object, object]:
        return self.preference_type or "preference", self.preference


class ToolUsage(MemOSModel):
    """Usage statistics of one tool inside a tool memory."""

    used_tool: str | None = None
    error_type: str | None = None
    success_rate: float | None = None
    tool_experience: str | None = None


class ToolMemory(_Item):
    """A tool-use memory (`tool_memory_detail_list`): a trajectory or a tool schema."""

    tool_type: str | None = None
    """`ToolTrajectoryMemory` or `ToolSchema` (examples also show `ToolSchemaMemory`)."""
    tool_value: str | dict[str, Any] | None = None
    """A trajectory narrative (string) or a tool schema (object)."""
    tool_used_status: list[ToolUsage] = Field(default_factory=list)
    """Per-tool usage statistics."""
    experience: str | None = None
    """The lesson distilled from the tool use."""

    _repr_fields = ("id", "tool_type", "experience", "relativity", "created_at")

    def _gist(self) -> tuple[object, object]:
        return self.tool_type or "tool", self.experience or self.tool_value


class SkillValue(MemOSModel):
    """The body of a skill."""

    _repr_fields = ("name", "description")

    name: str | None = None
    description: str | None = None
    procedure: str | list[str] | None = None
    """The steps, as text (spec) or a list (seen in practice)."""
    experience: list[str] = Field(default_factory=list)
    preference: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    script: dict[str, Any] | None = None
    others: dict[str, Any] | None = None


class Skill(_Item):
    """A skill (`skill_detail_list`), generated from conversations or uploaded to a KB."""

    skill_value: SkillValue | None = None
    skill_url: str | None = None
    """A download link for the generated `SKILL.md` or package."""
    skill_type: str | None = None
    confidence: float | None = None
    tags: list[str] = Field(default_factory=list)

    _repr_fields = ("id", "skill_value", "relativity", "created_at")

    def _gist(self) -> tuple[object, object]:
        value = self.skill_value
        if not isinstance(value, SkillValue):
            return "skill", value
        return "skill", ": ".join(str(part) for part in (value.name, value.description) if part)


class EventMemory(_Item):
    """An event (`event_detail_list`): what happened, when, where and with whom."""

    event_key: str | None = None
    event_value: str | None = None
    event_type: str | None = None
    event_time: list[str] = Field(default_factory=list)
    event_location: list[str] = Field(default_factory=list)
    event_roles: list[str] = Field(default_factory=list)

    _repr_fields = ("id", "event_type", "event_value", "relativity", "created_at")

    def _gist(self) -> tuple[object, object]:
        return self.event_type or "event", self.event_value or self.event_key


class ProfileMemory(_Item):
    """One profile attribute (`profile_detail_list`), from a bound profile template."""

    memory: str | None = None
    """The rendered attribute, e.g. `Basic.Job: engineer`."""
    memory_type: str | None = None
    template_id: str | None = None
    profile_category: str | None = None
    profile_field: str | None = None
    profile_path: str | None = None
    """Dotted path of the field, usable in `profiles.edit(remove_fields=...)`."""
    confidence: float | None = None
    algorithm_updatable: bool | None = None
    """Whether MemOS may update the value from conversations (False: locked)."""

    _repr_fields = ("id", "memory", "relativity")

    def _gist(self) -> tuple[object, object]:
        return self.profile_category or "profile", self.memory
