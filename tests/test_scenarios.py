"""Shipped scenarios validate; each bad scenario gives its stated message; the CLI runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from railsim import load_scenario
from railsim.config.files import find_scenarios
from railsim.errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BAD = Path(__file__).resolve().parent / "bad_scenarios"
RAILSIM = [sys.executable, "-m", "railsim.cli"]

SHIPPED = [f for f, _ in find_scenarios((str(SCENARIOS),))]


def test_at_least_six_shipped_scenarios_with_headers():
    assert len(SHIPPED) >= 6
    for path in SHIPPED:
        assert path.read_text(encoding="utf-8").startswith("#"), path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_validates(path):
    scenario = load_scenario(path, SCENARIOS, timetable=True)
    assert scenario.name == path.stem


def _expectations(path: Path) -> tuple[list[str], int | None]:
    text = path.read_text(encoding="utf-8")
    expect = re.search(r"^# expect: (.+)$", text, re.M)
    line = re.search(r"^# expect-line: (\d+)$", text, re.M)
    assert expect, f"{path.name} states no expected message"
    return [part.strip() for part in expect.group(1).split("|")], (
        int(line.group(1)) if line else None)


BAD_FILES = sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_scenario_gives_clear_message(path):
    expected, line = _expectations(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, BAD, timetable=True)
    text = str(info.value)
    for part in expected:
        assert part in text, f"{path.name}: {part!r} not in {text!r}"
    first = info.value.problems[0]
    # the message points into the bad file itself (none of them blames a base it extends),
    # at a line unless the file declares a whole-document problem (expect-line: 0)
    assert Path(first.file).name == path.name, text
    if line is None:
        assert first.line >= 1, text
    else:
        assert first.line == line, text


def test_cli_validate_shipped_folder():
    out = subprocess.run([*RAILSIM, "validate", str(SCENARIOS)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert f"{len(SHIPPED)} of {len(SHIPPED)} scenarios valid" in out.stdout + out.stderr


def test_cli_validate_bad_folder_exits_1_without_traceback():
    out = subprocess.run([*RAILSIM, "validate", str(BAD)], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert f"0 of {len(BAD_FILES)} scenarios valid" in out.stderr


def test_cli_timetable_gtfs_and_diagram(tmp_path):
    gtfs, diagram = tmp_path / "feed.zip", tmp_path / "diagram.png"
    out = subprocess.run([*RAILSIM, "timetable", str(SCENARIOS / "through-hourly-peaks.yaml"),
                          "--gtfs", str(gtfs), "--diagram", str(diagram)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "conflicts: 0" in out.stdout
    assert gtfs.stat().st_size > 500 and diagram.stat().st_size > 10_000
    assert diagram.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diagram.png", "feed.zip"]
    svg = tmp_path / "diagram.SVG"  # the suffix says the format, whatever its case
    out = subprocess.run([*RAILSIM, "timetable", str(SCENARIOS / "orimattila-lahti-hourly.yaml"),
                          "--diagram", str(svg)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert b"<svg" in svg.read_bytes()[:500]


@pytest.mark.parametrize("name", ["diagram.jpg", "diagram", "diagram.PDF"])
def test_cli_timetable_diagram_other_than_png_or_svg_is_refused(tmp_path, name):
    # The help says "PNG or SVG by suffix"; a .jpg was written as JPEG and a name without
    # a suffix as diagram.png while the command said "diagram written to .../diagram".
    from click.testing import CliRunner

    from railsim.cli import cli

    out = CliRunner().invoke(cli, ["timetable", str(SCENARIOS / "through-hourly-peaks.yaml"),
                                   "--diagram", str(tmp_path / name)])
    assert out.exit_code == 2, out.output
    assert "--diagram" in out.output and ".png or .svg" in out.output
    assert list(tmp_path.iterdir()) == []


def test_cli_run_writes_results_and_isolates_failures(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("_base.yaml", "orimattila-lahti-hourly.yaml"):
        shutil.copy(SCENARIOS / name, batch / name)
    (batch / "bad.yaml").write_text("demand: {walk_radus_m: 1}\n", encoding="utf-8")
    out = subprocess.run([*RAILSIM, "run", str(batch), "--out", str(tmp_path / "out"),
                          "--replications", "5", "--seed", "3"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    good = tmp_path / "out" / "orimattila-lahti-hourly"
    assert (tmp_path / "out" / "bad" / "error.txt").read_text().count("unknown key") == 1
    kpis = (good / "kpis.csv").read_text()
    assert "punctuality_3min_pct" in kpis and "mean_delay_s" in kpis
    assert "capex_total_eur" in kpis and (good / "capex.csv").exists()
    assert (good / "stop_times.csv").exists() and (good / "scenario.resolved.yaml").exists()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    # the reported NPVs are the sums of the discounted flows written beside them
    import pandas as pd

    table = pd.read_csv(good / "kpis.csv")
    value = table[table["statistic"] == "value"].set_index("variable")["value"]
    flows = pd.read_csv(good / "cashflows.csv")
    assert value["npv_societal_eur"] == pytest.approx(
        flows["discounted_net_societal_eur"].sum(), rel=1e-9)
    assert value["npv_financial_eur"] == pytest.approx(
        flows["discounted_net_financial_eur"].sum(), rel=1e-9)
    # the end of the main job: the report in each language, charts inline (no chart files)
    assert not (good / "charts").exists()
    assert "report:" in out.stdout
    for lang in ("fi", "en"):
        report = (tmp_path / "out" / f"report.{lang}.html").read_text(encoding="utf-8")
        assert "Orimattila" in report and '<svg class="chart"' in report


EXPECTED = ROOT / "tests" / "expected_service_kpis.json"


@pytest.mark.parametrize("name", sorted(__import__("json").loads(EXPECTED.read_text())))
def test_shipped_scenario_service_kpis_unchanged(name):
    """Stored planned-service KPIs; regenerate deliberately when the model changes."""
    import json

    from railsim import plan_service

    expected = json.loads(EXPECTED.read_text())[name]
    got = {r["variable"]: float(r["value"]) for r in
           plan_service(load_scenario(SCENARIOS / f"{name}.yaml", SCENARIOS)).kpis()}
    assert set(got) == set(expected)
    for variable, value in expected.items():
        assert got[variable] == pytest.approx(value, abs=1e-3), variable
