"""Batch runs: failures isolated, reruns skip unchanged work, results independent of the
backend and number of workers, summary.csv, and no half-written folders on Ctrl-C."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from railsim import run_batch
from railsim.batch import SUMMARY_COLUMNS
from railsim.batch.fingerprint import tree_hash
from railsim.cli import cli
from railsim.config.files import find_scenarios
from railsim.report import build_report

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
GOOD = ("orimattila-lahti-hourly", "do-minimum")
OPTIONS = {"settings": {"simulation.replications": 5, "simulation.seed": 3}}


def _scenario_folder(folder: Path, bad: bool = True) -> Path:
    """Two shipped scenarios and their base, plus a bad copy with an unknown station."""
    folder.mkdir(parents=True)
    for name in ("_base", *GOOD):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    if bad:
        text = (SCENARIOS / "orimattila-lahti-hourly.yaml").read_text(encoding="utf-8")
        assert "[OM, PNL, LH]" in text
        (folder / "bad.yaml").write_text(text.replace("[OM, PNL, LH]", "[OM, XYZ, LH]"),
                                         encoding="utf-8")
    return folder


def _kpi_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name / "kpis.csv").read_bytes() for name in GOOD}


def _hidden(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory):
    """One CLI batch on two local workers: one good scenario, the do-minimum, one bad."""
    base = tmp_path_factory.mktemp("batch")
    scenarios = _scenario_folder(base / "scenarios")
    out = base / "out"
    result = CliRunner().invoke(cli, ["run", str(scenarios), "--out", str(out),
                                      "--replications", "5", "--seed", "3", "--workers", "2",
                                      "--no-report"])
    return result, scenarios, out


def test_cli_batch_isolates_a_failing_scenario(cli_run):
    result, scenarios, out = cli_run
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"FAIL {scenarios / 'bad.yaml'}" in result.output
    assert f"ok   {scenarios / 'orimattila-lahti-hourly.yaml'} -> " in result.output
    assert "2 of 3 scenarios evaluated" in result.output
    error = (out / "bad" / "error.txt").read_text(encoding="utf-8")
    assert str(scenarios / "bad.yaml") in error and "unknown station" in error
    assert "'XYZ'" in error and "Traceback" not in error
    good = out / "orimattila-lahti-hourly"
    for name in ("kpis.csv", "scenario.resolved.yaml", "stop_times.csv", "replications.csv",
                 "fingerprint.txt"):
        assert (good / name).is_file(), name
    assert len(pd.read_csv(good / "replications.csv")) == 5
    assert not (good / "error.txt").exists()
    assert _hidden(out) == []


def test_cli_run_without_scenarios_exits_1_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "_base.yaml").write_text("costs: {price_year: 2024}\n", encoding="utf-8")
    for path in (empty, tmp_path / "no-such-folder", tmp_path / "typo.yaml"):
        out = tmp_path / "out"
        result = CliRunner().invoke(cli, ["run", str(path), "--out", str(out)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert str(path) in result.output
        assert not out.exists(), f"{path}: something was written"


def test_summary_has_the_documented_columns_and_one_row_per_scenario(cli_run):
    _, _, out = cli_run
    with (out / "summary.csv").open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = {row["scenario"]: row for row in reader}
        assert tuple(reader.fieldnames or ()) == SUMMARY_COLUMNS
    assert list(rows) == ["bad", "do-minimum", "orimattila-lahti-hourly"]  # input order
    assert {name: row["status"] for name, row in rows.items()} == {
        "bad": "failed", "do-minimum": "ok", "orimattila-lahti-hourly": "ok"}
    good = rows["orimattila-lahti-hourly"]
    assert good["title"].startswith("Orimattila – Lahti")
    kpis = pd.read_csv(out / "orimattila-lahti-hourly" / "kpis.csv")
    mean = kpis.query("variable == 'punctuality_3min_pct' and statistic == 'mean'")
    assert float(good["punctuality_3min_mean_pct"]) == pytest.approx(
        float(mean.value.iloc[0]), rel=5e-3)  # three significant digits
    assert float(good["capex_meur"]) > 0 and float(good["npv_societal_meur"]) < 0
    assert (good["role"], good["rank_npv_societal"]) == ("option", "1")
    assert rows["do-minimum"]["role"] == "do-minimum"
    assert all(rows["bad"][kpi] == "" for kpi in SUMMARY_COLUMNS[3:])


def test_one_or_two_local_workers_give_identical_results(cli_run, tmp_path):
    _, scenarios, two_workers = cli_run
    files = find_scenarios((str(scenarios),))
    run_batch(files, tmp_path, workers=1, **OPTIONS)
    assert _kpi_bytes(tmp_path) == _kpi_bytes(two_workers)
    assert (tmp_path / "summary.csv").read_bytes() == (two_workers / "summary.csv").read_bytes()


def _files(folder: Path) -> dict[str, bytes]:
    """Every result file's bytes but run.log's (a log: it has the clock and timings)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "run.log"}


