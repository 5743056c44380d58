"""Argument checks that run before anything is sent.

Each check raises `InvalidRequestError` (also a `ValueError`) naming the field and
the fix. Only cheap, well-defined rules live here (memos-api.md section 12.2); token
limits change too often and are left to the server.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from .._exceptions import InvalidRequestError

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_OPAQUE_ID_LENGTH",
    "MAX_SUBJECT_IDS",
    "MEMORY_VIEWS",
    "at_least_one_subject",
    "boolean",
    "exactly_one_subject",
    "fail",
    "identifier",
    "info",
    "limit",
    "mapping",
    "string_list",
    "string_map",
    "subject",
    "tags",
    "text",
    "unit_interval",
    "unicode",
]

MAX_ID_LENGTH = 100
# Ids the server issues (memory, task, knowledge-base, template ids) are UUID-sized;
# anything past this is not one, and in a URL path it would break the request.
MAX_OPAQUE_ID_LENGTH = 1024
MAX_SUBJECT_IDS = 20
MEMORY_VIEWS = ("detail_factual", "preference", "tool_memory", "skill", "event", "profile")


def fail(field: str, problem: str) -> NoReturn:
    raise InvalidRequestError(f"{field}: {problem}", field=field)


def text(field: str, value: object) -> str:
    """A required, non-blank string of valid Unicode text."""
    if not isinstance(value, str):
        fail(field, f"must be a string, not {type(value).__name__}")
    if not value.strip():
        fail(field, "must not be empty")
    return unicode(field, value)


def unicode(field: str, value: str) -> str:
    """`value`, if it can be sent as UTF-8: a lone surrogate (half of an emoji cut in
    two, or bytes decoded with `surrogateescape`) cannot."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            at = error.start
            problem = (
                f"holds a lone surrogate ({value[at]!r} at index {at}), which is not valid "
                "Unicode text and cannot be sent; decode bytes with errors='replace', or "
                "remove it"
            )
        else:
            return value
        fail(field, problem)
    return value


def identifier(field: str, value: object, *, max_length: int | None = MAX_ID_LENGTH) -> str:
    """A non-blank id string, at most `max_length` characters when the API caps it;
    `None` means an id the server issued, capped at `MAX_OPAQUE_ID_LENGTH`."""
    value = text(field, value)
    if max_length is None:
        if len(value) > MAX_OPAQUE_ID_LENGTH:
            fail(
                field,
                f"is {len(value)} characters; ids that MemOS issues are far shorter, and "
                f"anything over {MAX_OPAQUE_ID_LENGTH} is refused: pass the id the server "
                "returned",
            )
    elif len(value) > max_length:
        fail(
            field,
            f"is {len(value)} characters; MemOS allows at most {max_length}. Use a shorter "
            "stable id (a hash of a long one works), never conversation text",
        )
    return value


def subject(field: str, value: object, *, allow_list: bool) -> str | list[str] | None:
    """A `user_id` / `agent_id`: one id, or (group chat) a list of up to 20 distinct ids."""
    if value is None or isinstance(value, str):
        return None if value is None else identifier(field, value)
    if not allow_list:
        fail(field, f"must be a single id string here, not {type(value).__name__}")
    ids = string_list(field, value)
    if not ids:
        fail(field, "is an empty list; pass an id or a list of ids")
    if len(ids) > MAX_SUBJECT_IDS:
        fail(field, f"has {len(ids)} ids; a group-chat call takes at most {MAX_SUBJECT_IDS}")
    if len(set(ids)) != len(ids):
        fail(field, "lists the same id twice; pass each id once")
    for index, item in enumerate(ids):
        identifier(f"{field}[{index}]", item)
    return ids


def at_least_one_subject(user_id: object, agent_id: object) -> None:
    if user_id is None and agent_id is None:
        fail("user_id", "is required: pass user_id=... (or agent_id=... for agent memory)")


def exactly_one_subject(user_id: object, agent_id: object) -> None:
    at_least_one_subject(user_id, agent_id)
    if user_id is not None and agent_id is not None:
        fail("agent_id", "pass user_id= or agent_id=, not both: a call has exactly one subject")


def string_list(field: str, value: object) -> list[str]:
    """A list of strings; a bare string is refused (it would be sent as one string)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        fail(field, f"must be a list of strings, not {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            fail(f"{field}[{index}]", f"must be a string, not {type(item).__name__}")
    return list(value)


def tags(field: str, value: object) -> list[str]:
    """A list of non-blank tag strings."""
    items = string_list(field, value)
    for index, item in enumerate(items):
        if not item.strip():
            fail(f"{field}[{index}]", "is blank; a tag needs some text")
    return items


def info(field: str, value: object) -> dict[str, Any]:
    """add's write-time metadata: per key a string, a list of strings, an int or a float,
    as MemOS's OpenAPI file types it. Booleans and nested objects are refused.

    Only flat string values can be filtered on later (`filters.eq("scene", "chat")`).
    """
    metadata = mapping(field, value)
    for key, item in metadata.items():
        where = f"{field}[{key!r}]"
        if isinstance(item, bool):
            fail(where, f"is {item!r}; MemOS takes no booleans here: send 'true'/'false' or 1/0")
        if isinstance(item, str):
            continue
        if isinstance(item, (int, float)):
            if not math.isfinite(item):
                fail(where, f"is {item!r}; numbers must be finite")
            continue
        if isinstance(item, (list, tuple)) and all(isinstance(part, str) for part in item):
            continue
        fail(
            where,
            f"must be a string, a list of strings, an int or a float, not "
            f"{type(item).__name__} (convert dates with .isoformat(); flatten nested objects)",
        )
    return metadata


def string_map(field: str, value: object) -> dict[str, str]:
    """A flat dict of strings (chat's `info`)."""
    metadata = mapping(field, value)
    for key, item in metadata.items():
        if not isinstance(item, str):
            fail(f"{field}[{key!r}]", f"must be a string, not {type(item).__name__}: {item!r:.40}")
    return metadata


def boolean(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        fail(field, f"must be True or False, not {value!r}")
    return value


def limit(field: str, value: object, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(field, f"must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        fail(field, f"is {value}; it must be between {low} and {high}")
    return value


def unit_interval(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(field, f"must be a number between 0 and 1, not {type(value).__name__}")
    if not 0 <= value <= 1:
        fail(field, f"is {value}; it must be between 0 and 1 (0 turns the threshold off)")
    return float(value)


def mapping(field: str, value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        fail(field, f"must be a dict, not {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            fail(field, f"keys must be strings, not {type(key).__name__}")
    return dict(value)
