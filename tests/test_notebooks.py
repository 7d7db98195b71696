"""The planner notebooks: stored clean, and each runs from a clean kernel without error."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_notebooks_exist():
    assert [f.name for f in FILES] == [
        "01-quickstart.ipynb", "02-timetable-and-punctuality.ipynb", "03-ridership.ipynb",
        "04-profitability-and-uncertainty.ipynb", "05-your-own-scenario.ipynb"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path):
    # Outputs bloat diffs and go stale as the model changes; the test below recreates them.
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for number, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {number} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {number} was executed"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_notebook_runs(path: Path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    # Relative paths in the notebooks (../scenarios) assume notebooks/ is the working folder.
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    seconds = time.perf_counter() - started
    # A warning in the kernel does not fail pytest by itself: look for it in the outputs.
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                pytest.fail(f"{path.name} cell {number} wrote to stderr:\n{output['text']}")
            # a chart that shows only as "<Figure ...>" text was not drawn for the reader
            data = output.get("data", {})
            assert "image/png" in data or not str(data.get("text/plain", "")).startswith(
                "<Figure"), f"{path.name} cell {number}: figure not shown as an image"
    assert seconds < 60, f"{path.name} took {seconds:.0f} s; keep notebooks quick"
