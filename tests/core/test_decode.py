"""Response models: legacy and empty shapes, open enums, coercions and time accessors."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from memos_client import UnexpectedResponseError
from memos_client._core._decode import add_result, initial_status, model, task_status
from memos_client._core._envelope import EMPTY
from memos_client.types import FactMemory, SearchResult, to_datetime
from memos_client.types._base import MemOSModel


@pytest.mark.parametrize(
    "data",
    [
        {"task_id": "t1", "status": "completed"},
        [{"status": "completed"}],  # the legacy one-element list
        [{"task_id": "t1", "status": "completed"}],
    ],
)
def test_status_shapes_normalise(data: object) -> None:
    status = task_status(data, "t1")
    assert (status.task_id, status.status, status.done) == ("t1", "completed", True)


def test_status_with_no_data_is_unknown_not_an_error() -> None:
    empties: tuple[object, ...] = (None, [], {})
    for data in empties:
        status = task_status(data, "t1")
        assert (status.task_id, status.status, status.done) == ("t1", None, False)


def test_unknown_status_string_is_kept() -> None:
    status = task_status({"status": "in_progress"}, "t1")
    assert status.status == "in_progress" and not status.done


def test_memory_views_are_typed_and_open() -> None:
    status = task_status(
        {
            "task_id": "t1",
            "status": "completed",
            "memory_views": {
                "added": 2,
                "updated": 1,
                "deleted": 0,
                "detail_factual": {"memory_ids": ["m1"]},
                "preference": {"memory_ids": ["p1"]},
                "hologram": {"memory_ids": ["h1"]},  # a view this SDK does not know yet
            },
        },
        "t1",
    )
    views = status.memory_views
    assert views is not None
    assert (views.added, views.updated, views.deleted) == (2, 1, 0)
    assert views.memory_ids("preference") == ["p1"]
    assert views.memory_ids() == ["m1", "p1", "h1"]


def test_non_object_status_data_is_unexpected() -> None:
    with pytest.raises(UnexpectedResponseError, match="get/status"):
        task_status("completed", "t1")


def test_empty_add_answer_is_untrackable() -> None:
    assert add_result(EMPTY) is None
    assert add_result(None) is None


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"success": True, "task_id": "t", "status": "running"}, "running"),
        ({"success": True, "task_id": "t", "status": "completed"}, "completed"),
        ({"success": False, "task_id": "t", "status": "running"}, "failed"),
        ({"task_id": "t"}, None),
    ],
)
def test_initial_status_from_add(data: dict[str, object], status: str | None) -> None:
    result = add_result(data)
    assert result is not None
    assert initial_status(result).status == status


SEED_WORKING_MEMORY = {
    "id": "c436a738-eec9-4010-b65d-dc9c135d3a37",
    "memory_key": "user: [09:44 AM on 10 December, 2025 UTC]: I've booked a trip to Guangzhou",
    "memory_value": "user: ...\nassistant: ...\n",
    "memory_type": "WorkingMemory",
    "create_time": 1765359875901,
    "update_time": 1765359875902,
    "conversation_id": "0610",
    "status": "activated",
    "confidence": 0.99,
    "relativity": 0.05407696,
    "tags": ["mode:fast"],
}


def search_result(data: Any) -> SearchResult:
    """search/memory's data, decoded as the client decodes it."""
    return model(SearchResult, data, "search/memory")


def test_search_result_types_every_list() -> None:
    result = search_result(
        {
            "memory_detail_list": [SEED_WORKING_MEMORY],
            "preference_detail_list": [
                {"id": "p", "preference_type": "implicit_preference", "preference": "cheap hotels"}
            ],
            "tool_memory_detail_list": [
                {"id": "t", "tool_type": "ToolSchemaMemory", "tool_value": {"name": "f"}}
            ],
            "skill_detail_list": [
                {"id": "s", "relativity": "0.7", "skill_value": {"procedure": ["a", "b"]}}
            ],
            "event_detail_list": [{"id": "e", "event_key": "Trip", "event_time": ["2025-07"]}],
            "profile_detail_list": [{"id": "pr", "profile_path": "basic.job"}],
            "preference_note": "# Note",
            "brand_new_field": 1,
        }
    )
    assert len(result) == 6
    memory = result.memories[0]
    assert memory.memory_type == "WorkingMemory" and memory.tags == ["mode:fast"]
    assert memory.created_at == datetime(2025, 12, 10, 9, 44, 35, 901000, tzinfo=timezone.utc)
    assert result.preferences[0].preference_type == "implicit_preference"
    assert result.tool_memory_detail_list[0].tool_value == {"name": "f"}
    assert result.skill_detail_list[0].relativity == 0.7
    assert result.skill_detail_list[0].skill_value is not None
    assert result.skill_detail_list[0].skill_value.procedure == ["a", "b"]
    assert result.event_detail_list[0].event_time == ["2025-07"]
    assert result.profile_detail_list[0].profile_path == "basic.job"
    assert result.model_extra == {"brand_new_field": 1}


def test_missing_search_lists_are_empty() -> None:
    result = search_result(None)
    assert len(result) == 0 and result.preference_note == ""


def test_search_result_renders_for_notebooks() -> None:
    html = search_result({"memory_detail_list": [SEED_WORKING_MEMORY]})._repr_html_()
    assert "WorkingMemory" in html and "<table>" in html and "0.05" in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1765359875901, datetime(2025, 12, 10, 9, 44, 35, 901000, tzinfo=timezone.utc)),
        ("1765359875901", datetime(2025, 12, 10, 9, 44, 35, 901000, tzinfo=timezone.utc)),
        ("2025-12-10T09:44:35Z", datetime(2025, 12, 10, 9, 44, 35, tzinfo=timezone.utc)),
        ("2025-12-10T09:44:35", datetime(2025, 12, 10, 9, 44, 35, tzinfo=timezone.utc)),
        ("next tuesday", None),
        (None, None),
    ],
)
def test_to_datetime(value: int | str | None, expected: datetime | None) -> None:
    assert to_datetime(value) == expected


