#!/usr/bin/env python3
"""Generate the per-call parameter reference in docs/api.md from the endpoint declarations.

One subsection per endpoint of `memos_client._core._api.ENDPOINTS`, in order: its
positional arguments (type from the method's signature, doc from the `Arg`), then
its keyword fields (type, required-ness and doc from the TypedDict in
`memos_client/types/_params.py`), then the per-call options it takes. The section
sits between the `<!-- params:start -->` and `<!-- params:end -->` markers.

    python scripts/gen_api_docs.py           # regenerate
    python scripts/gen_api_docs.py --check   # fail when docs/api.md is stale

A keyword field with no docstring is refused, so the reference never shows an
empty description.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Union, get_args, get_origin

from typing_extensions import NotRequired, Required

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout, not an installed copy

from memos_client import MemOS  # noqa: E402
from memos_client._core._api import ENDPOINTS, Endpoint, fields_of  # noqa: E402
from memos_client.types import _params  # noqa: E402
from memos_client.types._fielddocs import ClassDocs, field_doc, read_class_docs  # noqa: E402

API_MD = ROOT / "docs" / "api.md"
PARAMS_PY = ROOT / "memos_client" / "types" / "_params.py"
START = "<!-- params:start -->"
END = "<!-- params:end -->"
OPTION_ORDER = ("timeout", "extra_headers", "extra_body")
STALE = "docs/api.md is stale: run python scripts/gen_api_docs.py"


# Field docs: the attribute docstrings of each TypedDict in _params.py, read from source
# (memos_client.types._fielddocs, shared with the `memos` command's help).


def params_classes() -> list[type[Any]]:
    """The TypedDicts of _params.py, in source order."""
    found = [
        value
        for value in vars(_params).values()
        if isinstance(value, type)
        and value.__module__ == _params.__name__
        and hasattr(value, "__required_keys__")
    ]
    order = list(read_class_docs(PARAMS_PY.read_text(encoding="utf-8")))
    return sorted(found, key=lambda cls: order.index(cls.__name__))


def missing_docs() -> list[str]:
    """`Class.field` for every checked field of a _params.py TypedDict with no doc."""
    classes = read_class_docs(PARAMS_PY.read_text(encoding="utf-8"))
    return [
        f"{cls.__name__}.{name}"
        for cls in params_classes()
        for name in fields_of(cls)
        if not field_doc(classes, cls.__name__, name)
    ]


# Types, rendered as a reader writes them.


def strip_wrappers(hint: Any) -> Any:
    """The type inside `Required[...]` / `NotRequired[...]` / `Annotated[T, ...]`."""
    while get_origin(hint) in (Required, NotRequired):
        hint = get_args(hint)[0]
    return getattr(hint, "__origin__", hint) if hasattr(hint, "__metadata__") else hint


def render_type(hint: Any) -> str:
    if hint is Any:
        return "Any"
    if hint is None or hint is type(None):
        return "None"
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return " | ".join(render_type(arg) for arg in get_args(hint))
    if origin is not None:
        args = ", ".join(render_type(arg) for arg in get_args(hint))
        return f"{origin.__name__}[{args}]"
    if isinstance(hint, type):
        return hint.__name__
    raise SystemExit(f"cannot render the type {hint!r}: teach scripts/gen_api_docs.py")


# The section.


def method_of(client: MemOS, endpoint: Endpoint) -> Callable[..., Any]:
    target: Any = client
    for part in endpoint.name.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise SystemExit(f"client.{endpoint.name} is not a method")
    method: Callable[..., Any] = target
    return method


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def code(text: str) -> str:
    return cell(f"`{text}`")


class Row(NamedTuple):
    """One documented parameter of a call: as the table and the docstring show it."""

    name: str
    type: str
    required: bool
    doc: str


class CallDoc(NamedTuple):
    """What the reference says about one call: its arguments, fields and options."""

    endpoint: Endpoint
    signature: inspect.Signature
    args: list[Row]
    fields: list[Row]
    options: list[Row]

    @property
    def heading(self) -> str:
        """The call's heading in docs/api.md (without the `### `)."""
        endpoint = self.endpoint
        keywords = [p.name for p in self.signature.parameters.values() if p.kind is VAR_KEYWORD]
        call = ", ".join([*(arg.name for arg in self.args), f"**{keywords[0]}"])
        return (
            f"client.{endpoint.name}({call}) — {endpoint.method} {endpoint.path} ({endpoint.kind})"
        )


VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD


