"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BAD = Path(__file__).resolve().parent / "bad_scenarios"


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def small_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One batch run, shared: a rail scenario with every optional output switched on
    (``all-outputs``: Heinola – Lahti with the event log and Sobol indices), the
    do-minimum and a scenario that fails (``bad``). Returns the batch folder."""
    from railsim import run_batch

    base = tmp_path_factory.mktemp("small-batch")
    folder = base / "scenarios"
    folder.mkdir()
    for name in ("_base", "do-minimum"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    # A base here (leading underscore), so it is not evaluated itself.
    shutil.copy(SCENARIOS / "heinola-lahti-hourly.yaml", folder / "_heinola.yaml")
    (folder / "all-outputs.yaml").write_text(
        "# every optional output\nextends: _heinola.yaml\n"
        "simulation: {keep_event_log: true}\nuncertainty: {sobol: true}\n", encoding="utf-8")
    (folder / "bad.yaml").write_text("extends: _base.yaml\ntitle: [not, a, string]\n",
                                     encoding="utf-8")
    out = base / "out"
    run_batch(folder, out, workers=1,
              settings={"simulation.replications": 5, "simulation.seed": 3})
    return out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests run in CI (``CI`` set, as .ci/run does) or when asked with ``-m slow``;
    a local ``make test`` skips them to stay within a few minutes."""
    import os

    if os.environ.get("CI") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI (CI=1) or with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
