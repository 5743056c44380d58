"""Knowledge-base uploads on the wire, limits that send nothing, and file handles that wait."""

from __future__ import annotations

import base64
import pickle
from pathlib import Path

import httpx
import pytest
import respx

from memos_client import AsyncMemOS, InvalidRequestError, NotFoundError, TaskFailedError
from memos_client.types import FileUpload, KnowledgeBaseFile
from tests._async.conftest import VirtualTime
from tests.helpers import body_of, ok

RUNNING = [
    {"id": "f1", "type": "document", "name": "notes.md", "sizeMB": 0.01, "status": "running"}
]


def listed(*states: str) -> list[httpx.Response]:
    return [
        ok({"file_detail_list": [{"id": "f1", "name": "notes.md", "status": s}]}) for s in states
    ]


@pytest.mark.anyio
async def test_local_files_upload_as_multipart(
    client: AsyncMemOS, router: respx.MockRouter, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Travel notes\nGuangzhou in July.")
    route = router.post("/add/knowledgebase-file").mock(return_value=ok(RUNNING))
    handles = await client.knowledgebases.files.add(
        "kb1", [notes, FileUpload.from_bytes(b"plain text", "extra.txt")], type="document"
    )
    request = route.calls.last.request
    assert request.url.params == httpx.QueryParams({"knowledgebase_id": "kb1", "type": "document"})
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="file"; filename="notes.md"' in body and b"Guangzhou in July." in body
    assert b'filename="extra.txt"' in body and b"plain text" in body
    assert [(h.id, h.status, h.done) for h in handles] == [("f1", "running", False)]


@pytest.mark.anyio
async def test_a_single_path_is_one_file(
    client: AsyncMemOS, router: respx.MockRouter, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("x")
    route = router.post("/add/knowledgebase-file").mock(return_value=ok(RUNNING))
    await client.knowledgebases.files.add("kb1", str(report))
    assert route.calls.last.request.content.count(b'name="file"') == 1


@pytest.mark.anyio
async def test_urls_and_base64_upload_as_json(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/add/knowledgebase-file").mock(return_value=ok(RUNNING))
    encoded = base64.b64encode(b"---\nname: pack\ndescription: packing\n---\n").decode()
    await client.knowledgebases.files.add(
        "kb1",
        ["https://x.test/skill.md", FileUpload.from_base64(encoded, name="pack.md")],
        type="skill",
    )
    assert body_of(route.calls.last.request) == {
        "knowledgebase_id": "kb1",
        "file": [
            {"content": "https://x.test/skill.md", "name": "skill.md", "type": "skill"},
            {"content": encoded, "name": "pack.md", "type": "skill"},
        ],
    }


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("files", "hint"),
    [
        ([FileUpload.from_bytes(b"x", f"f{n}.txt") for n in range(21)], "at most 20"),
        (
            [FileUpload("bytes", "huge.pdf", data=b"", size=101 * 1024 * 1024)],
            "the limit is 100.0 MB",
        ),
        ([FileUpload.from_bytes(b"x", "photo.png")], "must be one of"),
        ([b"raw bytes"], "need a file name"),
        (["/no/such/file.pdf"], "cannot read"),
    ],
)
async def test_bad_uploads_send_nothing(
    client: AsyncMemOS, router: respx.MockRouter, files: list[object], hint: str
) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        await client.knowledgebases.files.add("kb1", files)  # type: ignore[arg-type]
    assert router.calls.call_count == 0


@pytest.mark.anyio
async def test_an_unsent_upload_is_retried_from_the_start_of_the_file(
    client: AsyncMemOS, router: respx.MockRouter, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("the whole file")
    route = router.post("/add/knowledgebase-file").mock(
        side_effect=[httpx.ConnectError("refused"), ok(RUNNING)]
    )
    await client.knowledgebases.files.add("kb1", notes)
    assert route.call_count == 2
    assert b"the whole file" in route.calls.last.request.content


@pytest.mark.anyio
async def test_file_handles_wait_until_processed(
    client: AsyncMemOS, router: respx.MockRouter, vtime: VirtualTime
) -> None:
    router.post("/add/knowledgebase-file").mock(return_value=ok(RUNNING))
    polls = router.post("/get/knowledgebase-file").mock(side_effect=listed("running", "completed"))
    (handle,) = await client.knowledgebases.files.add(
        "kb1", FileUpload.from_bytes(b"x", "notes.md")
    )
    final = await handle.wait()
    assert isinstance(final, KnowledgeBaseFile) and final.status == "completed"
    assert body_of(polls.calls.last.request) == {"file_ids": ["f1"]}
    assert vtime.sleeps == [0.25]


@pytest.mark.anyio
async def test_a_failed_file_raises(client: AsyncMemOS, router: respx.MockRouter) -> None:
    router.post("/get/knowledgebase-file").mock(side_effect=listed("failed"))
    handle = client.knowledgebases.files.handle("f1")
    with pytest.raises(TaskFailedError, match="file 'f1' failed") as caught:
        await handle.wait()
    assert isinstance(caught.value.status, KnowledgeBaseFile)


@pytest.mark.anyio
async def test_a_vanished_file_is_not_found_at_once(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/get/knowledgebase-file").mock(return_value=ok({"file_detail_list": []}))
    with pytest.raises(NotFoundError, match="'f1' not found"):
        await client.knowledgebases.files.handle("f1").wait()
    assert route.call_count == 1


@pytest.mark.anyio
async def test_update_returns_a_handle_on_the_new_version(
    client: AsyncMemOS, router: respx.MockRouter
) -> None:
    route = router.post("/update/knowledgebase-file").mock(
        return_value=ok({"id": "f1", "name": "v2.md", "status": "running"})
    )
    router.post("/get/knowledgebase-file").mock(side_effect=listed("completed"))
    handle = await client.knowledgebases.files.update("f1", FileUpload.from_bytes(b"v2", "v2.md"))
    request = route.calls.last.request
    assert b'name="file_id"' in request.content and b'filename="v2.md"' in request.content
    assert (await handle.wait()).status == "completed"


@pytest.mark.anyio
async def test_refresh_reads_the_file_once(client: AsyncMemOS, router: respx.MockRouter) -> None:
    route = router.post("/get/knowledgebase-file").mock(side_effect=listed("running"))
    handle = client.knowledgebases.files.handle("f1")
    assert (await handle.refresh()).status == "running" and route.call_count == 1


@pytest.mark.anyio
async def test_wait_all_takes_file_handles(client: AsyncMemOS, router: respx.MockRouter) -> None:
    router.post("/get/knowledgebase-file").mock(side_effect=listed("running", "completed"))
    handle = client.knowledgebases.files.handle("f1")
    copy = pickle.loads(pickle.dumps(handle))
    assert copy.id == "f1"
    results = await client.wait_all([copy])
    assert [r.status for r in results] == ["completed"]
