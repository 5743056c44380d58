"""Encode a request body once, before sending, or say which field cannot be sent.

The body is serialised here, as httpx would (compact, UTF-8, no NaN), so that a value
JSON cannot carry fails as an `InvalidRequestError` naming its field, before any
byte leaves: a lone surrogate, NaN or infinity, bytes, a set, an arbitrary object,
a cycle. A body that encodes pays one `json.dumps`, which httpx would do anyway; the
walk that finds the culprit runs only after a failure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Final

from ._validate import fail, unicode

__all__ = ["MAX_DEPTH", "check_json", "encode_json", "form_fields"]

# Deeper than this is a cycle or a mistake; MemOS bodies are a few levels deep.
MAX_DEPTH: Final = 64
# Built once: `json.dumps` with any non-default option builds an encoder per call.
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_json(body: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> bytes:
    """`body` (with `extra_body` merged over it) as UTF-8 JSON bytes.

    Raises `InvalidRequestError` naming the first field that cannot be sent:
    `extra_body[...]` for the caller's extras, the wire name for the rest.
    """
    merged = {**body, **extra} if extra else body
    try:
        return _ENCODER.encode(merged).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        pass
    if extra:
        check_json("extra_body", extra)
    for name, value in merged.items():
        check_json(str(name), value)
    fail("body", "cannot be encoded as JSON")  # pragma: no cover - the walk names it first


def check_json(field: str, value: object, depth: int = 0) -> None:
    """Raise `InvalidRequestError` at the first part of `value` that JSON cannot carry."""
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, str):
        _text(field, value)
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            fail(field, f"is {value!r}; JSON numbers must be finite (send None to leave it out)")
        return
    if depth >= MAX_DEPTH:
        fail(field, f"is nested more than {MAX_DEPTH} levels deep (or refers to itself)")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                fail(field, f"has a key of type {type(key).__name__}; JSON keys are strings")
            if isinstance(key, str):
                _text(f"{field}[{key!r:.40}]", key)
            check_json(f"{field}[{key!r:.40}]", item, depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_json(f"{field}[{index}]", item, depth + 1)
        return
    fail(field, f"is a value {_kind(value)}, which JSON cannot carry; {_fix(value)}")


def form_fields(body: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Multipart form fields (beside uploaded files), `extra_body` merged over `body`.

    Each must be text or a number (or a list of them); raises `InvalidRequestError`
    naming the first that is not: `extra_body[...]` for the caller's extras.
    """
    for prefix, fields in (("", body), ("extra_body", extra or {})):
        for name, value in fields.items():
            if not isinstance(name, str):
                fail(prefix or "body", f"has a key of type {type(name).__name__}; use strings")
            where = f"{prefix}[{name!r:.40}]" if prefix else name
            _text(where, name)
            if isinstance(value, (list, tuple)):
                for index, item in enumerate(value):
                    _form_value(f"{where}[{index}]", item)
            else:
                _form_value(where, value)
    return {**body, **(extra or {})}


def _form_value(field: str, value: object) -> None:
    if isinstance(value, str):
        _text(field, value)
    elif isinstance(value, float) and not math.isfinite(value):
        fail(field, f"is {value!r}; numbers must be finite")
    elif value is not None and not isinstance(value, (int, float)):
        fail(field, f"is a value {_kind(value)}; a form field must be text or a number")


def _text(field: str, value: str) -> None:
    unicode(field, value)


def _kind(value: object) -> str:
    kind = type(value)
    module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    return f"of type {module}{kind.__qualname__}"


def _fix(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "decode it to text first (value.decode())"
    if isinstance(value, (set, frozenset)):
        return "pass a list instead (sorted(value))"
    if hasattr(value, "isoformat"):
        return "convert it to text with .isoformat()"
    return "convert it to a string, number, bool, list or dict"
