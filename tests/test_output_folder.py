"""Output-folder safety (issue 15): a lock on the result folder, leftovers of killed runs
cleared, no results inside a scenario folder, reserved and clashing names refused, charts
redrawn from a manifest, workers that die with their parent, Ctrl-C and kill -9."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from railsim import load_scenario, run_batch
from railsim.config.files import find_scenarios
from railsim.errors import ScenarioError
from railsim.results import LOCK_FILE, ResultsError, locked, remove_leftovers
from tests.fake_results import OK, write_fake_results

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RAILSIM = [sys.executable, "-m", "railsim.cli"]
OPTIONS = {"settings": {"simulation.replications": 3, "simulation.seed": 3}}


def _copy(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("_base", *names):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*RAILSIM, *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in out.stdout + out.stderr, out.stderr
    return out


def _hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# ---------------------------------------------------------------------------- the lock


HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from railsim.results import locked
    with locked(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(60)
""")


def _holder(out: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_on_a_locked_folder_is_refused_naming_the_holder(tmp_path):
    holder = _holder(tmp_path / "out")
    try:
        with pytest.raises(ResultsError, match=rf"in use by another railsim run \(pid "
                           rf"{holder.pid}, since"), locked(tmp_path / "out"):
            pass
        files = find_scenarios((str(_copy(tmp_path / "s", "do-minimum")),))
        with pytest.raises(ResultsError, match="in use by another railsim run"):
            run_batch(files, tmp_path / "out", workers=1)
        out = _cli("run", str(tmp_path / "s"), "--out", str(tmp_path / "out"))
        assert out.returncode == 1 and "in use by another railsim run" in out.stderr
    finally:
        holder.kill()
        holder.communicate()


def test_a_report_of_a_folder_a_run_is_writing_is_refused(tmp_path):
    write_fake_results(tmp_path / "out")
    holder = _holder(tmp_path / "out")
    try:
        out = _cli("report", str(tmp_path / "out"), "--no-charts")
        assert out.returncode == 1 and "in use by another railsim run" in out.stderr
        assert "Traceback" not in out.stderr
        assert not (tmp_path / "out" / "report.html").exists()
    finally:
        holder.kill()
        holder.communicate()
    done = _cli("report", str(tmp_path / "out"), "--no-charts", "-q")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "report.html").exists()
    assert not (tmp_path / "out" / LOCK_FILE).exists()  # released


def test_an_empty_out_is_refused_not_the_current_folder(tmp_path):
    for args, message in ((("run", str(SCENARIOS / "do-minimum.yaml"), "--out", ""),
                           "empty: name the result folder"),
                          (("report", ""), "Directory '' does not exist")):
        done = subprocess.run([*RAILSIM, *args], capture_output=True, text=True,
                              cwd=tmp_path)
        assert done.returncode == 2 and message in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_lock_of_a_killed_run_is_free_at_once(tmp_path):
    holder = _holder(tmp_path / "out")
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    with locked(tmp_path / "out"):  # the system released it with the process
        assert (tmp_path / "out" / LOCK_FILE).is_file()
    assert not (tmp_path / "out" / LOCK_FILE).exists()


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    with locked(tmp_path), locked(tmp_path):
        assert (tmp_path / LOCK_FILE).is_file()
    assert list(tmp_path.iterdir()) == []


def test_a_second_thread_is_refused_as_a_second_run_is(tmp_path):
    # two batches of a notebook in threads on one result folder were both let in (the
    # lock was re-entrant for the whole process) and wrote its folders and summary at once
    import threading

    refused = []

    def second_batch() -> None:
        try:
            with locked(tmp_path):
                pass
        except ResultsError as exc:
            refused.append(str(exc))

    with locked(tmp_path):
        thread = threading.Thread(target=second_batch)
        thread.start()
        thread.join(30)
    assert len(refused) == 1 and "in use by another railsim run" in refused[0]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- leftovers


