"""Profile templates: the tree rules, bindings, and per-subject edits."""

from __future__ import annotations

from typing import Any

import pytest

from memos_client import InvalidRequestError
from memos_client._core._checks import tree as check_tree
from tests.core.requests import build

LEAF = {"value": "", "algorithm_updatable": True}
TREE = {"basic": {"job": LEAF, "city": {"value": "Hangzhou", "algorithm_updatable": False}}}


def test_create_and_update_send_the_tree() -> None:
    assert build("profiles.templates.create", "Basics", TREE).body == {
        "name": "Basics",
        "metadata": TREE,
    }
    spec = build("profiles.templates.update", "t1", name="Basics", metadata=TREE)
    assert spec.body == {"profile_template_id": "t1", "name": "Basics", "metadata": TREE}


@pytest.mark.parametrize(
    ("tree", "hint"),
    [
        ({}, "non-empty dict"),
        ("basic.job", "non-empty dict"),
        ({"a": {}}, "non-empty dict"),
        ({"a": {"b": {"c": {"d": LEAF}}}}, "deeper than 3 levels"),
        ({"a": {"value": "x"}}, "needs both 'value'"),
        ({"a": {"value": 1, "algorithm_updatable": True}}, "must be a string"),
        ({"a": {"value": "x", "algorithm_updatable": "yes"}}, "True or False"),
        ({"a": {**LEAF, "note": "x"}}, "only 'value' and 'algorithm_updatable'"),
        ({"": LEAF}, "non-empty strings"),
        # A field may not be named like a leaf's keys: the node would read as a leaf.
        ({"a": {"value": LEAF, "b": LEAF}}, "field named 'value' or 'algorithm_updatable'"),
        ({"a": {"b": {"algorithm_updatable": LEAF}}}, "name the field otherwise"),
    ],
)
def test_bad_trees_are_refused(tree: Any, hint: str) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        build("profiles.templates.create", "T", tree)


def test_three_levels_are_allowed() -> None:
    tree = {"a": {"b": {"c": LEAF}}}
    assert check_tree("metadata", tree) == tree


def test_bind_sends_the_list() -> None:
    bindings = [
        {"user_id": "u1", "profile_template_id": "t1"},
        {"agent_id": "a1", "profile_template_id": "t1"},
    ]
    assert build("profiles.templates.bind", bindings).body == {"bind_list": bindings}


@pytest.mark.parametrize(
    ("bindings", "hint"),
    [
        ([], "is empty"),
        ({"user_id": "u1"}, "must be a list"),
        ([{"user_id": "u", "profile_template_id": "t"}] * 21, "at most 20"),
        ([{"profile_template_id": "t"}], "exactly one of user_id"),
        ([{"user_id": "u", "agent_id": "a", "profile_template_id": "t"}], "exactly one of user_id"),
        ([{"user_id": "u"}], "profile_template_id"),
        ([{"user_id": "u", "profile_template_id": "t", "role": "x"}], "unknown keys"),
    ],
)
def test_bad_bindings(bindings: Any, hint: str) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        build("profiles.templates.bind", bindings)


def test_edit_takes_a_partial_tree_and_fields_to_remove() -> None:
    spec = build(
        "profiles.edit",
        "t1",
        user_id="u1",
        agent_id=None,
        metadata={"basic": {"job": {"value": "engineer"}}},
        remove_fields=["basic.city"],
    )
    assert spec.body == {
        "user_id": "u1",
        "profile_template_id": "t1",
        "metadata": {"basic": {"job": {"value": "engineer"}}},
        "remove_fields": ["basic.city"],
    }


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({"user_id": "u1"}, "nothing to change"),
        ({"metadata": {"basic": {"job": {"value": "x"}}}}, "exactly one of user_id"),
        ({"user_id": "u", "agent_id": "a", "remove_fields": ["a.b"]}, "exactly one of user_id"),
        ({"user_id": "u", "remove_fields": "basic.job"}, "list of strings"),
    ],
)
def test_bad_edits(fields: dict[str, Any], hint: str) -> None:
    args: dict[str, Any] = {
        "user_id": None,
        "agent_id": None,
        "metadata": None,
        "remove_fields": None,
        **fields,
    }
    with pytest.raises(InvalidRequestError, match=hint):
        build("profiles.edit", "t1", **args)


def test_other_profile_requests() -> None:
    assert build("profiles.templates.get", "t1").body == {"profile_template_id": "t1"}
    assert build("profiles.templates.delete", "t1").body == {"profile_template_id": "t1"}
    assert build("profiles.templates.list", page=None, size=100).body == {"size": 100}
    assert build("profiles.delete", "t1", user_id=None, agent_id="a1").body == {
        "agent_id": "a1",
        "profile_template_id": "t1",
    }
    with pytest.raises(InvalidRequestError, match="size"):
        build("profiles.templates.list", page=1, size=101)