def test_a_lone_scenario_split_over_workers_gives_the_same_bytes(cli_run, tmp_path):
    # Alone, a scenario runs here and its simulated days go to the pool in chunks; in
    # cli_run it ran whole in one worker beside the others.
    _, scenarios, batch = cli_run
    files = [(scenarios / f"{GOOD[0]}.yaml", scenarios)]
    one = run_batch(files, tmp_path / "one", workers=1, **OPTIONS)
    two = run_batch(files, tmp_path / "two", workers=2, **OPTIONS)
    assert [o.status for o in one.outcomes + two.outcomes] == ["ok", "ok"]
    reference = _files(batch / GOOD[0])
    assert "replications.csv" in reference and "uncertainty_draws.csv" in reference
    assert _files(tmp_path / "one" / GOOD[0]) == reference
    assert _files(tmp_path / "two" / GOOD[0]) == reference


@pytest.mark.slow
def test_dask_workers_elsewhere_need_no_files_and_give_the_same_bytes(cli_run, tmp_path,
                                                                       monkeypatch):
    import logging
    import os

    from distributed import Client, LocalCluster

    _, scenarios, local = cli_run
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the worker processes start here: an empty folder
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            assert set(client.run(os.getcwd).values()) == {str(elsewhere)}
        both = run_batch([(scenarios / f"{name}.yaml", scenarios) for name in GOOD],
                         tmp_path / "both", scheduler=cluster.scheduler_address, **OPTIONS)
        lone = run_batch([(scenarios / f"{GOOD[0]}.yaml", scenarios)], tmp_path / "lone",
                         scheduler=cluster.scheduler_address, **OPTIONS)
    assert [o.status for o in both.outcomes + lone.outcomes] == ["ok", "ok", "ok"]
    assert list(elsewhere.iterdir()) == [] or all(p.name.startswith("dask-")
                                                  for p in elsewhere.iterdir())
    for name in GOOD:
        assert _files(tmp_path / "both" / name) == _files(local / name), name
    assert _files(tmp_path / "lone" / GOOD[0]) == _files(local / GOOD[0])
    assert "railsim.evaluation: simulation" in (tmp_path / "both" / GOOD[0] /
                                                "run.log").read_text(encoding="utf-8")


def test_dask_cluster_gives_the_same_results_as_local_workers(cli_run, tmp_path):
    import logging

    from distributed import LocalCluster

    _, scenarios, local = cli_run
    files = [(scenarios / f"{name}.yaml", scenarios) for name in GOOD]
    # Threads keep the test quick; the client side is the same as for a remote cluster.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        result = run_batch(files, tmp_path, scheduler=cluster.scheduler_address, **OPTIONS)
    assert [o.status for o in result.outcomes] == ["ok", "ok"]
    assert _kpi_bytes(tmp_path) == _kpi_bytes(local)


def test_rerun_skips_unchanged_scenarios_and_force_recomputes(tmp_path):
    scenarios = _scenario_folder(tmp_path / "scenarios")
    files = find_scenarios((str(scenarios),))
    out = tmp_path / "out"
    first = run_batch(files, out, workers=1, **OPTIONS)
    assert [o.status for o in first.outcomes] == ["failed", "ok", "ok"]
    before = (out / "summary.csv").read_bytes()
    build_report(out, charts=False)
    report = (out / "report.fi.html").read_bytes()
    folder = out / "orimattila-lahti-hourly"
    inode = folder.stat().st_ino  # a rewrite renames a new folder into place
    seen: list[str] = []
    again = run_batch(files, out, workers=1, progress=lambda o: seen.append(o.status),
                      **OPTIONS)
    assert [o.status for o in again.outcomes] == ["failed", "skipped", "skipped"]
    assert sorted(seen) == ["failed", "skipped", "skipped"]
    assert folder.stat().st_ino == inode
    summary = pd.read_csv(out / "summary.csv", index_col="scenario")
    # the skipped scenario keeps its earlier status and numbers: the report stays whole
    assert summary.loc["orimattila-lahti-hourly", "status"] == "ok"
    assert summary.loc["orimattila-lahti-hourly", "capex_meur"] > 0  # KPIs kept
    assert (out / "summary.csv").read_bytes() == before  # nothing changed, nothing differs
    build_report(out, charts=False)
    assert (out / "report.fi.html").read_bytes() == report  # no "skipped", same numbers

    other = {"simulation.replications": 5, "simulation.seed": 4}  # other run settings
    changed = run_batch(files, out, workers=1, settings=other)
    assert [o.status for o in changed.outcomes] == ["failed", "ok", "ok"]
    forced = run_batch(files, out, workers=1, force=True, settings=other)
    assert [o.status for o in forced.outcomes] == ["failed", "ok", "ok"]
    assert folder.stat().st_ino != inode


