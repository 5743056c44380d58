"""The public surface: pinned names, sync/async parity, and a light import."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from types import ModuleType

import pytest

import memos_client
import memos_client.filters
import memos_client.messages
import memos_client.testing
import memos_client.types
from memos_client import (
    AsyncChatStream,
    AsyncFileHandle,
    AsyncMemOS,
    AsyncTask,
    ChatStream,
    FileHandle,
    MemOS,
    Task,
)

EXPECTED = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncChatStream",
    "AsyncFileHandle",
    "AsyncMemOS",
    "AsyncRawResponse",
    "AsyncRuntime",
    "AsyncTask",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "BatchProgress",
    "BatchResult",
    "ChatStream",
    "ConfigurationError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FileHandle",
    "InDoubtError",
    "InvalidRequestError",
    "MemOS",
    "MemOSError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RawResponse",
    "Runtime",
    "ServerError",
    "Task",
    "TaskError",
    "TaskFailedError",
    "TaskTimeoutError",
    "UnexpectedResponseError",
    "UsageError",
    "__version__",
]


def test_all_is_pinned_and_sorted() -> None:
    assert memos_client.__all__ == EXPECTED
    assert memos_client.__all__ == sorted(memos_client.__all__, key=lambda n: (n != "NOT_GIVEN", n))


HELPERS = {
    memos_client.filters: [
        "Condition",
        "Filter",
        "all_of",
        "any_of",
        "contains",
        "eq",
        "gt",
        "gte",
        "lt",
        "lte",
        "scoped",
    ],
    memos_client.messages: [
        "assistant",
        "file",
        "image",
        "image_bytes",
        "system",
        "text",
        "tool",
        "tool_call",
        "user",
    ],
}


@pytest.mark.parametrize("module", list(HELPERS), ids=lambda module: module.__name__)
def test_helper_modules_are_pinned(module: ModuleType) -> None:
    assert getattr(module, "__all__") == HELPERS[module]  # noqa: B009


@pytest.mark.parametrize(
    "module",
    [memos_client, memos_client.types, memos_client.testing, *HELPERS],
    ids=lambda module: module.__name__,
)
def test_every_exported_name_resolves(module: ModuleType) -> None:
    names: list[str] = getattr(module, "__all__")  # noqa: B009
    for name in names:
        assert getattr(module, name) is not None
    assert set(names) <= set(dir(module))


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        getattr(memos_client, "Nope")  # noqa: B009


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def shape(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


@pytest.mark.parametrize(
    ("sync", "asynchronous"),
    [
        (MemOS, AsyncMemOS),
        (Task, AsyncTask),
        (ChatStream, AsyncChatStream),
        (FileHandle, AsyncFileHandle),
    ],
)
def test_sync_and_async_have_the_same_methods_and_arguments(sync: type, asynchronous: type) -> None:
    sync_methods = public_methods(sync)
    async_methods = public_methods(asynchronous)
    if "aclose" in async_methods:
        async_methods["close"] = async_methods.pop("aclose")
    assert sync_methods.keys() == async_methods.keys()
    for name, signature in sync_methods.items():
        assert shape(signature) == shape(async_methods[name]), name


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def loaded_by(statement: str) -> list[str]:
    """The modules a fresh interpreter has loaded after `statement`."""
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    found: list[str] = json.loads(run_python(code))
    return found


# What httpx and tenacity load by themselves in this environment: with click, rich and
# pygments installed (the dev extra has them) httpx imports its own command line, and
# with tornado installed tenacity imports it. Those are the dependencies' own costs,
# paid without memos_client too, not something memos_client adds.
DEPENDENCIES_OWN = frozenset(loaded_by("import httpx, tenacity")) - frozenset(loaded_by("pass"))

# The distributions behind the four runtime dependencies, as import names.
RUNTIME_CLOSURE = {
    "memos_client",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "idna",
    "certifi",
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "typing_inspection",
    "tenacity",
    "typing_extensions",
}


@pytest.mark.parametrize(
    "statement",
    [
        "import memos_client",
        "from memos_client import MemOS",
        "from memos_client import AsyncMemOS",
        "from memos_client.types import SearchResult",
    ],
)
def test_imports_stay_within_the_runtime_dependencies(statement: str) -> None:
    modules = set(loaded_by(statement)) - DEPENDENCIES_OWN
    outside = {
        name.split(".")[0]
        for name in modules
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.split(".")[0] not in RUNTIME_CLOSURE
        and not name.startswith("_")
    }
    assert outside == set()
    assert "pytest" not in modules and "respx" not in modules


def test_bare_import_builds_no_models_and_no_clients() -> None:
    loaded = loaded_by("import memos_client")
    assert "pydantic.main" not in loaded
    assert "memos_client._sync" not in loaded and "memos_client._async" not in loaded


def test_sync_client_import_loads_neither_asyncio_nor_models() -> None:
    loaded = set(loaded_by("from memos_client import MemOS")) - DEPENDENCIES_OWN
    assert "pydantic.main" not in loaded
    assert "asyncio" not in loaded


@pytest.mark.parametrize("client", ["MemOS", "AsyncMemOS"])
def test_client_import_leaves_failure_only_modules_unloaded(client: str) -> None:
    # Retries (tenacity), "did you mean" hints (difflib) and notebook tables (html) are
    # imported when first needed, so a program's start-up does not pay for them.
    loaded = set(loaded_by(f"import httpx; from memos_client import {client}"))
    loaded -= set(loaded_by("import httpx"))
    assert not {"tenacity", "difflib", "html"} & loaded
