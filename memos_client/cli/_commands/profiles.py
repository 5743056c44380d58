"""`memos profiles templates list|get|create|update|delete|bind`, and `profiles edit|delete`
for one subject's profile (client.profiles)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .. import _output as out
from .._context import Context
from .._fields import call_arguments, endpoint_arguments
from .._parser import group, leaf

# (command, SDK call, help, example arguments)
TEMPLATE_COMMANDS = (
    ("list", "profiles.templates.list", "one page of templates, newest first", "--size 20"),
    ("get", "profiles.templates.get", "one template with its tree", "TEMPLATE_ID"),
    (
        "create",
        "profiles.templates.create",
        "create a template from an attribute tree",
        'Basics \\\n    \'{"basic": {"job": {"value": "", "algorithm_updatable": true}}}\'',
    ),
    (
        "update",
        "profiles.templates.update",
        "replace a template's name and whole tree",
        "TEMPLATE_ID --name Basics \\\n    --metadata @tree.json",
    ),
    ("delete", "profiles.templates.delete", "delete a template and its instances", "TEMPLATE_ID"),
    (
        "bind",
        "profiles.templates.bind",
        "bind templates to users or agents",
        '\\\n    \'[{"user_id": "u1", "profile_template_id": "TEMPLATE_ID"}]\'',
    ),
)
PROFILE_COMMANDS = (
    (
        "edit",
        "profiles.edit",
        "set, lock or clear fields of one subject's profile",
        "TEMPLATE_ID --user-id u1 --remove-fields basic.job",
    ),
    ("delete", "profiles.delete", "delete one subject's profile", "TEMPLATE_ID --user-id u1"),
)


def call(name: str) -> Callable[[Context, argparse.Namespace], int]:
    """Run the SDK call `name` (`profiles.templates.get`...) and print its result."""

    def run(context: Context, args: argparse.Namespace) -> int:
        positional, fields = call_arguments(args, name)
        target: Any = context.client()
        for part in name.split("."):
            target = getattr(target, part)
        result = target(*positional, **fields)
        context.output.result(result, lambda: render(result))
        return 0

    return run


def render(result: Any) -> Any:
    templates = getattr(result, "profile_templates", None)
    if templates is not None:
        rows = (
            (out.named(t.name, t.profile_template_id), t.instance_count, t.created_at)
            for t in templates
        )
        return out.table("templates", ("template", "instances", out.CREATED), rows)
    return out.fields(type(result).__name__, result)


def build_profiles(parser: argparse.ArgumentParser) -> None:
    parser.description = "Profile templates, and one user's or agent's profile (client.profiles)."
    commands = group(parser, "profiles commands")
    templates = commands.add_parser(
        "templates", help="define attribute trees and bind them to subjects"
    )
    template_commands = group(templates, "templates commands")
    for command, name, text, example in TEMPLATE_COMMANDS:
        epilog = f"example:\n  memos profiles templates {command} {example}"
        arguments = endpoint_arguments(name)
        leaf(template_commands, command, text, call(name), epilog=epilog, arguments=arguments)
    for command, name, text, example in PROFILE_COMMANDS:
        epilog = f"example:\n  memos profiles {command} {example}"
        arguments = endpoint_arguments(name)
        leaf(commands, command, text, call(name), epilog=epilog, arguments=arguments)
