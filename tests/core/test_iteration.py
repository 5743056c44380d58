"""What iterating a model means: collections yield their items, other models refuse
with a clear TypeError (never pydantic's `(field, value)` pairs), and pages keep their
fetcher out of copies, pickles and reprs. Also what only one client kind has: the
async client's `list()` is awaitable and async-iterable, and a page walks only with
the iteration its client can do."""

from __future__ import annotations

import copy
import pickle
import re
from typing import Any

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, MemOS
from memos_client._core import _decode
from memos_client.types import (
    AddResult,
    ChatResponse,
    ExtractResult,
    FactMemory,
    KnowledgeBaseFile,
    KnowledgeBaseFilePage,
    MemoryDetail,
    MemoryPage,
    MemoryViews,
    MessageHistory,
    OperationResult,
    ProfileTemplate,
    ProfileTemplatePage,
    RerankResult,
    SearchResult,
    TaskStatus,
)
from memos_client.types._listings import AsyncMemoryPage
from tests.helpers import API_KEY, BASE_URL, body_of, ok

SEARCH = {
    "memory_detail_list": [{"id": "f1", "memory_value": "Guangzhou"}, "odd", {"id": "f2"}],
    "preference_detail_list": [{"id": "p1", "preference": "window seats"}],
    "tool_memory_detail_list": [{"id": "t1"}],
    "skill_detail_list": [7],
    "event_detail_list": [{"id": "e1"}],
    "profile_detail_list": [{"id": "pr1"}],
    "preference_note": "use them",
}


def decoded(cls: type[Any], data: dict[str, Any]) -> Any:
    """As the client decodes an answer: leniently, keeping misfits as sent."""
    return _decode.model(cls, data, "test")


@pytest.mark.parametrize(
    "model",
    [
        TaskStatus(task_id="t1", status="running"),
        AddResult(task_id="t1"),
        MemoryViews(added=1),
        MemoryDetail(id="m1", sources=[{"role": "user"}]),
        FactMemory(id="m1", tags=["a"]),
        OperationResult(success=True),
        ChatResponse(response="hi"),
        KnowledgeBaseFile(id="f1"),
        ProfileTemplate(profile_template_id="t1"),
    ],
    ids=lambda model: type(model).__name__,
)
def test_a_model_that_is_not_a_collection_refuses_iteration(model: Any) -> None:
    name = type(model).__name__
    message = f"{name} is not iterable; use .model_dump() for its fields"
    with pytest.raises(TypeError, match=re.escape(message)):
        iter(model)
    with pytest.raises(TypeError, match="not iterable"):
        dict(model)
    with pytest.raises(TypeError, match="not iterable"):
        list(model)
    # What pydantic's iteration used to serve is intact.
    assert model.model_dump() and repr(model).startswith(f"{name}(")
    assert pickle.loads(pickle.dumps(model)) == model
    assert model.model_copy() == model and copy.deepcopy(model) == model
    assert f"<caption>{name}</caption>" in model._repr_html_()


def test_a_search_result_yields_what_len_counts_list_by_list_skipping_misfits() -> None:
    result = decoded(SearchResult, SEARCH)
    assert result.memory_detail_list[1] == "odd" and result.skill_detail_list == [7]  # as sent
    assert [item.id for item in result] == ["f1", "f2", "p1", "t1", "e1", "pr1"]
    assert len(result) == 6
    assert "Guangzhou" in result.to_prompt()
    assert "SearchResult: 6 memories" in result._repr_html_()
    assert repr(result) == "SearchResult(6 memories)"


def test_an_empty_collection_is_falsy_and_yields_nothing() -> None:
    for empty in (SearchResult(), MessageHistory(), ExtractResult(), RerankResult()):
        assert list(empty) == [] and len(empty) == 0 and not empty


