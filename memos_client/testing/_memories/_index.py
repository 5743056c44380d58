"""`Records`: stored records by id, with the indexes that keep requests off full scans.

`Store.memories` and `Store.preferences` are `Records`. They read and write like a
dict in insertion order, and keep, as records come and go:

* who owns each record (`owned(kind, subject)`: one user's or one agent's, in
  insertion order), which records are public, and the chunks of each knowledge base;
* each record's insertion rank (`rank`), the order a scan of the dict would meet it in;
* an inverted index of the searchable text (`terms`, a `_relevance.TermIndex`).

A record's owners (`scope`) and knowledge base never change once it is stored.
Its text may (`update/memory`, feedback): whoever changes it calls `reindex`.
"""

from __future__ import annotations

import itertools
from collections.abc import (
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    MutableMapping,
    ValuesView,
)
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from ._relevance import TermIndex

if TYPE_CHECKING:
    from ._records import Scope

__all__ = ["Indexable", "Owner", "Records", "owners_of"]


class Indexable(Protocol):
    """What `Records` needs of a record."""

    @property
    def id(self) -> str: ...

    @property
    def scope(self) -> Scope: ...

    def search_text(self) -> str: ...


R = TypeVar("R", bound=Indexable)
Owner = tuple[str, str]
"""`("user", user_id)` or `("agent", agent_id)`."""


def owners_of(scope: Scope) -> list[Owner]:
    """The owner keys of a scope: its users, then its agents."""
    return [("user", user) for user in scope.user_ids] + [
        ("agent", agent) for agent in scope.agent_ids
    ]


class Records(MutableMapping[str, R], Generic[R]):
    """Records by id, in insertion order, indexed by owner, visibility and text."""

    def __init__(self) -> None:
        self._records: dict[str, R] = {}
        self._ranks: dict[str, int] = {}
        self._counter = itertools.count()
        self._owned: dict[Owner, dict[str, None]] = {}
        self._public: dict[str, None] = {}
        self._by_knowledgebase: dict[str, dict[str, None]] = {}
        self.terms = TermIndex()
        """The inverted index of every record's `search_text()`."""

    # -- the mapping ------------------------------------------------------------------------

    def __getitem__(self, key: str) -> R:
        return self._records[key]

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def get(self, key: str, default: R | None = None) -> R | None:  # type: ignore[override]
        return self._records.get(key, default)

    def keys(self) -> KeysView[str]:
        return self._records.keys()

    def values(self) -> ValuesView[R]:
        return self._records.values()

    def items(self) -> ItemsView[str, R]:
        return self._records.items()

    def __setitem__(self, key: str, record: R) -> None:
        if key in self._records:
            self._unindex(key, self._records[key])
        else:
            self._ranks[key] = next(self._counter)
        self._records[key] = record
        for owner in owners_of(record.scope):
            self._owned.setdefault(owner, {})[key] = None
        if record.scope.public:
            self._public[key] = None
        knowledgebase = getattr(record, "knowledgebase_id", None)
        if knowledgebase is not None:
            self._by_knowledgebase.setdefault(knowledgebase, {})[key] = None
        self.terms.add(key, record.search_text())

    def __delitem__(self, key: str) -> None:
        record = self._records.pop(key)
        del self._ranks[key]
        self._unindex(key, record)

    def __repr__(self) -> str:
        return f"Records({len(self)} records)"

    def _unindex(self, key: str, record: R) -> None:
        for owner in owners_of(record.scope):
            group = self._owned.get(owner)
            if group is not None:
                group.pop(key, None)
                if not group:
                    del self._owned[owner]
        self._public.pop(key, None)
        knowledgebase = getattr(record, "knowledgebase_id", None)
        if knowledgebase is not None:
            group = self._by_knowledgebase.get(knowledgebase)
            if group is not None:
                group.pop(key, None)
                if not group:
                    del self._by_knowledgebase[knowledgebase]
        self.terms.remove(key)

    # -- the indexes ------------------------------------------------------------------------

    @property
    def by_id(self) -> Mapping[str, R]:
        """The records by id, read-only (a plain mapping: the fastest way to look many up)."""
        return self._records

    def reindex(self, key: str) -> None:
        """Re-read the searchable text of `key` after it changed."""
        self.terms.add(key, self._records[key].search_text())

    def rank(self, key: str) -> int:
        """The record's insertion rank: records ordered by rank are in dict order."""
        return self._ranks[key]

    def owned_ids(self, kind: str, subject: str) -> Iterable[str]:
        """The ids of the records `subject` owns (a user's, or an agent's), oldest first."""
        return self._owned.get((kind, subject), {}).keys()

    def owned(self, kind: str, subject: str) -> list[R]:
        """The records `subject` owns, oldest first."""
        return [self._records[key] for key in self.owned_ids(kind, subject)]

    def owned_by_any(self, kind: str, subjects: Iterable[str]) -> list[R]:
        """The records any of `subjects` owns, oldest first, each once."""
        keys: dict[str, None] = {}
        for subject in subjects:
            keys.update(dict.fromkeys(self.owned_ids(kind, subject)))
        return [self._records[key] for key in sorted(keys, key=self._ranks.__getitem__)]

    def public_ids(self) -> Iterable[str]:
        """The ids of the public records (written with `allow_public`)."""
        return self._public.keys()

    def knowledgebase_ids(self, knowledgebase_id: str) -> Iterable[str]:
        """The ids of the records (chunks) of one knowledge base."""
        return self._by_knowledgebase.get(knowledgebase_id, {}).keys()
