"""The SDK against the emulator for the rest of the API: memories, messages, feedback,
chat, extract, rerank, knowledge bases and profiles; in process and over loopback HTTP."""

from __future__ import annotations

import base64

import pytest

from memos_client import (
    APIConnectionError,
    AsyncMemOS,
    BadRequestError,
    NotFoundError,
    TaskFailedError,
    filters as f,
    messages as m,
)
from memos_client.types import FileUpload
from tests._async.conftest import Env

TRIP = [m.user("I've booked a trip to Guangzhou for the summer. I love spicy food.")]


async def remembered(client: AsyncMemOS, user: str = "alice") -> None:
    await (
        await client.add(TRIP, user_id=user, conversation_id="trip", info={"scene": "chat"})
    ).wait()


@pytest.mark.anyio
async def test_memories_list_get_update_delete(env: Env) -> None:
    await remembered(env.client)
    page = await env.client.memories.list(user_id="alice", size=10)
    assert page.total == len(page.memories) >= 2 and page.current == 1
    memory = page.memories[0]
    assert memory.id and memory.info == {"scene": "chat"}
    detail = await env.client.memories.get(memory.id)
    assert detail.memory == memory.memory_value and detail.sources
    await env.client.memories.update(memory.id, title="Summer plans")
    assert (await env.client.memories.get(memory.id)).metadata is not None
    assert (await env.client.memories.get(memory.id)).metadata["key"] == "Summer plans"  # type: ignore[index]
    await env.client.memories.delete(memory_ids=[memory.id])
    with pytest.raises(NotFoundError):
        await env.client.memories.get(memory.id)
    await env.client.memories.delete(user_id="alice")
    assert len(await env.client.memories.list(user_id="alice")) == 0


@pytest.mark.anyio
async def test_iter_pages_walks_every_memory(env: Env) -> None:
    for n in range(3):
        await env.client.add(
            [m.user(f"My note number {n} about gardening.")], user_id="bob", async_mode=False
        )
    pages = [page async for page in env.client.memories.iter_pages(user_id="bob", size=1)]
    assert len(pages) == 3 and [page.current for page in pages] == [1, 2, 3]
    assert len({page.memories[0].id for page in pages}) == 3


@pytest.mark.anyio
async def test_filters_narrow_a_listing(env: Env) -> None:
    await remembered(env.client)
    await env.client.add(
        [m.user("I work as a nurse.")], user_id="alice", info={"scene": "work"}, async_mode=False
    )
    work = await env.client.memories.list(user_id="alice", filter=f.all_of(f.eq("scene", "work")))
    assert work.memories and all(memory.info == {"scene": "work"} for memory in work.memories)


@pytest.mark.anyio
async def test_message_history(env: Env) -> None:
    await remembered(env.client)
    history = await env.client.messages.list(user_id="alice", conversation_id="trip")
    assert [(msg.role, msg.content) for msg in history.messages] == [
        ("user", TRIP[0].get("content"))
    ]


@pytest.mark.anyio
async def test_feedback_corrects_memories_and_waits_like_an_add(env: Env) -> None:
    await remembered(env.client)
    task = await env.client.feedback.add(
        "Replace Guangzhou with Shenzhen", user_id="alice", conversation_id="trip"
    )
    final = await task.wait()
    assert final.memory_views is not None and final.memory_views.updated
    hits = await env.client.search("Shenzhen trip", user_id="alice")
    assert any("Shenzhen" in (memory.memory_value or "") for memory in hits.memories)


@pytest.mark.anyio
async def test_chat_answers_from_memory_and_writes_the_turn(env: Env) -> None:
    await remembered(env.client)
    before = env.fake.stats.tasks_created
    answer = await env.client.chat(
        "Where am I travelling?", user_id="alice", conversation_id="trip"
    )
    assert "Guangzhou" in answer.response
    assert env.fake.stats.tasks_created == before + 1
    await env.client.chat(
        "Where?", user_id="alice", conversation_id="trip", add_message_on_answer=False
    )
    assert env.fake.stats.tasks_created == before + 1


@pytest.mark.anyio
async def test_chat_streams_typed_events(env: Env) -> None:
    await remembered(env.client)
    async with env.client.chat_stream(
        "Where am I travelling?", user_id="alice", conversation_id="trip"
    ) as stream:
        events = [event async for event in stream]
    assert events[0].type == "reasoning" and events[-1].type == "end"
    text = "".join(event.data for event in events if event.type == "text")
    assert "Guangzhou" in text and sum(event.type == "text" for event in events) >= 3


@pytest.mark.anyio
async def test_a_cut_chat_stream_is_reported(env: Env) -> None:
    from memos_client.testing import Fault

    await remembered(env.client)
    env.fake.inject(Fault.stream_cut(after=3), endpoint="chat", times=1)
    with pytest.raises(APIConnectionError) as caught:
        async with env.client.chat_stream(
            "Where am I travelling?", user_id="alice", conversation_id="trip"
        ) as s:
            await s.text()
    assert caught.value.may_have_been_processed


@pytest.mark.anyio
async def test_server_validation_of_chat_comes_back_typed(env: Env) -> None:
    with pytest.raises(BadRequestError) as caught:
        await env.client.chat("Hi", user_id="alice", conversation_id="c", model_name="not-a-model")
    assert caught.value.code == 40000


