"""Validation of profile `metadata` trees, partial edit trees and dotted field paths.

A template tree (memos-api.md 3.14) is a non-empty object at most three levels
deep; its leaves are exactly `{"value": str, "algorithm_updatable": bool}`. Keys
are non-blank and hold no `.` (paths are written dotted: `"basic.job"`). An
edit tree (`edit/profile.metadata`) names existing fields only, and each of its
leaves sets `value` and/or `algorithm_updatable`. Every refusal is a 40000
that names the offending path.
"""

from __future__ import annotations

from typing import Any

from .._http._params import required
from .._http._wire import bad_request
from ._profile_records import FieldPath, Leaf

__all__ = ["MAX_DEPTH", "Edit", "parse_edit_tree", "parse_paths", "parse_template_tree"]

MAX_DEPTH = 3
_LEAF_KEYS = frozenset({"value", "algorithm_updatable"})
Edit = dict[str, Any]
"""One field's change: `value` and/or `algorithm_updatable`."""


def _is_leaf(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and bool(node)
        and set(node) <= _LEAF_KEYS
        and not any(isinstance(child, dict) for child in node.values())
    )


def _dotted(path: FieldPath) -> str:
    return ".".join(path)


def _walk(node: dict[str, Any], path: FieldPath, found: dict[FieldPath, dict[str, Any]]) -> None:
    for key, child in node.items():
        if not isinstance(key, str) or not key.strip() or "." in key:
            raise bad_request(f"metadata key {key!r} must be a non-blank name without '.'")
        here = (*path, key)
        if _is_leaf(child):
            found[here] = child
        elif isinstance(child, dict) and child:
            if len(here) >= MAX_DEPTH:
                raise bad_request(f"metadata.{_dotted(here)} goes deeper than {MAX_DEPTH} levels")
            _walk(child, here, found)
        else:
            raise bad_request(
                f"metadata.{_dotted(here)} must be a leaf "
                '{"value": str, "algorithm_updatable": bool} or a non-empty object of fields'
            )


def _tree(value: Any) -> dict[FieldPath, dict[str, Any]]:
    if value is None:
        raise required("metadata")
    if not isinstance(value, dict) or not value:
        raise bad_request("metadata must be a non-empty object")
    found: dict[FieldPath, dict[str, Any]] = {}
    _walk(value, (), found)
    return found


def parse_template_tree(value: Any) -> dict[FieldPath, Leaf]:
    """A template's `metadata`, flattened to leaves by path."""
    leaves: dict[FieldPath, Leaf] = {}
    for path, raw in _tree(value).items():
        text, updatable = raw.get("value"), raw.get("algorithm_updatable")
        if not isinstance(text, str) or not isinstance(updatable, bool):
            raise bad_request(
                f"metadata.{_dotted(path)} must be "
                '{"value": <string>, "algorithm_updatable": <true|false>}'
            )
        leaves[path] = Leaf(text, updatable)
    return leaves


def parse_edit_tree(value: Any, known: dict[FieldPath, Leaf]) -> dict[FieldPath, Edit]:
    """A partial tree of changes to existing fields."""
    edits: dict[FieldPath, Edit] = {}
    for path, raw in _tree(value).items():
        if path not in known:
            raise bad_request(f"metadata.{_dotted(path)} is not a field of the template")
        text, updatable = raw.get("value"), raw.get("algorithm_updatable")
        if text is not None and not isinstance(text, str):
            raise bad_request(f"metadata.{_dotted(path)}.value must be a string")
        if updatable is not None and not isinstance(updatable, bool):
            raise bad_request(f"metadata.{_dotted(path)}.algorithm_updatable must be true or false")
        edits[path] = dict(raw)
    return edits


def parse_paths(value: Any, known: dict[FieldPath, Leaf]) -> list[FieldPath]:
    """`remove_fields`: dotted paths of existing fields."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("remove_fields must be a list of dotted paths like 'basic.job'")
    paths = []
    for dotted in value:
        path = tuple(dotted.split("."))
        if path not in known:
            raise bad_request(f"remove_fields: {dotted!r} is not a field of the template")
        paths.append(path)
    return paths
