"""The rare branches of `_core`, each pinned by a small case (the package is held to 100%)."""

from __future__ import annotations

import logging
import math
from typing import Any

import pytest
from pydantic import BaseModel

from memos_client import APIError, AuthenticationError, InvalidRequestError, UnexpectedResponseError
from memos_client._core import _decode
from memos_client._core._body import encode_json
from memos_client._core._envelope import EMPTY
from memos_client._core._errors import class_for
from memos_client._core._redact import REDACTED, Redactor
from memos_client._core._sse import as_text
from memos_client._core._validate import mapping
from memos_client.types import FactMemory, KnowledgeBaseFile, SearchResult, TaskStatus
from memos_client.types._base import MemOSModel
from tests.core.requests import build

KEY = "sk-edge-0123456789"
HIDE = Redactor(lambda: KEY)


def test_model_list_reads_null_as_empty_and_refuses_other_shapes() -> None:
    assert _decode.model_list(FactMemory, None, "p") == []
    with pytest.raises(UnexpectedResponseError, match="expected a list"):
        _decode.model_list(FactMemory, {"a": 1}, "p")


def test_a_misfit_field_sent_under_an_alias_keeps_its_raw_value() -> None:
    record = _decode.model(KnowledgeBaseFile, {"id": "f1", "sizeMB": [1, 2]}, "p")
    kept: object = record.size_mb  # kept as sent: not the annotated type
    assert kept == [1, 2]


def chain(levels: int) -> type[BaseModel]:
    """Models nested `levels` deep, each required by its parent: every round of the
    lenient decoder sets aside one more level, so it runs out of rounds."""
    model: type[BaseModel] = type("L0", (MemOSModel,), {"__annotations__": {"x": int}})
    for level in range(1, levels):
        model = type(f"L{level}", (MemOSModel,), {"__annotations__": {"a": model}})
    return model


def nested(levels: int) -> dict[str, Any]:
    data: dict[str, Any] = {"x": "not a number"}
    for _ in range(1, levels):
        data = {"a": data}
    return data


def test_the_lenient_decoder_gives_up_after_its_rounds() -> None:
    with pytest.raises(UnexpectedResponseError, match="does not fit L11"):
        _decode.model(chain(12), nested(12), "p")


def test_a_missing_required_field_at_the_top_is_an_unexpected_response() -> None:
    with pytest.raises(UnexpectedResponseError, match="does not fit L1: a: Field required"):
        _decode.model(chain(2), {}, "p")


def test_restore_puts_raw_values_back_in_dicts_and_extras() -> None:
    holder: dict[str, Any] = {"a": {}}
    _decode._restore(holder, ("a", "k"), 1)
    assert holder == {"a": {"k": 1}}
    model = FactMemory.model_validate({"future": {"x": 1}})
    _decode._restore(model, ("unknown",), 5)
    assert model.model_extra == {"future": {"x": 1}, "unknown": 5}
    assert _decode._field(model, "future") == {"x": 1}


def test_copy_shares_what_is_deeper_than_its_walk() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(60):
        node.append([])
        node = node[0]
    copied = _decode._copy(deep)
    assert copied is not deep
    inner_original, inner_copy = deep, copied
    for _ in range(50):
        inner_original, inner_copy = inner_original[0], inner_copy[0]
    assert inner_copy is inner_original


def test_the_misfit_warning_names_the_place(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="memos_client"):
        _decode.model(
            SearchResult, {"memory_detail_list": [{"confidence": "very"}]}, "search/memory"
        )
    assert "memory_detail_list[0].confidence" in caplog.records[0].getMessage()


class Unprintable:
    def __repr__(self) -> str:
        raise ValueError("no repr")


def test_hidden_reads_strings_not_reprs() -> None:
    """A model's repr is a one-line summary, so `hidden` reads the strings a value holds
    (what `deep` would rewrite): an object whose repr fails holds none, and costs nothing."""
    value = [Unprintable()]
    assert HIDE.hidden(value) is value
    status = TaskStatus.model_validate({"task_id": "t1", "memory_views": {"x": f"k {KEY}"}})
    assert KEY not in repr(status)  # the summary leaves the field out...
    assert KEY not in HIDE.hidden(status).model_dump_json()  # ...and it is still hidden


def test_deep_stops_at_its_depth_limit() -> None:
    value: Any = 5
    boxes: Any = "box"
    for _ in range(70):
        value, boxes = [value], [boxes]
    hidden = HIDE.deep(value)
    for _ in range(64):
        hidden = hidden[0]
    assert hidden == REDACTED  # a container past the limit is replaced whole
    assert HIDE.deep(5, depth=100) == 5  # a scalar is kept


def test_deep_copies_models_without_extras() -> None:
    class Plain(BaseModel):
        note: str

    hidden = HIDE.deep(Plain(note=f"key {KEY}"))
    assert isinstance(hidden, Plain) and hidden.note == f"key {REDACTED}"


class Loud(Exception):
    def __str__(self) -> str:
        raise RuntimeError("cannot print")


def test_error_chains_with_cycles_and_unprintable_links_are_handled() -> None:
    first = AuthenticationError(f"key {KEY}")
    second = APIError("second")
    first.__cause__ = second
    second.__context__ = first  # a cycle
    loud = Loud()
    second.__cause__ = loud
    HIDE.error(first)
    assert KEY not in str(first)
    assert second.__cause__ is None  # an exception that cannot print is dropped


def test_event_data_that_json_cannot_encode_is_shown_in_short() -> None:
    circular: list[Any] = []
    circular.append(circular)
    assert as_text(circular).startswith("[[") and "..." in as_text(circular)
    assert as_text(math.inf) == "Infinity"


def test_small_reprs_and_fallback_classes() -> None:
    assert repr(EMPTY) == "EMPTY"
    assert class_for(None, 418) is APIError
    assert class_for(None, None) is APIError


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: build("extract", ["hi"], extraction_types=None, model=None), "messages[0]"),
        (lambda: build("profiles.templates.bind", ["t1"]), "bind_list[0]"),
        (lambda: mapping("filter", {1: "x"}), "filter"),
        (lambda: encode_json({"filter": {1: math.nan}}), "filter[1]"),
    ],
)
def test_odd_containers_are_named(build: Any, field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        build()
    assert caught.value.field == field


def test_a_null_item_in_a_list_is_left_out() -> None:
    result = _decode.model(
        SearchResult, {"memory_detail_list": [None, {"id": "m1"}, None]}, "search/memory"
    )
    assert [memory.id for memory in result.memories] == ["m1"]


def test_an_error_body_keeps_at_most_its_depth_limit() -> None:
    from memos_client._core._envelope import bounded

    body: Any = {"leaf": 1}
    for _ in range(40):
        body = {"inner": body}
    cut = bounded(body)
    for _ in range(32):
        cut = cut["inner"]
    assert cut == "<nested too deeply>"


def test_bytes_are_hidden_too() -> None:
    assert HIDE.deep(f"key {KEY}".encode()) == f"key {REDACTED}".encode()
