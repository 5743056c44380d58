"""Request builders for profiles (属性记忆): templates and their per-subject instances
(memos-api.md section 3.14).

A template is a tree at most 3 levels deep whose leaves are
`{"value": str, "algorithm_updatable": bool}`; `edit` takes a partial tree whose
leaves carry either key. At most 20 bindings per `bind` call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _validate as check
from ._spec import RequestSpec, compact

__all__ = [
    "bind_templates",
    "create_template",
    "delete_profile",
    "delete_template",
    "edit_profile",
    "get_template",
    "list_templates",
    "update_template",
]

MAX_DEPTH = 3
MAX_BINDINGS = 20
MAX_PAGE_SIZE = 100
LEAF_KEYS = frozenset({"value", "algorithm_updatable"})


def create_template(name: object, metadata: object) -> RequestSpec:
    body = {"name": check.text("name", name), "metadata": check_tree("metadata", metadata)}
    return RequestSpec(
        "POST",
        "add/profile_template",
        "write",
        body,
        check_hint="list the templates (client.profiles.templates.list) before creating it again",
    )


def update_template(profile_template_id: object, *, name: object, metadata: object) -> RequestSpec:
    body = {
        "profile_template_id": _id(profile_template_id),
        "name": check.text("name", name),
        "metadata": check_tree("metadata", metadata),
    }
    return RequestSpec("POST", "update/profile_template", "write", body)


def get_template(profile_template_id: object) -> RequestSpec:
    body = {"profile_template_id": _id(profile_template_id)}
    return RequestSpec("POST", "get/profile_template", "read", body)


def list_templates(*, page: int | None, size: int | None) -> RequestSpec:
    body = compact(
        {
            "page": check.optional(check.limit, "page", page, low=1, high=10**9),
            "size": check.optional(check.limit, "size", size, low=1, high=MAX_PAGE_SIZE),
        }
    )
    return RequestSpec("POST", "list/profile_template", "read", body)


def delete_template(profile_template_id: object) -> RequestSpec:
    body = {"profile_template_id": _id(profile_template_id)}
    return RequestSpec("POST", "delete/profile_template", "write", body)


def bind_templates(bind_list: object) -> RequestSpec:
    if isinstance(bind_list, (str, bytes, Mapping)) or not isinstance(bind_list, Sequence):
        check.fail(
            "bind_list", "must be a list of {'user_id' or 'agent_id', 'profile_template_id'}"
        )
    if not bind_list:
        check.fail("bind_list", "is empty; pass at least one binding")
    if len(bind_list) > MAX_BINDINGS:
        check.fail(
            "bind_list", f"has {len(bind_list)} bindings; one call takes at most {MAX_BINDINGS}"
        )
    bindings = [_binding(f"bind_list[{index}]", item) for index, item in enumerate(bind_list)]
    return RequestSpec("POST", "bind/profile_template", "write", {"bind_list": bindings})


def edit_profile(
    profile_template_id: object,
    *,
    user_id: str | None,
    agent_id: str | None,
    metadata: object,
    remove_fields: object,
) -> RequestSpec:
    if metadata is None and remove_fields is None:
        check.fail(
            "metadata", "nothing to change: pass metadata= (a partial tree) and/or remove_fields="
        )
    fields = None if remove_fields is None else check.string_list("remove_fields", remove_fields)
    body = compact(
        {
            **_subject(user_id, agent_id),
            "profile_template_id": _id(profile_template_id),
            "metadata": None
            if metadata is None
            else check_tree("metadata", metadata, partial=True),
            "remove_fields": fields,
        }
    )
    return RequestSpec("POST", "edit/profile", "write", body)


def delete_profile(
    profile_template_id: object, *, user_id: str | None, agent_id: str | None
) -> RequestSpec:
    body = {**_subject(user_id, agent_id), "profile_template_id": _id(profile_template_id)}
    return RequestSpec("POST", "delete/profile", "write", body)


def check_tree(field: str, tree: object, *, partial: bool = False) -> dict[str, Any]:
    """Validate a template (or, `partial`, an edit) tree and return it as a dict."""
    return _check_node(field, tree, depth=1, partial=partial)


def _check_node(where: str, node: object, *, depth: int, partial: bool) -> dict[str, Any]:
    if not isinstance(node, Mapping) or not node:
        check.fail(where, "must be a non-empty dict of fields")
    for key, child in node.items():
        here = f"{where}.{key}"
        if not isinstance(key, str) or not key.strip():
            check.fail(where, f"field names must be non-empty strings, not {key!r}")
        if isinstance(child, Mapping) and child.keys() & LEAF_KEYS:
            _check_leaf(here, child, partial=partial)
        elif depth >= MAX_DEPTH:
            check.fail(
                here,
                f"is nested deeper than {MAX_DEPTH} levels; a profile tree has at most {MAX_DEPTH}",
            )
        else:
            _check_node(here, child, depth=depth + 1, partial=partial)
    return dict(node)


def _check_leaf(where: str, leaf: Mapping[str, Any], *, partial: bool) -> None:
    extra = leaf.keys() - LEAF_KEYS
    if extra:
        check.fail(
            where, f"a leaf holds only 'value' and 'algorithm_updatable', not {sorted(extra)}"
        )
    if not partial and leaf.keys() != LEAF_KEYS:
        check.fail(where, "a leaf needs both 'value' (a string) and 'algorithm_updatable' (a bool)")
    if "value" in leaf and not isinstance(leaf["value"], str):
        check.fail(f"{where}.value", f"must be a string, not {type(leaf['value']).__name__}")
    if "algorithm_updatable" in leaf and not isinstance(leaf["algorithm_updatable"], bool):
        check.fail(f"{where}.algorithm_updatable", "must be True or False")


def _binding(where: str, item: object) -> dict[str, str]:
    if not isinstance(item, Mapping):
        check.fail(where, "must be a dict like {'user_id': 'u1', 'profile_template_id': 't1'}")
    extra = item.keys() - {"user_id", "agent_id", "profile_template_id"}
    if extra:
        check.fail(where, f"unknown keys {sorted(extra)}")
    subject = _subject(item.get("user_id"), item.get("agent_id"), where=where)
    return {
        **subject,
        "profile_template_id": _id(item.get("profile_template_id"), f"{where}.profile_template_id"),
    }


def _subject(user_id: object, agent_id: object, *, where: str = "") -> dict[str, str]:
    prefix = f"{where}." if where else ""
    if (user_id is None) == (agent_id is None):
        check.fail(f"{prefix}user_id", "pass exactly one of user_id= or agent_id=")
    if user_id is not None:
        return {"user_id": check.identifier(f"{prefix}user_id", user_id)}
    return {"agent_id": check.identifier(f"{prefix}agent_id", agent_id)}


def _id(value: object, field: str = "profile_template_id") -> str:
    return check.identifier(field, value, max_length=None)
