"""Bodies are encoded once before sending; what JSON cannot carry is named, not sent."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, strategies as st

from memos_client import InvalidRequestError
from memos_client._core._body import encode_json, form_fields

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(
    body=st.dictionaries(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=8), json_values, max_size=5
    )
)
def test_json_bodies_encode_as_httpx_would(body: dict[str, Any]) -> None:
    encoded = encode_json(body)
    assert json.loads(encoded) == json.loads(json.dumps(body))
    assert encoded == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class Thing:
    pass


circular: list[Any] = []
circular.append(circular)


@pytest.mark.parametrize(
    ("body", "extra", "field", "words"),
    [
        ({"query": "a\ud800b"}, None, "query", "lone surrogate"),
        (
            {"filter": {"and": [{"tags": ["x\udfff"]}]}},
            None,
            "filter['and'][0]['tags'][0]",
            "surrogate",
        ),
        ({"filter": {"k\ud800": 1}}, None, "filter['k\\ud800']", "surrogate"),
        ({"info": {"score": math.nan}}, None, "info['score']", "finite"),
        ({"info": {"score": -math.inf}}, None, "info['score']", "finite"),
        ({"filter": {"x": b"raw"}}, None, "filter['x']", "decode it"),
        ({"filter": {"x": {1, 2}}}, None, "filter['x']", "a list instead"),
        ({"filter": {"x": datetime(2026, 1, 1)}}, None, "filter['x']", "isoformat"),
        ({"filter": {"x": Thing()}}, None, "filter['x']", "Thing"),
        ({"filter": {(1, 2): "x"}}, None, "filter", "key of type tuple"),
        ({"filter": circular}, None, "filter", "nested more than"),
        ({"query": "q"}, {"extra": b"x"}, "extra_body['extra']", "bytes"),
        ({"query": "q"}, {"n": math.inf}, "extra_body['n']", "finite"),
    ],
)
def test_unsendable_values_are_named(
    body: dict[str, Any], extra: dict[str, Any] | None, field: str, words: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        encode_json(body, extra)
    assert caught.value.field is not None and caught.value.field.startswith(field)
    assert words in str(caught.value)


def test_extra_body_is_merged_over_the_body() -> None:
    assert json.loads(encode_json({"a": 1, "b": 2}, {"b": 3})) == {"a": 1, "b": 3}


@pytest.mark.parametrize(
    ("fields", "extra", "field"),
    [
        ({"knowledgebase_id": "kb\ud800"}, None, "knowledgebase_id"),
        ({"n": math.nan}, None, "n"),
        ({"x": object()}, None, "x"),
        ({"l": ["a", b"b"]}, None, "l[1]"),
        ({"k": "v"}, {"b": b"x"}, "extra_body['b']"),
        ({"k": "v"}, {"k\ud800": "x"}, "extra_body['k\\ud800']"),
        ({"k": "v"}, {1: "x"}, "extra_body"),
    ],
)
def test_form_fields_are_checked(
    fields: dict[str, Any], extra: dict[Any, Any] | None, field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        form_fields(fields, extra)
    assert caught.value.field == field


def test_good_form_fields_pass_and_merge() -> None:
    fields = {"knowledgebase_id": "kb1", "n": 3, "f": 0.5, "none": None, "l": ["a"]}
    assert form_fields(fields, {"n": 4}) == {**fields, "n": 4}
