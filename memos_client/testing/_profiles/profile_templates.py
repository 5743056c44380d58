"""Profile templates: add, update, get, list, delete, bind (memos-api.md 3.14).

Trees are validated by `_profile_tree` (40000 with the offending path); unknown
template ids are 40001. Updating a template's `metadata` propagates to its
instances (`_profiles.propagate`); deleting it deletes them. Binding creates an
instance per subject, the template's values as its defaults; all entries are
checked before any is bound.
"""

from __future__ import annotations

import math
from typing import Any, cast

from .._call import Call
from .._http._params import optional_int, required, required_str, single_subject
from .._http._wire import ApiError, bad_request
from .._store import Store
from ._instances import bind, propagate, template_view
from ._profile_records import ProfileTemplate, SubjectKind
from ._profile_tree import parse_template_tree

__all__ = [
    "MAX_BINDINGS",
    "add_template",
    "bind_template",
    "delete_template",
    "get_template",
    "list_templates",
    "template",
    "update_template",
]

MAX_BINDINGS = 20
MAX_LIST_SIZE = 100
MAX_PAGE = 10**9


def template(store: Store, template_id: str) -> ProfileTemplate:
    """The template with this id (40001 when there is none)."""
    found = store.templates.get(template_id)
    if found is None:
        raise ApiError(40001, f"profile template not found: {template_id}")
    return found


def add_template(call: Call) -> dict[str, Any]:
    """`{profile_template_id}` of a new template (every call creates one)."""
    body, store = call.body, call.store
    name = required_str(body, "name")
    leaves = parse_template_tree(body.get("metadata"))
    now_ms = store.now_ms()
    created = ProfileTemplate(store.ids(), name.strip(), leaves, now_ms, now_ms)
    store.templates[created.id] = created
    return {"profile_template_id": created.id}


def update_template(call: Call) -> dict[str, Any]:
    """Rename and/or replace the tree; `{success, profile_template_id}`."""
    body, store = call.body, call.store
    target = template(store, required_str(body, "profile_template_id"))
    if body.get("name") is None and body.get("metadata") is None:
        raise required("name or metadata")
    name = required_str(body, "name").strip() if body.get("name") is not None else None
    leaves = parse_template_tree(body["metadata"]) if body.get("metadata") is not None else None
    if name is not None:
        target.name = name
    if leaves is not None:
        old, target.leaves = target.leaves, leaves
        propagate(store, target, old)
    target.update_time = store.now_ms()
    return {"success": True, "profile_template_id": target.id}


def get_template(call: Call) -> dict[str, Any]:
    """`{profile_template: {..., metadata, instance_count}}`."""
    found = template(call.store, required_str(call.body, "profile_template_id"))
    return {"profile_template": template_view(call.store, found, metadata=True)}


def list_templates(call: Call) -> dict[str, Any]:
    """A page of templates, newest first, without their trees."""
    body, store = call.body, call.store
    page = optional_int(body, "page", 1, 1, MAX_PAGE)
    size = optional_int(body, "size", 10, 1, MAX_LIST_SIZE)
    indexed = list(enumerate(store.templates.values()))
    newest = [t for _, t in sorted(indexed, key=lambda e: (-e[1].create_time, -e[0]))]
    start = (page - 1) * size
    return {
        "profile_templates": [
            template_view(store, found, metadata=False) for found in newest[start : start + size]
        ],
        "total": len(newest),
        "current": page,
        "size": size,
        "pages": math.ceil(len(newest) / size),
    }


def delete_template(call: Call) -> dict[str, Any]:
    """`{success, profile_template_id, deleted_instances}`."""
    store = call.store
    target = template(store, required_str(call.body, "profile_template_id"))
    keys = [key for key, instance in store.profiles.items() if instance.template_id == target.id]
    for key in keys:
        del store.profiles[key]
    del store.templates[target.id]
    return {"success": True, "profile_template_id": target.id, "deleted_instances": len(keys)}


def bind_template(call: Call) -> dict[str, Any]:
    """Bind templates to users/agents (1..20 entries); `{success: true}`."""
    store = call.store
    entries = call.body.get("bind_list")
    if entries is None:
        raise required("bind_list")
    if not isinstance(entries, list):
        raise bad_request("bind_list must be a list of {user_id | agent_id, profile_template_id}")
    if not entries:
        raise ApiError(40003, "bind_list must not be an empty list")
    if len(entries) > MAX_BINDINGS:
        raise bad_request(f"bind_list takes at most {MAX_BINDINGS} entries, not {len(entries)}")
    bindings: list[tuple[ProfileTemplate, SubjectKind, str]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise bad_request(f"bind_list[{index}] must be an object")
        kind, subject = single_subject(entry)
        found = template(store, required_str(entry, "profile_template_id"))
        bindings.append((found, cast("SubjectKind", kind), subject))
    for found, kind, subject in bindings:
        bind(store, found, kind, subject)
    return {"success": True}
