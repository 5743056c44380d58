"""examples/notebook.ipynb runs top to bottom on the emulator, in a real Jupyter kernel
(nbclient, ipykernel's `python3`), and each step shows what it should: tables and
one-line reprs, dates as dates, and progress bars that reach the end."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
Notebook = Any  # nbformat's NotebookNode (nbformat ships no type hints)


def load() -> Notebook:
    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]


def code_cell(source: str, cell_id: str) -> Any:
    cell = nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
    cell["id"] = cell_id
    return cell


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = load()
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id
    assert "widgets" not in notebook.metadata


@pytest.fixture(scope="module")
def executed() -> Notebook:
    """The notebook, run on the emulator with this checkout's package."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("MEMOS_")}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    environ["MEMOS_NOTEBOOK_REFINE_DELAY"] = "0.3"  # keeps the waits short
    notebook = load()
    where = code_cell("import memos_client\nprint(memos_client.__file__)", "where")
    notebook.cells.insert(1, where)  # which package the kernel imports
    client = NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",  # jupyter_client starts it on this interpreter
        resources={"metadata": {"path": str(ROOT / "examples")}},
    )
    client.execute(env=environ)
    return notebook


def outputs(notebook: Notebook, cell_id: str) -> dict[str, str]:
    """A code cell's output as text: stdout, stderr, and the result's plain and html forms."""
    [cell] = [cell for cell in notebook.cells if cell.get("id") == cell_id]
    shown: dict[str, str] = {}
    for output in cell.outputs:
        if output.output_type == "stream":
            shown[output.name] = shown.get(output.name, "") + output.text
        elif output.output_type == "execute_result":
            shown["plain"] = output.data["text/plain"]
            shown["html"] = output.data.get("text/html", "")
    return shown


def bars(notebook: Notebook) -> list[str]:
    """The text of every tqdm widget at the end of the run (nbclient keeps their state)."""
    widgets: dict[str, Any] = notebook.metadata["widgets"]
    state = widgets["application/vnd.jupyter.widget-state+json"]["state"]
    values = [model["state"].get("value") for model in state.values()]
    return [value.replace("\u2007", " ") for value in values if isinstance(value, str) and value]


def test_each_step_shows_what_it_did(executed: Notebook) -> None:
    setup = outputs(executed, "setup")
    assert setup["stdout"].startswith("MEMOS_API_KEY is not set: using the offline MemOS emulator")
    assert str(ROOT) in outputs(executed, "where")["stdout"]  # this checkout's package

    add = outputs(executed, "add")
    assert re.fullmatch(r"Task\(id='[\w-]+', status='running'\)", add["plain"])
    assert "<caption>Task</caption>" in add["html"]

    search = outputs(executed, "search")
    assert search["plain"] == "SearchResult(1 memory)"
    assert "WorkingMemory" in search["html"] and "Guangzhou" in search["html"]
    assert "Guangzhou" in outputs(executed, "prompt")["stdout"]

    wait = outputs(executed, "wait")
    assert wait["plain"].startswith("CompletedTaskStatus(task_id=")
    assert "status='completed', added=" in wait["plain"]

    refined = outputs(executed, "refined")
    assert "UserMemory" in refined["html"] and "spicy" in refined["html"]

    listing = outputs(executed, "listing")
    assert re.fullmatch(r"MemoryPage\(page 1 of 1, \d+ memories\)", listing["plain"])
    assert DATE.search(listing["html"])
    memory = outputs(executed, "memory")
    assert DATE.search(memory["plain"]) and DATE.search(memory["html"])
    assert not re.search(r"\d{13}", memory["html"])  # no epoch milliseconds

    batch = outputs(executed, "batch")
    assert batch["plain"] == "BatchResult(submitted=4, failed=0, in_doubt=0, skipped=0)"

    chat = outputs(executed, "chat")
    assert chat["plain"].startswith("ChatResponse(response=") and "tea" in chat["html"]


def test_waits_and_the_batch_show_progress_bars(executed: Notebook) -> None:
    shown = " | ".join(bars(executed))
    assert re.search(r"wait task \w{8}…: 100%", shown), shown  # the id shortened
    assert re.search(r"1/1 \[\d\d:\d\d, completed, \d+ polls\]", shown), shown
    assert re.search(r"4 items \[.*, 0 failed, 0 in doubt, limit 4\]", shown), shown  # add_many's
    assert re.search(r"4/4 \[\d\d:\d\d, 4 completed, \d+ polls\]", shown), shown  # its wait's
