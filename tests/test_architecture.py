"""Import boundaries of the design: light layers must not pull heavy ones."""

from __future__ import annotations

import pathlib
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


def test_evaluating_a_scenario_needs_neither_geopandas_nor_matplotlib():
    # each costs about 0.4-0.6 s to import, in every run and worker: the model reads
    # plain coordinates (geopandas serves maps in notebooks) and draws nothing
    root = pathlib.Path(__file__).resolve().parent.parent
    code = (
        "import sys\nimport railsim\n"
        f"s = railsim.load_scenario({str(root / 'scenarios' / 'heinola-lahti-hourly.yaml')!r})\n"
        "s = railsim.with_overrides(s, {'simulation.replications': 3, 'uncertainty.draws': 50})\n"
        "from railsim.evaluation import evaluate\n"
        "result = evaluate(s, railsim.load_corridor())\n"
        "assert result.appraisal is not None\n"
        "print(sorted(m for m in ('geopandas', 'shapely', 'pyproj', 'matplotlib') "
        "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_only_sim_imports_simpy_and_only_plot_imports_matplotlib():
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


def _fresh(code: str) -> str:
    """stdout of ``code`` run in a fresh interpreter (no module of this process loaded)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, cwd=pathlib.Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_public_functions_are_not_shadowed_by_submodules():
    # Importing railsim.<sub> sets the attribute <sub> on the package; a public name that
    # is also a submodule's name then turns into the module after first use.
    code = (
        "import importlib, pkgutil, types\n"
        "import railsim\n"
        "first = railsim.evaluate\n"
        "import railsim.evaluation\n"
        "for info in pkgutil.walk_packages(railsim.__path__, 'railsim.'):\n"
        "    importlib.import_module(info.name)\n"
        "modules = [name for name in railsim.__all__\n"
        "           if isinstance(getattr(railsim, name), types.ModuleType)]\n"
        "assert modules == [], modules\n"
        "assert railsim.evaluate is first and callable(railsim.evaluate)\n"
        "scenario = railsim.load_scenario('scenarios/do-minimum.yaml')\n"
        "railsim.evaluate(scenario)\n"
        "railsim.evaluate(scenario)  # a planner's second call\n"
        "print(type(railsim.evaluate).__name__, railsim.evaluate.__name__)\n"
    )
    assert _fresh(code).split() == ["function", "evaluate"]
    printed = _fresh("import railsim; railsim.evaluate; print(railsim.evaluate)")
    assert printed.startswith("<function evaluate at"), printed


def test_no_package_exports_a_name_of_its_own_submodule():
    import importlib
    import pkgutil

    import railsim

    packages = [railsim] + [importlib.import_module(info.name) for info in
                            pkgutil.walk_packages(railsim.__path__, "railsim.") if info.ispkg]
    clashes = []
    for package in packages:
        submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
        exported = set(getattr(package, "__all__", ()))
        clashes += [f"{package.__name__}.{name}" for name in sorted(exported & submodules)]
    assert clashes == []


def test_every_public_name_resolves():
    import railsim

    assert set(railsim.__all__) == {"__version__", *railsim._EXPORTS}
    for name in railsim.__all__:
        assert not isinstance(getattr(railsim, name), type(railsim)), name
    assert set(railsim.__all__) <= set(dir(railsim))


def test_an_evaluation_imports_no_scipy():
    """scipy.stats costs each process about a second to import (a lone scenario's run
    lost a fifth of its time to it): no part of an evaluation may pull it in."""
    code = ("import sys\nimport railsim\n"
            "scenario = railsim.load_scenario('scenarios/through-hourly-peaks.yaml')\n"
            "scenario = railsim.with_overrides(scenario, {'simulation.replications': 3, "
            "'uncertainty.draws': 20})\n"
            "railsim.evaluate(scenario)\n"
            "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n")
    assert _fresh(code).strip() == "[]"
