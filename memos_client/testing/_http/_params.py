"""Request-field validation shared by endpoints, with the documented error codes.

Each helper reads one field of a JSON body and either returns a clean value or
raises `ApiError` with the code MemOS documents for that mistake (40002 required,
40003 empty list, 40010 long `user_id`, 40011 long `conversation_id`, 40000 for
anything else that is malformed).
"""

from __future__ import annotations

import json
from typing import Any

from ._wire import ApiError, bad_request

__all__ = [
    "MAX_GROUP_IDS",
    "MAX_ID_LENGTH",
    "checked_id",
    "conversation_id",
    "info_dict",
    "json_object",
    "optional_bool",
    "optional_dict",
    "optional_int",
    "optional_number",
    "optional_str",
    "optional_str_list",
    "required",
    "required_id",
    "required_str",
    "required_str_list",
    "single_subject",
    "subject_ids",
]

MAX_ID_LENGTH = 100
MAX_GROUP_IDS = 20
_TOO_LONG_CODES = {"user_id": 40010, "conversation_id": 40011}


def json_object(body: bytes) -> dict[str, Any]:
    """Parse a request body that must be a JSON object."""
    try:
        value = json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, ValueError):
        raise bad_request("the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise bad_request("the body must be a JSON object")
    return value


def required(name: str) -> ApiError:
    """The 40002 error for a missing or empty required field."""
    return ApiError(40002, f"Required field is empty: {name}")


def checked_id(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    if len(value) > MAX_ID_LENGTH:
        code = _TOO_LONG_CODES.get(name.split("[")[0], 40000)
        raise ApiError(code, f"{name} must be at most {MAX_ID_LENGTH} characters")
    return value


def subject_ids(body: dict[str, Any], name: str) -> tuple[str, ...]:
    """A `user_id`/`agent_id` that may be one id or a group-chat list of up to 20."""
    value = body.get(name)
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        if not value:
            raise ApiError(40003, f"{name} must not be an empty list")
        if len(value) > MAX_GROUP_IDS:
            raise bad_request(f"{name} accepts at most {MAX_GROUP_IDS} ids")
        ids = tuple(checked_id(f"{name}[{index}]", item) for index, item in enumerate(value))
        if any(not item for item in ids):
            raise required(name)
        return tuple(dict.fromkeys(ids))
    return (checked_id(name, value),)


def single_subject(body: dict[str, Any]) -> tuple[str, str]:
    """Exactly one of `user_id` / `agent_id`, as `("user" | "agent", id)`."""
    present = [name for name in ("user_id", "agent_id") if body.get(name) not in (None, "")]
    if len(present) > 1:
        raise bad_request("pass exactly one of user_id and agent_id, not both")
    if not present:
        raise required("user_id or agent_id")
    name = present[0]
    return name.removesuffix("_id"), checked_id(name, body[name])


def conversation_id(body: dict[str, Any]) -> str | None:
    """The optional `conversation_id` (at most 100 characters, else 40011)."""
    value = body.get("conversation_id")
    if value is None or value == "":
        return None
    return checked_id("conversation_id", value)


def required_str(body: dict[str, Any], name: str) -> str:
    """A required non-empty string field."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise required(name)
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def required_id(body: dict[str, Any], name: str) -> str:
    """A required id: a non-empty string of at most 100 characters (40010/40011 for ids)."""
    return checked_id(name, required_str(body, name))


def required_str_list(body: dict[str, Any], name: str) -> list[str]:
    """A required non-empty list of strings (40002 absent, 40003 empty, 40000 malformed)."""
    value = body.get(name)
    if value is None:
        raise required(name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request(f"{name} must be a list of strings")
    if not value:
        raise ApiError(40003, f"{name} must not be an empty list")
    return list(value)


def optional_number(
    body: dict[str, Any], name: str, low: float, high: float | None = None
) -> float | None:
    """An optional number within `low..high` (`None` when absent)."""
    value = body.get(name)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value < low
        or (high is not None and value > high)
    ):
        span = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
        raise bad_request(f"{name} must be a number {span}")
    return float(value)


def optional_str(body: dict[str, Any], name: str) -> str | None:
    """An optional string field (`None` when absent)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def optional_bool(body: dict[str, Any], name: str, default: bool) -> bool:
    """An optional boolean field."""
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be true or false")
    return value


def optional_int(body: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    """An optional integer field within `low..high`."""
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise bad_request(f"{name} must be an integer from {low} to {high}")
    return value


def optional_str_list(body: dict[str, Any], name: str) -> list[str]:
    """An optional list of strings (empty when absent)."""
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request(f"{name} must be a list of strings")
    return list(value)


def info_dict(body: dict[str, Any], name: str, *, strings_only: bool) -> dict[str, Any]:
    """An optional `info` object, typed as MemOS's OpenAPI file types it: for add, each
    value a string, a list of strings, an int or a float (no booleans, nothing nested);
    for chat, strings only. Anything else is a 40000."""
    info = optional_dict(body, name)
    for key, value in info.items():
        if isinstance(value, str):
            continue
        if strings_only:
            raise bad_request(f"{name}.{key} must be a string")
        if isinstance(value, bool):
            raise bad_request(f"{name}.{key} must not be a boolean")
        if isinstance(value, (int, float)):
            continue
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            continue
        raise bad_request(f"{name}.{key} must be a string, a list of strings or a number")
    return info


def optional_dict(body: dict[str, Any], name: str) -> dict[str, Any]:
    """An optional JSON object field (empty when absent)."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"{name} must be an object")
    return dict(value)
