"""Knowledge-base request validation: upload checks, size limits, and every error code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memos_client.testing._knowledgebases import _uploads as uploads

from .helpers import code_of
from .kb_helpers import b64, create


@pytest.fixture
def kb(http: httpx.Client) -> str:
    return create(http)


def _many(count: int) -> list[dict[str, Any]]:
    return [{"content": b64("x"), "name": f"f{i}.txt"} for i in range(count)]


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        (_many(21), 50103),
        ([{"content": "not base64!!", "name": "a.txt"}], 40008),
        ([{"content": "data:text/plain;base64,%%%", "name": "a.txt"}], 40008),
        ([{"content": b64("x"), "name": "a.exe"}], 40007),
        ([{"content": b64("x")}], 40007),
        ([{"content": b64("x"), "name": "a.zip"}], 40007),
        ([{"content": b64("x"), "name": "a.pdf", "type": "skill"}], 40007),
        ([{"content": b64("x"), "name": "a.txt", "type": "folder"}], 40000),
        ([{"name": "a.txt"}], 40002),
        ([], 40003),
        ("x", 40000),
    ],
)
def test_upload_validation(http: httpx.Client, kb: str, entries: Any, code: int) -> None:
    assert (
        code_of(http, "add/knowledgebase-file", {"knowledgebase_id": kb, "file": entries}) == code
    )


def test_upload_size_limits(http: httpx.Client, kb: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(uploads, "MAX_CALL_BYTES", 15)
    body = {"knowledgebase_id": kb, "file": [{"content": b64("x" * 11), "name": "a.txt"}]}
    assert code_of(http, "add/knowledgebase-file", body) == 50104
    body["file"] = [{"content": b64("x" * 8), "name": f"{i}.txt"} for i in range(2)]
    assert code_of(http, "add/knowledgebase-file", body) == 50105
    skill = {"content": b64("x" * (100 * 1024 + 1)), "name": "big.md", "type": "skill"}
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10**9)
    monkeypatch.setattr(uploads, "MAX_CALL_BYTES", 10**9)
    body["file"] = [skill]
    assert code_of(http, "add/knowledgebase-file", body) == 50104


@pytest.mark.parametrize(
    ("endpoint", "body", "code"),
    [
        ("create/knowledgebase", {}, 40002),
        ("create/knowledgebase", {"knowledgebase_name": " "}, 40002),
        ("delete/knowledgebase", {}, 40002),
        ("delete/knowledgebase", {"knowledgebase_id": "nope"}, 50120),
        ("add/knowledgebase-file", {"file": _many(1)}, 40002),
        ("add/knowledgebase-file", {"knowledgebase_id": "nope", "file": _many(1)}, 50120),
        ("add/knowledgebase-file", {"knowledgebase_id": "KB"}, 40002),
        ("get/knowledgebase-file", {}, 40000),
        ("get/knowledgebase-file", {"file_ids": ["a"], "knowledgebase_id": "KB"}, 40000),
        ("get/knowledgebase-file", {"knowledgebase_id": "nope"}, 50120),
        ("get/knowledgebase-file", {"knowledgebase_id": "KB", "page": 0}, 40000),
        ("get/knowledgebase-file", {"knowledgebase_id": "KB", "page_size": 101}, 40000),
        ("get/knowledgebase-file", {"knowledgebase_id": "KB", "type": "x"}, 40000),
        ("get/knowledgebase-file", {"file_ids": []}, 40003),
        ("delete/knowledgebase-file", {}, 40002),
        ("update/knowledgebase-file", {"file_id": "nope", "file": {"content": "eA=="}}, 40001),
        ("update/knowledgebase-file", {"file": {"content": "eA=="}}, 40002),
    ],
)
def test_kb_validation(
    http: httpx.Client, kb: str, endpoint: str, body: dict[str, Any], code: int
) -> None:
    body = {key: kb if value == "KB" else value for key, value in body.items()}
    assert code_of(http, endpoint, body) == code


def test_multipart_validation(http: httpx.Client, kb: str) -> None:
    part = [("file", ("a.txt", b"hello world", "text/plain"))]
    missing = http.post("/add/knowledgebase-file", files=part).json()
    assert missing["code"] == 40002
    unknown = http.post("/add/knowledgebase-file", params={"knowledgebase_id": "x"}, files=part)
    assert unknown.json()["code"] == 50120
    bad_type = http.post(
        "/add/knowledgebase-file", params={"knowledgebase_id": kb, "type": "x"}, files=part
    )
    assert bad_type.json()["code"] == 40000
    no_file = http.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb},
        files=[("other", ("a.txt", b"x", "text/plain"))],
    )
    assert no_file.json()["code"] == 40002
    malformed = http.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb},
        content=b"garbage",
        headers={"content-type": "multipart/form-data; boundary=zzz"},
    )
    assert malformed.json()["code"] == 40000
    exe = http.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb},
        files=[("file", ("a.exe", b"MZ", "application/octet-stream"))],
    )
    assert exe.json()["code"] == 40007
