"""The checks a request field can carry, each with values it takes and refuses.

A field's declaration (in `memos_client.types._params`) names its check with
`Annotated[T, CHECK]`; the request builder runs it on the value given, and the table
test in `tests/core/test_declarations.py` feeds it `good` and `bad` to prove that
every declared field is sent when given, omitted when not, and refused when wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import _validate as check
from ._messages import check_messages

__all__ = ["Check"]

MAX_SEARCH_LIMIT = 25
MAX_PAGE = 10**9
EXTRACT_PROMPT_KEYS = (*check.MEMORY_VIEWS, "image", "document")
EXTRACTION_TYPES = ("memory", "preference")
EXTRACT_ROLES = ("user", "assistant", "system")
FILE_TYPES = ("document", "skill")
MAX_PROFILE_DEPTH = 3
MAX_BINDINGS = 20
LEAF_KEYS = frozenset({"value", "algorithm_updatable"})


@dataclass(frozen=True, slots=True)
class Check:
    """`run(field, value)` returns the value to send, or raises `InvalidRequestError`
    naming the field and the fix. `good` is sent as `sent` (itself when None); `bad`
    is refused."""

    run: Callable[[str, Any], Any]
    good: Any
    bad: Any
    sent: Any = None

    def __call__(self, field: str, value: Any) -> Any:
        return self.run(field, value)


def limit(low: int, high: int) -> Check:
    return Check(partial(check.limit, low=low, high=high), good=low, bad=high + 1)


def number(high: float) -> Check:
    """A number from 0 to `high`, sent as a float."""

    def run(field: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= high:
            check.fail(field, f"must be a number between 0 and {high:g}, not {value!r}")
        return float(value)

    return Check(run, good=high, bad=high + 1, sent=float(high))


def choice(options: Sequence[str]) -> Check:
    def run(field: str, value: object) -> str:
        if value not in options:
            check.fail(field, f"must be {' or '.join(map(repr, options))}, not {value!r}")
        return str(value)

    return Check(run, good=options[0], bad="other")


def choices(options: Sequence[str], *, what: str = "value", hint: str = "") -> Check:
    """A list of some of `options`; `hint` follows the list of them in an error."""

    def run(field: str, value: object) -> list[str]:
        items = check.string_list(field, value)
        for index, item in enumerate(items):
            if item not in options:
                check.fail(
                    f"{field}[{index}]",
                    f"unknown {what} {item!r}; use one of {', '.join(options)}{hint}",
                )
        return items

    return Check(run, good=[options[0]], bad=["other"])


def _non_empty_ids(field: str, value: object) -> list[str]:
    ids = check.string_list(field, value)
    if not ids:
        check.fail(field, "is empty; pass at least one id")
    return [
        check.identifier(f"{field}[{index}]", item, max_length=None)
        for index, item in enumerate(ids)
    ]


def _documents(field: str, value: object) -> list[str]:
    documents = check.string_list(field, value)
    if not documents:
        check.fail(field, "is empty; pass the texts to rank")
    return documents


def _path_id(field: str, value: object) -> str:
    """A server-issued id that goes into the URL path (escaped by the builder)."""
    ident = check.identifier(field, value, max_length=None)
    if ident.strip() in (".", ".."):
        check.fail(field, "'.' and '..' are path segments, not ids")
    return ident


def _extract_prompts(field: str, value: object) -> dict[str, Any]:
    prompts = check.mapping(field, value)
    for key, prompt in prompts.items():
        if key not in EXTRACT_PROMPT_KEYS:
            check.fail(
                f"{field}[{key!r}]", f"unknown key; use one of {', '.join(EXTRACT_PROMPT_KEYS)}"
            )
        check.text(f"{field}[{key!r}]", prompt)
    return prompts


def _simple_messages(field: str, value: object) -> list[dict[str, str]]:
    """extract/memory takes only `{role, content: str}` turns (no parts, no tools)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        check.fail(field, "must be a non-empty list of {'role': ..., 'content': '...'}")
    out: list[dict[str, str]] = []
    for index, message in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(message, Mapping):
            check.fail(where, "must be a dict with 'role' and 'content'")
        if message.get("role") not in EXTRACT_ROLES:
            check.fail(f"{where}.role", f"must be one of {', '.join(EXTRACT_ROLES)}")
        check.text(f"{where}.content", message.get("content"))
        out.append({"role": message["role"], "content": message["content"]})
    return out


def tree(field: str, value: object, *, partial: bool = False) -> dict[str, Any]:
    """A profile template tree (or, `partial`, an edit of one), at most 3 levels deep
    with `{"value": str, "algorithm_updatable": bool}` leaves."""
    return _node(field, value, depth=1, partial=partial)


def _node(where: str, node: object, *, depth: int, partial: bool) -> dict[str, Any]:
    if not isinstance(node, Mapping) or not node:
        check.fail(where, "must be a non-empty dict of fields")
    for key, child in node.items():
        here = f"{where}.{key}"
        if not isinstance(key, str) or not key.strip():
            check.fail(where, f"field names must be non-empty strings, not {key!r}")
        if isinstance(child, Mapping) and child.keys() & LEAF_KEYS:
            _leaf(here, child, partial=partial)
        elif depth >= MAX_PROFILE_DEPTH:
            check.fail(
                here,
                f"is nested deeper than {MAX_PROFILE_DEPTH} levels; a profile tree has at "
                f"most {MAX_PROFILE_DEPTH}",
            )
        else:
            _node(here, child, depth=depth + 1, partial=partial)
    return dict(node)