def test_other_collections_yield_their_items() -> None:
    history = decoded(
        MessageHistory,
        {"message_detail_list": [{"role": "user", "content": "hi"}, "x", {"role": "assistant"}]},
    )
    assert [message.role for message in history] == ["user", "assistant"] and len(history) == 2
    extracted = decoded(
        ExtractResult,
        {
            "preference_detail_list": [{"preference": "tea"}],
            "memory_detail_list": [{"memory_value": "nurse"}, None, 3],
        },
    )
    assert [type(item).__name__ for item in extracted] == ["FactMemory", "PreferenceMemory"]
    assert len(extracted) == 2
    ranked = decoded(
        RerankResult, {"results": [{"index": 1, "relevance_score": 0.9}, {"index": 0}, "?"]}
    )
    assert [hit.index for hit in ranked] == [1, 0] and len(ranked) == 2


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            MemoryPage(
                memory_detail_list=[FactMemory(id="m1")], current=1, pages=3, total=3, size=1
            ),
            ["m1"],
        ),
        (
            KnowledgeBaseFilePage(
                file_detail_list=[KnowledgeBaseFile(id="f1")], page=1, page_size=1, total=9
            ),
            ["f1"],
        ),
        (
            ProfileTemplatePage(
                profile_templates=[ProfileTemplate(profile_template_id="t1")], current=1, pages=9
            ),
            ["t1"],
        ),
    ],
    ids=lambda value: type(value).__name__,
)
def test_a_page_built_by_hand_yields_its_own_items_though_more_pages_follow(
    page: Any, expected: list[str]
) -> None:
    assert page.next_page() == 2  # more would follow, but nothing can fetch them
    ids = [getattr(item, "id", None) or item.profile_template_id for item in page]
    assert ids == expected and len(page) == 1


@pytest.mark.anyio
async def test_a_page_built_by_hand_yields_its_own_items_with_async_for_too() -> None:
    page = MemoryPage(memory_detail_list=[FactMemory(id="m1")], current=1, pages=2)
    assert [memory.id async for memory in page] == ["m1"]


def pages_of_two(request: httpx.Request) -> httpx.Response:
    page = body_of(request).get("page", 1)
    return ok({"memory_detail_list": [{"id": f"m{page}"}], "current": page, "pages": 2})


@pytest.mark.anyio
async def test_the_async_listing_sends_nothing_until_awaited_or_iterated(
    router: respx.MockRouter,
) -> None:
    route = router.post("/get/memory").mock(side_effect=pages_of_two)
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        listing = memos.memories.list(user_id="u1")
        assert isinstance(listing, AsyncMemoryPage) and route.call_count == 0
        assert API_KEY not in repr(listing) and "await" in repr(listing)
        with pytest.raises(TypeError, match="await it and pickle the page"):
            pickle.dumps(listing)
        first = await listing
        again = await listing  # each await asks anew, like openai's AsyncPaginator
        assert first == again and route.call_count == 2
        assert [memory.id async for memory in listing] == ["m1", "m2"]
        assert route.call_count == 4


@pytest.mark.anyio
async def test_an_async_clients_page_refuses_a_plain_for_rather_than_stop_at_one_page(
    router: respx.MockRouter,
) -> None:
    route = router.post("/get/memory").mock(side_effect=pages_of_two)
    async with AsyncMemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        page = await memos.memories.list(user_id="u1")
        with pytest.raises(TypeError, match="came from AsyncMemOS.*async for"):
            iter(page)
        assert [memory.id for memory in page.memories] == ["m1"]  # its own items, by list
        plain = pickle.loads(pickle.dumps(page))
        assert [memory.id for memory in plain] == ["m1"]  # a plain page: its own items
    assert route.call_count == 1


def test_a_sync_clients_page_refuses_async_for(router: respx.MockRouter) -> None:
    router.post("/get/memory").mock(side_effect=pages_of_two)
    with MemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        page = memos.memories.list(user_id="u1")
        with pytest.raises(TypeError, match="came from the sync MemOS client.*plain `for`"):
            page.__aiter__()
        assert [memory.id for memory in page] == ["m1", "m2"]


def test_a_sync_listing_is_the_page_itself_fetched_at_once(router: respx.MockRouter) -> None:
    route = router.post("/get/memory").mock(side_effect=pages_of_two)
    with MemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        page = memos.memories.list(user_id="u1")
        assert type(page) is MemoryPage and route.call_count == 1
        iterator = iter(page)
        assert next(iterator).id == "m1" and route.call_count == 1
        assert next(iterator).id == "m2" and route.call_count == 2
        assert next(iterator, None) is None and route.call_count == 2


def test_a_server_field_named_like_the_fetcher_is_just_an_unknown_field(
    router: respx.MockRouter,
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {"memory_detail_list": [{"id": f"m{page}"}], "current": page, "pages": 2, "_more": 1}
        )

    router.post("/get/memory").mock(side_effect=answer)
    with MemOS(api_key=API_KEY, base_url=BASE_URL) as memos:
        page = memos.memories.list(user_id="u1")
        assert page.model_extra == {"_more": 1}
        assert [memory.id for memory in page] == ["m1", "m2"]
    plain = MemoryPage.model_validate({"memory_detail_list": [{"id": "m"}], "_more": "x"})
    assert [memory.id for memory in plain] == ["m"]
