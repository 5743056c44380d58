"""How results show: a one-line repr that says what each is, and an escaped table for
notebooks, with dates as dates. Odd field values (lenient decoding keeps a misfit
as sent) never make either raise."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import BaseModel

from memos_client import FileHandle, InDoubtError, Task, TaskFailedError, types as t
from memos_client._batch import BatchResult
from memos_client.types import (
    AsyncMemoryPage,
    ChatResponse,
    CompletedTaskStatus,
    ExtractResult,
    FactMemory,
    KnowledgeBaseFile,
    KnowledgeBaseFilePage,
    MemoryPage,
    MessageHistory,
    ProfileTemplate,
    ProfileTemplatePage,
    RerankResult,
    SearchResult,
    TaskStatus,
)

EPOCH_MS = 1765359875901  # 2025-12-10 09:44:35.901 UTC
FACT = {
    "id": "m1",
    "memory_type": "LongTermMemory",
    "memory_value": "The user <loves> green tea & dim sum",
    "create_time": EPOCH_MS,
    "relativity": 0.8312,
}
COMPLETED = {
    "task_id": "t-1",
    "status": "completed",
    "memory_views": {"added": 2, "updated": 0, "deleted": 0, "preference": {"memory_ids": ["p1"]}},
}

REPRS: list[tuple[Any, str]] = [
    (TaskStatus(task_id="t-1", status="running"), "TaskStatus(task_id='t-1', status='running')"),
    (
        CompletedTaskStatus.model_validate(COMPLETED),
        "CompletedTaskStatus(task_id='t-1', status='completed', added=2, updated=0, deleted=0)",
    ),
    (
        t.AddResult(success=True, task_id="t-1", status="running"),
        "AddResult(task_id='t-1', status='running')",
    ),
    (
        FactMemory.model_validate(FACT),
        "FactMemory(id='m1', memory_type='LongTermMemory', memory_value='The user <loves> green "
        "tea & dim sum', relativity=0.8312, created_at='2025-12-10 09:44:35 UTC')",
    ),
    (
        MemoryPage.model_validate(
            {"memory_detail_list": [FACT] * 20, "current": 1, "total": 45, "size": 20}
        ),
        "MemoryPage(page 1 of 3, 20 memories)",
    ),
    (MemoryPage(), "MemoryPage(0 memories)"),
    (
        KnowledgeBaseFilePage.model_validate(
            {"file_detail_list": [{"id": "f1"}], "page": 2, "total": 11, "page_size": 10}
        ),
        "KnowledgeBaseFilePage(page 2 of 2, 1 file)",
    ),
    (
        ProfileTemplatePage.model_validate(
            {"profile_templates": [{"name": "a"}, {"name": "b"}], "current": 1, "pages": 1}
        ),
        "ProfileTemplatePage(page 1 of 1, 2 templates)",
    ),
    (
        SearchResult.model_validate(
            {"memory_detail_list": [FACT], "preference_detail_list": [{"preference": "tea"}]}
        ),
        "SearchResult(2 memories)",
    ),
    (
        MessageHistory.model_validate({"message_detail_list": [{"role": "user", "content": "hi"}]}),
        "MessageHistory(1 message)",
    ),
    (ExtractResult.model_validate({"memory_detail_list": [FACT]}), "ExtractResult(1 memory)"),
    (
        RerankResult.model_validate({"results": [{"index": 0}, {"index": 1}]}),
        "RerankResult(2 hits)",
    ),
    (
        ChatResponse(response="Paris.\nIt is in France."),
        "ChatResponse(response='Paris. It is in France.')",
    ),
    (
        KnowledgeBaseFile.model_validate({"id": "f1", "name": "a.pdf", "status": "PROCESSING"}),
        "KnowledgeBaseFile(id='f1', name='a.pdf', status='running')",
    ),
    (
        ProfileTemplate(profile_template_id="pt1", name="basic", instance_count=3),
        "ProfileTemplate(profile_template_id='pt1', name='basic', instance_count=3)",
    ),
    (
        t.Message(role="user", content="hi", create_time=EPOCH_MS),
        "Message(role='user', content='hi', created_at='2025-12-10 09:44:35 UTC')",
    ),
    (Task(None, "t-1", TaskStatus(status="running")), "Task(id='t-1', status='running')"),
    (
        Task(None, None, TaskStatus(status="running"), untracked_reason="the answer was empty"),
        "Task(untracked: the answer was empty)",
    ),
    (
        BatchResult(submitted=98, failed=1, in_doubt=1),
        "BatchResult(submitted=98, failed=1, in_doubt=1, skipped=0)",
    ),
    (
        BatchResult(
            results=[TaskFailedError("x", task_id="t")],
            statuses=[TaskFailedError("x", task_id="t")],
            submitted=1,
            stopped="quota exceeded",
        ),
        "BatchResult(submitted=1, failed=0, in_doubt=0, skipped=0, not_processed=1, "
        "stopped='quota exceeded')",
    ),
]


@pytest.mark.parametrize(("value", "expected"), REPRS, ids=lambda v: type(v).__name__)
def test_a_repr_is_one_line_that_says_what_it_is(value: Any, expected: str) -> None:
    assert repr(value) == expected


def test_an_async_listing_not_yet_fetched_says_how_to_get_it() -> None:
    async def fetch() -> MemoryPage:
        raise AssertionError("never fetched")

    listing = AsyncMemoryPage(fetch)
    assert repr(listing) == (
        "AsyncMemoryPage(not fetched: await it for the page, or async for over every item)"
    )
    assert "await it for the page" in listing._repr_html_()


def test_str_keeps_every_field_and_the_batch_summary() -> None:
    assert str(TaskStatus(task_id="t-1", status="running")) == (
        "task_id='t-1' status='running' memory_views=None"
    )
    assert str(BatchResult(submitted=2)) == (
        "<BatchResult 2 items: 2 submitted, 0 skipped, 0 failed, 0 in doubt>"
    )


def test_html_shows_dates_as_dates_and_escapes_every_value() -> None:
    memory = FactMemory.model_validate(FACT)
    for html in (memory._repr_html_(), SearchResult(memory_detail_list=[memory])._repr_html_()):
        assert "2025-12-10 09:44:35 UTC" in html and str(EPOCH_MS) not in html
        assert "The user &lt;loves&gt; green tea &amp; dim sum" in html and "<loves>" not in html
    # The repr's fields come first in a record's table.
    assert memory._repr_html_().index(">id<") < memory._repr_html_().index(">created_at<")


def test_collections_render_a_row_per_item_under_a_caption_that_counts_them() -> None:
    page = MemoryPage.model_validate(
        {
            "memory_detail_list": [FACT],
            "preference_detail_list": [{"preference": "tea"}],
            "current": 1,
            "pages": 2,
        }
    )
    html = page._repr_html_()
    assert "<caption>MemoryPage: page 1 of 2, 2 memories</caption>" in html
    assert html.count("<tr>") == 3  # the header and one row per memory
    assert "LongTermMemory" in html and "preference" in html and ">m1<" in html
    hits = SearchResult.model_validate({"memory_detail_list": [FACT]})._repr_html_()
    assert "<th style='text-align:left'>relativity</th>" in hits and ">0.83<" in hits
    many = MessageHistory.model_validate(
        {"message_detail_list": [{"role": "user", "content": str(n)} for n in range(150)]}
    )._repr_html_()
    assert many.count("<tr>") == 102 and "… 50 more" in many  # at most 100 rows


def test_cells_keep_their_line_breaks() -> None:
    turns = {"memory_type": "WorkingMemory", "memory_value": "user: hi <b>\nassistant: hello"}
    for html in (
        SearchResult.model_validate({"memory_detail_list": [turns]})._repr_html_(),
        FactMemory.model_validate(turns)._repr_html_(),
    ):
        cell = "white-space:pre-wrap;vertical-align:top'>user: hi &lt;b&gt;\nassistant: hello<"
        assert cell in html


def test_a_task_status_shows_what_the_task_did() -> None:
    html = CompletedTaskStatus.model_validate({**COMPLETED, "note": "<b>"})._repr_html_()
    assert "<caption>CompletedTaskStatus</caption>" in html
    for row in (">added<", ">preference_ids<", "[&#x27;p1&#x27;]", "&lt;b&gt;"):
        assert row in html
    handle = Task(None, "t-1", CompletedTaskStatus.model_validate(COMPLETED))._repr_html_()
    assert "<caption>Task</caption>" in handle and ">added<" in handle


def test_a_chat_answer_renders_whole() -> None:
    answer = "Line one <b>\n" + "x" * 1000
    html = ChatResponse(response=answer)._repr_html_()
    assert "Line one &lt;b&gt;\n" + "x" * 1000 in html and "pre-wrap" in html


def test_a_batch_result_lists_the_items_with_errors() -> None:
    result: BatchResult[Any] = BatchResult(
        results=[InDoubtError("may have <landed>")], keys=["id:a"], in_doubt=1
    )
    html = result._repr_html_()
    assert "<caption>BatchResult: 1 item</caption>" in html
    assert "id:a" in html and "InDoubtError" in html and "may have &lt;landed&gt;" in html


# ----------------------------------------------------------------- odd values never raise

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([5000, 400, 19]).map(lambda digits: -(10**digits))  # huge
    | st.sampled_from([EPOCH_MS, -EPOCH_MS, 2**63])
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["2025-12-10T09:44:35Z", "0001-01-01T00:00:00+23:59", "nan", "1e400"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
MODELS = sorted(
    (
        value
        for value in (getattr(t, name) for name in t.__all__)
        if isinstance(value, type) and issubclass(value, BaseModel)
    ),
    key=lambda model: model.__name__,
)


PAGE_NUMBER_FIELDS = [("MemoryPage", "current"), ("KnowledgeBaseFilePage", "page")]


@pytest.mark.parametrize(("model", "field"), PAGE_NUMBER_FIELDS)
def test_a_page_number_too_long_to_print_still_gives_a_repr(model: str, field: str) -> None:
    # str() refuses integers past 4,300 digits; the repr shows their size instead.
    value = getattr(t, model).model_construct(**{field: -(10**5000)})
    assert "<an integer of" in repr(value)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(MODELS), st.data())
def test_odd_field_values_never_make_a_repr_or_table_raise(model: type[Any], data: Any) -> None:
    names = [*model.model_fields, "extra_field"]
    values = data.draw(st.dictionaries(st.sampled_from(names), JSON, max_size=len(names)))
    value = model.model_construct(**values)
    text = repr(value)
    assert text.startswith(f"{model.__name__}(") and "\n" not in text and len(text) < 1000
    assert isinstance(value._repr_html_(), str)
    assert repr(pickle.loads(pickle.dumps(value))) == text
    handle: Task | FileHandle | None = None  # a handle shows what its last reading holds
    if isinstance(value, TaskStatus):
        handle = Task(None, "t-1", value)
    elif isinstance(value, KnowledgeBaseFile):
        handle = FileHandle(None, "f-1", value)
    if handle is not None:
        assert repr(handle).startswith(type(handle).__name__ + "(")
        assert isinstance(handle._repr_html_(), str)