def test_nulls_stand_for_defaults() -> None:
    result = search_result(
        {
            "memory_detail_list": [{"id": "m", "tags": None, "memory_value": "x"}],
            "preference_detail_list": None,
            "preference_note": None,
        }
    )
    assert result.memories[0].tags == [] and result.preferences == []
    assert result.preference_note == ""


def test_numeric_ids_read_as_strings() -> None:
    added = add_result({"success": True, "task_id": 12345, "status": "running"})
    assert added is not None and added.task_id == "12345"


@pytest.mark.parametrize(
    ("data", "where", "raw"),
    [
        ({"memory_detail_list": "not a list"}, ("memory_detail_list",), "not a list"),
        ({"memory_detail_list": [{"confidence": "very"}]}, ("memory_detail_list", 0), "very"),
        ({"memory_detail_list": [{"id": "m1"}, 42]}, ("memory_detail_list", 1), 42),
        ({"skill_detail_list": [{"relativity": "high"}]}, ("skill_detail_list", 0), "high"),
    ],
)
def test_a_misfit_field_keeps_its_raw_value_and_the_rest_decodes(
    data: dict[str, Any], where: tuple[Any, ...], raw: object, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {**data, "preference_detail_list": [{"preference": "tea", "relativity": "0.5"}]}
    with caplog.at_level("WARNING", logger="memos_client"):
        result = search_result(answer)
    assert result.preferences[0].preference == "tea"
    assert result.preferences[0].relativity == 0.5  # a lossless coercion, no warning
    node: Any = result
    for part in where:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    if not isinstance(node, (str, int)):
        node = node.confidence if where[0] == "memory_detail_list" else node.relativity
    assert node == raw
    [record] = caplog.records
    assert record.levelname == "WARNING" and ".".join(map(str, where[:1])) in record.getMessage()


def test_relativity_sent_as_a_numeric_string_is_a_number() -> None:
    result = search_result({"skill_detail_list": [{"relativity": "0.82"}]})
    assert result.skill_detail_list[0].relativity == 0.82


def test_data_that_is_not_an_object_is_an_unexpected_response() -> None:
    with pytest.raises(UnexpectedResponseError, match="expected an object"):
        search_result([1, 2])


@pytest.mark.parametrize("value", [10**20, float("nan"), "1e30", -(10**20)])
def test_to_datetime_never_raises(value: int | float | str) -> None:
    assert to_datetime(value) is None


def test_one_pass_decoding_matches_the_general_path_and_leaves_odd_answers_to_it() -> None:
    import json as _json

    from memos_client._core._decode import one_pass
    from memos_client.types import SearchResult

    data = {"memory_detail_list": [{"id": "m1", "memory_value": "tea", "relativity": "0.5"}]}
    body = _json.dumps({"code": 0, "data": data, "message": "ok"}).encode()
    fast = one_pass(SearchResult, body)
    assert fast is not None and fast == search_result(data)
    odd: dict[str, Any]
    for odd in (
        {"code": 40010, "data": None, "message": "bad"},  # an error
        {"code": 0, "data": None},  # no data
        {"code": 0, "data": {"memory_detail_list": [{"relativity": "high"}]}},  # a misfit
        {"results": []},  # no envelope
    ):
        assert one_pass(SearchResult, _json.dumps(odd).encode()) is None
    assert one_pass(SearchResult, b"<html>") is None


def test_a_status_decoded_in_one_pass_gets_the_task_id_asked_for() -> None:
    from memos_client.types import TaskStatus

    reading = task_status(TaskStatus.model_validate({"status": "running"}), "t1")
    assert (reading.task_id, reading.status) == ("t1", "running")


def test_a_memory_detail_reads_its_sources_where_memos_puts_them() -> None:
    from memos_client.types import MemoryDetail

    source = {"role": "user", "content": "I love tea", "lang": "en"}
    detail = model(MemoryDetail, {"id": "m1", "metadata": {"sources": [source]}}, "get/memory")
    assert detail.sources == [source] and detail.metadata == {"sources": [source]}
    old = model(MemoryDetail, {"id": "m1", "sources": [source]}, "get/memory")
    assert old.sources == [source]  # the old place still works
    odd = model(MemoryDetail, {"id": "m1", "metadata": {"sources": "n/a"}}, "get/memory")
    assert odd.sources == []


def _response_models() -> list[type[MemOSModel]]:
    import memos_client.types as types_package

    for name in types_package.__all__:  # load every model module
        getattr(types_package, name)
    found: list[type[MemOSModel]] = []
    pending = [MemOSModel]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("memos_client.types")]


def test_no_response_model_field_defaults_to_a_shared_mutable_value() -> None:
    """An absent field whose default is `[]` or `{}` costs pydantic a `copy.deepcopy`
    call on every answer (about 0.8 µs each); `Field(default_factory=list)` costs
    almost nothing and gives each result its own list just the same."""
    offenders = [
        f"{cls.__name__}.{name}"
        for cls in _response_models()
        for name, info in cls.model_fields.items()
        if isinstance(info.default, (list, dict, set))
    ]
    assert len(_response_models()) > 30
    assert offenders == []


def test_each_result_gets_its_own_empty_lists() -> None:
    first, second = SearchResult(), SearchResult()
    first.memory_detail_list.append(FactMemory(id="m1"))
    assert second.memory_detail_list == [] and SearchResult().memory_detail_list == []
