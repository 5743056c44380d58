"""The envelope, routing and authentication: what every endpoint shares."""

from __future__ import annotations

import httpx
import pytest

from memos_client.testing import FAKE_BASE_URL, FakeMemOS, FakeResponse, ManualClock

from .helpers import AUTH, add, call


def test_success_is_an_envelope_with_code_zero_and_ok(http: httpx.Client) -> None:
    """A good call answers HTTP 200, JSON, `{code: 0, data, message: "ok"}`."""
    response = http.post(
        "/add/message",
        json={"user_id": "u1", "messages": [{"role": "user", "content": "I like tea"}]},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == 0
    assert response.json()["message"] == "ok"
    assert response.json()["data"]["status"] == "running"


def test_every_response_has_a_deterministic_request_id() -> None:
    """Two fakes with the same seed hand out the same `x-request-id`s and task ids."""
    runs = []
    for _ in range(2):
        fake = FakeMemOS(clock=ManualClock(), seed=7)
        with httpx.Client(transport=fake.transport(), base_url=FAKE_BASE_URL, headers=AUTH) as http:
            first = http.post("/get/status", json={"task_id": "nope"})
            second = http.post(
                "/add/message",
                json={
                    "user_id": "u",
                    "messages": [{"role": "user", "content": "hello there friend"}],
                },
            )
        runs.append(
            (
                first.headers["x-request-id"],
                second.headers["x-request-id"],
                second.json()["data"]["task_id"],
            )
        )
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[0][1]


@pytest.mark.parametrize(
    "path",
    [
        "/api/openmem/v1/get/status",
        "/some/gateway/prefix/api/openmem/v1/get/status",
        "/api/openmem/v1/get/status/",
    ],
)
def test_routes_on_the_part_after_the_api_prefix(fake: FakeMemOS[ManualClock], path: str) -> None:
    """Any prefix before `/api/openmem/v1/` is ignored (bare paths: test_fidelity)."""
    response = fake.handle("POST", path, AUTH, b'{"task_id": "x"}')
    assert response.status == 200
    assert response.json()["code"] == 50131


def test_unknown_endpoint_is_a_gateway_style_404(http: httpx.Client) -> None:
    """Unknown paths answer HTTP 404 `{"detail": "Not Found"}`, not an envelope."""
    response = http.post("/product/add", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert "x-request-id" in response.headers


def test_wrong_method_is_405(http: httpx.Client) -> None:
    """POST endpoints refuse other methods with 405 and an `Allow` header."""
    response = http.get("/search/memory")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"],
    ids=["empty", "garbage", "array", "string", "not-utf8"],
)
def test_a_body_that_is_not_a_json_object_is_40000(
    fake: FakeMemOS[ManualClock], body: bytes
) -> None:
    """Business errors are HTTP 200 with a non-zero code and `data: null`."""
    response = fake.handle("POST", "/api/openmem/v1/search/memory", AUTH, body)
    assert response.status == 200
    envelope = response.json()
    assert envelope["code"] == 40000
    assert envelope["data"] is None
    assert envelope["message"].startswith("Invalid request parameters: ")


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        ({}, 40100, "API key is required"),
        ({"Authorization": ""}, 40100, "API key is required"),
        ({"Authorization": "Token "}, 40100, "API key is required"),
        ({"Authorization": "Token wrong"}, 40132, "API key invalid or expired"),
        ({"Authorization": "Bearer good"}, 40132, "API key invalid or expired"),
        ({"Authorization": "good"}, 40132, "API key invalid or expired"),
        ({"authorization": "token good"}, 0, "ok"),
    ],
)
def test_authentication_codes(headers: dict[str, str], code: int, message: str) -> None:
    """`Authorization: Token <key>`; missing -> 40100, unknown key or scheme -> 40132."""
    fake = FakeMemOS(api_keys={"good"}, clock=ManualClock())
    response = fake.handle("POST", "/api/openmem/v1/get/status", headers, b'{"task_id": "t"}')
    envelope = response.json()
    if code == 0:
        assert envelope["code"] == 50131  # authenticated, then the unknown task
    else:
        assert (response.status, envelope) == (
            200,
            {"code": code, "data": None, "message": message},
        )


def test_without_configured_keys_any_non_empty_key_is_accepted(http: httpx.Client) -> None:
    """`api_keys=None` (the default) accepts any key, and all keys share one project."""
    add(http, "I love green tea and jasmine tea", user_id="shared")
    other = {"Authorization": "Token another-key"}
    envelope = http.post(
        "/search/memory", json={"user_id": "shared", "query": "green tea"}, headers=other
    ).json()
    assert envelope["code"] == 0
    assert envelope["data"]["memory_detail_list"]


def test_request_log_redacts_the_api_key(fake: FakeMemOS[ManualClock], http: httpx.Client) -> None:
    """The log keeps the scheme but never the key."""
    call(http, "get/status", {"task_id": "x"})
    logged = fake.requests[-1]
    assert logged.headers["authorization"] == "Token ***"
    assert "test-key" not in repr(fake.requests)
    assert (logged.method, logged.endpoint, logged.status, logged.code) == (
        "POST",
        "get/status",
        200,
        50131,
    )
    assert logged.body == {"task_id": "x"}
    assert logged.faults == ()
    assert logged.fault is None


@pytest.mark.parametrize(("status", "reason"), [(200, "OK"), (502, "Bad Gateway"), (599, "")])
def test_fake_response_reason(status: int, reason: str) -> None:
    assert FakeResponse(status).reason == reason