def test_unexpected_error_is_reported_with_a_short_traceback(tmp_path, monkeypatch):
    import railsim.evaluation

    real = railsim.evaluation.evaluate

    def broken(scenario, *args):
        if scenario.name == "do-minimum":
            raise ZeroDivisionError("boom")
        return real(scenario, *args)

    monkeypatch.setattr(railsim.evaluation, "evaluate", broken)
    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    result = run_batch(find_scenarios((str(scenarios),)), tmp_path / "out", workers=1,
                       **OPTIONS)
    assert [o.status for o in result.outcomes] == ["failed", "ok"]
    assert "ZeroDivisionError: boom" in result.outcomes[0].message
    error = (tmp_path / "out" / "do-minimum" / "error.txt").read_text(encoding="utf-8")
    assert "Traceback" in error and "in broken" in error and error.count("File ") <= 8


def test_scenarios_claiming_the_same_folder_both_fail(tmp_path):
    for sub in ("a", "b"):
        _scenario_folder(tmp_path / "scenarios" / sub, bad=False)
    (tmp_path / "scenarios" / "b" / "orimattila-lahti-hourly.yaml").unlink()
    result = run_batch(find_scenarios((str(tmp_path / "scenarios"),)), tmp_path / "out",
                       workers=1, **OPTIONS)
    statuses = {(o.file.parent.name, o.name): o.status for o in result.outcomes}
    assert statuses == {("a", "do-minimum"): "failed", ("b", "do-minimum"): "failed",
                        ("a", "orimattila-lahti-hourly"): "ok"}
    assert "claimed by several" in result.outcomes[0].message


def _interrupt_on(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    """Make the ``call``-th table written raise KeyboardInterrupt (as Ctrl-C would)."""
    real = pd.DataFrame.to_csv
    calls = []

    def to_csv(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


def test_interrupted_write_leaves_no_half_written_folder(tmp_path, monkeypatch):
    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    files = [(scenarios / "orimattila-lahti-hourly.yaml", scenarios)]
    out = tmp_path / "out"
    _interrupt_on(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        run_batch(files, out, workers=1, **OPTIONS)
    assert sorted(p.name for p in out.iterdir()) == []


def test_interrupted_rewrite_keeps_the_previous_results(tmp_path, monkeypatch):
    import os

    import railsim.results

    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    files = [(scenarios / "orimattila-lahti-hourly.yaml", scenarios)]
    out = tmp_path / "out"
    run_batch(files, out, workers=1, **OPTIONS)
    folder = out / "orimattila-lahti-hourly"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = os.replace

    def replace(src, dst):  # Ctrl-C after the old folder moved aside, before the new one
        if Path(dst) == folder and not Path(src).name.endswith(".old"):
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(railsim.results.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        run_batch(files, out, workers=1, force=True, **OPTIONS)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert _hidden(out) == []


def test_tree_hash_follows_content_not_byte_code(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    first = tree_hash(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert tree_hash(tmp_path) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    assert tree_hash(tmp_path) != first


def test_ctrl_c_stops_the_worker_processes(tmp_path):
    import multiprocessing

    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    shutil.copy(SCENARIOS / "heinola-lahti-hourly.yaml", scenarios)
    out = tmp_path / "out"

    def interrupt(outcome):  # Ctrl-C as the first result comes in, others still running
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(find_scenarios((str(scenarios),)), out, workers=2, progress=interrupt,
                  **OPTIONS)
    assert multiprocessing.active_children() == []
    written = [p.name for p in out.iterdir() if p.is_dir()]
    assert _hidden(out) == [] and len(written) == 1
    # the summary lists what the folders hold: the one scenario written
    assert list(pd.read_csv(out / "summary.csv").scenario) == written


def test_find_scenarios_takes_a_str_a_path_or_a_list(tmp_path, monkeypatch):
    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    expected = [(Path("../scenarios") / f"{name}.yaml", Path("../scenarios"))
                for name in sorted(GOOD)]
    assert find_scenarios("../scenarios") == expected  # not one path per character
    assert find_scenarios(Path("../scenarios")) == expected
    assert find_scenarios(["../scenarios"]) == expected
    assert find_scenarios((Path("../scenarios"),)) == expected
    one = scenarios / "do-minimum.yaml"
    assert find_scenarios(str(one)) == [(one, scenarios)]
    assert find_scenarios([one, "../scenarios"]) == [(one, scenarios), *expected]


def test_scenario_files_take_files_folders_and_pairs(tmp_path):
    from railsim.config.files import scenario_files

    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    one = scenarios / "do-minimum.yaml"
    everything = find_scenarios(scenarios)
    assert len(everything) == len(GOOD)
    assert scenario_files(str(one)) == [(one, scenarios)]
    assert scenario_files(one) == [(one, scenarios)]
    assert scenario_files(str(scenarios)) == everything
    assert scenario_files([str(one), scenarios]) == [(one, scenarios), *everything]
    assert scenario_files([(str(one), str(tmp_path))]) == [(one, tmp_path)]
    assert scenario_files(everything) == everything


def test_run_batch_takes_a_file_name_or_a_folder(tmp_path, monkeypatch):
    scenarios = _scenario_folder(tmp_path / "scenarios", bad=False)
    monkeypatch.chdir(scenarios)
    one = run_batch("do-minimum.yaml", tmp_path / "one", workers=1, **OPTIONS)
    assert [(o.name, o.status) for o in one.outcomes] == [("do-minimum", "ok")]
    listed = run_batch(["do-minimum.yaml"], str(tmp_path / "listed"), workers=1, **OPTIONS)
    assert [(o.name, o.status) for o in listed.outcomes] == [("do-minimum", "ok")]
    folder = run_batch(Path("."), tmp_path / "folder", workers=1,
                        settings={"simulation.replications": 2, "simulation.seed": 3})
    assert sorted(o.name for o in folder.outcomes) == sorted(GOOD)
    assert {o.status for o in folder.outcomes} == {"ok"}


def test_a_folder_scan_finds_scenario_files_whatever_the_case_of_their_suffix(tmp_path):
    # A.YAML, saved so by a Windows editor, was skipped in silence
    for name in ("a.YAML", "b.Yml", "c.yaml", "_base.YAML", "notes.txt"):
        (tmp_path / name).write_text("name: x\n", encoding="utf-8")
    found = sorted(file.name for file, _ in find_scenarios(str(tmp_path)))
    assert found == ["a.YAML", "b.Yml", "c.yaml"]


def test_ctrl_c_while_a_batch_is_sent_to_starting_workers_cancels_what_was_sent(monkeypatch):
    # the tasks are sent by a thread while the workers start (railsim.batch.backends._submit)
    # and this one imports meanwhile: a Ctrl-C then left the thread sending the rest and
    # every task sent to run, on a pool that stays up after the batch (the command line's)
    import threading
    import time

    from railsim.batch import backends
    from railsim.parallel import process_pool, stop

    class Interrupted:
        @staticmethod
        def import_module(name: str) -> None:
            time.sleep(0.5)
            raise KeyboardInterrupt

    monkeypatch.setattr(backends, "importlib", Interrupted)
    monkeypatch.setattr(backends, "is_warm", lambda pool: False)
    monkeypatch.setattr(backends, "evaluate_task", time.sleep)  # a task: seconds asleep
    pool = process_pool(2, start=True)
    try:
        sent = []
        send = pool.submit

        def submit(*args):
            future = send(*args)
            if args[0] is time.sleep:  # not the pool's own start-up
                sent.append(future)
            return future

        pool.submit = submit  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            next(backends.process_pool([5.0] * 8, 2, pool))
        time.sleep(2)  # the thread would have sent them all by now
        assert not [t for t in threading.enumerate() if t.name == "railsim-submit"]
        # what the workers had taken runs on (stopped with the pool), the rest never will
        assert sent and all(f.cancelled() or f.running() or f.done() for f in sent)
    finally:
        stop(pool)


BLAS_SCRIPT = """
import hashlib, sys
import railsim
from railsim.evaluation import evaluate
s = railsim.load_scenario(sys.argv[1])
digest = hashlib.sha256()
for name, table in sorted(evaluate(s, railsim.load_corridor()).tables().items()):
    digest.update(name.encode() + (table if isinstance(table, str)
                                   else table.to_csv(index=False)).encode())
print(digest.hexdigest())
"""


@pytest.mark.parametrize("name", ["tram-train", "through-hourly-peaks",
                                  "validation/lahti-kouvola-2019"])
def test_a_scenarios_results_do_not_depend_on_the_blas_threads(name):
    # the run's workers have one BLAS thread, the command's own process (one worker, a
    # lone scenario), a notebook or a Dask worker elsewhere all the cores: a product over
    # thousands of markets on more threads adds in another order, and the last digits of
    # tram-train's benefits differed between --workers 1 and the default (the simulated
    # delays enter them: a run of a few days did not show it)
    from tests.blas_threads import outputs_by_threads

    found = outputs_by_threads(BLAS_SCRIPT, str(SCENARIOS / f"{name}.yaml"),
                               threads=("1", "2"))
    assert len(set(found.values())) == 1, found
