"""MEMOS_LOG switches on the SDK's own log output; credentials are always redacted."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from memos_client._logging import logger, redact_headers, setup_logging


@pytest.fixture
def clean_logger() -> Iterator[None]:
    handlers, level = list(logger.handlers), logger.level
    logger.handlers.clear()
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.mark.parametrize(
    ("value", "level"),
    [("debug", logging.DEBUG), ("INFO", logging.INFO), (" Debug ", logging.DEBUG)],
)
def test_memos_log_attaches_a_handler(clean_logger: None, value: str, level: int) -> None:
    setup_logging({"MEMOS_LOG": value})
    assert len(logger.handlers) == 1 and logger.level == level


@pytest.mark.parametrize("environ", [{}, {"MEMOS_LOG": "loud"}])
def test_no_handler_unless_asked(clean_logger: None, environ: dict[str, str]) -> None:
    setup_logging(environ)
    assert logger.handlers == []


def test_an_apps_own_handler_is_respected(clean_logger: None) -> None:
    mine = logging.NullHandler()
    logger.addHandler(mine)
    setup_logging({"MEMOS_LOG": "debug"})
    assert logger.handlers == [mine]


def test_redact_headers() -> None:
    headers = [
        ("Authorization", "Token sk-1"),
        ("Proxy-Authorization", "Basic x"),
        ("Cookie", "a=b"),
        ("X-Api-Key", "k"),
        ("User-Agent", "memos-client/0.1.0"),
    ]
    assert redact_headers(headers) == {
        "Authorization": "<redacted>",
        "Proxy-Authorization": "<redacted>",
        "Cookie": "<redacted>",
        "X-Api-Key": "<redacted>",
        "User-Agent": "memos-client/0.1.0",
    }


def test_memos_log_sets_the_level_even_with_an_apps_handler(clean_logger: None) -> None:
    mine = logging.NullHandler()
    logger.addHandler(mine)
    logger.setLevel(logging.WARNING)
    setup_logging({"MEMOS_LOG": "debug"})
    assert logger.handlers == [mine] and logger.level == logging.DEBUG
