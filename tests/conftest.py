"""Fixtures shared by every test directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from tests.helpers import BASE_URL

pytest_plugins = ["pytester", "memos_client.testing.pytest_plugin"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """A respx router for the test base URL; an unmocked request fails the test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock
