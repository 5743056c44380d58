"""Build a call's request from its declaration, as the clients do."""

from __future__ import annotations

from typing import Any

from memos_client._core._api import endpoint
from memos_client._core._spec import RequestSpec


def build(call: str, /, *args: Any, **params: Any) -> RequestSpec:
    """The request a call makes, from its declaration (`memos_client._core._api`)."""
    return endpoint(call).build(args, params)
