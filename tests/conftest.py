"""Fixtures shared by every test directory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import respx
from hypothesis import HealthCheck, settings

from tests.helpers import BASE_URL

pytest_plugins = ["pytester", "memos_client.testing.pytest_plugin"]

# Generative suites: "ci" keeps the whole run near a minute; "soak" is for
# `pytest --hypothesis-profile=soak` (or HYPOTHESIS_PROFILE=soak) when hunting.
_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=30, **_SHARED)  # type: ignore[arg-type]
settings.register_profile("soak", max_examples=5_000, **_SHARED)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

COVERAGE_FLOOR = 95


def pytest_configure(config: pytest.Config) -> None:
    """The coverage floor holds for the whole suite (`python -m pytest`, no paths), not
    for a run of a few files, which passes or fails on its tests alone. `.ci/run`
    also holds `memos_client/_core` to 100%."""
    coverage = config.pluginmanager.get_plugin("_cov")
    whole_suite = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if coverage is not None and whole_suite and not coverage.options.cov_fail_under:
        coverage.options.cov_fail_under = COVERAGE_FLOOR


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every async test runs on asyncio and on trio."""
    return str(request.param)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """A respx router for the test base URL; an unmocked request fails the test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock
