"""Profile instances: binding, propagation of template changes, reading, and filling.

* `bind` gives a subject an instance of a template, its values the template's
  defaults (binding twice keeps the values; past conversations are not read).
* `propagate` applies a template update to every instance: new fields arrive
  with their defaults, removed fields lose their values, kept ones keep theirs
  (unless they still held the old default, which then follows the new one).
* `profile_items` renders a subject's fields as `profile_detail_list` items
  (`"Category.Field: value"`); fields without a value are left out.
* `fill_profiles` is refinement's part: after a bind, a later `add/message`
  fills `algorithm_updatable` fields from the user's sentences, by rule:
  "my <field> is <value>", "I work as <value>" (a field named job/occupation)
  and "I live in <value>" (city/location). Locked fields are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .._memories._records import Scope
from .._memories._text import sentences
from .._store import Store
from .._tasks._records import TaskRecord
from ._profile_records import (
    FieldPath,
    Leaf,
    ProfileInstance,
    ProfileTemplate,
    SubjectKind,
    tree_of,
)

__all__ = [
    "PROJECT_ID",
    "ProfileItem",
    "bind",
    "fill_profiles",
    "find_field",
    "instances_of",
    "profile_items",
    "propagate",
    "template_view",
]

PROJECT_ID = "fake-project"
FILLED_CONFIDENCE = 0.9

_MY = re.compile(r"\bmy\s+([a-z][a-z _-]{0,40}?)\s+(?:is|are)\s+(.+)", re.IGNORECASE)
_WORK = re.compile(r"\bI\s+(?:work|am\s+working)\s+as\s+(?:an?\s+)?(.+)", re.IGNORECASE)
_LIVE = re.compile(r"\bI\s+live\s+in\s+(.+)", re.IGNORECASE)
_VALUE_END = re.compile(r",|;|\s+(?:and|but|so|because)\s+", re.IGNORECASE)


def _field_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


@dataclass(frozen=True)
class ProfileItem:
    """One filled profile field, as recall and `get/memory` see it."""

    id: str
    path: FieldPath
    value: str
    template_id: str
    algorithm_updatable: bool
    confidence: float
    status: str
    create_time: int
    update_time: int
    conversation_id: str = ""
    scope: Scope = field(default_factory=Scope)

    def item(self) -> dict[str, Any]:
        """The `profile_detail_list` item, without `relativity`."""
        rendered = ".".join(segment[:1].upper() + segment[1:] for segment in self.path)
        return {
            "id": self.id,
            "memory": f"{rendered}: {self.value}",
            "memory_type": "ProfileMemory",
            "template_id": self.template_id,
            "profile_category": self.path[0] if len(self.path) > 1 else "",
            "profile_field": ".".join(self.path[1:] if len(self.path) > 1 else self.path[-1:]),
            "profile_path": ".".join(self.path),
            "status": self.status,
            "confidence": self.confidence,
            "algorithm_updatable": self.algorithm_updatable,
            "create_time": self.create_time,
            "update_time": self.update_time,
        }

    def search_text(self) -> str:
        return " ".join(self.path).replace("_", " ") + f"\n{self.value}"


def template_view(store: Store, template: ProfileTemplate, *, metadata: bool) -> dict[str, Any]:
    """A template as `get/` (with its tree) or `list/profile_template` (without) answers it."""
    view: dict[str, Any] = {
        "profile_template_id": template.id,
        "name": template.name,
        "project_id": PROJECT_ID,
        "instance_count": sum(1 for i in store.profiles.values() if i.template_id == template.id),
        "create_time": template.create_time,
        "update_time": template.update_time,
    }
    if metadata:
        view["metadata"] = tree_of(template.leaves)
    return view


def bind(store: Store, template: ProfileTemplate, kind: SubjectKind, subject: str) -> None:
    """Give `subject` an instance of `template` (a no-op when it already has one)."""
    key = (kind, subject, template.id)
    if key in store.profiles:
        return
    now_ms = store.now_ms()
    store.profiles[key] = ProfileInstance(
        template_id=template.id,
        kind=kind,
        subject=subject,
        values={path: leaf.value for path, leaf in template.leaves.items()},
        ids={path: store.ids() for path in template.leaves},
        create_time=now_ms,
        update_time=now_ms,
    )


def propagate(store: Store, template: ProfileTemplate, old: dict[FieldPath, Leaf]) -> None:
    """Apply a template's new fields (already in `template.leaves`) to its instances."""
    for instance in store.profiles.values():
        if instance.template_id != template.id:
            continue
        values: dict[FieldPath, str] = {}
        for path, leaf in template.leaves.items():
            current = instance.values.get(path)
            if current is None or (path in old and current == old[path].value):
                values[path] = leaf.value
            else:
                values[path] = current
            if path not in instance.ids:
                instance.ids[path] = store.ids()
        instance.values = values
        for mapping in (instance.ids, instance.locks, instance.status):
            for gone in [path for path in mapping if path not in template.leaves]:
                del mapping[gone]
        instance.filled &= set(values)
        instance.update_time = store.now_ms()