def test_leftovers_of_a_killed_run_are_cleared_and_a_moved_folder_restored(tmp_path):
    out = tmp_path / "out"
    for name in (".a.123.0a1b2c3d", ".b.old", ".c.old", "c", "d"):
        (out / name).mkdir(parents=True)
    (out / ".b.old" / "kpis.csv").write_text("x\n", encoding="utf-8")
    (out / ".summary.csv.77.deadbeef").write_text("", encoding="utf-8")
    (out / ".report.html.77.tmp").write_text("", encoding="utf-8")
    (out / "d" / ".fingerprint.txt.77.deadbeef").write_text("", encoding="utf-8")
    (out / "d" / ".report-charts").mkdir()  # a chart's worker ended mid-write
    (out / "d" / ".report-charts" / ".cashflow.json.78.0badcafe").write_text("", "utf-8")
    (out / "d" / ".report-charts" / "cashflow.json").write_text("{}", encoding="utf-8")
    (out / "d" / ".charts.79.0123abcd").mkdir()  # chart files of a run stopped drawing
    (out / "d" / ".charts.79.0123abcd" / "tornado.png").write_text("", encoding="utf-8")
    (out / ".keep-me").write_text("", encoding="utf-8")  # not ours: left alone
    handled = remove_leftovers(out)
    assert sorted(p.name for p in out.iterdir()) == [".keep-me", "b", "c", "d"]
    assert (out / "b" / "kpis.csv").read_text(encoding="utf-8") == "x\n"  # put back
    assert [p.name for p in (out / "d").rglob("*")] == [".report-charts", "cashflow.json"]
    assert len(handled) == 8


def test_a_report_puts_back_a_folder_a_killed_run_moved_aside(tmp_path):
    # kill -9 between moving the old results aside and renaming the new ones into place
    # left the folder missing until the next run, and the report refused the batch
    out = write_fake_results(tmp_path / "out")
    (out / OK).rename(out / f".{OK}.old")
    done = _cli("report", str(out), "--no-charts", "-q")
    assert done.returncode == 0, done.stderr
    assert (out / OK / "kpis.csv").is_file() and _hidden(out) == []


def test_a_run_clears_the_leftovers_before_it_writes(tmp_path):
    files = find_scenarios((str(_copy(tmp_path / "s", "do-minimum")),))
    (tmp_path / "out" / ".do-minimum.4242.0a1b2c3d").mkdir(parents=True)
    result = run_batch(files, tmp_path / "out", workers=1, **OPTIONS)
    assert [o.status for o in result.outcomes] == ["ok"]
    assert _hidden(tmp_path / "out") == []


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_file_or_link_with_a_scenario_name_is_left_alone_and_named(tmp_path, kind):
    # It was moved aside to .do-minimum.old (the user's file hidden, a link's target
    # orphaned) and every later run stopped: "Not a directory" / "Cannot call rmtree on a
    # symbolic link".
    files = find_scenarios((str(_copy(tmp_path / "s", "do-minimum")),))
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    if kind == "file":
        (out / "do-minimum").write_text("my notes\n", encoding="utf-8")
    else:
        (out / "do-minimum").symlink_to(elsewhere, target_is_directory=True)
    files += find_scenarios((str(_copy(tmp_path / "s", "orimattila-lahti-hourly")),))
    for _ in range(2):  # that scenario fails, the others are written (every time)
        outcomes = {o.name: o for o in run_batch(files, out, workers=1, **OPTIONS).outcomes}
        assert outcomes["do-minimum"].status == "failed"
        assert re.search(rf"do-minimum: a {kind}, not a result folder",
                         outcomes["do-minimum"].message)
        assert outcomes["orimattila-lahti-hourly"].status in ("ok", "skipped")  # unchanged
        assert (out / "orimattila-lahti-hourly" / "kpis.csv").exists()
        assert _hidden(out) == []
    if kind == "file":
        assert (out / "do-minimum").read_text(encoding="utf-8") == "my notes\n"
    else:
        assert (out / "do-minimum").resolve() == elsewhere.resolve()


def test_a_link_moved_aside_by_an_earlier_railsim_is_cleared(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "a").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("x", encoding="utf-8")
    (out / ".a.old").symlink_to(elsewhere, target_is_directory=True)
    assert remove_leftovers(out) == [".a.old"]
    assert sorted(p.name for p in out.iterdir()) == ["a"]
    assert (elsewhere / "keep.txt").exists()  # the link goes, never what it points to


# ---------------------------------------------------------------------------- folders


@pytest.mark.parametrize("out", ["s", "s/results", "s/deeper/results"])
def test_results_inside_a_scenario_folder_are_refused(tmp_path, out):
    _copy(tmp_path / "s", "do-minimum")
    result = _cli("run", "s", "--out", out, cwd=tmp_path)
    assert result.returncode == 1
    assert "is inside the scenario folder s" in result.stderr
    assert not (tmp_path / "s" / "do-minimum").exists()


