"""The whole catalogue (memos-api.md section 2): every route is served, authenticated,
and can be scoped by faults; plus the async transport on the new endpoints."""

from __future__ import annotations

import base64

import httpx
import pytest

from memos_client.testing import FAKE_BASE_URL, FakeMemOS, Fault, ManualClock
from memos_client.testing._routes import ROUTES

CATALOGUE = [
    ("POST", "add/message"),
    ("POST", "search/memory"),
    ("POST", "get/memory"),
    ("GET", "get/memory/{memory_id}"),
    ("POST", "delete/memory"),
    ("POST", "update/memory"),
    ("POST", "add/feedback"),
    ("POST", "get/message"),
    ("POST", "get/status"),
    ("POST", "chat"),
    ("POST", "extract/memory"),
    ("POST", "rerank"),
    ("POST", "create/knowledgebase"),
    ("POST", "delete/knowledgebase"),
    ("POST", "add/knowledgebase-file"),
    ("POST", "get/knowledgebase-file"),
    ("POST", "delete/knowledgebase-file"),
    ("POST", "update/knowledgebase-file"),
    ("POST", "add/profile_template"),
    ("POST", "update/profile_template"),
    ("POST", "get/profile_template"),
    ("POST", "list/profile_template"),
    ("POST", "delete/profile_template"),
    ("POST", "bind/profile_template"),
    ("POST", "edit/profile"),
    ("POST", "delete/profile"),
]


def _send(http: httpx.Client, method: str, route: str) -> httpx.Response:
    path = "/" + route.replace("{memory_id}", "some-id")
    return http.get(path) if method == "GET" else http.post(path, json={})


def test_the_registry_is_the_catalogue() -> None:
    assert {(route.methods[0], key) for key, route in ROUTES.items()} == set(CATALOGUE)
    assert len(ROUTES) == 26


@pytest.mark.parametrize(("method", "route"), CATALOGUE)
def test_every_route_answers_an_envelope(http: httpx.Client, method: str, route: str) -> None:
    response = _send(http, method, route)
    assert response.status_code == 200
    envelope = response.json()
    assert set(envelope) == {"code", "data", "message"}
    assert envelope["code"] in (0, 40000, 40001, 40002)


@pytest.mark.parametrize(("method", "route"), CATALOGUE)
def test_every_route_needs_a_key(fake: FakeMemOS[ManualClock], method: str, route: str) -> None:
    with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL) as http:
        assert _send(http, method, route).json()["code"] == 40100


@pytest.mark.parametrize(("method", "route"), CATALOGUE)
def test_every_route_can_be_faulted(
    fake: FakeMemOS[ManualClock], http: httpx.Client, method: str, route: str
) -> None:
    rule = fake.inject(Fault.server_error(503), endpoint=route, times=1)
    assert _send(http, method, route).status_code == 503
    assert rule.hits == 1
    assert fake.requests[-1].endpoint == route
    assert _send(http, method, route).status_code == 200


def test_register_url_is_forgotten_on_reset(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    fake.register_url("https://x.test/a.txt", b"Binary-safe content here.")
    fake.reset()
    kb = http.post("/create/knowledgebase", json={"knowledgebase_name": "k"}).json()["data"]["id"]
    http.post(
        "/add/knowledgebase-file",
        json={"knowledgebase_id": kb, "file": [{"content": "https://x.test/a.txt"}]},
    )
    fake.clock.advance(1)
    assert [file.status for file in fake.files()] == ["failed"]


def test_stats_count_the_new_state(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    kb = http.post("/create/knowledgebase", json={"knowledgebase_name": "k"}).json()["data"]["id"]
    skill = base64.b64encode(b"---\nname: a\ndescription: b\n---\nsteps").decode()
    http.post(
        "/add/knowledgebase-file",
        json={
            "knowledgebase_id": kb,
            "file": [{"content": skill, "name": "s.md", "type": "skill"}],
        },
    )
    template = {"name": "t", "metadata": {"a": {"b": {"value": "", "algorithm_updatable": True}}}}
    template_id = http.post("/add/profile_template", json=template).json()["data"]
    bind = {"bind_list": [{"user_id": "u1", **template_id}]}
    assert http.post("/bind/profile_template", json=bind).json()["code"] == 0
    fake.clock.advance(1)
    stats = fake.stats
    assert (stats.knowledgebases, stats.files_stored, stats.skills_stored) == (1, 1, 1)
    assert (stats.profile_templates, stats.profile_instances) == (1, 1)
    assert list(fake.knowledgebases.values())[0].name == "k"


@pytest.mark.anyio
async def test_async_transport_on_the_new_endpoints(
    fake: FakeMemOS[ManualClock], ahttp: httpx.AsyncClient
) -> None:
    created = await ahttp.post("/create/knowledgebase", json={"knowledgebase_name": "k"})
    kb = created.json()["data"]["id"]
    uploaded = await ahttp.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb},
        files=[("file", ("a.md", b"Quiet hours start at ten in the evening.", "text/markdown"))],
    )
    assert uploaded.json()["data"][0]["status"] == "running"
    fake.clock.advance(1)
    found = await ahttp.post(
        "/search/memory", json={"user_id": "u", "query": "quiet hours", "knowledgebase_ids": [kb]}
    )
    [memory] = found.json()["data"]["memory_detail_list"]
    detail = await ahttp.get(f"/get/memory/{memory['id']}")
    assert detail.json()["data"]["memory"] == "Quiet hours start at ten in the evening."
    ranked = await ahttp.post("/rerank", json={"query": "quiet", "documents": ["loud", "quiet"]})
    assert [hit["index"] for hit in ranked.json()["results"]] == [1, 0]
    listing = await ahttp.post("/get/memory", json={"user_id": "u"})
    assert listing.json()["data"]["total"] == 0


def test_multipart_uploads_are_logged_as_a_summary_with_the_query(
    fake: FakeMemOS[ManualClock], http: httpx.Client
) -> None:
    kb = http.post("/create/knowledgebase", json={"knowledgebase_name": "k"}).json()["data"]["id"]
    http.post(
        "/add/knowledgebase-file",
        params={"knowledgebase_id": kb, "type": "document"},
        data={"note": "hi"},
        files=[("file", ("a.txt", b"twelve bytes", "text/plain"))],
    )
    logged = fake.requests[-1]
    assert logged.query == {"knowledgebase_id": kb, "type": "document"}
    assert logged.path == "/api/openmem/v1/add/knowledgebase-file"
    assert logged.body == {
        "form": {"note": "hi"},
        "files": [{"name": "file", "filename": "a.txt", "content_type": "text/plain", "size": 12}],
    }
    assert fake.requests[0].query == {}