def call_doc(
    endpoint: Endpoint, signature: inspect.Signature, classes: dict[str, ClassDocs]
) -> CallDoc:
    """Every parameter of `endpoint`'s method (with `signature`), with its type and doc."""
    name = endpoint.name
    positional = [p for p in signature.parameters.values() if p.kind is not VAR_KEYWORD]
    keywords = [p for p in signature.parameters.values() if p.kind is VAR_KEYWORD]
    if [p.name for p in positional] != [arg.name for arg in endpoint.args]:
        raise SystemExit(
            f"client.{name}{signature}: its positional arguments are not the declared "
            f"{[arg.name for arg in endpoint.args]}"
        )
    params_name = endpoint.params.__name__
    if len(keywords) != 1 or keywords[0].annotation != f"Unpack[{params_name}]":
        raise SystemExit(f"client.{name}{signature}: expected **...: Unpack[{params_name}]")

    args: list[Row] = []
    for parameter, arg in zip(positional, endpoint.args, strict=True):
        annotation = parameter.annotation
        if annotation is inspect.Parameter.empty:
            raise SystemExit(f"client.{name}: argument {arg.name} has no annotation")
        rendered = annotation if isinstance(annotation, str) else render_type(annotation)
        args.append(Row(arg.name, rendered, parameter.default is inspect.Parameter.empty, arg.doc))
    annotations = endpoint.params.__annotations__
    fields: list[Row] = []
    for field_name, spec in endpoint.fields.items():
        doc = field_doc(classes, params_name, field_name)
        if not doc:
            raise SystemExit(f"{params_name}.{field_name} has no docstring in types/_params.py")
        rendered = render_type(strip_wrappers(annotations[field_name]))
        fields.append(Row(field_name, rendered, spec.required, doc))
    fields.sort(key=lambda row: not row.required)  # what a call needs first, else as declared
    order = [o for o in OPTION_ORDER if o in endpoint.options]
    order += sorted(endpoint.options - set(OPTION_ORDER))
    options = [
        Row(
            option,
            render_type(strip_wrappers(_params.CallOptions.__annotations__[option])),
            False,
            field_doc(classes, "CallOptions", option) or "",
        )
        for option in order
    ]
    return CallDoc(endpoint, signature, args, fields, options)


def endpoint_section(doc: CallDoc) -> list[str]:
    """The call's subsection of docs/api.md: a table of its arguments and fields."""
    lines = [f"### {doc.heading}"]
    lines += ["", "| Parameter | Type | Required | Description |", "|---|---|---|---|"]
    for row in [*doc.args, *doc.fields]:
        required = "yes" if row.required else "no"
        lines.append(f"| {code(row.name)} | {code(row.type)} | {required} | {cell(row.doc)} |")
    lines += ["", "Options: " + ", ".join(f"`{row.name}=`" for row in doc.options) + "."]
    return lines


def docstring_sections(doc: CallDoc, table_link: str) -> str:
    """The call's parameters as Google-style docstring sections, for mkdocstrings.

    The methods declare `**params: Unpack[SomeParams]`, which a docs renderer shows as
    one opaque parameter; `scripts/griffe_params.py` appends this text to the method's
    docstring, so the rendered page lists every field with its type and doc, and links
    to the call's table in docs/api.md (`table_link`).
    """

    def entries(rows: list[Row], required_mark: bool) -> list[str]:
        lines = []
        for row in rows:
            mark = "**Required.** " if required_mark and row.required else ""
            lines.append(f"    {row.name} ({row.type}): {mark}{row.doc}")
        return lines

    endpoint = doc.endpoint
    text = [f"Sends `{endpoint.method} {endpoint.path}` ([parameter table]({table_link})).", ""]
    if doc.args:
        text += ["Args:", *entries(doc.args, False), ""]
    text += ["Other Parameters:", *entries(doc.fields, True), *entries(doc.options, False)]
    return "\n".join(text) + "\n"


def client_calls(client: Any) -> list[tuple[str, CallDoc]]:
    """`(module.Class.method, doc)` for each endpoint method of a client, as defined,
    and for each `iter_pages` beside a `list` (it takes the same parameters)."""
    classes = read_class_docs(PARAMS_PY.read_text(encoding="utf-8"))
    calls = []
    for endpoint in ENDPOINTS:
        method: Any = method_of(client, endpoint)
        methods = [method]
        if endpoint.name.endswith(".list") and hasattr(method.__self__, "iter_pages"):
            methods.append(method.__self__.iter_pages)
        for each in methods:
            function = each.__func__
            path = f"{function.__module__}.{function.__qualname__}"
            calls.append((path, call_doc(endpoint, inspect.signature(each), classes)))
    return calls


def render_section() -> str:
    """The text between the markers (newline-framed)."""
    lines: list[str] = []
    with MemOS(api_key="sk-test", base_url="http://127.0.0.1:1") as client:  # sends nothing
        for path, doc in client_calls(client):
            if not path.endswith(".iter_pages"):
                lines += ["", *endpoint_section(doc)]
    return "\n".join(lines) + "\n\n"


def updated(text: str) -> str:
    """`text` (docs/api.md) with the section between the markers regenerated."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise SystemExit(f"docs/api.md needs one {START} line followed by one {END} line")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + "\n" + render_section() + END + tail


def main(argv: Sequence[str] | None = None, path: Path = API_MD) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)

    current = path.read_text(encoding="utf-8")
    expected = updated(current)
    if current == expected:
        return 0
    if args.check:
        print(STALE, file=sys.stderr)
        return 1
    path.write_text(expected, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
