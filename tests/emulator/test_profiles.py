"""Profiles end to end: template CRUD, bind, filling by add/message, edit, remove, delete."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing import FakeMemOS, ManualClock

from .helpers import add, code_of, ok, search


def leaf(value: str = "", updatable: bool = True) -> dict[str, Any]:
    return {"value": value, "algorithm_updatable": updatable}


TREE = {
    "basic": {
        "job": leaf(),
        "city": leaf(),
        "name": leaf("", updatable=False),
    },
    "tastes": {"favourite_color": leaf("red")},
}


def create(http: httpx.Client, name: str = "persona", tree: Any = None) -> str:
    body = {"name": name, "metadata": TREE if tree is None else tree}
    data = ok(http, "add/profile_template", body)
    template_id = data["profile_template_id"]
    assert isinstance(template_id, str)
    return template_id


def bind(http: httpx.Client, template_id: str, **subject: str) -> None:
    entry = {**subject, "profile_template_id": template_id}
    assert ok(http, "bind/profile_template", {"bind_list": [entry]}) == {"success": True}


def profile(http: httpx.Client, user_id: str = "u1", **extra: Any) -> dict[str, str]:
    data = ok(http, "get/memory", {"user_id": user_id, "include_memory_view": ["profile"], **extra})
    return {item["profile_path"]: item["memory"] for item in data["profile_detail_list"]}


def test_template_crud(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    first = create(http, "first")
    fake.clock.advance(1)
    second = create(http, "second")
    got = ok(http, "get/profile_template", {"profile_template_id": first})["profile_template"]
    assert got == {
        "profile_template_id": first,
        "name": "first",
        "project_id": "fake-project",
        "metadata": TREE,
        "instance_count": 0,
        "create_time": 1765359840000,
        "update_time": 1765359840000,
    }
    listed = ok(http, "list/profile_template", {"size": 1})
    assert (listed["total"], listed["current"], listed["size"], listed["pages"]) == (2, 1, 1, 2)
    assert [t["profile_template_id"] for t in listed["profile_templates"]] == [second]
    assert "metadata" not in listed["profile_templates"][0]
    page_two = ok(http, "list/profile_template", {"page": 2, "size": 1})["profile_templates"]
    assert [t["name"] for t in page_two] == ["first"]
    defaults = ok(http, "list/profile_template", {})
    assert (defaults["size"], defaults["current"]) == (10, 1)
    updated = ok(http, "update/profile_template", {"profile_template_id": first, "name": "renamed"})
    assert updated == {"success": True, "profile_template_id": first}
    assert fake.profile_templates[first].name == "renamed"
    bind(http, first, user_id="u1")
    bind(http, first, agent_id="bot")
    deleted = ok(http, "delete/profile_template", {"profile_template_id": first})
    assert deleted == {"success": True, "profile_template_id": first, "deleted_instances": 2}
    assert list(fake.profile_templates) == [second]
    assert code_of(http, "get/profile_template", {"profile_template_id": first}) == 40001


def test_bind_creates_instances_with_the_defaults(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    template_id = create(http)
    assert profile(http) == {}
    bind(http, template_id, user_id="u1")
    bind(http, template_id, user_id="u1")  # binding again changes nothing
    assert profile(http) == {"tastes.favourite_color": "Tastes.Favourite_color: red"}
    got = ok(http, "get/profile_template", {"profile_template_id": template_id})
    assert got["profile_template"]["instance_count"] == 1
    [instance] = fake.profiles(user_id="u1")
    assert instance.template_id == template_id


def test_add_message_fills_updatable_fields_after_a_bind(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    template_id = create(http)
    add(http, "I work as a nurse", async_mode=False)  # before the bind: not back-filled
    bind(http, template_id, user_id="u1")
    assert "basic.job" not in profile(http)
    task_id = add(
        http,
        "I work as a nurse. I live in Lyon, near the river. My name is Ann. "
        "My favourite color is blue.",
    )["task_id"]
    fake.clock.advance(1)
    assert profile(http) == {
        "basic.job": "Basic.Job: nurse",
        "basic.city": "Basic.City: Lyon",
        "tastes.favourite_color": "Tastes.Favourite_color: blue",
    }  # basic.name is locked
    views = ok(http, "get/status", {"task_id": task_id})["memory_views"]
    assert len(views["profile"]["memory_ids"]) == 3
    found = search(http, "what is my job", include_memory_view=["profile"])
    [item] = found["profile_detail_list"]
    assert {key: item[key] for key in item if key not in ("id", "create_time", "update_time")} == {
        "memory": "Basic.Job: nurse",
        "memory_type": "ProfileMemory",
        "template_id": template_id,
        "profile_category": "basic",
        "profile_field": "job",
        "profile_path": "basic.job",
        "status": "activated",
        "confidence": 0.9,
        "relativity": 1.0,
        "algorithm_updatable": True,
    }
    assert search(http, "what is my job")["profile_detail_list"] == []  # views decide


def test_allow_memory_view_without_profile_leaves_profiles_alone(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    bind(http, create(http), user_id="u1")
    add(http, "I work as a nurse", async_mode=False, allow_memory_view=["detail_factual"])
    assert "basic.job" not in profile(http)


def test_edit_sets_locks_and_removes_fields(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    template_id = create(http)
    bind(http, template_id, user_id="u1")
    edit = {
        "user_id": "u1",
        "profile_template_id": template_id,
        "metadata": {"basic": {"job": {"value": "pilot", "algorithm_updatable": False}}},
    }
    assert ok(http, "edit/profile", edit) == {"success": True}
    add(http, "I work as a nurse", async_mode=False)
    assert profile(http)["basic.job"] == "Basic.Job: pilot"  # locked by the edit
    found = search(http, "job", include_memory_view=["profile"])["profile_detail_list"]
    assert (found[0]["algorithm_updatable"], found[0]["confidence"]) == (False, 1.0)
    removal = {"user_id": "u1", "profile_template_id": template_id, "remove_fields": ["basic.job"]}
    ok(http, "edit/profile", removal)
    assert "basic.job" not in profile(http)
    unlock = {
        "user_id": "u1",
        "profile_template_id": template_id,
        "metadata": {"basic": {"name": {"algorithm_updatable": True}}},
    }
    ok(http, "edit/profile", unlock)
    add(http, "My name is Ann", async_mode=False)
    assert profile(http)["basic.name"] == "Basic.Name: Ann"


def test_update_template_propagates_to_instances(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    template_id = create(http)
    bind(http, template_id, user_id="u1")
    add(http, "I work as a nurse", async_mode=False)
    new_tree = {
        "basic": {"job": leaf(), "age": leaf("unknown")},
        "tastes": {"favourite_color": leaf("green")},
    }
    ok(http, "update/profile_template", {"profile_template_id": template_id, "metadata": new_tree})
    assert profile(http) == {
        "basic.job": "Basic.Job: nurse",
        "basic.age": "Basic.Age: unknown",
        "tastes.favourite_color": "Tastes.Favourite_color: green",
    }
    [instance] = fake.profiles(user_id="u1")
    assert ("basic", "city") not in instance.values
    got = ok(http, "get/profile_template", {"profile_template_id": template_id})
    assert got["profile_template"]["metadata"] == new_tree


def test_profile_items_can_be_updated_but_not_fetched(http: httpx.Client) -> None:
    bind(http, create(http), user_id="u1")
    data = ok(http, "get/memory", {"user_id": "u1", "include_memory_view": ["profile"]})
    [item] = data["profile_detail_list"]
    assert http.get(f"/get/memory/{item['id']}").json()["code"] == 40001
    ok(http, "update/memory", {"memory_id": item["id"], "content": "purple"})
    assert profile(http) == {"tastes.favourite_color": "Tastes.Favourite_color: purple"}
    ok(http, "update/memory", {"memory_id": item["id"], "status": "archived"})
    assert profile(http) == {}


def test_delete_profile_and_delete_memory_by_user(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    template_id = create(http)
    bind(http, template_id, user_id="u1")
    bind(http, template_id, agent_id="bot")
    add(http, "I work as a nurse", async_mode=False)
    ok(http, "delete/memory", {"user_id": "u1"})
    assert profile(http) == {"tastes.favourite_color": "Tastes.Favourite_color: red"}
    body = {"agent_id": "bot", "profile_template_id": template_id}
    assert ok(http, "delete/profile", body) == {"success": True}
    assert code_of(http, "delete/profile", body) == 40001
    assert fake.stats.profile_instances == 1


@pytest.mark.parametrize(
    ("tree", "code"),
    [
        (None, 40002),
        ({}, 40000),
        ("x", 40000),
        ({"a": {"b": {"c": {"d": leaf()}}}}, 40000),
        ({"a": {"b": {"value": 3, "algorithm_updatable": True}}}, 40000),
        ({"a": {"b": {"value": "x"}}}, 40000),
        ({"a": {}}, 40000),
        ({"a.b": leaf()}, 40000),
        ({"a": "text"}, 40000),
    ],
)
def test_template_tree_validation(http: httpx.Client, tree: Any, code: int) -> None:
    body: dict[str, Any] = {"name": "t"}
    if tree is not None:
        body["metadata"] = tree
    assert code_of(http, "add/profile_template", body) == code


def test_three_levels_are_allowed(http: httpx.Client) -> None:
    create(http, tree={"a": {"b": {"c": leaf("deep")}}})


@pytest.mark.parametrize(
    ("endpoint", "body", "code"),
    [
        ("add/profile_template", {"name": "  ", "metadata": TREE}, 40002),
        ("update/profile_template", {"name": "x"}, 40002),
        ("update/profile_template", {"profile_template_id": "nope", "name": "x"}, 40001),
        ("update/profile_template", {"profile_template_id": "T"}, 40002),
        ("update/profile_template", {"profile_template_id": "T", "metadata": {}}, 40000),
        ("get/profile_template", {}, 40002),
        ("get/profile_template", {"profile_template_id": "nope"}, 40001),
        ("list/profile_template", {"size": 101}, 40000),
        ("list/profile_template", {"size": 0}, 40000),
        ("list/profile_template", {"page": 0}, 40000),
        ("delete/profile_template", {"profile_template_id": "nope"}, 40001),
        ("bind/profile_template", {}, 40002),
        ("bind/profile_template", {"bind_list": []}, 40003),
        ("bind/profile_template", {"bind_list": "x"}, 40000),
        (
            "bind/profile_template",
            {"bind_list": [{"user_id": f"u{i}", "profile_template_id": "T"} for i in range(21)]},
            40000,
        ),
        ("bind/profile_template", {"bind_list": [{"profile_template_id": "T"}]}, 40002),
        (
            "bind/profile_template",
            {"bind_list": [{"user_id": "u", "agent_id": "a", "profile_template_id": "T"}]},
            40000,
        ),
        ("bind/profile_template", {"bind_list": [{"user_id": "u"}]}, 40002),
        (
            "bind/profile_template",
            {"bind_list": [{"user_id": "u", "profile_template_id": "x"}]},
            40001,
        ),
        ("edit/profile", {"profile_template_id": "T", "remove_fields": []}, 40002),
        ("edit/profile", {"user_id": "u", "agent_id": "a", "profile_template_id": "T"}, 40000),
        ("edit/profile", {"user_id": "nobody", "profile_template_id": "T", "metadata": {}}, 40001),
        ("edit/profile", {"user_id": "u1", "profile_template_id": "T"}, 40002),
        (
            "edit/profile",
            {"user_id": "u1", "profile_template_id": "T", "remove_fields": ["x.y"]},
            40000,
        ),
        (
            "edit/profile",
            {"user_id": "u1", "profile_template_id": "T", "remove_fields": "x"},
            40000,
        ),
        (
            "edit/profile",
            {"user_id": "u1", "profile_template_id": "T", "metadata": {"basic": {"x": leaf()}}},
            40000,
        ),
        (
            "edit/profile",
            {
                "user_id": "u1",
                "profile_template_id": "T",
                "metadata": {"basic": {"job": {"value": 3}}},
            },
            40000,
        ),
        ("delete/profile", {"user_id": "u1"}, 40002),
        ("delete/profile", {"profile_template_id": "T"}, 40002),
    ],
)
def test_profile_validation(
    http: httpx.Client, endpoint: str, body: dict[str, Any], code: int
) -> None:
    template_id = create(http)
    bind(http, template_id, user_id="u1")

    def fill(value: Any) -> Any:
        if value == "T":
            return template_id
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        return value

    assert code_of(http, endpoint, fill(body)) == code