def test_a_folder_scan_skips_resolved_scenarios_of_old_results(tmp_path):
    folder = _copy(tmp_path / "s", "do-minimum")
    (folder / "old" / "do-minimum").mkdir(parents=True)
    (folder / "old" / "do-minimum" / "scenario.resolved.yaml").write_text("name: x\n")
    assert [f.name for f, _ in find_scenarios((str(folder),))] == ["do-minimum.yaml"]


@pytest.mark.parametrize("name", ["charts", "Charts", "NA", "nan", "Null", "none", "inf",
                                  "TRUE", "false"])
def test_reserved_names_are_refused_with_the_reason(write, name):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write("a.yaml", f"name: '{name}'\ntitle: x\n"), check=False)
    text = str(info.value)
    assert f"name: {name!r} " in text and "choose another name" in text
    assert ("reserved" if name.lower() == "charts" else "missing value") in text


def test_a_file_named_charts_is_refused_too(write):
    with pytest.raises(ScenarioError, match="is reserved"):
        load_scenario(write("charts.yaml", "title: x\n"), check=False)


def test_names_that_clash_without_case_fail_in_validate_and_once_in_the_summary(tmp_path):
    folder = _copy(tmp_path / "s", "do-minimum")
    for file, name in (("a.yaml", "Same"), ("b.yaml", "same")):
        (folder / file).write_text(f"extends: do-minimum.yaml\nname: {name}\n",
                                   encoding="utf-8")
    out = _cli("validate", str(folder))
    assert out.returncode == 1 and "1 of 3 scenarios valid" in out.stderr
    assert out.stderr.count("is also claimed by") == 2
    result = run_batch(find_scenarios((str(folder),)), tmp_path / "out", workers=1, **OPTIONS)
    assert [o.status for o in result.outcomes] == ["failed", "failed", "ok"]
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", keep_default_na=False)
    assert list(summary["scenario"]) == ["Same", "do-minimum"]


# ---------------------------------------------------------------------------- charts


def test_scenarios_skipped_as_unchanged_stay_in_the_comparison_charts(tmp_path):
    from railsim.plot.base import ok_rows

    summary = pd.DataFrame({"scenario": ["a", "b", "c"], "status": ["ok", "skipped", "failed"],
                            "bcr": [0.5, 0.7, None]})
    assert list(ok_rows(summary, ["bcr"])["scenario"]) == ["a", "b"]


# ---------------------------------------------------------------------------- processes


WATCHED = textwrap.dedent("""
    import multiprocessing, os, time
    from concurrent.futures import ProcessPoolExecutor
    from railsim.parallel import worker_init

    def pid():
        return os.getpid()

    if __name__ == "__main__":
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=worker_init, initargs=(os.getpid(),))
        print(pool.submit(pid).result(), flush=True)
        time.sleep(60)
""")


