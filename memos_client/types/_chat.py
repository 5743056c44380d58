"""Models for the model endpoints: chat answers and stream events, extraction, rerank."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeAlias

from pydantic import Field

from .. import _display as display
from ._base import Collection, MemOSModel, items
from ._memories import FactMemory, PreferenceMemory

__all__ = [
    "ChatEvent",
    "ChatEventType",
    "ChatResponse",
    "ExtractResult",
    "RerankDocument",
    "RerankHit",
    "RerankResult",
    "RerankUsage",
]

ChatEventType: TypeAlias = Literal["reasoning", "text", "end"] | str


class ChatResponse(MemOSModel):
    """A chat answer."""

    response: str = ""
    """The answer text."""

    _repr_fields = ("response",)

    def _repr_html_(self) -> str:
        """The answer, whole, as text."""
        return display.prose(type(self).__name__, self.response)


class ChatEvent(MemOSModel):
    """One streamed chat event: `reasoning` or `text` chunks, then `end`."""

    type: ChatEventType
    data: str = ""
    """The chunk of text (empty on `end`)."""


class ExtractResult(Collection):
    """What extract/memory found; nothing is stored. Iterating yields the facts, then
    the preferences (the items `len()` counts)."""

    success: bool | None = None
    memory_detail_list: list[FactMemory] = Field(default_factory=list)
    """Facts: `memory_key`, `memory_value`, `memory_type`, `tags`."""
    preference_detail_list: list[PreferenceMemory] = Field(default_factory=list)
    """Preferences: `preference`, `reasoning`, `preference_type`."""

    _noun = ("memory", "memories")
    _columns = ("kind", "memory")

    def _rows(self) -> list[tuple[object, ...]]:
        return [item._gist() for item in self]

    @property
    def memories(self) -> list[FactMemory]:
        return self.memory_detail_list

    @property
    def preferences(self) -> list[PreferenceMemory]:
        return self.preference_detail_list

    def __iter__(self) -> Iterator[FactMemory | PreferenceMemory]:  # type: ignore[override]
        yield from items(self.memory_detail_list, FactMemory)
        yield from items(self.preference_detail_list, PreferenceMemory)

    def __len__(self) -> int:
        facts = items(self.memory_detail_list, FactMemory)
        return len(facts) + len(items(self.preference_detail_list, PreferenceMemory))


class RerankDocument(MemOSModel):
    text: str = ""


class RerankHit(MemOSModel):
    """One ranked candidate: its position in the input and its score (0..1)."""

    index: int
    document: RerankDocument | None = None
    relevance_score: float = 0.0


class RerankUsage(MemOSModel):
    prompt_tokens: int | None = None
    total_tokens: int | None = None


class RerankResult(Collection):
    """Candidates ranked by relevance, best first; iterating yields them."""

    id: str | None = None
    model: str | None = None
    usage: RerankUsage | None = None
    results: list[RerankHit] = Field(default_factory=list)

    _noun = ("hit", "hits")
    _columns = ("index", "score", "document")

    def _rows(self) -> list[tuple[object, ...]]:
        return [
            (hit.index, display.score(hit.relevance_score), _text_of(hit.document)) for hit in self
        ]

    def __iter__(self) -> Iterator[RerankHit]:  # type: ignore[override]
        return iter(items(self.results, RerankHit))

    def __len__(self) -> int:
        return len(items(self.results, RerankHit))


def _text_of(document: object) -> object:
    return document.text if isinstance(document, RerankDocument) else document
