"""docs/api.md's parameter reference is generated from the endpoint declarations and
kept fresh (`scripts/gen_api_docs.py`), and every checked field has a doc to show.

The docs site's reference leaves nothing out: every public name is on a reference
page, every call with `**fields` gets them listed (scripts/griffe_params.py), and
every other public call lists each of its parameters under `Args:`."""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import memos_client
import memos_client.testing
import memos_client.types
from memos_client import AsyncMemOS, MemOS
from memos_client._core._api import ENDPOINTS, Endpoint, fields_of

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_api_docs", ROOT / "scripts/gen_api_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()


def generated_section() -> str:
    text = API_MD.read_text(encoding="utf-8")
    return text.split(gen.START, 1)[1].split(gen.END, 1)[0]


def subsection(name: str) -> str:
    """The part of the generated section about `client.<name>(...)`."""
    section = generated_section()
    match = re.search(rf"^### client\.{re.escape(name)}\(.*?(?=^### |\Z)", section, re.M | re.S)
    assert match, f"docs/api.md has no subsection for client.{name}"
    return match.group(0)


def test_generated_section_is_fresh() -> None:
    text = API_MD.read_text(encoding="utf-8")
    assert gen.updated(text) == text, gen.STALE


def test_check_fails_on_a_stale_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "api.md"
    stale.write_text(API_MD.read_text(encoding="utf-8").replace("| yes |", "| no |", 1))
    assert gen.main(["--check"], path=stale) == 1
    assert gen.STALE in capsys.readouterr().err
    assert gen.main([], path=stale) == 0
    assert gen.main(["--check"], path=stale) == 0
    assert stale.read_text(encoding="utf-8") == API_MD.read_text(encoding="utf-8")


def test_generated_section_has_no_code_blocks() -> None:
    # tests/test_docs.py runs docs/api.md's ```python blocks; the reference is tables only.
    assert "```" not in generated_section()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_every_endpoint_arg_and_field_is_documented(endpoint: Endpoint) -> None:
    part = subsection(endpoint.name)
    heading = part.splitlines()[0]
    assert f"— {endpoint.method} {endpoint.path} ({endpoint.kind})" in heading
    for arg in endpoint.args:
        assert f"| `{arg.name}` |" in part, f"client.{endpoint.name}: argument {arg.name}"
        assert arg.doc in part
    for name, spec in endpoint.fields.items():
        row = next((line for line in part.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"client.{endpoint.name}: field {name} is not in docs/api.md"
        assert f" | {'yes' if spec.required else 'no'} | " in row
    options = part.strip().splitlines()[-1]
    assert options.startswith("Options: ")
    assert all(f"`{option}=`" in options for option in endpoint.options)


def test_required_fields_come_first() -> None:
    # chat's user_id and conversation_id are required: a reader should not find them
    # below fifteen optional fields, in the table or on the reference page.
    for endpoint in ENDPOINTS:
        rows = [line for line in subsection(endpoint.name).splitlines() if line.startswith("| `")]
        marks = [line.split(" | ")[2] for line in rows]
        assert marks == sorted(marks, key=lambda mark: mark != "yes"), endpoint.name
    for doc in generated_calls().values():
        required = [row.required for row in doc.fields]
        assert required == sorted(required, reverse=True)


def test_every_checked_field_has_a_doc() -> None:
    classes = gen.read_class_docs(gen.PARAMS_PY.read_text(encoding="utf-8"))
    undocumented = [
        f"{cls.__name__}.{name}"
        for cls in gen.params_classes()
        for name in fields_of(cls)
        if not gen.field_doc(classes, cls.__name__, name)
    ]
    assert not undocumented, (
        "fields with no docstring in memos_client/types/_params.py (add a line under "
        f"each): {', '.join(undocumented)}"
    )
    assert gen.missing_docs() == undocumented


def test_an_undocumented_field_is_found() -> None:
    source = '''
class Base(TypedDict, total=False):
    shared: Annotated[str, CHECK]
    """Shared."""
    bare: Annotated[str, CHECK]

class Child(Base, total=False):
    own: Annotated[int, CHECK]
    """Own,
    on two lines."""
    shared: Annotated[str, CHECK]
'''
    classes = gen.read_class_docs(source)
    assert gen.field_doc(classes, "Child", "own") == "Own, on two lines."
    assert gen.field_doc(classes, "Child", "bare") == ""
    assert gen.field_doc(classes, "Child", "shared") == ""  # redeclared without a doc
    assert gen.field_doc(classes, "Child", "unknown") is None


# The docs site's reference (docs/reference/*.md, rendered by mkdocstrings): every
# public name is on it, and every public call's parameters are documented there.

ARGS_SECTION = re.compile(r"^Args:\n((?:[ \t]+\S.*\n?)*)", re.M)
ARG_ENTRY = re.compile(r"^    (\w+)(?: \(.*?\))?:", re.M)


def rendered_by_name() -> dict[str, Any]:
    """Every object a reference page renders, by its dotted name (see tests/test_docs.py)."""
    from tests.test_docs import rendered_objects

    return rendered_objects()


def rendered() -> list[object]:
    return list(rendered_by_name().values())


def documented_args(function: Callable[..., Any]) -> set[str]:
    """The names listed in a docstring's `Args:` section."""
    match = ARGS_SECTION.search(inspect.getdoc(function) or "")
    return set(ARG_ENTRY.findall(match.group(1))) if match else set()


def clients() -> list[MemOS | AsyncMemOS]:
    return [
        MemOS(api_key="sk-test", base_url="http://127.0.0.1:1"),  # no I/O until a call
        AsyncMemOS(api_key="sk-test", base_url="http://127.0.0.1:1"),
    ]


def public_classes() -> list[type[Any]]:
    """The classes of `memos_client`'s public API, and the resources under a client."""
    found = [
        value
        for name in memos_client.__all__
        if inspect.isclass(value := getattr(memos_client, name))
        and not issubclass(value, BaseException)
    ]
    for client in clients():
        resources = [getattr(client, name) for name in RESOURCES]
        resources += [client.knowledgebases.files, client.profiles.templates]
        found += [type(resource) for resource in resources]
    return found


RESOURCES = ("memories", "messages", "feedback", "knowledgebases", "profiles")


def public_calls() -> list[tuple[str, Callable[..., Any]]]:
    """`(Class.name, function)` for each public method and property of those classes."""
    calls: list[tuple[str, Callable[..., Any]]] = []
    for cls in public_classes():
        fields = getattr(cls, "__dataclass_fields__", {})
        for name in dir(cls):
            if name.startswith("_") or name in fields:
                continue
            member = inspect.getattr_static(cls, name)
            function = member.fget if isinstance(member, property) else member
            function = getattr(function, "__func__", function)
            if inspect.isfunction(function) and function.__module__.startswith("memos_client"):
                calls.append((f"{cls.__name__}.{name}", function))
    return calls


def generated_calls() -> dict[str, Any]:
    """The calls whose parameters scripts/griffe_params.py adds to their docstring."""
    return {path: doc for client in clients() for path, doc in gen.client_calls(client)}


@pytest.mark.parametrize(
    "module", [memos_client, memos_client.types, memos_client.testing], ids=lambda m: m.__name__
)
def test_every_public_name_is_on_a_reference_page(module: ModuleType) -> None:
    on_site = rendered()
    missing = [
        name
        for name in module.__all__
        if name != "__version__" and not any(getattr(module, name) is obj for obj in on_site)
    ]
    assert not missing, f"add a '::: {module.__name__}.<name>' line to docs/reference: {missing}"


def test_every_resource_is_on_a_reference_page() -> None:
    on_site = rendered()
    assert all(any(cls is obj for obj in on_site) for cls in public_classes())


def test_every_call_with_unpacked_fields_gets_them_on_the_site() -> None:
    generated = generated_calls()
    unpacked = [
        where
        for where, function in public_calls()
        if any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())
        and f"{function.__module__}.{function.__qualname__}" not in generated
    ]
    assert not unpacked, f"calls whose **fields the site would not list: {unpacked}"
    for doc in generated.values():
        text = gen.docstring_sections(doc, "#table")
        names = [row.name for row in [*doc.args, *doc.fields, *doc.options]]
        assert all(f"    {name} (" in text for name in names)
        assert "Other Parameters:" in text and "(#table)" in text


def test_every_other_public_call_documents_its_parameters() -> None:
    generated = generated_calls()
    undocumented = [
        f"{where}({parameter})"
        for where, function in public_calls()
        if f"{function.__module__}.{function.__qualname__}" not in generated
        for parameter in list(inspect.signature(function).parameters)[1:]
        if parameter not in documented_args(function)
    ]
    assert not undocumented, (
        "parameters missing from their method's 'Args:' docstring section (the site's "
        f"reference): {undocumented}"
    )


# What the reference leaves out: mkdocstrings shows only what its options let through.

MKDOCS_YML = ROOT / "mkdocs.yml"
DIRECTIVE_WITH_OPTIONS = re.compile(r"^::: ([\w.]+)\n((?:[ \t]+.*\n)*)", re.M)


def directive_options() -> dict[str, str]:
    """The indented option lines under each `::: name` of the reference pages, by name."""
    return {
        name: options
        for page in sorted((ROOT / "docs" / "reference").glob("*.md"))
        for name, options in DIRECTIVE_WITH_OPTIONS.findall(page.read_text(encoding="utf-8"))
    }


def hidden_name_patterns() -> list[str]:
    """The `!pattern` filters of mkdocs.yml's handler options: names the site hides."""
    line = next(line for line in MKDOCS_YML.read_text().splitlines() if "filters:" in line)
    filters = json.loads(line.split("filters:", 1)[1])
    return [pattern[1:] for pattern in filters if pattern.startswith("!")]


def public_members(cls: type[Any]) -> list[str]:
    """What the class and its memos_client bases define or annotate, by public name."""
    names: dict[str, None] = {}
    for owner in reversed(cls.__mro__):
        if owner.__module__.startswith("memos_client"):
            names.update(dict.fromkeys([*vars(owner), *getattr(owner, "__annotations__", {})]))
    return [name for name in names if not name.startswith("_")]


def test_the_reference_hides_no_field_or_property() -> None:
    # A record's `id` and `created_at` live on a shared base, and some fields and
    # properties (a raw response's `status_code`) have no docstring: the site must show
    # inherited and undocumented members, and its filters must spare every field.
    config = MKDOCS_YML.read_text()
    assert "\n            inherited_members: true\n" in config
    assert "\n            show_if_no_docstring: true\n" in config
    hidden = hidden_name_patterns()
    quiet = {
        name
        for name, options in directive_options().items()
        if "show_if_no_docstring: false" in options
    }
    caught = []
    for dotted, obj in rendered_by_name().items():
        if not inspect.isclass(obj):
            continue
        fields = [*getattr(obj, "model_fields", {}), *getattr(obj, "__dataclass_fields__", {})]
        properties = [
            name for name in dir(obj) if isinstance(inspect.getattr_static(obj, name), property)
        ]
        for name in {*fields, *properties}:
            if name.startswith("_"):
                continue
            if any(re.search(pattern, name) for pattern in hidden):
                caught.append(f"{obj.__name__}.{name} (filtered out)")
            elif dotted in quiet and name in properties and not inspect.getdoc(getattr(obj, name)):
                caught.append(f"{obj.__name__}.{name} (no docstring, on a quiet directive)")
    assert not caught, f"members the site would not show: {caught}"


def test_an_explicit_member_list_names_every_public_member() -> None:
    # docs/reference/clients.md orders the clients' calls by hand (`members: [...]`), so
    # a call added to a client must be added to that list too, or the site drops it.
    lists = {
        name: [member.strip() for member in match.group(1).split(",")]
        for name, options in directive_options().items()
        if (match := re.search(r"^\s+members: \[(.+)\]$", options, re.M))
    }
    objects = rendered_by_name()
    assert {"memos_client.MemOS", "memos_client.AsyncMemOS"} <= set(lists)
    for name, members in lists.items():
        obj = objects[name]
        if inspect.isclass(obj):
            assert sorted(members) == sorted(public_members(obj)), name
        else:  # a module: the listed names exist
            assert all(hasattr(obj, member) for member in members), name


CALL_LINK = re.compile(r"\[`([^`]+)\(.*?\)`\]\(reference/\w+\.md#(memos_client[\w.]+)\)")


def test_the_call_table_links_each_call_to_its_reference_entry() -> None:
    # The strict site build checks each anchor exists; this checks each names its call.
    head = API_MD.read_text(encoding="utf-8").split("\n## ", 1)[0]
    rows = [line for line in head.splitlines() if line.startswith("| ") and "client." in line]
    assert len(rows) >= len({endpoint.path for endpoint in ENDPOINTS})
    for row in rows:
        first_cell = row.split(" | ")[0].removeprefix("| ")
        links = CALL_LINK.findall(first_cell)
        assert links and CALL_LINK.sub("", first_cell).strip(", ") == "", row
        for call, anchor in links:
            module_name, _, qualname = anchor.partition(".")
            target: Any = import_module(module_name)
            for part in qualname.split("."):
                if not hasattr(target, part):  # a private module: import it
                    target = import_module(f"{target.__name__}.{part}")
                    continue
                target = getattr(target, part)
            assert callable(target) and call.rsplit(".", 1)[-1] == anchor.rsplit(".", 1)[-1], row


def test_every_exception_attribute_has_a_doc_for_the_reference() -> None:
    # The exceptions page shows only documented members (its entries would otherwise
    # repeat every inherited one), so each attribute an error sets needs a docstring:
    # the string right after `self.name = ...`.
    import ast

    tree = ast.parse((ROOT / "memos_client" / "_exceptions.py").read_text(encoding="utf-8"))
    undocumented: list[str] = []
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        for function in (node for node in cls.body if isinstance(node, ast.FunctionDef)):
            for index, statement in enumerate(function.body):
                target = statement.targets[0] if isinstance(statement, ast.Assign) else None
                if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
                    continue
                after = function.body[index + 1] if index + 1 < len(function.body) else None
                documented = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                if target.value.id == "self" and not documented:
                    undocumented.append(f"{cls.name}.{target.attr}")
    assert undocumented == []
