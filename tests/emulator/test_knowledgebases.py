"""Knowledge bases and their files: uploads, processing, search, listing, update, deletion."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from memos_client.testing import FakeMemOS, Fault, ManualClock

from .helpers import code_of, ok, search, values
from .kb_helpers import FAQ, SKILL, b64, create, kb_search, statuses, upload


@pytest.fixture
def kb(http: httpx.Client) -> str:
    return create(http)


def test_a_base64_document_is_chunked_and_searchable_once_completed(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    [receipt] = upload(http, kb, {"content": b64(FAQ), "name": "faq.md"})
    assert set(receipt) == {"id", "type", "name", "sizeMB", "status"}
    assert (receipt["type"], receipt["name"], receipt["status"]) == (
        "document",
        "faq.md",
        "running",
    )
    assert receipt["sizeMB"] == 0.01
    assert kb_search(http, "office opens", [kb]) == []
    fake.clock.advance(1)
    assert statuses(http, kb) == {"faq.md": "completed"}
    assert kb_search(http, "office opens", [kb]) == ["The office opens at nine on weekdays."]
    assert kb_search(http, "parking level", ["all"]) == ["Visitor parking is free on level two."]
    found = search(http, "office opens", knowledgebase_ids=[kb])["memory_detail_list"][0]
    assert (found["memory_type"], found["conversation_id"]) == ("LongTermMemory", "default_session")
    assert "knowledgebase" in found["tags"]
    detail = http.get(f"/get/memory/{found['id']}").json()["data"]
    assert detail["sources"][0]["type"] == "file"
    assert detail["sources"][0]["name"] == "faq.md"


def test_kb_memories_need_the_kb_listed(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    other = create(http, "other")
    upload(http, kb, {"content": b64(FAQ), "name": "faq.txt"})
    fake.clock.advance(1)
    assert values(search(http, "office opens")) == []
    assert kb_search(http, "office opens", [other]) == []
    assert ok(http, "get/memory", {"user_id": "u1"})["memory_detail_list"] == []
    assert (
        code_of(
            http, "search/memory", {"user_id": "u1", "query": "x", "knowledgebase_ids": ["nope"]}
        )
        == 50123
    )


def test_the_knowledgebase_filter_applies_to_kb_memories(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    upload(http, kb, {"content": b64(FAQ), "name": "faq.md"})
    fake.clock.advance(1)
    kb_only = {"knowledgebase": {"and": [{"tags": {"contains": "nothing-has-this"}}]}}
    assert kb_search(http, "office opens", [kb], filter=kb_only) == []
    user_only = {"user": {"and": [{"tags": {"contains": "nothing-has-this"}}]}}
    assert kb_search(http, "office opens", [kb], filter=user_only) == [
        "The office opens at nine on weekdays."
    ]
    recent = {"knowledgebase": {"and": [{"create_time": {"gte": "2025-12-10"}}]}}
    assert len(kb_search(http, "office opens", [kb], filter=recent)) == 1


def test_data_uri_and_registered_url(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    fake.register_url("https://example.com/docs/rules.txt", "Dogs are welcome in the lobby.")
    received = upload(
        http,
        kb,
        {"content": "data:text/markdown;base64," + b64("Lunch is served at noon daily.")},
        {"content": "https://example.com/docs/rules.txt"},
    )
    assert [item["name"] for item in received] == ["file.md", "rules.txt"]
    fake.clock.advance(1)
    assert statuses(http, kb) == {"file.md": "completed", "rules.txt": "completed"}
    assert kb_search(http, "lunch noon", [kb]) == ["Lunch is served at noon daily."]
    assert kb_search(http, "dogs lobby", [kb]) == ["Dogs are welcome in the lobby."]


def test_an_unregistered_url_fails_with_a_reason(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    [receipt] = upload(http, kb, {"content": "https://example.com/missing.pdf"})
    assert receipt["status"] == "running"
    fake.clock.advance(1)
    [detail] = ok(http, "get/knowledgebase-file", {"file_ids": [receipt["id"]]})["file_detail_list"]
    assert detail["status"] == "failed"
    assert "register_url" in detail["reason"]
    [file] = fake.files()
    assert file.reason == detail["reason"]


def test_multipart_upload_with_query_parameters(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    response = http.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb, "type": "document"},
        files=[
            ("file", ("menu.txt", b"Soup of the day is tomato.", "text/plain")),
            ("file", ("data.json", b'{"wifi": "guest network password is sunflower"}', "x")),
        ],
    )
    data = response.json()["data"]
    assert [(item["name"], item["status"]) for item in data] == [
        ("menu.txt", "running"),
        ("data.json", "running"),
    ]
    fake.clock.advance(1)
    assert kb_search(http, "soup tomato", [kb]) == ["Soup of the day is tomato."]
    assert len(kb_search(http, "wifi password sunflower", [kb])) == 1


def test_skills_upload_and_search(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("SKILL.md", SKILL.replace("weekly", "monthly"))
    upload(
        http,
        kb,
        {"content": b64(SKILL), "name": "report.md", "type": "skill"},
        {"content": b64(package.getvalue()), "name": "monthly.zip", "type": "skill"},
    )
    fake.clock.advance(1)
    assert statuses(http, kb) == {"report.md": "completed", "monthly.zip": "completed"}
    plain = search(http, "weekly status report", knowledgebase_ids=[kb])
    assert plain["skill_detail_list"] == []
    skills = search(
        http, "weekly status report", knowledgebase_ids=[kb], include_skill=True, relativity=0.9
    )
    [skill] = skills["skill_detail_list"]
    assert skill["skill_type"] == "uploaded"
    assert skill["skill_value"]["name"] == "weekly-report"
    assert skill["skill_value"]["description"] == "Write the weekly status report"
    assert skill["skill_value"]["procedure"] == "1. Collect the numbers\n2. Write the summary"
    assert skill["skill_value"]["others"] == {"owner": "ops"}
    by_view = search(
        http,
        "monthly status report",
        knowledgebase_ids=["all"],
        include_memory_view=["skill"],
        relativity=0.9,
    )
    assert [s["skill_value"]["name"] for s in by_view["skill_detail_list"]] == ["monthly-report"]
    assert search(http, "weekly report", include_skill=True)["skill_detail_list"] == []
    assert len(fake.skills(knowledgebase_id=kb)) == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("no front matter", "front matter"),
        ("---\nname: x\n---\nbody", "name and description"),
    ],
)
def test_a_skill_without_front_matter_fails(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str, content: str, reason: str
) -> None:
    upload(http, kb, {"content": b64(content), "name": "bad.md", "type": "skill"})
    fake.clock.advance(1)
    [file] = fake.files()
    assert file.status == "failed" and file.reason is not None and reason in file.reason


def _docx(text: str) -> bytes:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        body = f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        archive.writestr("word/document.xml", body)
    return package.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n4 0 obj << /Length 44 >> stream\n"
    b"BT /F1 12 Tf (Invoices are due within thirty days.) Tj ET\nendstream endobj\n%%EOF"
)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("terms.pdf", PDF, "Invoices are due within thirty days."),
        ("terms.docx", _docx("Invoices are due within thirty days."), None),
        ("terms.doc", b"\x00\x01Invoices are due within thirty days.\x00\xff", None),
    ],
)
def test_binary_documents_are_parsed_naively(
    fake: FakeMemOS[ManualClock],
    http: httpx.Client,
    kb: str,
    name: str,
    data: bytes,
    expected: str | None,
) -> None:
    upload(http, kb, {"content": b64(data), "name": name})
    fake.clock.advance(1)
    assert kb_search(http, "invoices due thirty days", [kb]) == [
        expected or "Invoices are due within thirty days."
    ]


@pytest.mark.parametrize(
    ("name", "data"), [("empty.pdf", b"\x00\x01\x02\x03"), ("latin.txt", b"caf\xe9 \xff")]
)
def test_unreadable_documents_fail(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str, name: str, data: bytes
) -> None:
    upload(http, kb, {"content": b64(data), "name": name})
    fake.clock.advance(1)
    assert statuses(http, kb) == {name: "failed"}


def test_listing_files_by_kb_with_type_and_pages(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    upload(http, kb, *[{"content": b64(f"Note {i} text"), "name": f"n{i}.txt"} for i in range(3)])
    upload(http, kb, {"content": b64(SKILL), "name": "s.md", "type": "skill"})
    page = ok(http, "get/knowledgebase-file", {"knowledgebase_id": kb, "page": 2, "page_size": 2})
    assert (page["total"], page["page"], page["page_size"]) == (4, 2, 2)
    assert [item["name"] for item in page["file_detail_list"]] == ["n2.txt", "s.md"]
    assert page["file_detail_list"][0] == {
        "id": page["file_detail_list"][0]["id"],
        "type": "document",
        "name": "n2.txt",
        "size": "0.01MB",
        "status": "running",
    }
    skills = ok(http, "get/knowledgebase-file", {"knowledgebase_id": kb, "type": "skill"})
    assert [item["name"] for item in skills["file_detail_list"]] == ["s.md"]
    assert (skills["total"], skills["page"], skills["page_size"]) == (1, 1, 20)
    ids = [item["id"] for item in page["file_detail_list"]]
    by_ids = ok(http, "get/knowledgebase-file", {"file_ids": [ids[1], "unknown", ids[0]]})
    assert set(by_ids) == {"file_detail_list"}
    assert [item["name"] for item in by_ids["file_detail_list"]] == ["s.md", "n2.txt"]


def test_update_reprocesses_and_replaces_the_chunks(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    [receipt] = upload(http, kb, {"content": b64(FAQ), "name": "faq.md"})
    fake.clock.advance(1)
    new = "The office opens at ten on weekdays."
    data = ok(
        http,
        "update/knowledgebase-file",
        {"file_id": receipt["id"], "file": {"content": b64(new)}},
    )
    assert data == {
        "id": receipt["id"],
        "type": "document",
        "name": "faq.md",
        "sizeMB": 0.01,
        "status": "running",
    }
    assert kb_search(http, "office opens", [kb]) == ["The office opens at nine on weekdays."]
    fake.clock.advance(1)
    assert kb_search(http, "office opens", [kb]) == [new]
    assert kb_search(http, "parking", [kb], relativity=0) == [new]
    response = http.post(
        "/update/knowledgebase-file",
        data={"file_id": receipt["id"]},
        files=[("file", ("faq-v3.txt", b"The office opens at eleven.", "text/plain"))],
    )
    assert response.json()["data"]["name"] == "faq-v3.txt"
    fake.clock.advance(1)
    assert kb_search(http, "office opens", [kb]) == ["The office opens at eleven."]


def test_delete_files_and_knowledgebases(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str
) -> None:
    first, second = upload(
        http, kb, {"content": b64(FAQ), "name": "faq.md"}, {"content": b64(SKILL), "name": "s.md"}
    )
    fake.clock.advance(1)
    assert ok(http, "delete/knowledgebase-file", {"file_ids": [first["id"], "nope"]}) == {
        "success": True
    }
    assert kb_search(http, "office opens", [kb]) == []
    assert statuses(http, kb) == {"s.md": "completed"}
    assert ok(http, "delete/knowledgebase", {"knowledgebase_id": kb}) == {"success": True}
    assert fake.knowledgebases == {} and fake.files() == []
    assert fake.stats.memories_stored == 0
    assert code_of(http, "delete/knowledgebase", {"knowledgebase_id": kb}) == 50120
    assert (
        code_of(http, "search/memory", {"user_id": "u", "query": "x", "knowledgebase_ids": [kb]})
        == 50123
    )


@pytest.mark.parametrize(
    ("fault", "status"),
    [(Fault.file_fails("corrupt file"), "failed"), (Fault.task_never_finishes(), "running")],
)
def test_faults_make_files_fail_or_hang(
    fake: FakeMemOS[ManualClock], http: httpx.Client, kb: str, fault: Fault, status: str
) -> None:
    fake.inject(fault, endpoint="add/knowledgebase-file", times=1)
    upload(http, kb, {"content": b64(FAQ), "name": "a.md"}, {"content": b64(FAQ), "name": "b.md"})
    upload(http, kb, {"content": b64(FAQ), "name": "c.md"})
    fake.clock.advance(100)
    assert statuses(http, kb) == {"a.md": status, "b.md": status, "c.md": "completed"}
    if status == "failed":
        assert {f.reason for f in fake.files() if f.name != "c.md"} == {"corrupt file"}


def test_file_fails_applies_only_to_file_uploads(fake: FakeMemOS[ManualClock]) -> None:
    with pytest.raises(ValueError, match="applies only to add/knowledgebase-file"):
        fake.inject(Fault.file_fails(), endpoint="chat")
