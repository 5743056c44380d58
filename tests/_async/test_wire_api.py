"""respx pins the wire request of every endpoint beyond the core loop, and the typed answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from memos_client import AsyncMemOS
from tests.helpers import BASE_URL, accepted, body_of, ok, status

SUCCESS = ok({"success": True})


def pinned(router: respx.MockRouter, method: str, path: str, answer: httpx.Response) -> respx.Route:
    return router.request(method, path).mock(return_value=answer)


@pytest.mark.anyio
async def test_memories_list(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(
        router,
        "POST",
        "/get/memory",
        ok(
            {
                "memory_detail_list": [
                    {
                        "id": "m1",
                        "memory_value": "trip",
                        "sources": [{"role": "user"}],
                        "info": {"scene": "chat"},
                    }
                ],
                "total": 11,
                "size": 10,
                "current": 1,
                "pages": 2,
            }
        ),
    )
    page = await client.memories.list(
        user_id="u1", page=1, size=10, include_memory_view=["detail_factual"]
    )
    assert body_of(route.calls.last.request) == {
        "user_id": "u1",
        "page": 1,
        "size": 10,
        "include_memory_view": ["detail_factual"],
    }
    assert (page.total, page.pages, page.next_page()) == (11, 2, 2)
    assert page.memories[0].sources == [{"role": "user"}] and page.memories[0].info == {
        "scene": "chat"
    }


@pytest.mark.anyio
async def test_memories_get_is_a_get_with_an_escaped_id(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.get(url__startswith=f"{BASE_URL}/get/memory/").mock(
        return_value=ok({"id": "a/b", "memory": "text", "metadata": {"memory_type": "EventMemory"}})
    )
    detail = await client.memories.get("a/b")
    request = route.calls.last.request
    assert request.method == "GET" and request.content == b""
    assert request.url.raw_path == b"/api/openmem/v1/get/memory/a%2Fb"
    assert (detail.id, detail.memory, detail.metadata) == (
        "a/b",
        "text",
        {"memory_type": "EventMemory"},
    )


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("selector", "body"),
    [
        ({"memory_ids": ["m1"]}, {"memory_ids": ["m1"]}),
        ({"user_id": "u1"}, {"user_id": "u1"}),
        ({"agent_id": "a1"}, {"agent_id": "a1"}),
    ],
)
async def test_memories_delete(
    client: AsyncMemOS, router: respx.MockRouter, selector: dict[str, Any], body: dict[str, Any]
) -> None:
    route = pinned(router, "POST", "/delete/memory", SUCCESS)
    result = await client.memories.delete(**selector)
    assert body_of(route.calls.last.request) == body and result.success is True


@pytest.mark.anyio
async def test_memories_update(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(router, "POST", "/update/memory", SUCCESS)
    assert (await client.memories.update("m1", title="Trip", status="archived")).success
    assert body_of(route.calls.last.request) == {
        "memory_id": "m1",
        "title": "Trip",
        "status": "archived",
    }


@pytest.mark.anyio
async def test_messages_list(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(
        router,
        "POST",
        "/get/message",
        ok(
            {
                "message_detail_list": [
                    {"role": "user", "content": "hi", "create_time": "1765359875901"}
                ]
            }
        ),
    )
    history = await client.messages.list(
        user_id="u1", conversation_id="c1", message_limit_number=10
    )
    assert body_of(route.calls.last.request) == {
        "user_id": "u1",
        "conversation_id": "c1",
        "message_limit_number": 10,
    }
    assert history.messages[0].content == "hi" and history.messages[0].created_at is not None


@pytest.mark.anyio
async def test_feedback_returns_a_task_that_waits(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = pinned(router, "POST", "/add/feedback", accepted("fb1"))
    router.post("/get/status").mock(return_value=status("completed", "fb1"))
    task = await client.feedback.add(
        "Replace Guangzhou with Shenzhen", user_id="u1", conversation_id="c1"
    )
    assert body_of(route.calls.last.request) == {
        "user_id": "u1",
        "conversation_id": "c1",
        "feedback_content": "Replace Guangzhou with Shenzhen",
    }
    assert (task.id, (await task.wait()).status) == ("fb1", "completed")


@pytest.mark.anyio
async def test_chat(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(router, "POST", "/chat", ok({"response": "You are going to Guangzhou."}))
    answer = await client.chat(
        "Where am I going?",
        user_id="u1",
        conversation_id="c1",
        temperature=0.1,
        model_name="qwen3-32b",
    )
    assert body_of(route.calls.last.request) == {
        "user_id": "u1",
        "conversation_id": "c1",
        "query": "Where am I going?",
        "temperature": 0.1,
        "model_name": "qwen3-32b",
    }
    assert route.calls.last.request.headers["accept"] == "application/json"
    assert answer.response == "You are going to Guangzhou."


@pytest.mark.anyio
async def test_extract(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(
        router,
        "POST",
        "/extract/memory",
        ok(
            {
                "success": True,
                "memory_detail_list": [
                    {"memory_key": "Tea", "memory_value": "The user likes tea."}
                ],
                "preference_detail_list": [
                    {"preference": "tea", "preference_type": "explicit_preference"}
                ],
            }
        ),
    )
    result = await client.extract(
        [{"role": "user", "content": "I like tea"}], extraction_types=["memory"]
    )
    assert body_of(route.calls.last.request) == {
        "messages": [{"role": "user", "content": "I like tea"}],
        "extraction_types": ["memory"],
    }
    assert result.memories[0].memory_key == "Tea" and result.preferences[0].preference == "tea"


RANKED = {
    "id": "r1",
    "model": "memos-reranker-0.6b",
    "usage": {"prompt_tokens": 57, "total_tokens": 57},
    "results": [{"index": 1, "document": {"text": "badminton"}, "relevance_score": 0.93}],
}


@pytest.mark.anyio
@pytest.mark.parametrize(
    "answer", [httpx.Response(200, json=RANKED), ok(RANKED)], ids=["bare", "enveloped"]
)
async def test_rerank_takes_both_answer_shapes(
    client: AsyncMemOS, router: respx.MockRouter, answer: httpx.Response
) -> None:
    route = pinned(router, "POST", "/rerank", answer)
    result = await client.rerank(
        "sport", ["chess", "badminton"], top_n=1, model="memos-reranker-0.6b"
    )
    assert body_of(route.calls.last.request) == {
        "query": "sport",
        "documents": ["chess", "badminton"],
        "top_n": 1,
        "model": "memos-reranker-0.6b",
    }
    assert result.usage is not None and result.usage.total_tokens == 57
    hit = result.results[0]
    assert (hit.index, hit.relevance_score, hit.document and hit.document.text) == (
        1,
        0.93,
        "badminton",
    )


@pytest.mark.anyio
async def test_knowledgebase_create_and_delete(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    create = pinned(router, "POST", "/create/knowledgebase", ok({"id": "kb1"}))
    delete = pinned(router, "POST", "/delete/knowledgebase", SUCCESS)
    created = await client.knowledgebases.create("Docs", knowledgebase_description="Product docs")
    assert created.id == "kb1"
    assert body_of(create.calls.last.request) == {
        "knowledgebase_name": "Docs",
        "knowledgebase_description": "Product docs",
    }
    assert (await client.knowledgebases.delete("kb1")).success
    assert body_of(delete.calls.last.request) == {"knowledgebase_id": "kb1"}


@pytest.mark.anyio
async def test_knowledgebase_file_listing_reads(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = pinned(
        router,
        "POST",
        "/get/knowledgebase-file",
        ok(
            {
                "file_detail_list": [
                    {"id": "f1", "name": "a.md", "size": "0.01MB", "status": "completed"}
                ],
                "total": 1,
                "page": 1,
                "page_size": 20,
            }
        ),
    )
    page = await client.knowledgebases.files.list("kb1", type="document", page_size=20)
    assert body_of(route.calls.last.request) == {
        "knowledgebase_id": "kb1",
        "type": "document",
        "page_size": 20,
    }
    assert [f.id for f in page.files] == ["f1"] and page.next_page() is None
    files = await client.knowledgebases.files.get(["f1"])
    assert body_of(route.calls.last.request) == {"file_ids": ["f1"]}
    assert files[0].size == "0.01MB"


@pytest.mark.anyio
async def test_knowledgebase_file_delete(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = pinned(router, "POST", "/delete/knowledgebase-file", SUCCESS)
    assert (await client.knowledgebases.files.delete(["f1", "f2"])).success
    assert body_of(route.calls.last.request) == {"file_ids": ["f1", "f2"]}


TREE = {"basic": {"job": {"value": "", "algorithm_updatable": True}}}


@pytest.mark.anyio
async def test_profile_templates(client: AsyncMemOS, router: respx.MockRouter) -> None:
    create = pinned(router, "POST", "/add/profile_template", ok({"profile_template_id": "t1"}))
    update = pinned(
        router,
        "POST",
        "/update/profile_template",
        ok({"success": True, "profile_template_id": "t1"}),
    )
    get = pinned(
        router,
        "POST",
        "/get/profile_template",
        ok(
            {
                "profile_template": {
                    "profile_template_id": "t1",
                    "name": "Basics",
                    "metadata": TREE,
                    "instance_count": 2,
                }
            }
        ),
    )
    listing = pinned(
        router,
        "POST",
        "/list/profile_template",
        ok(
            {
                "profile_templates": [{"profile_template_id": "t1"}],
                "total": 1,
                "current": 1,
                "size": 10,
                "pages": 1,
            }
        ),
    )
    delete = pinned(
        router,
        "POST",
        "/delete/profile_template",
        ok({"success": True, "profile_template_id": "t1", "deleted_instances": 2}),
    )
    bind = pinned(router, "POST", "/bind/profile_template", SUCCESS)
    templates = client.profiles.templates
    assert (await templates.create("Basics", TREE)).profile_template_id == "t1"
    assert body_of(create.calls.last.request) == {"name": "Basics", "metadata": TREE}
    assert (await templates.update("t1", name="Basics 2", metadata=TREE)).success
    assert body_of(update.calls.last.request) == {
        "profile_template_id": "t1",
        "name": "Basics 2",
        "metadata": TREE,
    }
    template = await templates.get("t1")
    assert (template.name, template.instance_count, template.metadata) == ("Basics", 2, TREE)
    assert body_of(get.calls.last.request) == {"profile_template_id": "t1"}
    page = await templates.list(page=1, size=10)
    assert body_of(listing.calls.last.request) == {"page": 1, "size": 10}
    assert page.profile_templates[0].profile_template_id == "t1" and page.next_page() is None
    assert (await templates.delete("t1")).deleted_instances == 2
    assert body_of(delete.calls.last.request) == {"profile_template_id": "t1"}
    binding = [{"user_id": "u1", "profile_template_id": "t1"}]
    assert (await templates.bind(binding)).success
    assert body_of(bind.calls.last.request) == {"bind_list": binding}


@pytest.mark.anyio
async def test_profile_edit_and_delete(client: AsyncMemOS, router: respx.MockRouter) -> None:
    edit = pinned(router, "POST", "/edit/profile", SUCCESS)
    delete = pinned(router, "POST", "/delete/profile", SUCCESS)
    await client.profiles.edit("t1", agent_id="a1", remove_fields=["basic.job"])
    assert body_of(edit.calls.last.request) == {
        "agent_id": "a1",
        "profile_template_id": "t1",
        "remove_fields": ["basic.job"],
    }
    await client.profiles.delete("t1", user_id="u1")
    assert body_of(delete.calls.last.request) == {"user_id": "u1", "profile_template_id": "t1"}


@pytest.mark.anyio
async def test_every_write_endpoint_reports_instead_of_resending(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/delete/memory").mock(side_effect=httpx.ReadTimeout("late"))
    with pytest.raises(Exception, match="may or may not have been processed") as caught:
        await client.memories.delete(user_id="u1")
    assert route.call_count == 1
    assert "list or search the memories" in str(caught.value)
