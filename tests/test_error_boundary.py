"""One error boundary around reading scenarios and writing results (issue 15): OS errors,
odd paths and huge inputs give clear messages naming the path, exit 1, no traceback."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from railsim import load_scenario, run_batch
from railsim.config.compose import check_override_conflicts
from railsim.config.files import find_scenarios
from railsim.errors import ScenarioError
from railsim.results import ResultsError, read_result_table

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RAILSIM = [sys.executable, "-m", "railsim.cli"]
OPTIONS = {"settings": {"simulation.replications": 3, "simulation.seed": 3}}
as_root = pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*RAILSIM, *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in out.stdout + out.stderr, out.stderr
    return out


def _problem(path: Path, root: Path | None = None) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, root)
    return str(info.value)


def test_a_nul_byte_in_extends_is_a_located_problem(write):
    text = _problem(write("a.yaml", 'title: x\nextends: "a\\0b.yaml"\n'))
    assert "a.yaml:2:1: extends: cannot read the base file: the path contains a NUL byte" in text


def test_a_name_too_long_in_extends_is_a_located_problem(write):
    text = _problem(write("a.yaml", "extends: " + "x" * 300 + ".yaml\n"))
    assert "extends: cannot read the base file: file name too long" in text
    assert len(text) < 600  # the 300-character name is cut


def test_symlink_loops_as_scenario_and_as_base(tmp_path):
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    assert "cannot read file: symbolic link loop" in _problem(tmp_path / "loop.yaml")
    (tmp_path / "a.yaml").write_text("extends: loop.yaml\n", encoding="utf-8")
    assert "extends: cannot read the base file: symbolic link loop" in _problem(
        tmp_path / "a.yaml")


def test_a_folder_lists_broken_links_so_that_they_are_reported(tmp_path):
    shutil.copy(SCENARIOS / "do-minimum.yaml", tmp_path)
    shutil.copy(SCENARIOS / "_base.yaml", tmp_path)
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    os.symlink("missing.yaml", tmp_path / "dangling.yaml")
    assert sorted(f.name for f, _ in find_scenarios((str(tmp_path),))) == [
        "dangling.yaml", "do-minimum.yaml", "loop.yaml"]
    out = _cli("validate", str(tmp_path))
    assert out.returncode == 1 and "1 of 3 scenarios valid" in out.stderr
    assert "symbolic link loop" in out.stderr and "file not found" in out.stderr
    # a run, too: it ended in a traceback (RuntimeError: Symlink loop) before any scenario
    out = _cli("run", str(tmp_path), "--out", str(tmp_path.parent / "out"), "--no-report",
               "--workers", "1")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "1 of 3 scenarios evaluated" in out.stderr + out.stdout
    assert "symbolic link loop" in out.stderr
    assert (tmp_path.parent / "out" / "do-minimum" / "kpis.csv").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                    reason="needs named pipes and /dev/zero")
def test_a_pipe_or_a_device_is_not_a_regular_file_rather_than_not_found(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    (tmp_path / "child.yaml").write_text("title: x\nextends: pipe.yaml\n", encoding="utf-8")
    assert _problem(tmp_path / "pipe.yaml") == (
        f"{tmp_path / 'pipe.yaml'}: <document>: not a regular file; given a named pipe "
        "(FIFO); allowed: a YAML file")
    assert "not a regular file; given a character device" in _problem(tmp_path / "zero.yaml")
    assert ("child.yaml:2:1: extends: not a regular file: a named pipe (FIFO)"
            in _problem(tmp_path / "child.yaml"))
    # in a folder they are listed, and reported, rather than skipped in silence
    out = subprocess.run([*RAILSIM, "validate", str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)  # the pipe must not be opened
    assert "Traceback" not in out.stderr and out.returncode == 1
    assert "0 of 3 scenarios valid" in out.stderr
    assert out.stderr.count("not a regular file") == 3 and "not found" not in out.stderr


def test_a_scenario_file_linking_outside_the_tree_is_refused(tmp_path):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "evil.yaml").write_text("title: read from elsewhere\n", encoding="utf-8")
    os.symlink(outside / "evil.yaml", tree / "evil.yaml")
    (tree / "inner.yaml").write_text("title: inside\n", encoding="utf-8")
    os.symlink("inner.yaml", tree / "alias.yaml")  # a link inside the tree is fine
    text = _problem(tree / "evil.yaml", tree)
    assert "is a link to a file outside the scenario folder" in text
    assert load_scenario(tree / "alias.yaml", tree).title == "inside"
    out = _cli("validate", str(tree))  # alias.yaml and inner.yaml are one scenario
    assert out.returncode == 1 and "1 of 2 scenarios valid" in out.stderr


def test_an_unreadable_file_is_a_clear_problem(write, monkeypatch):
    path = write("a.yaml", "title: x\n")
    real = Path.read_bytes

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "cannot read file: permission denied" in _problem(path)


@as_root
def test_an_unreadable_file_in_a_folder_fails_alone(tmp_path):
    for name in ("_base.yaml", "do-minimum.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path)
    (tmp_path / "secret.yaml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "secret.yaml").chmod(0)
    out = _cli("validate", str(tmp_path))
    assert out.returncode == 1 and "secret.yaml: <document>: cannot read file" in out.stderr
    assert "1 of 2 scenarios valid" in out.stderr


@pytest.mark.parametrize("argument", ["y" * 300 + ".yaml", "a\x01b/../" * 40 + "c.yaml"])
def test_odd_names_on_the_command_line(argument, tmp_path):
    out = _cli("validate", argument, cwd=tmp_path)
    assert out.returncode == 1 and "0 of 1 scenarios valid" in out.stderr


def test_a_nul_byte_in_a_path_given_to_the_api():
    with pytest.raises(ScenarioError, match="the path contains a NUL byte"):
        load_scenario("a\0b.yaml")
    assert find_scenarios(("a\0b",)) == [(Path("a\0b"), Path("."))]


def test_thousands_of_override_keys_are_checked_in_linear_time(write):
    keys = ", ".join(f"k{i}: 1" for i in range(5000))
    path = write("ov.yaml", f"overrides:\n  a: {{demand: {{{keys}}}}}\n"
                 f"  b: {{demand: {{{keys}}}}}\napply: [a, b]\n")
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < 5
    assert len(info.value.problems) == 5000
    text = str(info.value)
    assert text.count("\n") == 50 and text.endswith("... and 4950 more problems")


def test_override_conflicts_at_every_level():
    assert check_override_conflicts([("a", {"x": {"y": 1}}), ("b", {"x": 3}),
                                     ("c", {"x": {"y": {"z": 1}}}), ("d", {"w": 1})]) == [
        ("a", "b", ("x",)), ("a", "c", ("x", "y")), ("b", "c", ("x",))]


def test_a_huge_unknown_key_is_not_echoed_in_full(write):
    text = _problem(write("uk.yaml", "demand:\n  ? " + "k" * 200_000 + "\n  : 1\n"))
    assert "unknown key" in text and len(text) < 2000


def test_result_tables_keep_names_that_look_missing(tmp_path):
    (tmp_path / "summary.csv").write_text("scenario,title,value\nNA,None,\nTrue,2030,1.5\n",
                                          encoding="utf-8")
    frame = read_result_table(tmp_path / "summary.csv")
    assert frame is not None
    assert list(frame["scenario"]) == ["NA", "True"]
    assert list(frame["title"]) == ["None", "2030"]
    assert frame["value"].isna().tolist() == [True, False]


def test_a_corrupt_result_table_is_a_clear_error(tmp_path):
    (tmp_path / "summary.csv").write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(ResultsError, match=r"summary\.csv: not a railsim result table"):
        read_result_table(tmp_path / "summary.csv")
    out = _cli("report", str(tmp_path))
    assert out.returncode == 1 and "report not written: cannot read" in out.stderr


def test_a_folder_with_a_foreign_kpis_table_is_a_clear_error(tmp_path):
    """A folder beside the results with a kpis.csv of other columns is listed as a result;
    the report ended in a traceback (KeyError: 'statistic')."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "kpis.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"kpis\.csv: not a railsim result table \(columns "
                       r"scenario, variable, unit, statistic, value missing\)"):
        read_result_table(tmp_path / "notes" / "kpis.csv")
    out = _cli("report", str(tmp_path), "--no-charts")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"report not written: cannot read {tmp_path / 'notes' / 'kpis.csv'}" in out.stderr


