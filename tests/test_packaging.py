"""A normal install carries its data: build the wheel, install it into a new venv outside
the checkout and run a scenario there (slow: it installs the pinned dependencies)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _wheel(tmp_path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, text=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return next((tmp_path / "dist").glob("railsim-*.whl"))


@pytest.mark.slow
def test_the_wheel_carries_every_declared_data_table(tmp_path):
    from railsim.data import TABLES

    names = set(zipfile.ZipFile(_wheel(tmp_path)).namelist())
    missing = [spec.path for spec in TABLES.values()
               if (ROOT / "data" / spec.path).is_file()
               and f"railsim/_data/{spec.path}" not in names]
    assert not missing, missing
    assert "railsim/_data/README.md" in names
    assert not any(n.startswith("railsim/_data/scripts") for n in names)


@pytest.mark.slow
def test_an_installed_wheel_runs_a_scenario_outside_the_checkout(tmp_path):
    wheel = _wheel(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
           "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True,
                   capture_output=True, text=True)
    work = tmp_path / "elsewhere"
    (work / "scenarios").mkdir(parents=True)
    for name in ("_base", "orimattila-lahti-hourly"):
        shutil.copy(ROOT / "scenarios" / f"{name}.yaml", work / "scenarios")
    env = {k: v for k, v in os.environ.items() if k not in ("RAILSIM_DATA", "PYTHONPATH")}
    railsim = str(venv / "bin" / "railsim")
    where = subprocess.run([railsim, "data", "path"], cwd=work, env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    assert str(venv) in where and not where.startswith(str(ROOT)), where
    run = subprocess.run([railsim, "run", "scenarios/", "--out", "out", "--replications", "2",
                          "--draws", "50", "--no-report", "--workers", "1"], cwd=work,
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (work / "out" / "orimattila-lahti-hourly" / "kpis.csv").is_file()
