"""Authentication: `Authorization: Token <key>`, checked the way MemOS documents it.

A missing header or an empty key is 40100 "API key is required"; any other
scheme, or a key outside the configured set, is 40132 "API key invalid or
expired". Both come back as envelopes in HTTP 200, like other business errors.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._wire import ApiError

__all__ = ["authenticate"]


def authenticate(headers: Mapping[str, str], api_keys: frozenset[str] | None) -> None:
    """Raise `ApiError` unless `headers` carry an acceptable key (`None` = any non-empty key)."""
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "").strip()
    scheme, _, key = value.partition(" ")
    key = key.strip()
    if not value or (scheme.lower() == "token" and not key):
        raise ApiError(40100, "API key is required")
    if scheme.lower() != "token" or (api_keys is not None and key not in api_keys):
        raise ApiError(40132, "API key invalid or expired")