@pytest.mark.parametrize(("rows", "said"), [
    ("x,units_required,units,value,abc\n", "value in line 2 is not a number: 'abc'"),
    ("x,units_required,units,value,3\nx-cut\n", "variable in line 3 is empty"),
])
def test_a_kpis_table_with_a_cut_or_edited_row_is_a_clear_error(tmp_path, rows, said):
    """In a folder without a fingerprint (taken as it is) a kpis.csv cut short or edited by
    hand ended the report (ValueError: could not convert string to float) and diff
    (TypeError, or "You are trying to merge on str and float64") in a traceback."""
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "kpis.csv").write_text("scenario,variable,unit,statistic,value\n" + rows,
                                             encoding="utf-8")
    with pytest.raises(ResultsError, match=re.escape(f"not a railsim result table ({said})")):
        read_result_table(tmp_path / "x" / "kpis.csv")
    out = _cli("report", str(tmp_path), "--no-charts")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert said in out.stderr


def test_a_file_name_that_is_no_scenario_name_says_so(tmp_path):
    """Without a 'name:', the file's name is the scenario's: 'my plan.yaml' was refused at
    line 1 (a line writing no name) as "name: String should match pattern ..."."""
    (tmp_path / "my plan.yaml").write_text("title: t\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "my plan.yaml")
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("name", 0)
    assert "the scenario's name, taken from its file name 'my plan.yaml'" in problem.message
    assert "rename the file, or write e.g. 'name: my_plan' in it" in problem.allowed
    (tmp_path / "other.yaml").write_text("title: t\nname: my plan\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:  # a name written in the file: at its line
        load_scenario(tmp_path / "other.yaml")
    assert info.value.problems[0].line == 2
    assert "file name" not in str(info.value)


def _do_minimum(folder: Path) -> list[tuple[Path, Path]]:
    folder.mkdir()
    for name in ("_base.yaml", "do-minimum.yaml"):
        shutil.copy(SCENARIOS / name, folder)
    return [(folder / "do-minimum.yaml", folder)]


def test_out_under_a_file_is_a_clear_error(tmp_path):
    _do_minimum(tmp_path / "s")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    out = _cli("run", str(tmp_path / "s"), "--out", str(tmp_path / "afile" / "out"))
    assert out.returncode == 1
    assert f"cannot create the result folder {tmp_path / 'afile' / 'out'}: Not a directory" \
        in out.stderr


def test_disk_full_stops_the_batch_and_keeps_the_previous_results(tmp_path, monkeypatch):
    files = _do_minimum(tmp_path / "s")
    out = tmp_path / "out"
    run_batch(files, out, workers=1, **OPTIONS)
    before = {p.name: p.read_bytes() for p in (out / "do-minimum").iterdir()}
    summary = (out / "summary.csv").read_bytes()

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    with pytest.raises(ResultsError, match=r"cannot write results to .*do-minimum: No space"):
        run_batch(files, out, workers=1, force=True, **OPTIONS)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (out / "do-minimum").iterdir()} == before
    assert (out / "summary.csv").read_bytes() == summary
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_broken_file_with_an_odd_name_gets_a_safe_error_folder(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "...yaml").write_text("title: [\n", encoding="utf-8")
    (folder / "my plan.yaml").write_text("title: [\n", encoding="utf-8")
    result = run_batch([(folder / "...yaml", folder), (folder / "my plan.yaml", folder)],
                       tmp_path / "out" / "inner", workers=1)
    assert [o.name for o in result.outcomes] == ["scenario", "my_plan"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["inner"]
    assert (tmp_path / "out" / "inner" / "scenario" / "error.txt").is_file()


def test_the_command_ends_with_its_status_and_all_its_output(tmp_path):
    # the console entry ends the process without the interpreter's teardown: its exit
    # status must still be the command's and every line written must arrive
    from click.testing import CliRunner

    from railsim.cli import cli

    schema = _cli("schema", "--format", "markdown")
    assert schema.returncode == 0
    expected = CliRunner().invoke(cli, ["schema", "--format", "markdown"]).output
    assert len(expected) > 10_000 and schema.stdout == expected
    missing = _cli("run", str(tmp_path / "nowhere.yaml"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr
    assert _cli("no-such-command").returncode == 2  # click's usage error
    # a run that starts the worker pool and its fork server still ends with status 0 and
    # leaves no warning of leaked resources (the exit handlers ran)
    ran = _cli("run", str(SCENARIOS / "do-minimum.yaml"), "--out", str(tmp_path / "r"),
               "--replications", "3", "--workers", "2", "--draws", "100")
    assert ran.returncode == 0, ran.stderr
    assert "leaked" not in ran.stderr and "Warning" not in ran.stderr, ran.stderr
    assert (tmp_path / "r" / "report.html").is_file()


@pytest.mark.parametrize("closed", ["stdout", "stderr"])
def test_a_command_started_without_stdout_or_stderr_ends_with_its_status(closed):
    # `railsim ... >&-`: Python then has no sys.stdout (None); the end of the command must
    # not trip over it (it gave a traceback and status 1 instead of 0)
    fd = 1 if closed == "stdout" else 2
    out = subprocess.run(["sh", "-c", f'exec "$@" {fd}>&-', "sh", *RAILSIM, "data", "path"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    if closed == "stderr":
        assert Path(out.stdout.strip()).is_dir()  # the output still arrives


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("schema",), ("validate", str(SCENARIOS / "do-minimum.yaml"))])
def test_output_to_a_full_disk_is_a_message_not_a_traceback(args):
    # railsim schema > file on a full disk: a traceback of click.echo
    with open("/dev/full", "w") as full:
        out = subprocess.run([*RAILSIM, *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert out.stderr.strip() == "cannot write the output: No space left on device"


def test_a_run_whose_reader_goes_away_still_writes_its_results_and_report(tmp_path):
    # `railsim run ... | head -1`: the lines of progress have no reader after the first;
    # the run is what was asked for, so it finishes (it stopped at the first line, with
    # status 1, no summary and no report)
    process = subprocess.Popen(
        [*RAILSIM, "run", str(SCENARIOS / "do-minimum.yaml"),
         str(SCENARIOS / "orimattila-lahti-hourly.yaml"), "--out", str(tmp_path / "r"),
         "--replications", "3", "--draws", "100", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first line
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, errors
    assert b"Traceback" not in errors
    summary = pd.read_csv(tmp_path / "r" / "summary.csv")
    assert set(summary["status"]) == {"ok"} and len(summary) == 2
    assert (tmp_path / "r" / "report.html").is_file()


def test_ctrl_c_while_the_command_line_is_imported_ends_quietly(monkeypatch, capsys):
    # Ctrl-C in the first 0.2 s of a command (railsim.cli still importing): status 130 and
    # one line, not a traceback of the import
    import types

    from railsim import entry

    class Interrupted(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "railsim.cli", Interrupted("railsim.cli"))
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_the_console_command_is_the_entry_that_imports_the_command_line_late():
    from importlib.metadata import entry_points

    (command,) = [e for e in entry_points(group="console_scripts") if e.name == "railsim"]
    assert command.value == "railsim.entry:main"


@pytest.mark.parametrize("args", [["validate", ""], ["run", "scenarios", " ", "--out", "o"],
                                  ["timetable", ""], ["diff", "", "results"]])
def test_an_empty_path_is_refused_not_taken_as_the_current_folder(args, tmp_path,
                                                                   monkeypatch):
    # "" is the current folder to pathlib: `railsim validate "$DIR"` with DIR unset would
    # have validated (or run) every scenario below wherever the command was started
    from click.testing import CliRunner

    from railsim.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "stray.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "an empty path" in result.output
    assert "stray.yaml" not in result.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize(("table", "column", "charts", "left_out"), [
    ("cashflows.csv", "revenue_eur", "--no-charts", "what it shows of cashflows.csv"),
    ("tornado.csv", "npv_societal_low_eur", "--no-charts", "what it shows of tornado.csv"),
    ("ridership.csv", "boardings_daily", "--workers=1",  # read for a chart only
     "the charts drawn from it (boardings)"),
    # drawn by worker processes, whose warnings were lost (the report's default)
    ("ridership.csv", "boardings_daily", "--workers=2", "the charts drawn from it (boardings)")])
def test_a_result_table_with_text_in_a_number_column_leaves_out_only_its_part(
        tmp_path, table, column, charts, left_out):
    """In a folder without a fingerprint only kpis.csv had its cells checked: text in a
    number column of cashflows.csv or tornado.csv ended 'railsim report' in a traceback
    (TypeError: can't multiply sequence by non-int of type 'float'), in ridership.csv the
    report was written without a word. Then any such table refused the whole report
    ("report not written"), though only one chart or table reads it: now that part is
    left out, with a warning naming the file and line, and the rest is written."""
    from tests.fake_results import OK, write_fake_results

    out_dir = write_fake_results(tmp_path / "results")
    path = out_dir / OK / table
    frame = pd.read_csv(path)
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = "abc"
    frame.to_csv(path, index=False)
    said = f"{column} in line 3 is not a number: 'abc'"
    with pytest.raises(ResultsError, match=re.escape(f"not a railsim result table ({said})")):
        read_result_table(path)
    out = _cli("report", str(out_dir), charts)
    assert out.returncode == 0, out.stderr
    assert (f"cannot read {path}: not a railsim result table ({said}); the report leaves "
            f"out {left_out}") in out.stderr
    assert (out_dir / "report.en.html").is_file() and (out_dir / "report.fi.html").is_file()
    if charts != "--no-charts":  # the charts kept from the last report: said again
        again = _cli("report", str(out_dir), charts)
        assert f"the report leaves out {left_out}" in again.stderr


def test_a_chart_table_that_is_not_csv_leaves_out_its_charts_only(tmp_path):
    from tests.fake_results import OK, write_fake_results

    out_dir = write_fake_results(tmp_path / "results")
    path = out_dir / OK / "ridership.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n")  # more fields than columns
    out = _cli("report", str(out_dir), "--workers=1")
    assert out.returncode == 0, out.stderr
    assert f"cannot read {path}: not a railsim result table (" in out.stderr
    assert "line" in out.stderr and "the report leaves out the charts drawn from it" in out.stderr


@pytest.mark.parametrize(("table", "column"), [
    ("cashflows.csv", "discount_factor"), ("tornado.csv", "npv_societal_high_eur")])
def test_a_table_the_report_computes_with_lacking_a_column_is_left_out_with_a_warning(
        tmp_path, table, column):
    """A cashflows.csv or tornado.csv without one of its columns (cut or edited by hand in
    a folder taken as it is) ended 'railsim report' in a traceback (KeyError)."""
    from tests.fake_results import OK, write_fake_results

    out_dir = write_fake_results(tmp_path / "results")
    path = out_dir / OK / table
    pd.read_csv(path).drop(columns=[column]).to_csv(path, index=False)
    out = _cli("report", str(out_dir), "--no-charts")
    assert out.returncode == 0, out.stderr
    assert f"{path}: columns {column} missing; the report leaves out what it shows" in out.stderr


def test_a_tornado_row_cut_short_is_left_out_with_a_warning(tmp_path):
    """A tornado.csv whose last row was cut mid-line (a folder taken as it is) ended
    'railsim report' in a traceback (ValueError: Encountered all NA values)."""
    from tests.fake_results import OK, write_fake_results

    out_dir = write_fake_results(tmp_path / "results")
    path = out_dir / OK / "tornado.csv"
    frame = pd.read_csv(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    cut = len(lines[-1]) // 3
    path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:cut] + "\n", encoding="utf-8")
    out = _cli("report", str(out_dir), "--no-charts")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert f"{path}: lines {len(frame) + 1} lack a value" in out.stderr
