"""Each call field's one-line doc, read from the attribute docstrings of
`memos_client/types/_params.py`.

Python keeps no attribute docstrings at run time, so they are read from the source.
The generated reference (`scripts/gen_api_docs.py`) and the `memos` command's option
help share this reader, so a field is explained the same way everywhere.
"""

from __future__ import annotations

import ast
import inspect
from functools import cache

__all__ = ["ClassDocs", "field_doc", "params_doc", "read_class_docs"]


class ClassDocs:
    """One class of a module: its base class names and its own fields' docs."""

    def __init__(self, bases: list[str], docs: dict[str, str]) -> None:
        self.bases = bases
        self.docs = docs


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_class_docs(source: str) -> dict[str, ClassDocs]:
    """Every class of a module's source, by name: bases and attribute docstrings."""
    classes: dict[str, ClassDocs] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [base.id for base in node.bases if isinstance(base, ast.Name)]
        docs: dict[str, str] = {}
        body = node.body
        for statement, following in zip(body, [*body[1:], None], strict=True):
            if not (
                isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            ):
                continue
            doc = ""
            if (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                doc = one_line(following.value.value)
            docs[statement.target.id] = doc
        classes[node.name] = ClassDocs(bases, docs)
    return classes


def field_doc(classes: dict[str, ClassDocs], class_name: str, name: str) -> str | None:
    """The doc of `name` as `class_name` sees it, or None when no class declares it.

    A TypedDict merges its bases' fields in order, a later base overriding an earlier
    one, and its own fields last; the lookup follows the same order backwards.
    """
    declared = classes.get(class_name)
    if declared is None:
        return None
    if name in declared.docs:
        return declared.docs[name]
    for base in reversed(declared.bases):
        doc = field_doc(classes, base, name)
        if doc is not None:
            return doc
    return None


@cache
def _params_classes() -> dict[str, ClassDocs]:
    from . import _params

    try:
        return read_class_docs(inspect.getsource(_params))
    except (OSError, TypeError):  # installed without its sources
        return {}


def params_doc(class_name: str, name: str) -> str:
    """The doc of field `name` of the `_params.py` TypedDict `class_name` ("" if none)."""
    return field_doc(_params_classes(), class_name, name) or ""
