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
from typing import Any, Union, get_args, get_origin

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


def endpoint_section(
    endpoint: Endpoint, signature: inspect.Signature, classes: dict[str, ClassDocs]
) -> list[str]:
    name = endpoint.name
    positional = [
        p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    keywords = [p for p in signature.parameters.values() if p.kind is inspect.Parameter.VAR_KEYWORD]
    if [p.name for p in positional] != [arg.name for arg in endpoint.args]:
        raise SystemExit(
            f"client.{name}{signature}: its positional arguments are not the declared "
            f"{[arg.name for arg in endpoint.args]}"
        )
    params_name = endpoint.params.__name__
    if len(keywords) != 1 or keywords[0].annotation != f"Unpack[{params_name}]":
        raise SystemExit(f"client.{name}{signature}: expected **...: Unpack[{params_name}]")

    call = ", ".join([*(p.name for p in positional), f"**{keywords[0].name}"])
    lines = [f"### client.{name}({call}) — {endpoint.method} {endpoint.path} ({endpoint.kind})"]
    lines += ["", "| Parameter | Type | Required | Description |", "|---|---|---|---|"]
    for parameter, arg in zip(positional, endpoint.args, strict=True):
        annotation = parameter.annotation
        if annotation is inspect.Parameter.empty:
            raise SystemExit(f"client.{name}: argument {arg.name} has no annotation")
        rendered = annotation if isinstance(annotation, str) else render_type(annotation)
        required = "yes" if parameter.default is inspect.Parameter.empty else "no"
        lines.append(f"| {code(arg.name)} | {code(rendered)} | {required} | {cell(arg.doc)} |")
    annotations = endpoint.params.__annotations__
    for field_name, spec in endpoint.fields.items():
        doc = field_doc(classes, params_name, field_name)
        if not doc:
            raise SystemExit(f"{params_name}.{field_name} has no docstring in types/_params.py")
        rendered = render_type(strip_wrappers(annotations[field_name]))
        required = "yes" if spec.required else "no"
        lines.append(f"| {code(field_name)} | {code(rendered)} | {required} | {cell(doc)} |")
    options = [o for o in OPTION_ORDER if o in endpoint.options]
    options += sorted(endpoint.options - set(OPTION_ORDER))
    lines += ["", "Options: " + ", ".join(f"`{option}=`" for option in options) + "."]
    return lines


def render_section() -> str:
    """The text between the markers (newline-framed)."""
    classes = read_class_docs(PARAMS_PY.read_text(encoding="utf-8"))
    lines: list[str] = []
    with MemOS(api_key="sk-test", base_url="http://127.0.0.1:1") as client:  # sends nothing
        for endpoint in ENDPOINTS:
            signature = inspect.signature(method_of(client, endpoint))
            lines += ["", *endpoint_section(endpoint, signature, classes)]
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
