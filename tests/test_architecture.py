"""Import boundaries of the design: light layers must not pull heavy ones."""

from __future__ import annotations

import subprocess
import sys

LIGHT_MODULES = ["railsim", "railsim.cli", "railsim.config", "railsim.checks",
                 "railsim.scenarios", "railsim.corridor", "railsim.api", "railsim.data"]
HEAVY = ["simpy", "matplotlib", "geopandas", "pandas", "dask", "scipy"]


def test_light_modules_do_not_import_heavy_libraries(tmp_path):
    from railsim.synthetic import write_synthetic_data

    folder = write_synthetic_data(tmp_path)
    # A fresh interpreter: the test process itself may already have pandas loaded.
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in LIGHT_MODULES)
        + "from railsim.checks import Facts\nfrom railsim.corridor import Corridor\n"
        + f"Facts.of(Corridor.load({str(folder)!r}))\n"
        + f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_only_sim_imports_simpy_and_only_plot_imports_matplotlib():
    import pathlib
    import re

    package = pathlib.Path(__file__).resolve().parent.parent / "railsim"
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(package).as_posix()
        if re.search(r"^\s*(import|from) simpy", text, re.M):
            assert relative.startswith("sim/"), relative
        if re.search(r"^\s*(import|from) matplotlib", text, re.M):
            assert relative.startswith("plot/"), relative


def test_pure_models_do_not_pull_simulation_or_plotting():
    code = ("import sys\nimport railsim.timetable.plan, railsim.running, railsim.network\n"
            "print(sorted(m for m in ['simpy', 'matplotlib'] if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout
