"""docs/api.md's parameter reference is generated from the endpoint declarations and
kept fresh (`scripts/gen_api_docs.py`), and every checked field has a doc to show."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

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
