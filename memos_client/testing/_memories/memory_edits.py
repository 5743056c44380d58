"""`POST /delete/memory` and `POST /update/memory` (memos-api.md 3.5, 3.6).

Delete takes exactly one selector: `memory_ids` (facts, preferences, uploaded
skills; all must exist, else 40307 and nothing is deleted), or every record of a
`user_id` / `agent_id` (facts including working memories, preferences, and the
values of its bound profiles, which return to the template's defaults; 40308
when the subject has nothing). A combination is 40000, none 40002.

Update replaces a fact's `memory_value` (`content`), `memory_key` (`title`) or
`status`; a preference's text or status; a profile field's value or status.
Only `activated` records are recalled by search and listed by get/memory, so
setting another status (e.g. `"archived"`) hides a memory without deleting it.
"""

from __future__ import annotations

from typing import Any

from .._call import Call
from .._http._params import optional_str, required, required_id, required_str_list, single_subject
from .._http._wire import ApiError, bad_request
from .._profiles._instances import find_field, instances_of
from .._store import Store

__all__ = ["delete_memory", "update_memory"]

_SELECTORS = ("memory_ids", "user_id", "agent_id")


def delete_memory(call: Call) -> dict[str, Any]:
    """Delete by ids or by subject; `{success: true}`."""
    body, store = call.body, call.store
    given = [name for name in _SELECTORS if body.get(name) not in (None, "")]
    if len(given) > 1:
        raise bad_request(f"pass exactly one of memory_ids, user_id and agent_id, not {given}")
    if not given:
        raise required("memory_ids, user_id or agent_id")
    if given == ["memory_ids"]:
        _delete_ids(store, required_str_list(body, "memory_ids"))
    else:
        kind, subject = single_subject(body)
        if not _delete_subject(store, kind, subject):
            raise ApiError(40308, f"{kind} not found: {subject} has no memories")
    return {"success": True}


def _delete_ids(store: Store, ids: list[str]) -> None:
    def known(memory_id: str) -> bool:
        return (
            memory_id in store.memories
            or memory_id in store.preferences
            or memory_id in store.skills
        )

    unknown = [memory_id for memory_id in ids if not known(memory_id)]
    if unknown:
        raise ApiError(40307, f"memory not found: {unknown[0]}")
    for memory_id in ids:
        store.memories.pop(memory_id, None)
        store.preferences.pop(memory_id, None)
        store.skills.pop(memory_id, None)


def _delete_subject(store: Store, kind: str, subject: str) -> bool:
    memories = list(store.memories.owned_ids(kind, subject))
    preferences = list(store.preferences.owned_ids(kind, subject))
    for memory_id in memories:
        del store.memories[memory_id]
    for preference_id in preferences:
        del store.preferences[preference_id]
    profiles = list(instances_of(store, kind, subject))
    for instance in profiles:
        template = store.templates[instance.template_id]
        instance.values = {path: leaf.value for path, leaf in template.leaves.items()}
        instance.filled.clear()
        instance.status.clear()
        instance.update_time = store.now_ms()
    return bool(memories or preferences or profiles)


def _text(body: dict[str, Any], name: str) -> str | None:
    value = optional_str(body, name)
    if value is not None and not value.strip():
        raise bad_request(f"{name} must not be blank")
    return value


def update_memory(call: Call) -> dict[str, Any]:
    """Edit one memory in place; `{success: true}`; 40001 for unknown ids."""
    body, store = call.body, call.store
    memory_id = required_id(body, "memory_id")
    content, title, status = _text(body, "content"), _text(body, "title"), _text(body, "status")
    if content is None and title is None and status is None:
        raise required("content, title or status")
    now_ms = store.now_ms()
    memory = store.memories.get(memory_id)
    preference = store.preferences.get(memory_id)
    if memory is not None and not memory.retired:
        memory.memory_value = content if content is not None else memory.memory_value
        memory.memory_key = title if title is not None else memory.memory_key
        memory.status = status or memory.status
        memory.update_time = now_ms
        store.memories.reindex(memory_id)
    elif preference is not None:
        if title is not None:
            raise bad_request("title applies to fact memories; a preference has no title")
        preference.preference = content if content is not None else preference.preference
        preference.status = status or preference.status
        preference.update_time = now_ms
        store.preferences.reindex(memory_id)
    elif (field := find_field(store, memory_id)) is not None:
        if title is not None:
            raise bad_request("title applies to fact memories; a profile field has no title")
        instance, path = field
        if content is not None:
            instance.values[path] = content
            instance.filled.discard(path)
        if status is not None:
            instance.status[path] = status
        instance.update_time = now_ms
    else:
        raise ApiError(40001, f"memory not found: {memory_id}")
    return {"success": True}
