"""A Griffe extension (mkdocs.yml loads it): every endpoint method's docstring on the
docs site lists the call's parameters, as `docs/api.md`'s generated tables do.

The clients declare keyword fields as `**params: Unpack[AddParams]`, which
mkdocstrings would show as one opaque `**params`. This appends, to the docstring of
each endpoint method of `MemOS`, `AsyncMemOS` and their resources, Google-style
`Args:` / `Other Parameters:` sections built by `scripts/gen_api_docs.py` from the
same declarations, plus a link to the call's table. Nothing is written by hand, and
a method the docs cannot find fails the build.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import griffe
from markdown.extensions.toc import slugify

HERE = Path(__file__).resolve().parent


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_api_docs", HERE / "gen_api_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def anchor(heading: str) -> str:
    """The id Python-Markdown's toc extension (as mkdocs.yml configures it) gives a heading."""
    return str(slugify(heading, "-"))


class EndpointParams(griffe.Extension):
    """Appends each endpoint method's parameters to its docstring."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != "memos_client":
            return
        gen = load_generator()
        from memos_client import AsyncMemOS, MemOS

        api_md = (HERE.parent / "docs" / "api.md").read_text(encoding="utf-8")
        for client_class in (MemOS, AsyncMemOS):
            client = client_class(api_key="sk-docs", base_url="http://127.0.0.1:1")  # no I/O
            for path, doc in gen.client_calls(client):
                function = pkg[path.removeprefix("memos_client.")]
                if f"\n### {doc.heading}\n" not in api_md:
                    raise SystemExit(f"docs/api.md has no heading {doc.heading!r}: regenerate it")
                link = f"../api.md#{anchor(doc.heading)}"
                text = gen.docstring_sections(doc, link)
                if function.docstring is None:
                    raise SystemExit(f"{path} has no docstring")
                if "\nArgs:" in function.docstring.value or "Other Parameters:" in (
                    function.docstring.value
                ):
                    raise SystemExit(f"{path}: its parameters are generated, not written")
                function.docstring.value = f"{function.docstring.value.rstrip()}\n\n{text}"
