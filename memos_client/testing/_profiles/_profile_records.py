"""Profile (属性记忆) records: templates and the instances bound to users and agents.

A template is a tree of at most three levels whose leaves are
`{"value": str, "algorithm_updatable": bool}`; it is stored flat, as leaves by
path (`("basic", "job")`), and rebuilt as a tree when answered. An instance is
one subject's copy: its values, its locks (edits may lock or unlock a field),
and one stable memory id per field, so profile items can be read and edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["FieldPath", "Leaf", "ProfileInstance", "ProfileTemplate", "SubjectKind", "tree_of"]

FieldPath = tuple[str, ...]
SubjectKind = Literal["user", "agent"]


@dataclass(frozen=True)
class Leaf:
    """One field of a template: its default value and whether refinement may fill it."""

    value: str
    algorithm_updatable: bool

    def wire(self) -> dict[str, Any]:
        return {"value": self.value, "algorithm_updatable": self.algorithm_updatable}


def tree_of(leaves: dict[FieldPath, Leaf]) -> dict[str, Any]:
    """The nested `metadata` tree of some leaves, in their order."""
    tree: dict[str, Any] = {}
    for path, leaf in leaves.items():
        node = tree
        for segment in path[:-1]:
            node = node.setdefault(segment, {})
        node[path[-1]] = leaf.wire()
    return tree


@dataclass
class ProfileTemplate:
    """A profile template of the project."""

    id: str
    name: str
    leaves: dict[FieldPath, Leaf]
    create_time: int
    update_time: int


@dataclass
class ProfileInstance:
    """One subject's profile from one template.

    Attributes:
        values: the current value of every field of the template ("" = none).
        locks: per-field `algorithm_updatable` overrides set by `edit/profile`.
        ids: the memory id of every field (stable for the instance's life).
        filled: fields whose value refinement wrote (confidence below 1).
    """

    template_id: str
    kind: SubjectKind
    subject: str
    values: dict[FieldPath, str]
    ids: dict[FieldPath, str]
    create_time: int
    update_time: int
    locks: dict[FieldPath, bool] = field(default_factory=dict)
    filled: set[FieldPath] = field(default_factory=set)
    status: dict[FieldPath, str] = field(default_factory=dict)
    """Per-field status set by `update/memory` (absent = `activated`)."""

    def updatable(self, path: FieldPath, template: ProfileTemplate) -> bool:
        """Whether refinement may write this field (the instance's lock wins)."""
        if path in self.locks:
            return self.locks[path]
        leaf = template.leaves.get(path)
        return leaf is not None and leaf.algorithm_updatable
