"""Knowledge-base uploads: inputs, the documented limits, and multipart vs JSON."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from memos_client import InvalidRequestError
from memos_client._core._spec import UploadPart
from memos_client.types import FileUpload
from tests.core.requests import build

MB = 1024 * 1024


def sized(name: str, size: int) -> FileUpload:
    return FileUpload("bytes", name, data=b"", size=size)


def test_local_files_go_as_multipart_with_query_params(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes")
    spec = build(
        "knowledgebases.files.add",
        "kb1",
        [FileUpload.from_path(notes), FileUpload.from_bytes(b"hi", "a.txt")],
        type="document",
    )
    assert (spec.path, spec.kind, spec.body) == ("add/knowledgebase-file", "write", None)
    assert spec.params == {"knowledgebase_id": "kb1", "type": "document"}
    assert spec.files == [
        UploadPart("file", "notes.md", str(notes), "text/markdown"),
        UploadPart("file", "a.txt", b"hi", "text/plain"),
    ]


def test_urls_and_base64_go_as_json() -> None:
    data_uri = "data:text/markdown;base64," + base64.b64encode(b"# Skill").decode()
    spec = build(
        "knowledgebases.files.add",
        "kb1",
        [FileUpload.from_url("https://x.test/guide.pdf"), FileUpload.from_base64(data_uri)],
        type=None,
    )
    assert spec.files is None and spec.params is None
    assert spec.body == {
        "knowledgebase_id": "kb1",
        "file": [
            {"content": "https://x.test/guide.pdf", "name": "guide.pdf"},
            {"content": data_uri, "name": "upload.md"},
        ],
    }


LIMITS: list[tuple[str, list[FileUpload], str | None, str]] = [
    ("nothing", [], None, "is empty"),
    ("21 files", [sized(f"f{i}.txt", 1) for i in range(21)], None, "at most 20"),
    ("a 101 MB document", [sized("big.pdf", 101 * MB)], None, "the limit is 100.0 MB"),
    (
        "301 MB in one call",
        [sized(f"f{i}.pdf", 100 * MB) for i in range(3)] + [sized("x.txt", MB)],
        None,
        "at most 300.0 MB",
    ),
    ("a skill .md over 100 KB", [sized("s.md", 101 * 1024)], "skill", "the limit is 100.0 KB"),
    ("a skill .zip over 20 MB", [sized("s.zip", 21 * MB)], "skill", "the limit is 20.0 MB"),
    ("a .zip document", [sized("a.zip", 1)], "document", "a document must be one of"),
    ("a .pdf skill", [sized("a.pdf", 1)], "skill", "a skill must be one of md, zip"),
    ("an image", [sized("photo.png", 1)], None, "must be one of pdf"),
    ("no extension", [sized("README", 1)], None, "needs a file name with an extension"),
    ("bad type", [sized("a.txt", 1)], "sheet", "must be 'document' or 'skill'"),
    ("mixed", [sized("a.txt", 1), FileUpload.from_url("https://x.test/b.pdf")], None, "two calls"),
]


@pytest.mark.parametrize(("label", "uploads", "kind", "hint"), LIMITS)
def test_limits_are_checked_before_sending(
    label: str, uploads: list[FileUpload], kind: str | None, hint: str
) -> None:
    with pytest.raises(InvalidRequestError, match=hint):
        build("knowledgebases.files.add", "kb1", uploads, type=kind)


def test_sizes_at_the_limits_pass() -> None:
    build(
        "knowledgebases.files.add",
        "kb1",
        [sized(f"f{i}.pdf", 100 * MB) for i in range(3)],
        type=None,
    )
    build(
        "knowledgebases.files.add",
        "kb1",
        [sized("s.md", 100 * 1024), sized("s.zip", 20 * MB)],
        type="skill",
    )


def test_a_url_without_extension_is_left_to_the_server() -> None:
    spec = build(
        "knowledgebases.files.add",
        "kb1",
        [FileUpload.from_url("https://x.test/download?id=7")],
        type=None,
    )
    assert spec.body is not None


@pytest.mark.parametrize(
    ("value", "source", "name"),
    [
        ("https://x.test/a/guide.pdf", "url", "guide.pdf"),
        ("http://x.test/notes.txt", "url", "notes.txt"),
        ("data:application/json;base64,e30=", "base64", "upload.json"),
    ],
)
def test_plain_values_become_uploads(value: str, source: str, name: str) -> None:
    upload = FileUpload.coerce(value)
    assert (upload.source, upload.name, upload.local) == (source, name, False)


def test_paths_are_stat_ed_not_read(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"x" * 1234)
    for value in (path, str(path)):
        upload = FileUpload.coerce(value)
        assert (upload.source, upload.name, upload.size, upload.local) == (
            "path",
            "report.pdf",
            1234,
            True,
        )
        assert upload.data is None


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("/no/such/file.pdf", "cannot read '/no/such/file.pdf'"),
        (b"raw", "raw bytes need a file name"),
        (42, "cannot upload a int"),
        ("data:text/plain;base64,@@@", "does not decode"),
        ("ftp://x.test/a.pdf", "cannot read"),
    ],
)
def test_bad_inputs_explain_what_to_pass(value: Any, hint: str) -> None:
    with pytest.raises(InvalidRequestError, match=hint) as caught:
        FileUpload.coerce(value)
    assert caught.value.field == "files"


def test_base64_size_is_the_decoded_size() -> None:
    upload = FileUpload.from_base64(base64.b64encode(b"x" * 300).decode(), name="a.txt")
    assert upload.size == 300


def test_repr_shows_where_not_content() -> None:
    assert (
        repr(FileUpload.from_bytes(b"secret", "a.txt")) == "FileUpload(bytes, name='a.txt', size=6)"
    )


def test_file_requests() -> None:
    assert build("knowledgebases.files.list", "kb1", type="skill", page=2, page_size=100).body == {
        "knowledgebase_id": "kb1",
        "type": "skill",
        "page": 2,
        "page_size": 100,
    }
    assert build("knowledgebases.files.get", ["f1", "f2"]).body == {"file_ids": ["f1", "f2"]}
    assert build("knowledgebases.files.delete", ["f1"]).body == {"file_ids": ["f1"]}
    assert build("knowledgebases.create", "Docs", knowledgebase_description=None).body == {
        "knowledgebase_name": "Docs"
    }
    assert build("knowledgebases.delete", "kb1").body == {"knowledgebase_id": "kb1"}


def test_update_file_as_json_or_multipart() -> None:
    remote = build("knowledgebases.files.update", "f1", FileUpload.from_url("https://x.test/v2.md"))
    assert remote.body == {
        "file_id": "f1",
        "file": {"name": "v2.md", "content": "https://x.test/v2.md"},
    }
    local = build("knowledgebases.files.update", "f1", FileUpload.from_bytes(b"v2", "v2.md"))
    assert local.body == {"file_id": "f1"}
    assert local.files == [UploadPart("file", "v2.md", b"v2", "text/markdown")]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda: build("knowledgebases.files.list", "", type=None, page=None, page_size=None),
            "knowledgebase_id",
        ),
        (
            lambda: build("knowledgebases.files.list", "kb", type=None, page=None, page_size=101),
            "page_size",
        ),
        (lambda: build("knowledgebases.files.get", []), "file_ids"),
        (lambda: build("knowledgebases.files.add", "kb", {"a.md": b"x"}), "files"),
        (lambda: build("knowledgebases.files.delete", "f1"), "file_ids"),
        (
            lambda: build("knowledgebases.create", " ", knowledgebase_description=None),
            "knowledgebase_name",
        ),
    ],
)
def test_bad_file_requests(call: Any, field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        call()
    assert caught.value.field == field


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError, match="not a regular file"):
        FileUpload.coerce(tmp_path)


def test_an_update_may_be_a_skill_package() -> None:
    spec = build(
        "knowledgebases.files.update", "f1", FileUpload("bytes", "skill.zip", data=b"", size=5 * MB)
    )
    assert spec.files is not None
    with pytest.raises(InvalidRequestError, match="must be one of"):
        build("knowledgebases.files.update", "f1", FileUpload.from_bytes(b"x", "photo.png"))