def instances_of(store: Store, kind: str, subject: str) -> Iterator[ProfileInstance]:
    """A subject's instances, in binding order."""
    for (owner_kind, owner, _), instance in store.profiles.items():
        if owner_kind == kind and owner == subject:
            yield instance


def profile_items(store: Store, kind: str, subject: str) -> Iterator[ProfileItem]:
    """A subject's active, non-empty profile fields."""
    for instance in instances_of(store, kind, subject):
        template = store.templates[instance.template_id]
        for path, value in instance.values.items():
            status = instance.status.get(path, "activated")
            if not value or status != "activated":
                continue
            yield ProfileItem(
                id=instance.ids[path],
                path=path,
                value=value,
                template_id=instance.template_id,
                algorithm_updatable=instance.updatable(path, template),
                confidence=FILLED_CONFIDENCE if path in instance.filled else 1.0,
                status=status,
                create_time=instance.create_time,
                update_time=instance.update_time,
            )


def find_field(store: Store, memory_id: str) -> tuple[ProfileInstance, FieldPath] | None:
    """The instance and field a profile item id belongs to."""
    for instance in store.profiles.values():
        for path, field_id in instance.ids.items():
            if field_id == memory_id:
                return instance, path
    return None


def _statements(task: TaskRecord) -> Iterator[tuple[tuple[str, ...], str]]:
    """`(field names, value)` pairs stated in the user's messages of a turn."""
    for message in task.messages:
        if message.role != "user":
            continue
        for sentence in sentences(message.text):
            for pattern, names in ((_WORK, ("job", "occupation")), (_LIVE, ("city", "location"))):
                if match := pattern.search(sentence):
                    yield names, match.group(1)
            if match := _MY.search(sentence):
                yield (_field_name(match.group(1)),), match.group(2)


def _clean(value: str) -> str:
    return _VALUE_END.split(value, maxsplit=1)[0].strip().rstrip(" .!?").strip("\"'")


def fill_profiles(store: Store, task: TaskRecord) -> list[str]:
    """Fill the turn's subjects' updatable fields from what the user said; the field ids."""
    owners = [("user", user) for user in task.scope.user_ids]
    owners += [("agent", agent) for agent in task.scope.agent_ids]
    statements = list(_statements(task))
    touched: list[str] = []
    for kind, subject in owners:
        for instance in instances_of(store, kind, subject):
            template = store.templates[instance.template_id]
            for names, raw in statements:
                value = _clean(raw)
                for path in instance.values:
                    if _field_name(path[-1]) not in names or not value:
                        continue
                    if not instance.updatable(path, template):
                        continue
                    instance.values[path] = value
                    instance.filled.add(path)
                    instance.update_time = store.now_ms()
                    touched.append(instance.ids[path])
    return list(dict.fromkeys(touched))
