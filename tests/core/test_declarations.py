"""One table over every declared field of every endpoint: sent when given, omitted when
not, refused when wrong. A field added to a declaration is picked up here by itself.

Each endpoint's `BASELINES` are the smallest calls its rules accept (one subject, one
selector...); a field is tried on the first baseline that takes it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from memos_client import AsyncMemOS, InvalidRequestError, MemOS
from memos_client._core._api import ENDPOINTS, Endpoint
from memos_client._core._spec import RequestSpec

TREE_EDIT = {"basic": {"job": {"value": "x"}}}
BASELINES: dict[str, list[dict[str, Any]]] = {
    "add": [{"user_id": "u1"}, {"agent_id": "a1"}],
    "search": [{"user_id": "u1"}, {"agent_id": "a1"}],
    "memories.list": [{"user_id": "u1"}, {"agent_id": "a1"}],
    "memories.delete": [{"memory_ids": ["m1"]}, {"user_id": "u1"}, {"agent_id": "a1"}],
    "memories.update": [{"content": "new"}, {"title": "new"}],
    "profiles.edit": [
        {"user_id": "u1", "metadata": TREE_EDIT},
        {"agent_id": "a1", "metadata": TREE_EDIT},
        {"user_id": "u1", "remove_fields": ["basic.job"]},
    ],
    "profiles.delete": [{"user_id": "u1"}, {"agent_id": "a1"}],
}


def required(endpoint: Endpoint) -> dict[str, Any]:
    return {name: f.check.good for name, f in endpoint.fields.items() if f.required}


def args(endpoint: Endpoint) -> list[Any]:
    return [arg.check.good for arg in endpoint.args]


def call(endpoint: Endpoint, **fields: Any) -> RequestSpec:
    """The request for a call with good positional args and required fields."""
    return endpoint.build(args(endpoint), {**required(endpoint), **fields})


def with_field(endpoint: Endpoint, name: str, value: Any) -> RequestSpec:
    """Build with `name=value` on the first baseline that accepts the field's good value."""
    good = endpoint.fields[name].check.good
    for baseline in BASELINES.get(endpoint.name, [{}]):
        try:
            call(endpoint, **{**baseline, name: good})
        except InvalidRequestError:
            continue
        return call(endpoint, **{**baseline, name: value})
    raise AssertionError(f"{endpoint.name}: no baseline takes {name}={good!r}")


def sent(spec: RequestSpec) -> Iterator[Any]:
    """Every value the request carries: body fields, query parameters, upload entries."""
    for part in (spec.body or {}, spec.params or {}):
        for value in part.values():
            yield value
            if isinstance(value, list):
                for item in value:
                    yield from item.values() if isinstance(item, dict) else [item]


FIELDS = [(e, name) for e in ENDPOINTS for name in e.fields]
ARGS = [(e, arg.name) for e in ENDPOINTS for arg in e.args]


def test_the_table_covers_every_endpoint() -> None:
    assert len({e.path for e in ENDPOINTS}) == 26
    assert len(FIELDS) > 100


@pytest.mark.parametrize(("endpoint", "name"), FIELDS, ids=lambda x: getattr(x, "name", x))
def test_a_field_is_sent_when_given(endpoint: Endpoint, name: str) -> None:
    check = endpoint.fields[name].check
    spec = with_field(endpoint, name, check.good)
    expected = check.good if check.sent is None else check.sent
    if endpoint.shape is None:
        assert spec.body is not None and spec.body[name] == expected
    else:
        assert expected in list(sent(spec))


@pytest.mark.parametrize(("endpoint", "name"), FIELDS, ids=lambda x: getattr(x, "name", x))
def test_a_field_is_omitted_when_not_given(endpoint: Endpoint, name: str) -> None:
    field = endpoint.fields[name]
    if field.required:
        with pytest.raises(InvalidRequestError, match=f"{name}: is required"):
            endpoint.build(args(endpoint), {**required(endpoint), name: None})
        return
    # On a baseline without it, the field is not sent, and None counts as not given.
    baseline = next(
        (b for b in BASELINES.get(endpoint.name, [{}]) if name not in b),
        None,
    )
    assert baseline is not None, f"{endpoint.name}: every baseline sends {name}"
    for spec in (call(endpoint, **baseline), call(endpoint, **baseline, **{name: None})):
        assert name not in (spec.body or {}) and name not in (spec.params or {})


@pytest.mark.parametrize(("endpoint", "name"), FIELDS, ids=lambda x: getattr(x, "name", x))
def test_a_field_is_refused_when_wrong(endpoint: Endpoint, name: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        with_field(endpoint, name, endpoint.fields[name].check.bad)
    assert str(caught.value).startswith(name)


@pytest.mark.parametrize(("endpoint", "name"), ARGS, ids=lambda x: getattr(x, "name", x))
def test_a_positional_argument_is_checked(endpoint: Endpoint, name: str) -> None:
    index = [arg.name for arg in endpoint.args].index(name)
    bad = args(endpoint)
    bad[index] = endpoint.args[index].check.bad
    baseline = BASELINES.get(endpoint.name, [{}])[0]
    with pytest.raises(InvalidRequestError) as caught:
        endpoint.build(bad, {**required(endpoint), **baseline})
    assert str(caught.value).startswith(name)
    spec = call(endpoint, **baseline)
    if endpoint.shape is None and "{" not in endpoint.path:
        assert spec.body is not None and name in spec.body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_an_unknown_keyword_is_named_with_a_suggestion(endpoint: Endpoint) -> None:
    some = next(iter([*endpoint.fields, *sorted(endpoint.options)]))
    typo = some[:-1] + ("x" if some[-1] != "x" else "y")
    with pytest.raises(TypeError, match=f"{endpoint.name}\\(\\).*'{typo}'.*did you mean"):
        call(endpoint, **{typo: 1})
    with pytest.raises(TypeError, match="it takes"):
        call(endpoint, zzzzzzzz=1)


def method_of(client: object, name: str) -> Any:
    target = client
    for part in name.split("."):
        target = getattr(target, part)
    return target


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("client_class", [MemOS, AsyncMemOS])
def test_every_method_signature_follows_its_declaration(
    endpoint: Endpoint, client_class: type[Any]
) -> None:
    """Its positional parameters are the declared args, and `**params` unpacks the
    declared TypedDict, so editors show exactly the fields the builder checks."""
    client = client_class(api_key="sk-test", base_url="http://127.0.0.1:9")
    parameters = list(inspect.signature(method_of(client, endpoint.name)).parameters.values())
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [arg.name for arg in endpoint.args]
    [keywords] = [p for p in parameters if p.kind is p.VAR_KEYWORD]
    assert keywords.annotation == f"Unpack[{endpoint.params.__name__}]"
