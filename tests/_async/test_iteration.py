"""Iterating what `list()` returns walks every item of every page, fetching each page
only when the iteration reaches it; a page's own items stay in its lists."""

from __future__ import annotations

import pickle
from contextlib import aclosing
from typing import Any

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, NotFoundError, messages as m
from memos_client.types import (
    EventMemory,
    FactMemory,
    KnowledgeBaseFilePage,
    MemoryPage,
    PreferenceMemory,
    ProfileMemory,
    ProfileTemplatePage,
    Skill,
    ToolMemory,
)
from tests._async.conftest import Env
from tests.helpers import API_KEY, BASE_URL, body_of, business_error, ok


def memory_pages(per_page: int = 2, pages: int = 3) -> Any:
    """get/memory answered page by page: `per_page` facts `m{page}.{n}` on each of `pages`."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {
                "memory_detail_list": [{"id": f"m{page}.{n}"} for n in range(per_page)],
                "total": per_page * pages,
                "size": per_page,
                "current": page,
                "pages": pages,
            }
        )

    return answer


@pytest.mark.anyio
async def test_iterating_a_listing_walks_every_memory_fetching_pages_as_reached(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages())
    seen = [
        (memory.id, route.call_count)
        async for memory in client.memories.list(
            user_id="u1", size=2, extra_headers={"X-Trace": "t"}, extra_body={"beta": 1}
        )
    ]
    assert seen == [
        ("m1.0", 1),
        ("m1.1", 1),  # the second page is fetched only when the first is exhausted
        ("m2.0", 2),
        ("m2.1", 2),
        ("m3.0", 3),
        ("m3.1", 3),
    ]
    bodies = [body_of(call.request) for call in route.calls]
    assert [body.get("page") for body in bodies] == [None, 2, 3]  # page 1 as asked: unset
    assert all(body["size"] == 2 and body["user_id"] == "u1" for body in bodies)
    assert all(body["beta"] == 1 for body in bodies)
    assert all(call.request.headers["x-trace"] == "t" for call in route.calls)


@pytest.mark.anyio
async def test_stopping_early_fetches_no_more_pages(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages())
    # Closed when left early, as trio asks of every async generator.
    async with aclosing(aiter(client.memories.list(user_id="u1", size=2))) as memories:
        async for memory in memories:
            assert memory.id == "m1.0"
            break
    assert route.call_count == 1


@pytest.mark.anyio
async def test_the_listing_is_still_one_page_whose_lists_hold_its_own_items(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages())
    page = await client.memories.list(user_id="u1", size=2)
    assert isinstance(page, MemoryPage) and route.call_count == 1
    assert [memory.id for memory in page.memories] == ["m1.0", "m1.1"]
    assert len(page) == 2 and page.next_page() == 2
    assert route.call_count == 1
    ids = [memory.id async for memory in page]  # the page itself walks on
    assert ids == ["m1.0", "m1.1", "m2.0", "m2.1", "m3.0", "m3.1"]
    assert route.call_count == 3
    assert [memory.id for memory in page.memories] == ["m1.0", "m1.1"]  # unchanged


@pytest.mark.anyio
async def test_a_walk_starts_at_the_page_asked_for(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages())
    ids = [memory.id async for memory in client.memories.list(user_id="u1", page=2)]
    assert ids == ["m2.0", "m2.1", "m3.0", "m3.1"]
    assert [body_of(call.request)["page"] for call in route.calls] == [2, 3]


@pytest.mark.anyio
async def test_a_page_yields_every_kind_in_field_order_and_skips_misfits(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    router.post("/get/memory").mock(
        return_value=ok(
            {
                "profile_detail_list": [{"id": "p1", "memory": "Basic.Job: nurse"}],
                "event_detail_list": [{"id": "e1"}],
                "skill_detail_list": [{"id": "s1"}],
                "tool_memory_detail_list": [{"id": "t1"}],
                "preference_detail_list": [{"id": "pref1"}, "not a preference"],
                "memory_detail_list": [{"id": "f1"}, 42, {"id": "f2"}],
                "current": 1,
                "pages": 1,
            }
        )
    )
    page = await client.memories.list(user_id="u1")
    kept: list[object] = list(page.preference_detail_list)
    assert kept[1] == "not a preference"  # kept as sent
    items = [item async for item in client.memories.list(user_id="u1")]
    assert [(type(item), item.id) for item in items] == [
        (FactMemory, "f1"),
        (FactMemory, "f2"),
        (PreferenceMemory, "pref1"),
        (ToolMemory, "t1"),
        (Skill, "s1"),
        (EventMemory, "e1"),
        (ProfileMemory, "p1"),
    ]
    assert len(page) == len(items) == 7


@pytest.mark.anyio
async def test_a_server_that_does_not_advance_cannot_loop_the_iteration(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    stuck = ok({"memory_detail_list": [{"id": "m"}], "current": 1, "pages": 9})
    route = router.post("/get/memory").mock(return_value=stuck)
    assert [memory.id async for memory in client.memories.list(user_id="u1")] == ["m", "m"]
    assert route.call_count == 2


@pytest.mark.anyio
async def test_an_error_on_a_later_page_surfaces_after_the_earlier_items(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    first = ok({"memory_detail_list": [{"id": "m1"}], "current": 1, "pages": 2})
    router.post("/get/memory").mock(side_effect=[first, business_error(40001, "gone")])
    seen: list[str | None] = []
    with pytest.raises(NotFoundError, match="gone"):
        async for memory in client.memories.list(user_id="u1"):
            seen.append(memory.id)
    assert seen == ["m1"]


@pytest.mark.anyio
async def test_knowledge_base_files_iterate_across_pages(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    def files(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {"file_detail_list": [{"id": f"f{page}"}], "total": 3, "page": page, "page_size": 1}
        )

    route = router.post("/get/knowledgebase-file").mock(side_effect=files)
    listing = client.knowledgebases.files.list("kb1", page_size=1)
    assert [file.id async for file in listing] == ["f1", "f2", "f3"]
    assert [body_of(call.request).get("page") for call in route.calls] == [None, 2, 3]
    assert all(body_of(call.request)["knowledgebase_id"] == "kb1" for call in route.calls)
    page = await client.knowledgebases.files.list("kb1", page_size=1)
    assert isinstance(page, KnowledgeBaseFilePage) and [f.id for f in page.files] == ["f1"]
    assert len(page) == 1


@pytest.mark.anyio
async def test_profile_templates_iterate_across_pages(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    def templates(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {
                "profile_templates": [{"profile_template_id": f"t{page}"}],
                "current": page,
                "pages": 2,
            }
        )

    route = router.post("/list/profile_template").mock(side_effect=templates)
    names = [t.profile_template_id async for t in client.profiles.templates.list(size=1)]
    assert names == ["t1", "t2"] and route.call_count == 2
    page = await client.profiles.templates.list(size=1)
    assert isinstance(page, ProfileTemplatePage)
    assert [t.profile_template_id for t in page.profile_templates] == ["t1"]


@pytest.mark.anyio
async def test_a_pickled_or_copied_page_is_a_plain_page_of_its_own_items(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages())
    page = await client.memories.list(user_id="u1", size=2)
    data = pickle.dumps(page)
    assert API_KEY.encode() not in data and b"MemOS" not in data
    assert API_KEY not in repr(page) and "MemOS" not in repr(page)
    for plain in (pickle.loads(data), page.model_copy(), page.model_copy(deep=True)):
        assert plain == page and repr(plain) == repr(page)
        assert [memory.id async for memory in plain] == ["m1.0", "m1.1"]
    assert route.call_count == 1  # a plain page never fetches


@pytest.mark.anyio
async def test_a_page_fetches_through_its_client_so_walk_it_before_closing(
    router: respx.MockRouter,
) -> None:
    router.post("/get/memory").mock(side_effect=memory_pages())
    memos = AsyncMemOS(api_key=API_KEY, base_url=BASE_URL)
    page = await memos.memories.list(user_id="u1", size=2)
    await memos.aclose()
    seen: list[str | None] = []
    with pytest.raises(RuntimeError, match="closed"):
        async for memory in page:
            seen.append(memory.id)
    assert seen == ["m1.0", "m1.1"]


@pytest.mark.anyio
async def test_iterating_walks_every_memory_on_the_emulator(env: Env) -> None:
    for n in range(5):
        await env.client.add(
            [m.user(f"My note number {n} about gardening.")], user_id="bob", async_mode=False
        )
    by_page = [
        memory.id
        async for page in env.client.memories.iter_pages(user_id="bob", size=2)
        for memory in page
    ]
    walked = [memory.id async for memory in env.client.memories.list(user_id="bob", size=2)]
    assert len(walked) == 5 and len(set(walked)) == 5
    assert walked == by_page
    first = await env.client.memories.list(user_id="bob", size=2)
    assert len(first) == 2 and [memory.id async for memory in first] == walked
