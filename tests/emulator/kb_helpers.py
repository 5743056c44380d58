"""Shared helpers of the knowledge-base tests."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from .helpers import ok, search, values

FAQ = "The office opens at nine on weekdays.\n\nVisitor parking is free on level two.\n"
SKILL = (
    "---\nname: weekly-report\ndescription: Write the weekly status report\n"
    "owner: ops\n---\n1. Collect the numbers\n2. Write the summary\n"
)


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def create(http: httpx.Client, name: str = "handbook") -> str:
    data = ok(http, "create/knowledgebase", {"knowledgebase_name": name})
    assert set(data) == {"id"}
    kb_id = data["id"]
    assert isinstance(kb_id, str)
    return kb_id


def upload(http: httpx.Client, kb_id: str, *files: dict[str, Any]) -> list[dict[str, Any]]:
    data = ok(http, "add/knowledgebase-file", {"knowledgebase_id": kb_id, "file": list(files)})
    assert isinstance(data, list)
    return data


def statuses(http: httpx.Client, kb_id: str) -> dict[str, str]:
    page = ok(http, "get/knowledgebase-file", {"knowledgebase_id": kb_id})
    return {item["name"]: item["status"] for item in page["file_detail_list"]}


def kb_search(http: httpx.Client, query: str, kb_ids: list[str], **extra: Any) -> list[str]:
    return values(search(http, query, knowledgebase_ids=kb_ids, **extra))