@pytest.mark.anyio
async def test_extract_stores_nothing(env: Env) -> None:
    result = await env.client.extract(
        [{"role": "user", "content": "I love hiking and I live in Hangzhou."}]
    )
    assert result.memories and result.preferences[0].preference_type == "explicit_preference"
    assert env.fake.stats.memories_stored == 0


@pytest.mark.anyio
async def test_rerank_orders_by_relevance(env: Env) -> None:
    ranked = await env.client.rerank(
        "outdoor sports", ["I play chess", "I play badminton outdoors"], top_n=1
    )
    assert [hit.index for hit in ranked.results] == [1]
    assert ranked.results[0].document is not None
    assert ranked.results[0].document.text == "I play badminton outdoors"


GUIDE = b"Guangzhou is famous for dim sum and Cantonese food."


@pytest.mark.anyio
async def test_knowledgebase_files_are_processed_and_searchable(env: Env) -> None:
    kb = await env.client.knowledgebases.create("Guides", knowledgebase_description="City notes")
    env.fake.register_url(
        "https://guides.test/hangzhou.md", "# Hangzhou\nWest Lake and Longjing tea."
    )
    local = await env.client.knowledgebases.files.add(
        kb.id, FileUpload.from_bytes(GUIDE, "guangzhou.txt")
    )
    remote = await env.client.knowledgebases.files.add(
        kb.id,
        [
            "https://guides.test/hangzhou.md",
            FileUpload.from_base64(
                base64.b64encode(b"Chengdu: hotpot.").decode(), name="chengdu.txt"
            ),
        ],
    )
    files = await env.client.wait_all([*local, *remote])
    assert [file.status for file in files] == ["completed"] * 3
    hits = await env.client.search("dim sum", user_id="alice", knowledgebase_ids=[kb.id])
    assert any("dim sum" in (memory.memory_value or "") for memory in hits.memories)
    outside = await env.client.search("dim sum", user_id="alice")
    assert not outside.memories  # knowledge bases are searched only when listed
    listing = await env.client.knowledgebases.files.list(kb.id, page_size=2)
    assert listing.total == 3 and listing.next_page() == 2
    assert (
        len([p async for p in env.client.knowledgebases.files.iter_pages(kb.id, page_size=2)]) == 2
    )
    updated = await env.client.knowledgebases.files.update(
        local[0].id or "", FileUpload.from_bytes(b"Shunde food.", "guangzhou.txt")
    )
    assert (await updated.wait()).status == "completed"
    await env.client.knowledgebases.files.delete([local[0].id or ""])
    assert [
        file.id for file in await env.client.knowledgebases.files.get([local[0].id or ""])
    ] == []
    await env.client.knowledgebases.delete(kb.id)


@pytest.mark.anyio
async def test_a_file_that_fails_processing_raises(env: Env) -> None:
    from memos_client.testing import Fault

    kb = await env.client.knowledgebases.create("Guides")
    env.fake.inject(Fault.file_fails("unreadable"), endpoint="add/knowledgebase-file", times=1)
    (handle,) = await env.client.knowledgebases.files.add(
        kb.id, FileUpload.from_bytes(GUIDE, "g.txt")
    )
    with pytest.raises(TaskFailedError, match="unreadable"):
        await handle.wait()


@pytest.mark.anyio
async def test_an_unknown_knowledgebase_is_not_found(env: Env) -> None:
    with pytest.raises(NotFoundError) as caught:
        await env.client.knowledgebases.files.add(
            "no-such-kb", FileUpload.from_bytes(GUIDE, "g.txt")
        )
    assert caught.value.code == 50120


TREE = {
    "basic": {
        "job": {"value": "", "algorithm_updatable": True},
        "city": {"value": "", "algorithm_updatable": True},
    }
}


@pytest.mark.anyio
async def test_profiles_end_to_end(env: Env) -> None:
    templates = env.client.profiles.templates
    template_id = (await templates.create("Basics", TREE)).profile_template_id or ""
    await templates.bind([{"user_id": "alice", "profile_template_id": template_id}])
    await env.client.add([m.user("My job is nurse.")], user_id="alice", async_mode=False)
    profile = await env.client.memories.list(user_id="alice", include_memory_view=["profile"])
    assert [item.memory for item in profile.profile_detail_list] == ["Basic.Job: nurse"]
    city = {"basic": {"city": {"value": "Hangzhou", "algorithm_updatable": False}}}
    await env.client.profiles.edit(template_id, user_id="alice", metadata=city)
    await env.client.profiles.edit(template_id, user_id="alice", remove_fields=["basic.job"])
    profile = await env.client.memories.list(user_id="alice", include_memory_view=["profile"])
    assert [item.memory for item in profile.profile_detail_list] == ["Basic.City: Hangzhou"]
    assert profile.profile_detail_list[0].algorithm_updatable is False
    template = await templates.get(template_id)
    assert (template.name, template.instance_count) == ("Basics", 1)
    await templates.update(template_id, name="Basics v2", metadata=TREE)
    assert [t.name async for page in templates.iter_pages() for t in page.profile_templates] == [
        "Basics v2"
    ]
    await env.client.profiles.delete(template_id, user_id="alice")
    assert (await templates.delete(template_id)).success
