"""The corridor object: models get their data from it, never from a folder of their own."""

from __future__ import annotations

import csv
import pickle
import re
import shutil
from pathlib import Path

import pytest

import railsim
from railsim import data
from railsim.corridor import Corridor
from railsim.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
MODEL_PACKAGES = ("timetable", "sim", "demand", "costs", "appraisal")


def test_no_model_reads_files_or_the_environment():
    """Models ask the corridor; only the edges (API, CLI) choose a data folder."""
    readers = re.compile(r"\bdata\.(read_records|read_table|records_by_key)\b|"
                         r"\bfrom railsim\.data import\b.*\bread_|\bopen\(|read_text\(|"
                         r"RAILSIM_DATA|os\.environ|PACKAGE_DATA")
    found = []
    for package in MODEL_PACKAGES:
        for path in sorted((ROOT / "railsim" / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if readers.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for module in ("network.py", "running.py", "checks.py"):
        text = (ROOT / "railsim" / module).read_text(encoding="utf-8")
        if readers.search(text):
            found.append(f"railsim/{module}")
    assert not found, "\n".join(found)
    environment = [p.relative_to(ROOT).as_posix() for p in (ROOT / "railsim").rglob("*.py")
                   if re.search(r"os\.environ|getenv", p.read_text(encoding="utf-8"))]
    # The data folder is chosen at the edge; the work limit is a machine's policy that
    # refuses a scenario but never changes a result, and so is how workers start.
    assert sorted(environment) == ["railsim/api.py", "railsim/config/limits.py",
                                   "railsim/parallel.py"], environment


def _copy_with(tmp_path: Path, item: str, factor: float) -> Path:
    """A copy of the shipped data with one unit cost multiplied."""
    folder = tmp_path / "data"
    shutil.copytree(data.PACKAGE_DATA, folder)
    path = folder / "costs" / "unit_costs.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if row["item_id"] == item:
            row["value"] = str(float(row["value"]) * factor)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_a_changed_data_folder_changes_the_result_and_the_default_is_not_read(
        tmp_path, monkeypatch):
    folder = _copy_with(tmp_path, "passing_loop", 3.0)
    corridor = Corridor.load(folder)
    scenario = railsim.load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", corridor=corridor)
    quick = railsim.with_overrides(scenario, {"simulation.replications": 2,
                                              "uncertainty.draws": 50}, corridor=corridor)
    # From here on, reading any table of the shipped data folder is an error.
    real = data.read_records

    def guarded(name: str, where: Path | None = None) -> list[dict[str, object]]:
        if where is None or Path(where).resolve() == data.PACKAGE_DATA.resolve():
            raise AssertionError(f"the default data folder was read ({name})")
        return real(name, where)

    monkeypatch.setattr(data, "read_records", guarded)
    monkeypatch.setattr(data, "read_table", lambda *a, **k: pytest.fail("read_table"))
    changed = railsim.evaluate(quick, corridor)
    monkeypatch.undo()
    shipped = railsim.evaluate(quick, Corridor.load())

    def capex(evaluation: object) -> float:
        frame = evaluation.kpis()  # type: ignore[attr-defined]
        return float(frame.loc[frame["variable"] == "capex_total_eur", "value"].iloc[0])

    loops = len(quick.infrastructure.passing_loops)
    assert loops > 0
    unit = {row["item_id"]: row for row in Corridor.load().records("unit_costs")}
    assert capex(changed) > capex(shipped)
    changed_lines = changed.tables()["capex.csv"]
    loop_cost = changed_lines.loc[changed_lines["item_id"] == "passing_loop", "unit_cost_eur"]
    shipped_lines = shipped.tables()["capex.csv"]
    shipped_cost = shipped_lines.loc[shipped_lines["item_id"] == "passing_loop", "unit_cost_eur"]
    assert float(loop_cost.iloc[0]) == pytest.approx(3 * float(shipped_cost.iloc[0]))
    assert unit["passing_loop"]["value"] > 0


def test_corridor_is_picklable_and_reports_missing_tables(tmp_path):
    from railsim.synthetic import write_synthetic_data

    corridor = Corridor.load(write_synthetic_data(tmp_path))
    corridor.memo("x", lambda: [1, 2])
    again = pickle.loads(pickle.dumps(corridor))
    assert again.by_key("lines") == corridor.by_key("lines")
    assert again.fingerprint == corridor.fingerprint
    with pytest.raises(DataError, match="population_points"):
        corridor.records("population_points")
    with pytest.raises(DataError, match="data folder not found"):
        Corridor.load(tmp_path / "nowhere")


def test_copies_of_one_corridor_share_what_is_derived_from_its_data(tmp_path):
    """A batch worker gets a new copy of the corridor with each scenario: the copies of
    the same data share the memo (the population grid is built once per worker); a copy
    of other data, even under the same fingerprint, does not."""
    from railsim.synthetic import write_synthetic_data

    corridor = Corridor.load(write_synthetic_data(tmp_path / "a"))
    sent = pickle.dumps(corridor)
    first, second = pickle.loads(sent), pickle.loads(sent)
    built = []
    first.memo("grid", lambda: built.append(1) or "grid")
    assert second.memo("grid", lambda: built.append(2) or "other") == "grid"
    assert built == [1]
    other = Corridor.load(write_synthetic_data(tmp_path / "b", n_lines=3))
    assert pickle.loads(pickle.dumps(other)).memo("grid", lambda: "its own") == "its own"
    forged = pickle.loads(pickle.dumps(other))
    forged._fingerprint = corridor.fingerprint  # a fingerprint alone is not trusted
    state = forged.__getstate__()
    assert state["fingerprint"] == corridor.fingerprint
    assert pickle.loads(pickle.dumps(forged)).memo("grid", lambda: "not shared") == "not shared"


def test_fingerprint_changes_with_any_figure(tmp_path):
    shutil.copytree(data.PACKAGE_DATA, tmp_path / "copy")
    same = Corridor.load(tmp_path / "copy")
    assert same.fingerprint == Corridor.load().fingerprint
    assert Corridor.load(_copy_with(tmp_path / "b", "passing_loop", 2.0)).fingerprint != \
        same.fingerprint


def test_a_folder_loaded_again_after_an_edit_holds_the_new_figures(tmp_path):
    # a notebook edits a figure and loads the folder again: the rows were those of the
    # first read (cached by table and folder) under the new file's fingerprint, so results
    # of the old figures were labelled, and later skipped, as the new data's
    folder = tmp_path / "copy"
    shutil.copytree(data.PACKAGE_DATA, folder)
    first = Corridor.load(folder)
    assert first.by_key("lines")["HEI"]["length_km"] == 37.4
    lines = folder / "network" / "lines.csv"
    lines.write_text(lines.read_text(encoding="utf-8").replace(",37.4,", ",39.9,", 1),
                     encoding="utf-8")
    again = Corridor.load(folder)
    assert again.fingerprint != first.fingerprint
    assert again.by_key("lines")["HEI"]["length_km"] == 39.9
    assert data.read_records("lines", folder)[0] == again.records("lines")[0]
    assert first.by_key("lines")["HEI"]["length_km"] == 37.4  # a corridor does not change


def test_cli_data_option_uses_another_corridor(tmp_path):
    from click.testing import CliRunner

    from railsim.cli import cli

    folder = _copy_with(tmp_path, "passing_loop", 1.0)
    (folder / "network" / "stations.csv").unlink()
    result = CliRunner().invoke(cli, ["--data", str(folder), "validate",
                                      str(SCENARIOS / "do-minimum.yaml")])
    assert result.exit_code == 1
    assert "stations" in result.output and "Traceback" not in result.output


def test_copies_of_the_same_data_in_other_folders_keep_their_own_memo(tmp_path):
    """What the memo holds may name the corridor's folder (the checks' facts keep the
    corridor, whose folder their messages name): a copy of the same tables in another
    folder, unpickled in the same process, does not share the memo."""
    from railsim.checks import Facts
    from railsim.synthetic import write_synthetic_data

    first = write_synthetic_data(tmp_path / "a")
    second = tmp_path / "b"
    shutil.copytree(first, second)
    copies = [pickle.loads(pickle.dumps(Corridor.load(folder))) for folder in (first, second)]
    for copy in copies:
        facts = copy.memo("check_facts", lambda copy=copy: Facts.of(copy))
        assert facts.corridor is not None and facts.corridor.folder == copy.folder