@linux_only
def test_a_worker_dies_with_its_parent_even_after_kill_9(tmp_path):
    script = tmp_path / "watched.py"
    script.write_text(WATCHED, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    assert _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.communicate()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive


@pytest.mark.slow
@linux_only
def test_kill_9_of_a_run_leaves_no_orphans_and_the_next_run_completes(tmp_path):
    folder = _copy(tmp_path / "s", "orimattila-lahti-hourly", "heinola-lahti-hourly",
                   "do-minimum")
    out = tmp_path / "out"
    run = [*RAILSIM, "run", str(folder), "--out", str(out), "--replications", "20",
           "--workers", "2"]
    proc = subprocess.Popen(run, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_descendants(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # the workers are evaluating
    workers = _descendants(proc.pid)
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    assert orphans == []

    again = _cli("run", str(folder), "--out", str(out), "--replications", "20",
                 "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert _hidden(out) == []
    # the report is complete: both languages, every scenario, charts inline
    for document in ("report.fi.html", "report.en.html"):
        text = (out / document).read_text(encoding="utf-8")
        assert "<svg" in text or "data:image/png" in text
        for name in ("Orimattila", "Heinola"):
            assert name in text


@pytest.mark.slow
@linux_only
def test_ctrl_c_while_the_report_is_drawn_exits_130_without_a_traceback(tmp_path):
    out = write_fake_results(tmp_path / "results")
    # enough scenarios that drawing their charts outlasts the 3 s below by far: a report
    # done by then would be ending its process when the signal comes (and die of it)
    for copy in range(6):
        shutil.copytree(out / OK, out / f"copy-{copy}")
    proc = subprocess.Popen([*RAILSIM, "report", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(3.0)  # the charts are being drawn (in memory: no files to wait for)
    workers = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr and "Aborted" not in stdout + stderr
    assert "interrupted: the report was not written" in stderr
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)]
    assert not list(out.glob(".report.*"))


def test_a_resolved_scenario_is_read_safely(tmp_path):
    """A result folder's scenario.resolved.yaml cannot build objects or run code when the
    charts and the report read it: such a file reads as no scenario."""
    from railsim.results import read_resolved

    marker = tmp_path / "ran"
    (tmp_path / "scenario.resolved.yaml").write_text(
        f"name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    assert read_resolved(tmp_path) == {}
    assert not marker.exists()
    (tmp_path / "scenario.resolved.yaml").write_text("name: ok\nsimulation: {seed: 3}\n",
                                                     encoding="utf-8")
    assert read_resolved(tmp_path) == {"name": "ok", "simulation": {"seed": 3}}


def test_results_written_to_a_path_that_is_a_file_say_so(tmp_path):
    from railsim.results import write_result_folder

    (tmp_path / "out").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(ResultsError, match="a file, not a folder"):
        write_result_folder(tmp_path / "out", "a", {"x.txt": "x"})
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder\n"


@linux_only
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_stops_a_run_as_ctrl_c_does(tmp_path, stop):
    # a scheduler's stop (SIGTERM) or a closed terminal (SIGHUP) killed the run on the
    # spot: exit -15 without a word, multiprocessing's "leaked semaphore" warning, and
    # summary.csv of the run before beside folders this one wrote
    folder = _copy(tmp_path / "s", "heinola-lahti-hourly", "do-minimum")
    (folder / "slow.yaml").write_text(  # evaluated for minutes: still running when stopped
        "extends: heinola-lahti-hourly.yaml\nname: slow\nsimulation.replications: 60000\n"
        "simulation.engine: simpy\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([*RAILSIM, "run", str(folder), "--out", str(out), "--draws",
                             "50", "--workers", "2", "--no-report"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # a cheap scenario written; the slow one runs
        assert first.startswith("ok "), first
        workers = _descendants(proc.pid)
        os.killpg(proc.pid, stop)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 128 + stop, stderr
    assert f"stopped by {stop.name}: finished scenarios are written" in stderr
    assert "Traceback" not in stdout + stderr and "Warning" not in stderr, stderr
    written = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert "slow" not in written and written
    assert sorted(pd.read_csv(out / "summary.csv").scenario) == written
    assert _hidden(out) == []
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)]


@linux_only
def test_a_command_stopped_by_sigterm_exits_with_its_status():
    # railsim validate (and every command but run and report) took SIGTERM for Ctrl-C,
    # as click does: "Aborted!" and status 1, which a scheduler reads as a failure
    code = ("import os, signal, sys, time\nimport railsim.cli\n"
            "def stopped(*args, **kwargs):\n"
            "    os.kill(os.getpid(), signal.SIGTERM)\n"
            "    time.sleep(10)\n"
            "railsim.cli.schema.callback = stopped\n"
            "sys.argv = ['railsim', 'schema']\n"
            "railsim.cli.main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr


@linux_only
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_while_it_loads_exits_with_the_stops_status(tmp_path, stop):
    # Ctrl-C (or SIGTERM) while the run loads the corridor and imports its stack, after
    # the fork server and the pool have started, before the batch: click's "Aborted!"
    # and status 1 for Ctrl-C, which a scheduler reads as a failure
    code = ("import os, signal, sys, time\nimport railsim.cli\n"
            "def stopped(*args, **kwargs):\n"
            f"    os.kill(os.getpid(), {int(stop)})\n"
            "    time.sleep(10)\n"
            "railsim.cli._import_the_stack = stopped\n"
            f"sys.argv = ['railsim', 'run', {str(ROOT / 'scenarios')!r}, '--out', "
            f"{str(tmp_path / 'out')!r}, '--workers', '2']\n"
            "railsim.cli.main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 128 + stop, done.stderr
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr, done.stderr
    how = "interrupted" if stop == signal.SIGINT else f"stopped by {stop.name}"
    assert done.stderr.startswith(how), done.stderr
    assert not (tmp_path / "out").exists()
