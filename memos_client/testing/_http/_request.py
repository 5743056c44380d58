"""From raw request parts to what a handler reads: JSON body, form fields, query, files.

Routes say how they read their body (`Route.body`): `json` needs a JSON object,
`form` takes a JSON object or a `multipart/form-data` body (knowledge-base
uploads), and `none` ignores it (`GET get/memory/{id}`). Query parameters are
always parsed; multipart uploads carry `knowledgebase_id` and `type` there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .._call import BodyKind
from ._multipart import FormPart, parse_multipart
from ._params import json_object

__all__ = ["Parsed", "content_type_of", "parse_request", "query_of"]


@dataclass(frozen=True)
class Parsed:
    """A request's inputs, ready for a `Call`."""

    body: dict[str, Any]
    query: dict[str, str]
    files: tuple[FormPart, ...] | None


def query_of(path: str) -> dict[str, str]:
    """The query parameters of a request path (first value of each)."""
    _, _, query = path.partition("?")
    return {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}


def content_type_of(headers: Mapping[str, str]) -> str:
    """The `Content-Type` header (names in any case), or `""`."""
    return next((value for name, value in headers.items() if name.lower() == "content-type"), "")


def parse_request(kind: BodyKind, path: str, headers: Mapping[str, str], body: bytes) -> Parsed:
    """Read the body as the route wants it (raises `ApiError` 40000 on a malformed one)."""
    query = query_of(path)
    if kind == "none":
        return Parsed({}, query, None)
    content_type = content_type_of(headers)
    if kind == "form" and content_type.lower().startswith("multipart/form-data"):
        form = parse_multipart(content_type, body)
        return Parsed(dict(form.fields), query, form.files)
    return Parsed(json_object(body), query, None)
