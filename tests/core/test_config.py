"""Configuration: arguments beat the environment, and unsafe setups fail at construction."""

from __future__ import annotations

import pickle

import httpx
import pytest

from memos_client import ConfigurationError
from memos_client._config import (
    CN_BASE_URL,
    GLOBAL_BASE_URL,
    ClientConfig,
    is_loopback,
    resolve_config,
)


def resolve(environ: dict[str, str] | None = None, **kwargs: object) -> ClientConfig:
    args: dict[str, object] = {
        "api_key": "k",
        "base_url": None,
        "region": None,
        "timeout": 60.0,
        "max_retries": 2,
        "default_headers": None,
        "allow_insecure_http": False,
        "environ": environ or {},
    }
    args.update(kwargs)
    return resolve_config(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "environ", "expected"),
    [
        ({}, {}, CN_BASE_URL),
        ({"region": "global"}, {}, GLOBAL_BASE_URL),
        ({"region": "CN"}, {"MEMOS_BASE_URL": "https://x.test/v1"}, CN_BASE_URL),
        ({}, {"MEMOS_BASE_URL": "https://x.test/v1/"}, "https://x.test/v1"),
        ({}, {"MEMOS_REGION": "global"}, GLOBAL_BASE_URL),
        ({}, {"MEMOS_IS_GLOBAL": "true"}, GLOBAL_BASE_URL),
        ({}, {"MEMOS_IS_GLOBAL": "1"}, GLOBAL_BASE_URL),
        ({}, {"MEMOS_IS_GLOBAL": "no"}, CN_BASE_URL),
        ({}, {"MEMOS_BASE_URL": "https://a.test", "MEMOS_IS_GLOBAL": "yes"}, "https://a.test"),
        ({"base_url": "https://b.test/"}, {"MEMOS_BASE_URL": "https://a.test"}, "https://b.test"),
        ({"base_url": "http://127.0.0.1:8787/v1"}, {}, "http://127.0.0.1:8787/v1"),
        ({"base_url": "http://localhost/v1"}, {}, "http://localhost/v1"),
        ({"base_url": "http://[::1]:9/v1"}, {}, "http://[::1]:9/v1"),
        (
            {"base_url": "http://proxy.lan/v1", "allow_insecure_http": True},
            {},
            "http://proxy.lan/v1",
        ),
    ],
)
def test_base_url_precedence(
    kwargs: dict[str, object], environ: dict[str, str], expected: str
) -> None:
    assert resolve(environ, **kwargs).base_url == expected


@pytest.mark.parametrize(
    ("kwargs", "environ", "match"),
    [
        ({"base_url": "http://memos.example.com/v1"}, {}, "refusing to send the API key"),
        ({}, {"MEMOS_BASE_URL": "http://10.0.0.8/v1"}, "plain http://"),
        ({"base_url": "ftp://x.test"}, {}, "must be an http"),
        ({"base_url": "memos.memtensor.cn"}, {}, "must be an http"),
        ({"region": "eu"}, {}, "region must be 'cn' or 'global'"),
        ({}, {"MEMOS_REGION": "mars"}, "MEMOS_REGION must be"),
        ({"region": "cn", "base_url": "https://x.test"}, {}, "not both"),
        ({"api_key": None}, {}, "No MemOS API key"),
        ({"api_key": "  "}, {}, "No MemOS API key"),
        ({"max_retries": -1}, {}, "max_retries"),
        ({"max_retries": True}, {}, "max_retries"),
        ({"timeout": 0}, {}, "timeout"),
        ({"timeout": "60"}, {}, "timeout"),
    ],
)
def test_bad_configuration_fails_at_construction(
    kwargs: dict[str, object], environ: dict[str, str], match: str
) -> None:
    with pytest.raises(ConfigurationError, match=match):
        resolve(environ, **kwargs)


@pytest.mark.parametrize(
    ("api_key", "environ", "expected"),
    [
        ("arg", {"MEMOS_API_KEY": "env"}, "arg"),
        (None, {"MEMOS_API_KEY": "env\n"}, "env"),
        ("Token mpg-abc", {}, "mpg-abc"),
    ],
)
def test_api_key_resolution(api_key: str | None, environ: dict[str, str], expected: str) -> None:
    assert resolve(environ, api_key=api_key).api_key.reveal() == expected


def test_key_is_hidden_from_repr_and_pickle() -> None:
    config = resolve(api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(config)
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(config)


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (30.0, httpx.Timeout(30.0, connect=5.0)),
        (2, httpx.Timeout(2.0, connect=2.0)),
        (httpx.Timeout(9.0), httpx.Timeout(9.0)),
        (None, httpx.Timeout(None)),
    ],
)
def test_timeout_normalisation(timeout: object, expected: httpx.Timeout) -> None:
    assert resolve(timeout=timeout).timeout == expected


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("api.localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "key", ["sk-REAL\nKEY-42", "sk-REAL\rKEY", "sk-REAL KEY", "sk-REAL\u2026KEY", "sk-\x00key"]
)
def test_a_malformed_key_is_refused_without_being_echoed(key: str) -> None:
    with pytest.raises(ConfigurationError, match="copy it again") as caught:
        resolve(api_key=key)
    assert "REAL" not in str(caught.value) and "sk-" not in str(caught.value)


def test_a_key_must_be_text() -> None:
    with pytest.raises(ConfigurationError, match="must be a string"):
        resolve(api_key=b"sk-bytes")


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0])
def test_a_timeout_must_be_finite_and_positive(timeout: float) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        resolve(timeout=timeout)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Note": "caf\u00e9"},
        {"X-Note": "a\r\nInjected: 1"},
        {"X-\u00e9": "v"},
        {"X-N": 1},
        {"X Note": "v"},
        {"X:Note": "v"},
        {"": "v"},
        {"X-Note": "a\x00b"},
        {"X-Note": "a\x7fb"},
    ],
)
def test_default_headers_must_be_sendable(headers: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError, match="default_headers"):
        resolve(default_headers=headers)


def test_a_bad_header_value_is_never_quoted() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve(default_headers={"X-Secret": "hunter2\n"})
    assert "hunter2" not in str(caught.value) and "X-Secret" in str(caught.value)


def test_tabs_and_visible_ascii_are_fine_in_header_values() -> None:
    headers = {"X-Note": "a\tb ~!", "X.Id_1": "v"}
    assert resolve(default_headers=headers).default_headers == headers
