"""iter_pages walks every page lazily and stops on the last one."""

from __future__ import annotations

from contextlib import aclosing

import httpx
import pytest
import respx

from memos_client import AsyncMemOS
from tests.helpers import body_of, ok


def memory_pages(request: httpx.Request) -> httpx.Response:
    page = body_of(request).get("page", 1)
    return ok(
        {
            "memory_detail_list": [{"id": f"m{page}"}],
            "total": 3,
            "size": 1,
            "current": page,
            "pages": 3,
        }
    )


@pytest.mark.anyio
async def test_memory_pages_are_walked_to_the_end(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages)
    ids = [
        m.id
        async for page in client.memories.iter_pages(user_id="u1", size=1)
        for m in page.memories
    ]
    assert ids == ["m1", "m2", "m3"]
    assert [body_of(call.request)["page"] for call in route.calls] == [1, 2, 3]
    assert all(body_of(call.request)["size"] == 1 for call in route.calls)


@pytest.mark.anyio
async def test_pages_are_fetched_only_as_they_are_read(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages)
    # Closed when left early, as trio asks of every async generator.
    async with aclosing(client.memories.iter_pages(user_id="u1", page=2)) as pages:
        async for page in pages:
            assert page.current == 2
            break
    assert route.call_count == 1


@pytest.mark.anyio
async def test_a_server_that_does_not_advance_cannot_loop_the_walk(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    stuck = ok({"memory_detail_list": [{"id": "m"}], "current": 1, "pages": 9})
    route = router.post("/get/memory").mock(return_value=stuck)
    pages = [page async for page in client.memories.iter_pages(user_id="u1")]
    assert len(pages) == 2 and route.call_count == 2


@pytest.mark.anyio
async def test_file_pages(client: AsyncMemOS, router: respx.MockRouter) -> None:
    def files(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {"file_detail_list": [{"id": f"f{page}"}], "total": 2, "page": page, "page_size": 1}
        )

    router.post("/get/knowledgebase-file").mock(side_effect=files)
    pages = [p async for p in client.knowledgebases.files.iter_pages("kb1", page_size=1)]
    assert [f.id for p in pages for f in p.files] == ["f1", "f2"]


@pytest.mark.anyio
async def test_template_pages(client: AsyncMemOS, router: respx.MockRouter) -> None:
    def templates(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok(
            {
                "profile_templates": [{"profile_template_id": f"t{page}"}],
                "current": page,
                "pages": 2,
            }
        )

    router.post("/list/profile_template").mock(side_effect=templates)
    pages = [p async for p in client.profiles.templates.iter_pages(size=1)]
    assert [t.profile_template_id for p in pages for t in p.profile_templates] == ["t1", "t2"]


@pytest.mark.anyio
async def test_pages_without_a_number_are_counted_from_the_request(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    def unnumbered(request: httpx.Request) -> httpx.Response:
        page = body_of(request).get("page", 1)
        return ok({"memory_detail_list": [{"id": f"m{page}"}], "total": 4, "size": 1})

    route = router.post("/get/memory").mock(side_effect=unnumbered)
    ids = [
        m.id
        async for page in client.memories.iter_pages(user_id="u1", size=1, page=2)
        for m in page.memories
    ]
    assert ids == ["m2", "m3", "m4"]
    assert [body_of(call.request)["page"] for call in route.calls] == [2, 3, 4]


@pytest.mark.anyio
async def test_iter_pages_passes_extra_headers_and_body(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/memory").mock(side_effect=memory_pages)
    pages = client.memories.iter_pages(
        user_id="u1", extra_headers={"X-Trace": "t"}, extra_body={"beta": 1}
    )
    assert len([page async for page in pages]) == 3
    assert all(call.request.headers["x-trace"] == "t" for call in route.calls)
    assert all(body_of(call.request)["beta"] == 1 for call in route.calls)
