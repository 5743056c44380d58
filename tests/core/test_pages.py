"""Page models say whether another page follows; the walker trusts only forward moves."""

from __future__ import annotations

import pytest

from memos_client.types import KnowledgeBaseFilePage, MemoryPage, ProfileTemplatePage

ITEM = [{"id": "m"}]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"memory_detail_list": ITEM, "current": 1, "pages": 3}, 2),
        ({"memory_detail_list": ITEM, "current": 3, "pages": 3}, None),
        ({"memory_detail_list": ITEM, "current": 1, "total": 25, "size": 10}, 2),
        ({"memory_detail_list": ITEM, "current": 3, "total": 25, "size": 10}, None),
        ({"preference_detail_list": ITEM, "current": 1}, 2),  # no counts: go on while items come
        ({"current": 1, "pages": 5}, None),  # an empty page ends the walk
    ],
)
def test_memory_page_next(fields: dict[str, object], expected: int | None) -> None:
    assert MemoryPage.model_validate(fields).next_page() == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"file_detail_list": ITEM, "page": 1, "page_size": 20, "total": 41}, 2),
        ({"file_detail_list": ITEM, "page": 3, "page_size": 20, "total": 41}, None),
        ({"file_detail_list": ITEM, "page": 1}, 2),
        ({"file_detail_list": [], "page": 1, "total": 99, "page_size": 20}, None),
    ],
)
def test_file_page_next(fields: dict[str, object], expected: int | None) -> None:
    assert KnowledgeBaseFilePage.model_validate(fields).next_page() == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"profile_templates": ITEM, "current": 1, "pages": 2}, 2),
        ({"profile_templates": ITEM, "current": 2, "pages": 2}, None),
        ({"profile_templates": ITEM, "current": 1}, 2),
        ({"profile_templates": [], "current": 1, "pages": 9}, None),
    ],
)
def test_template_page_next(fields: dict[str, object], expected: int | None) -> None:
    assert ProfileTemplatePage.model_validate(fields).next_page() == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PROCESSING", "running"),
        ("running", "running"),
        ("COMPLETED", "completed"),
        ("Failed", "failed"),
        ("queued", "queued"),
    ],
)
def test_file_status_is_normalised(raw: str, expected: str) -> None:
    from memos_client.types import KnowledgeBaseFile

    record = KnowledgeBaseFile.model_validate({"id": "f", "status": raw, "sizeMB": 0.5, "size": 12})
    assert (record.status, record.size_mb, record.size) == (expected, 0.5, "12")
