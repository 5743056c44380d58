"""Every Python block in the README and on the docs site runs, against the emulator.

Blocks of one page run in order in one namespace, as a reader would paste them,
with `MEMOS_API_KEY` / `MEMOS_BASE_URL` pointing at an emulator served on loopback.
A page that includes a file (`--8<-- "CHANGELOG.md"`) runs what it includes. A
block that defines `test_*` functions (the testing guide does) gets them called
with the pytest plugin's fixtures. The examples in the docstrings the API reference
renders (`docs/reference/*.md`) run too, each on its own. The README's two opening
commands, and the site's build, are checked against what `.ci/run` runs.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from memos_client import AsyncMemOS, MemOS
from memos_client.testing import FakeMemOS, ManualClock

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs"
PAGES = sorted(SITE.rglob("*.md"))
DOCS = [ROOT / "README.md", *PAGES]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SNIPPET = re.compile(r'^--8<-- "([^"]+)"$', re.MULTILINE)


def page_text(path: Path) -> str:
    """The page as the site shows it: `--8<-- "FILE"` lines (pymdownx.snippets, paths
    from the repository's root) replaced by the file."""
    return SNIPPET.sub(lambda match: (ROOT / match.group(1)).read_text(), path.read_text())


def blocks(path: Path, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(page_text(path)) if lang == language]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("MEMOS_REGION", "MEMOS_IS_GLOBAL", "MEMOS_LOG"):
        monkeypatch.delenv(name, raising=False)
    with FakeMemOS(refine_delay=0.05).serve() as base_url:
        monkeypatch.setenv("MEMOS_API_KEY", "docs-key")
        monkeypatch.setenv("MEMOS_BASE_URL", base_url)
        yield base_url


def run_test_function(function: Any) -> None:
    """Call a documented test function with the plugin's fixtures, as pytest would."""
    fake = FakeMemOS(clock=ManualClock())
    names = list(inspect.signature(function).parameters)
    if inspect.iscoroutinefunction(function):

        async def call() -> None:
            async with fake.async_client() as async_memos:
                fixtures = {"memos_fake": fake, "async_memos": async_memos}
                await function(*(fixtures[name] for name in names))

        asyncio.run(call())
        return
    with fake.client() as memos:
        fixtures = {"memos_fake": fake, "memos": memos}
        function(*(fixtures[name] for name in names))


def page_id(path: Path) -> str:
    return path.relative_to(SITE).as_posix() if path.is_relative_to(SITE) else path.name


def without_examples(path: Path) -> bool:
    """Pages made of rendered docstrings (their examples run below) or of the changelog."""
    return path.parent.name == "reference" or path.name == "changelog.md"


@pytest.mark.parametrize("path", DOCS, ids=page_id)
def test_python_blocks_run(path: Path, served: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_{path.stem}"}
    code_blocks = blocks(path, "python")
    assert code_blocks or without_examples(path)
    for index, code in enumerate(code_blocks):
        before = set(namespace)
        try:
            exec(compile(code, f"{path.name}[block {index}]", "exec"), namespace)
            for name in sorted(set(namespace) - before):
                if name.startswith("test_") and callable(namespace[name]):
                    run_test_function(namespace[name])
        except Exception as error:
            raise AssertionError(f"{path.name} block {index} failed:\n{code}") from error
    for value in namespace.values():
        if isinstance(value, MemOS):
            value.close()  # what the end of the reader's script would do
    capsys.readouterr()


def test_readme_opens_with_the_two_commands() -> None:
    commands = [body.strip() for body in blocks(ROOT / "README.md", "bash")][:2]
    assert commands[0].endswith("pip install -e . && python examples/quickstart.py")
    assert commands[1].endswith('pip install -e ".[dev]" && python -m pytest')
    readme = (ROOT / "README.md").read_text()
    assert readme.index(commands[0]) < readme.index("## Quickstart")


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'python -m pip install --quiet -e ".[dev]"' in ci
    assert "\npython -m pytest\n" in ci
    assert "scripts/check" in ci


def test_ci_builds_the_site_strictly() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    install = ci.index('python -m pip install --quiet -e ".[docs]"')
    assert ci.index("\npython -m pytest\n") < install < ci.index("python -m mkdocs build --strict")
    assert "strict: true" in (ROOT / "mkdocs.yml").read_text()


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    nav = re.sub(r"^\s*#.*\n", "", config[config.index("\nnav:\n") :], flags=re.M)
    missing = [page_id(path) for path in PAGES if f": {page_id(path)}\n" not in nav]
    assert not missing, f"add these pages to mkdocs.yml's nav: {missing}"


SETTING = re.compile(r"\bMEMOS_(BASE_URL|API_KEY)=(\S+)")


def test_offline_setups_give_the_emulators_address_and_a_key() -> None:
    """A page that points the clients at a served emulator gives the address the
    emulator prints, and a key beside it: the clients refuse to start without one,
    and the emulator takes any."""
    from memos_client.testing.__main__ import DEFAULT_PORT

    with FakeMemOS().serve() as base_url:
        expected = f"http://127.0.0.1:{DEFAULT_PORT}{urlsplit(base_url).path}"
    setups = [
        (path, dict(SETTING.findall(block)))
        for path in DOCS
        for block in blocks(path, "bash")
        if "MEMOS_BASE_URL=http://127.0.0.1" in block
    ]
    assert {page_id(path) for path, _ in setups} >= {"index.md", "cli.md"}
    for path, settings in setups:
        assert settings["BASE_URL"] == expected, page_id(path)
        assert settings.get("API_KEY"), f"{page_id(path)}: set MEMOS_API_KEY with MEMOS_BASE_URL"


# The examples in the docstrings the reference pages render.

DIRECTIVE = re.compile(r"^::: ([\w.]+)$", re.MULTILINE)
DOCSTRING_FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def rendered_objects() -> dict[str, Any]:
    """Every object a reference page renders (`::: name`), by its dotted name."""
    objects: dict[str, Any] = {}
    for page in sorted((SITE / "reference").glob("*.md")):
        for name in DIRECTIVE.findall(page.read_text()):
            module_name, _, attribute = name.rpartition(".")
            try:
                objects[name] = import_module(name)
            except ModuleNotFoundError:
                objects[name] = getattr(import_module(module_name), attribute)
    return objects


def documented(obj: Any) -> Iterator[tuple[str, Any]]:
    """`(qualified name, object)` for `obj` and what it shows under it: a class's own
    and memos_client-inherited methods and properties, a module's public functions."""
    yield getattr(obj, "__qualname__", getattr(obj, "__name__", "")), obj
    if inspect.isclass(obj):
        for owner in obj.__mro__:
            if not owner.__module__.startswith("memos_client"):
                continue
            for name, member in vars(owner).items():
                if name.startswith("_"):
                    continue
                target = member.fget if isinstance(member, property) else member
                if inspect.isfunction(target):
                    yield target.__qualname__, target
    elif inspect.ismodule(obj):
        for name in getattr(obj, "__all__", []):
            member = getattr(obj, name)
            if inspect.isfunction(member) and member.__module__ == obj.__name__:
                yield member.__qualname__, member


def docstring_examples() -> list[tuple[str, bool, str]]:
    """`(where, is_async, code)` for each ```python block of a rendered docstring."""
    examples: dict[tuple[str, str], bool] = {}
    for obj in rendered_objects().values():
        for qualname, member in documented(obj):
            module = getattr(member, "__module__", None) or getattr(member, "__name__", "")
            doc = inspect.getdoc(member) or ""
            where = str(module) if inspect.ismodule(member) else f"{module}.{qualname}"
            for code in DOCSTRING_FENCE.findall(doc):
                examples.setdefault((where, code), "._async." in f"{module}.")
    return [(where, is_async, code) for (where, code), is_async in examples.items()]


EXAMPLES = docstring_examples()
CONVERSATION: list[dict[str, str]] = [{"role": "user", "content": "I love green tea."}]


def example_namespace(client: Any, kb_id: str) -> dict[str, Any]:
    """What a docstring example may use without defining it: a client of the right
    kind (`client`, on the served emulator), an in-process emulator (`fake`), the
    names of `memos_client` and `memos_client.testing`, and placeholders."""
    import httpx

    import memos_client
    import memos_client.testing

    namespace: dict[str, Any] = {"__name__": "docstring_example", "httpx": httpx}
    for module in (memos_client, memos_client.testing):
        namespace.update({name: getattr(module, name) for name in module.__all__})
    namespace.update(
        client=client,
        fake=FakeMemOS(clock=ManualClock()),
        kb_id=kb_id,
        messages=CONVERSATION,
        rows=[("u1", "row-1", CONVERSATION), ("u2", "row-2", CONVERSATION)],
        question="What does the user drink?",
        SYSTEM="You are a helpful assistant.",
    )
    return namespace


def run_example(code: str, namespace: dict[str, Any]) -> Any:
    """Run one example; a coroutine when it awaits (top-level `await` is allowed)."""
    compiled = compile(code, "docstring example", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    for name in sorted(namespace):
        if name.startswith("test_") and callable(namespace[name]):
            run_test_function(namespace[name])
    return result


def test_reference_pages_render_docstring_examples() -> None:
    wheres = {where for where, _, _ in EXAMPLES}
    assert "memos_client._sync._client.MemOS.add_many" in wheres
    assert "memos_client._async._client.AsyncMemOS.add_many" in wheres
    assert any(is_async for _, is_async, _ in EXAMPLES)


@pytest.mark.parametrize(
    ("where", "is_async", "code"),
    EXAMPLES,
    ids=[f"{where}[{index}]" for index, (where, _, _) in enumerate(EXAMPLES)],
)
def test_docstring_examples_run(
    where: str,
    is_async: bool,
    code: str,
    served: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # an example may write a journal file
    try:
        with MemOS() as setup:
            kb_id = setup.knowledgebases.create("Docs").id
        if is_async:

            async def main() -> None:
                async with AsyncMemOS() as client:
                    pending = run_example(code, example_namespace(client, kb_id))
                    if inspect.iscoroutine(pending):
                        await pending

            asyncio.run(main())
        else:
            with MemOS() as client:
                assert run_example(code, example_namespace(client, kb_id)) is None
    except Exception as error:
        raise AssertionError(f"the example in {where}'s docstring failed:\n{code}") from error
    capsys.readouterr()
