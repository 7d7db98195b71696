"""Nothing is lost and nothing incomplete is trusted: a scenario that fails keeps its last
results, --prune never takes the folder of a file it cannot read, a rerun recomputes
results changed since they were written, and the report refuses them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from railsim import load_corridor, run_batch
from railsim.batch.fingerprint import damaged_files, has_complete_results
from railsim.report import build_report
from railsim.report.builder import ReportError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CHEAP = {"simulation.replications": 2, "simulation.seed": 5, "uncertainty.draws": 50}


@pytest.fixture(scope="module")
def corridor():
    return load_corridor()


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    for name in ("_base", *names):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def _run(folder: Path, out: Path, corridor, **kwargs):
    settings = {**CHEAP, **kwargs.pop("settings", {})}
    return run_batch(folder, out, corridor=corridor, settings=settings, workers=1, **kwargs)


def test_a_scenario_that_fails_keeps_its_last_results(tmp_path, corridor):
    folder, out = _folder(tmp_path, "heinola-lahti-hourly"), tmp_path / "out"
    _run(folder, out, corridor)
    results = out / "heinola-lahti-hourly"
    kpis = (results / "kpis.csv").read_bytes()
    assert has_complete_results(results)
    failed = _run(folder, out, corridor, settings={"uncertainty.draws": 0})
    assert [o.status for o in failed.outcomes] == ["failed"]
    assert (results / "kpis.csv").read_bytes() == kpis  # kept, untouched
    error = (results / "error.txt").read_text(encoding="utf-8")
    assert "uncertainty.draws" in error and "last run of this scenario that succeeded" in error
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.status) == ["failed"]
    # the report shows the error, not the kept results as if they were the scenario's now
    from railsim.report.builder import charted_names
    from railsim.report.facts import scenario_facts

    facts = scenario_facts(out, "heinola-lahti-hourly", summary)
    assert facts.status == "failed" and "uncertainty.draws" in facts.error
    assert not facts.values and not facts.tables and facts.break_even is None
    assert charted_names(out, ["heinola-lahti-hourly"]) == []
    # a second failure in a row keeps them too (they are still the last that succeeded)
    _run(folder, out, corridor, settings={"uncertainty.draws": 0})
    assert (results / "kpis.csv").read_bytes() == kpis
    # and so does a folder of a railsim before the file list
    fingerprint = results / "fingerprint.txt"
    listed = fingerprint.read_text(encoding="utf-8")
    fingerprint.write_text(listed.partition("files:\n")[0], encoding="utf-8")
    _run(folder, out, corridor, settings={"uncertainty.draws": 0})
    assert (results / "kpis.csv").read_bytes() == kpis
    fingerprint.write_text(listed, encoding="utf-8")
    # railsim diff will not compare them as the scenario's results
    from railsim.diff import load_resolved
    from railsim.errors import RailsimError

    with pytest.raises(RailsimError, match="failed in its last run"):
        load_resolved(results)
    # the error makes the next run compute it again, and the new results replace it all
    again = _run(folder, out, corridor)
    assert [o.status for o in again.outcomes] == ["ok"]
    assert not (results / "error.txt").exists() and has_complete_results(results)


def test_prune_never_takes_the_folder_of_a_file_that_cannot_be_read(tmp_path, corridor):
    folder, out = _folder(tmp_path, "heinola-lahti-hourly"), tmp_path / "out"
    file = folder / "heinola-lahti-hourly.yaml"
    text = file.read_text(encoding="utf-8")
    named = folder / "named.yaml"
    named.write_text(text.replace("extends: _base.yaml", "extends: _base.yaml\nname: custom-name"),
                     encoding="utf-8")
    file.unlink()
    assert "custom-name" in named.read_text(encoding="utf-8")
    _run(folder, out, corridor)
    assert has_complete_results(out / "custom-name")
    # a bad value: the file still names its folder, where the error goes beside the results
    named.write_text(named.read_text(encoding="utf-8") + "\nsimulation:\n  replications: 0\n",
                     encoding="utf-8")
    result = _run(folder, out, corridor, prune=True)
    assert [o.name for o in result.outcomes] == ["custom-name"] and not result.stale
    assert (out / "custom-name" / "kpis.csv").exists()
    assert (out / "custom-name" / "error.txt").exists() and not (out / "named").exists()
    # a file without a name that fails: its folder is its stem's, so pruning goes on
    plain = folder / "plain.yaml"
    plain.write_text(text.replace("title:", "titel:"), encoding="utf-8")
    result = _run(folder, out, corridor, prune=True)
    assert not result.prune_withheld
    assert (out / "plain" / "error.txt").exists()
    plain.unlink()
    shutil.rmtree(out / "plain")
    # a file that cannot be read at all: its folder is unknown, so nothing is pruned
    named.write_text("title: [not closed\n", encoding="utf-8")
    result = _run(folder, out, corridor, prune=True)
    assert not result.pruned and result.prune_withheld == (named,)
    assert [p.name for p in result.stale] == ["custom-name"]
    assert (out / "custom-name" / "kpis.csv").exists()


def test_results_changed_since_are_recomputed_and_refused_by_the_report(tmp_path, corridor):
    folder, out = _folder(tmp_path, "heinola-lahti-hourly"), tmp_path / "out"
    _run(folder, out, corridor)
    results = out / "heinola-lahti-hourly"
    assert damaged_files(results) == []
    (results / "kpis.csv").write_text("variable,unit,stat", encoding="utf-8")  # truncated
    (results / "opex.csv").unlink()
    assert damaged_files(results) == ["kpis.csv", "opex.csv"]
    with pytest.raises(ReportError, match=r"heinola-lahti-hourly/ \(kpis\.csv, opex\.csv"):
        build_report(out, charts=False)
    rerun = _run(folder, out, corridor)
    assert [o.status for o in rerun.outcomes] == ["ok"]  # not skipped as unchanged
    assert damaged_files(results) == []
    build_report(out, charts=False)


def test_the_report_writes_a_summary_older_than_the_results_again(tmp_path, corridor):
    folder, out = _folder(tmp_path, "heinola-lahti-hourly", "do-minimum"), tmp_path / "out"
    _run(folder, out, corridor)
    full = pd.read_csv(out / "summary.csv")
    # as an interrupted run leaves it: a scenario written after the summary it is not in
    full[full.scenario == "do-minimum"].to_csv(out / "summary.csv", index=False)
    past = (out / "heinola-lahti-hourly" / "fingerprint.txt").stat().st_mtime - 60
    os.utime(out / "summary.csv", (past, past))
    build_report(out, charts=False)
    again = pd.read_csv(out / "summary.csv")
    assert sorted(again.scenario) == sorted(full.scenario)
    assert (again.set_index("scenario").npv_societal_meur.dropna()
            == full.set_index("scenario").npv_societal_meur.dropna()).all()


@pytest.mark.parametrize("option, value", [("--draws", "0"), ("--replications", "0"),
                                           ("--seed", "-1"), ("--draws", "1000001"),
                                           ("--seed", str(2**63))])
def test_a_run_setting_out_of_bounds_is_refused_before_anything_is_written(tmp_path, option,
                                                                            value):
    from click.testing import CliRunner

    from railsim.cli import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(SCENARIOS / "do-minimum.yaml"), "--out",
                                      str(out), option, value])
    assert result.exit_code == 2 and option in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()


def _summary_as_folders_hold(out: Path) -> dict[str, str]:
    """Scenario → societal NPV in summary.csv, and what the result folders hold."""
    from railsim.batch.summary import SummaryRow, entry, summary_records

    listed = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
    held = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and p.name[0] != "."):
        record = summary_records([entry(SummaryRow(folder.name, "", "ok", folder))])[0]
        held[folder.name] = record["npv_societal_meur"]
    return dict(zip(listed.scenario, listed.npv_societal_meur, strict=True)), held


def test_a_batch_stopped_by_ctrl_c_leaves_a_summary_of_what_its_folders_hold(tmp_path,
                                                                              corridor):
    folder = _folder(tmp_path, "heinola-lahti-hourly", "do-minimum")
    out = tmp_path / "out"
    _run(folder, out, corridor)
    shutil.copy(SCENARIOS / "orimattila-lahti-hourly.yaml", folder)  # a new scenario

    def ctrl_c_after_the_first(outcome):
        raise KeyboardInterrupt  # as Ctrl-C after the first scenario was written

    with pytest.raises(KeyboardInterrupt):
        _run(folder, out, corridor, settings={"appraisal.discount_rate": 0.05},
             progress=ctrl_c_after_the_first)
    rates = {p.name: "discount_rate: 0.05" in (p / "scenario.resolved.yaml").read_text(
        encoding="utf-8") for p in out.iterdir() if p.is_dir()}
    assert list(rates.values()).count(True) == 1  # one written by the stopped run
    listed, held = _summary_as_folders_hold(out)
    assert listed == held  # every folder, with its own numbers
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")
                and p.name != ".railsim.lock"]


def test_a_batch_stopped_as_a_folder_lands_leaves_it_complete(tmp_path, corridor,
                                                             monkeypatch):
    # fingerprint.txt, which marks a folder complete, was written after the folder was
    # renamed into place: a kill in between left new results without it, which a rerun
    # recomputed, but which the summary left out and the report took as they were
    import railsim.results

    folder, out = _folder(tmp_path, "heinola-lahti-hourly"), tmp_path / "out"
    _run(folder, out, corridor)
    real = os.replace

    def replace(src, dst):  # the run stops at once after the new folder is in place
        real(src, dst)
        if Path(dst) == out / "heinola-lahti-hourly":
            raise KeyboardInterrupt

    monkeypatch.setattr(railsim.results.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        _run(folder, out, corridor, settings={"appraisal.discount_rate": 0.05})
    monkeypatch.undo()
    results = out / "heinola-lahti-hourly"
    assert "discount_rate: 0.05" in (results / "scenario.resolved.yaml").read_text(
        encoding="utf-8")
    assert has_complete_results(results)
    listed, held = _summary_as_folders_hold(out)
    assert listed == held


def test_a_batch_stopped_while_it_prunes_leaves_no_half_removed_folder(tmp_path, corridor,
                                                                      monkeypatch):
    # --prune removed a stale folder file by file: Ctrl-C in the middle left a folder with
    # part of its results, which the report then showed as a scenario
    folder, out = _folder(tmp_path, "do-minimum"), tmp_path / "out"
    _run(folder, out, corridor)
    (folder / "do-minimum.yaml").rename(folder / "renamed.yaml")
    real = shutil.rmtree

    def stopped(path, *args, **kwargs):  # removing the stale folder: one file, then Ctrl-C
        if "do-minimum" not in Path(path).name:
            return real(path, *args, **kwargs)
        next(p for p in Path(path).iterdir() if p.name == "kpis.csv").unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "rmtree", stopped)
    with pytest.raises(KeyboardInterrupt):
        _run(folder, out, corridor, prune=True)
    monkeypatch.undo()
    assert not (out / "do-minimum").exists()  # whole or gone: gone, as asked
    _run(folder, out, corridor)  # and the next run clears what is left of it
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["renamed"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_summary_csv_and_xlsx_are_replaced_together(tmp_path, monkeypatch):
    # the workbook was made after summary.csv was written: Ctrl-C in that time left a new
    # summary.csv beside the old summary.xlsx
    import railsim.batch.summary as summary
    from railsim.batch.summary import SummaryEntry, write_summary_entries

    write_summary_entries(tmp_path, [SummaryEntry("a", "A", "ok")])
    before = {name: (tmp_path / name).read_bytes() for name in ("summary.csv", "summary.xlsx")}

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(summary, "workbook_bytes", stopped)
    with pytest.raises(KeyboardInterrupt):
        write_summary_entries(tmp_path, [SummaryEntry("b", "B", "ok")])
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def test_a_batch_stopped_after_a_file_failed_to_load_says_so_in_the_summary(tmp_path,
                                                                           corridor):
    folder, out = _folder(tmp_path, "heinola-lahti-hourly"), tmp_path / "out"
    _run(folder, out, corridor)
    file = folder / "heinola-lahti-hourly.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "\nsimulation: {replications: 0}\n",
                    encoding="utf-8")

    def ctrl_c(outcome):  # as Ctrl-C just after its error.txt was written
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(folder, out, corridor, progress=ctrl_c)
    assert (out / "heinola-lahti-hourly" / "error.txt").exists()
    assert list(pd.read_csv(out / "summary.csv").status) == ["failed"]


def test_a_stop_just_as_the_staging_folder_is_made_leaves_nothing(tmp_path, monkeypatch):
    # a stop signal raises wherever the main thread is: one just after the staging
    # folder was made, before the writing's clean-up covered it, left it behind
    from railsim.results import write_result_folder

    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        real(self, *args, **kwargs)
        if self.name.startswith(".scenario."):
            raise KeyboardInterrupt

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(KeyboardInterrupt):
        write_result_folder(tmp_path / "out", "scenario", {"kpis.txt": "1\n"})
    monkeypatch.undo()
    assert [p.name for p in (tmp_path / "out").iterdir()] == []
