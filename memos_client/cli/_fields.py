"""Command options from the SDK's own declarations: one option per keyword field.

A call's positional arguments (`Endpoint.args`) become positional arguments and its
keyword fields (the TypedDict in `memos_client/types/_params.py`) become options
named after the field (`user_id` -> `--user-id`), with the field's own doc as help.
The field's type decides how the option is read: a flag pair for a bool
(`--include-preference` / `--no-include-preference`), a number, a string, one or
more strings for a list, and JSON (or `@file.json`) for an object. So every option
maps to a documented keyword, and a field added to the SDK shows up here by itself.
Values are checked by the SDK, which names the field when one is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from typing_extensions import NotRequired, Required

from .._core import _checks as c
from .._core._api import Arg, Endpoint, endpoint
from .._exceptions import InvalidRequestError
from ..types._fielddocs import params_doc

__all__ = ["add_endpoint", "call_arguments", "json_value", "messages_of", "add_messages"]

Shape = Literal["bool", "int", "float", "str", "list", "str_or_list", "json"]
FIELD = "field:"  # namespace attribute prefixes, apart from the command's own options
ARG = "arg:"
LIST_ARGS = (c.IDS, c.DOCUMENTS, c.UPLOADS)
JSON_ARGS = (c.TREE, c.BINDINGS)
MESSAGE_ARGS = (c.MESSAGES, c.SIMPLE_MESSAGES)
ROLES = ("user", "assistant", "system")


def shape_of(annotation: Any) -> Shape:
    """How a field's declared type is read from the command line."""
    hint = annotation
    while get_origin(hint) in (Required, NotRequired):
        hint = get_args(hint)[0]
    if hasattr(hint, "__metadata__"):  # Annotated[T, CHECK]
        hint = hint.__origin__
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        parts = {shape_of(part) for part in get_args(hint)}
        return "str_or_list" if parts == {"str", "list"} else "json"
    if origin is not None:
        return "list" if issubclass(origin, Sequence) else "json"
    if hint in (bool, int, float, str):
        return hint.__name__  # type: ignore[no-any-return]
    return "json"


def json_value(text: str) -> Any:
    """A JSON value from the command line; `@path` reads it from a file, `-` from stdin."""
    try:
        if text == "-":
            source = sys.stdin.read()
        elif text.startswith("@"):
            source = Path(text[1:]).read_text(encoding="utf-8")
        else:
            source = text
        return json.loads(source)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {error.strerror}") from None
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not valid JSON ({error})") from None


def option(name: str) -> str:
    return "--" + name.replace("_", "-")


def item_metavar(name: str) -> str:
    """The metavar of one value of a list (`memory_ids` -> `ID`, `tags` -> `TAG`): the
    last word, singular, so that `--allow-knowledgebase-ids ID [ID ...]` fits a line."""
    return name.rsplit("_", 1)[-1].upper().removesuffix("S")


def _help(text: str) -> str:
    return text.replace("%", "%%")  # argparse formats help with %


def add_field(parser: argparse.ArgumentParser, target: Endpoint, name: str) -> None:
    """One keyword field of `target` as an option."""
    spec = target.fields[name]
    shape = shape_of(target.params.__annotations__[name])
    doc = params_doc(target.params.__name__, name)
    kwargs: dict[str, Any] = {"dest": FIELD + name, "required": spec.required}
    if shape == "bool":
        kwargs["action"] = argparse.BooleanOptionalAction
    elif shape in ("list", "str_or_list"):
        kwargs.update(action="extend", nargs="+", metavar=item_metavar(name))
    elif shape == "json":
        kwargs.update(type=json_value, metavar="JSON")
        doc += " (JSON, or @file.json)"
    else:
        kwargs.update(type={"int": int, "float": float, "str": str}[shape], metavar=name.upper())
    parser.add_argument(option(name), help=_help(doc), **kwargs)


def add_arg(parser: argparse.ArgumentParser, arg: Arg) -> None:
    """One positional argument of a call."""
    kwargs: dict[str, Any] = {"metavar": arg.name.upper(), "help": _help(arg.doc)}
    if any(arg.check is check for check in LIST_ARGS):
        kwargs.update(nargs="+", metavar=item_metavar(arg.name))
    elif any(arg.check is check for check in JSON_ARGS):
        kwargs["type"] = json_value
        kwargs["help"] += " (JSON, or @file.json)"
    parser.add_argument(ARG + arg.name, **kwargs)


def endpoint_arguments(name: str) -> Callable[[argparse.ArgumentParser], None]:
    """`add_endpoint(parser, name)`, to pass as a command's `arguments=`."""

    def add(parser: argparse.ArgumentParser) -> None:
        add_endpoint(parser, name)

    return add


def add_endpoint(
    parser: argparse.ArgumentParser, name: str, *, skip: Sequence[str] = ()
) -> Endpoint:
    """The positional arguments and keyword options of the SDK call `name`
    (messages excepted: see `add_messages`)."""
    target = endpoint(name)
    for arg in target.args:
        if arg.name not in skip and not any(arg.check is check for check in MESSAGE_ARGS):
            add_arg(parser, arg)
    fields = parser.add_argument_group(f"fields of client.{name}()")
    for field_name in target.fields:
        if field_name not in skip:
            add_field(fields, target, field_name)  # type: ignore[arg-type]
    return target


def call_arguments(args: argparse.Namespace, name: str) -> tuple[list[Any], dict[str, Any]]:
    """The positional values and the given keyword fields of call `name`."""
    target = endpoint(name)
    values = vars(args)
    positional = [values[ARG + arg.name] for arg in target.args if ARG + arg.name in values]
    keywords: dict[str, Any] = {}
    for field_name in target.fields:
        value = values.get(FIELD + field_name)
        if value is None:
            continue
        if shape_of(target.params.__annotations__[field_name]) == "str_or_list":
            value = value[0] if len(value) == 1 else value
        keywords[field_name] = value
    return positional, keywords


def add_messages(parser: argparse.ArgumentParser) -> None:
    """The turns to send: `--message TEXT` (repeatable, with `--role`), or
    `--messages-json` for a whole OpenAI-style list (mixed roles, images, tool calls)."""
    turns = parser.add_argument_group("messages (one of)")
    turns.add_argument(
        "--message",
        "-m",
        action="append",
        dest="message_texts",
        metavar="TEXT",
        help="a turn's text; repeat for several turns of the same --role",
    )
    turns.add_argument(
        "--role", choices=ROLES, default="user", help="the role of every --message (default user)"
    )
    turns.add_argument(
        "--messages-json",
        type=json_value,
        metavar="JSON",
        help='the turns as a JSON list, e.g. \'[{"role": "user", "content": "hi"}]\' '
        "(or @file.json, or - for stdin)",
    )


def messages_of(args: argparse.Namespace) -> list[Any]:
    """The turns given with `--message` / `--messages-json`."""
    if args.message_texts and args.messages_json is not None:
        raise InvalidRequestError(
            "messages: pass --message or --messages-json, not both", field="messages"
        )
    if args.messages_json is not None:
        value = args.messages_json
        if isinstance(value, Mapping):
            value = [value]
        return list(value) if isinstance(value, list) else [value]
    if not args.message_texts:
        raise InvalidRequestError(
            "messages: pass --message TEXT (repeatable, with --role) or --messages-json",
            field="messages",
        )
    return [{"role": args.role, "content": text} for text in args.message_texts]