def _leaf(where: str, leaf: Mapping[str, Any], *, partial: bool) -> None:
    if any(isinstance(leaf.get(key), Mapping) for key in LEAF_KEYS):
        # {"value": {...}}: meant as a field named "value", but the wire format reads
        # any node holding "value" or "algorithm_updatable" as a leaf.
        check.fail(
            where,
            "holds a field named 'value' or 'algorithm_updatable'; those names mark a leaf "
            "({'value': '...', 'algorithm_updatable': True}), so name the field otherwise",
        )
    extra = leaf.keys() - LEAF_KEYS
    if extra:
        check.fail(
            where, f"a leaf holds only 'value' and 'algorithm_updatable', not {sorted(extra)}"
        )
    if not partial and leaf.keys() != LEAF_KEYS:
        check.fail(where, "a leaf needs both 'value' (a string) and 'algorithm_updatable' (a bool)")
    if "value" in leaf and not isinstance(leaf["value"], str):
        check.fail(f"{where}.value", f"must be a string, not {type(leaf['value']).__name__}")
    if "algorithm_updatable" in leaf and not isinstance(leaf["algorithm_updatable"], bool):
        check.fail(f"{where}.algorithm_updatable", "must be True or False")


def _bindings(field: str, value: object) -> list[dict[str, str]]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        check.fail(field, "must be a list of {'user_id' or 'agent_id', 'profile_template_id'}")
    if not value:
        check.fail(field, "is empty; pass at least one binding")
    if len(value) > MAX_BINDINGS:
        check.fail(field, f"has {len(value)} bindings; one call takes at most {MAX_BINDINGS}")
    return [_binding(f"{field}[{index}]", item) for index, item in enumerate(value)]


def _binding(where: str, item: object) -> dict[str, str]:
    if not isinstance(item, Mapping):
        check.fail(where, "must be a dict like {'user_id': 'u1', 'profile_template_id': 't1'}")
    extra = item.keys() - {"user_id", "agent_id", "profile_template_id"}
    if extra:
        check.fail(where, f"unknown keys {sorted(extra)}")
    user_id, agent_id = item.get("user_id"), item.get("agent_id")
    if (user_id is None) == (agent_id is None):
        check.fail(f"{where}.user_id", "pass exactly one of user_id= or agent_id=")
    subject = (
        {"user_id": check.identifier(f"{where}.user_id", user_id)}
        if user_id is not None
        else {"agent_id": check.identifier(f"{where}.agent_id", agent_id)}
    )
    template = check.identifier(
        f"{where}.profile_template_id", item.get("profile_template_id"), max_length=None
    )
    return {**subject, "profile_template_id": template}


TREE_EXAMPLE = {"basic": {"job": {"value": "", "algorithm_updatable": True}}}

TEXT = Check(check.text, good="some text", bad="  ")
ID = Check(check.identifier, good="u1", bad="x" * 101)
SERVER_ID = Check(partial(check.identifier, max_length=None), good="id-1", bad="")
APP_ID = SERVER_ID
PATH_ID = Check(_path_id, good="id-1", bad="..")
SUBJECT = Check(partial(check.subject, allow_list=False), good="u1", bad=["u1", "u2"])
SUBJECTS = Check(partial(check.subject, allow_list=True), good=["u1", "u2"], bad=["u1", "u1"])
BOOL = Check(check.boolean, good=True, bad="yes")
STRINGS = Check(check.string_list, good=["a"], bad="a")
IDS = Check(_non_empty_ids, good=["id-1"], bad=[])
DOCUMENTS = Check(_documents, good=["a text"], bad=[])
TAGS = Check(check.tags, good=["travel"], bad=[" "])
INFO = Check(check.info, good={"scene": "chat", "n": 1}, bad={"vip": True})
STRING_MAP = Check(check.string_map, good={"floor": "3"}, bad={"floor": 3})
FILTER = Check(check.mapping, good={"and": [{"tags": {"contains": "x"}}]}, bad="tags=x")
# An unknown view is a 400 on the server, so it is caught here.
VIEWS = choices(check.MEMORY_VIEWS, what="memory view", hint=" (extra_body= can send a newer one)")
RECALL_LIMIT = limit(1, MAX_SEARCH_LIMIT)
PAGE = limit(1, MAX_PAGE)
UNIT = Check(check.unit_interval, good=0.5, bad=1.5)
EXTRACT_PROMPTS = Check(_extract_prompts, good={"preference": "Only food."}, bad={"food": "x"})
MESSAGES = Check(
    lambda field, value: check_messages(value, field=field),
    good=[{"role": "user", "content": "hi"}],
    bad=[{"role": "usr", "content": "x"}],
)
SIMPLE_MESSAGES = Check(
    _simple_messages, good=[{"role": "user", "content": "hi"}], bad=[{"role": "tool"}]
)
EXTRACTION_KINDS = choices(EXTRACTION_TYPES, what="extraction type")
FILE_TYPE = choice(FILE_TYPES)
TREE = Check(tree, good=TREE_EXAMPLE, bad={"basic": {"job": {"value": 1}}})
PARTIAL_TREE = Check(
    partial(tree, partial=True), good={"basic": {"job": {"value": "x"}}}, bad={"a": {}}
)
BINDINGS = Check(
    _bindings, good=[{"user_id": "u1", "profile_template_id": "t1"}], bad=[{"user_id": "u1"}]
)


def _uploads(field: str, value: object) -> Any:
    from ._uploads import as_uploads

    return as_uploads(field, value)


def _upload(field: str, value: Any) -> Any:
    from ..types._uploads import FileUpload

    return FileUpload.coerce(value)


UPLOADS = Check(_uploads, good="https://example.com/a.pdf", bad=[])
UPLOAD = Check(_upload, good="https://example.com/a.pdf", bad=b"raw")
