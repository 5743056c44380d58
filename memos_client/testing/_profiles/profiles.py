"""`POST /edit/profile` and `POST /delete/profile`: one subject's profile instance
(memos-api.md 3.14).

Edit takes exactly one of `user_id`/`agent_id`, the `profile_template_id`, and
a partial `metadata` tree (set values, lock or unlock fields with
`algorithm_updatable`) and/or `remove_fields` (dotted paths whose values are
cleared). A subject without an instance of the template is 40001.
"""

from __future__ import annotations

from typing import Any, cast

from .._call import Call
from .._http._params import required, required_str, single_subject
from .._http._wire import ApiError
from .._store import Store
from ._profile_records import ProfileInstance, SubjectKind
from ._profile_tree import parse_edit_tree, parse_paths
from .profile_templates import template

__all__ = ["delete_profile", "edit_profile"]


def _key(store: Store, body: dict[str, Any]) -> tuple[SubjectKind, str, str]:
    kind, subject = single_subject(body)
    found = template(store, required_str(body, "profile_template_id"))
    key = (cast("SubjectKind", kind), subject, found.id)
    if key not in store.profiles:
        raise ApiError(40001, f"profile not found: {kind} {subject} has no instance of {found.id}")
    return key


def edit_profile(call: Call) -> dict[str, Any]:
    """Apply the edits; `{success: true}`."""
    body, store = call.body, call.store
    key = _key(store, body)
    instance: ProfileInstance = store.profiles[key]
    leaves = store.templates[instance.template_id].leaves
    if body.get("metadata") is None and body.get("remove_fields") is None:
        raise required("metadata or remove_fields")
    edits = parse_edit_tree(body["metadata"], leaves) if body.get("metadata") is not None else {}
    removed = (
        parse_paths(body["remove_fields"], leaves) if body.get("remove_fields") is not None else []
    )
    for path, edit in edits.items():
        if "value" in edit:
            instance.values[path] = edit["value"]
            instance.filled.discard(path)
        if "algorithm_updatable" in edit:
            instance.locks[path] = edit["algorithm_updatable"]
    for path in removed:
        instance.values[path] = ""
        instance.filled.discard(path)
    instance.update_time = store.now_ms()
    return {"success": True}


def delete_profile(call: Call) -> dict[str, Any]:
    """Delete the subject's instance; `{success: true}`."""
    del call.store.profiles[_key(call.store, call.body)]
    return {"success": True}
