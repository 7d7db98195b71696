"""railsim run's messages: -q and -v on Python logging, each scenario's run.log, and the
progress bar whose text follows the stages (on a terminal only)."""

from __future__ import annotations

import io
import logging
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from railsim.cli import _Terminal, cli
from railsim.logs import STAGES, scenario_context, stage

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RAIL = "orimattila-lahti-hourly"
QUICK = ["--replications", "4", "--draws", "50", "--seed", "3"]


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("log") / "scenarios"
    folder.mkdir()
    for name in ("_base", "do-minimum", RAIL):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


@pytest.fixture(scope="module")
def verbose_run(scenarios: Path) -> tuple[str, Path]:
    """Two workers (the records come from worker processes), -v, no report."""
    out = scenarios.parent / "verbose"
    result = CliRunner().invoke(cli, ["run", str(scenarios), "--out", str(out), *QUICK,
                                      "--workers", "2", "--no-report", "-v"])
    assert result.exit_code == 0, result.output
    return result.output, out


def test_each_result_folder_has_the_run_log_of_its_own_scenario(verbose_run):
    _, out = verbose_run
    rail = (out / RAIL / "run.log").read_text(encoding="utf-8")
    for name in ("timetable", "simulation", "ridership", "appraisal"):
        assert f"INFO    railsim.evaluation: {name}: {RAIL}" in rail, name
    assert "DEBUG   railsim.evaluation: 50 uncertainty draws" in rail
    assert "do-minimum" not in rail  # the other scenario's records are not in it
    nothing = (out / "do-minimum" / "run.log").read_text(encoding="utf-8")
    assert "ridership: do-minimum" in nothing and "timetable" not in nothing
    assert RAIL not in nothing


def test_verbose_shows_the_workers_stages_and_no_bar_off_a_terminal(verbose_run):
    output, _ = verbose_run
    for name in ("timetable", "simulation", "ridership", "appraisal"):
        assert f"info: {name}: {RAIL}" in output, name
    assert "debug:" not in output  # -v is info; -vv would add debug
    assert "\r" not in output and "it/s" not in output and "scenario/s" not in output
    assert f"{RAIL}.yaml -> " in output


def test_quiet_prints_nothing_when_all_goes_well_and_the_failures_when_not(scenarios,
                                                                             tmp_path):
    quiet = CliRunner().invoke(cli, ["run", str(scenarios / f"{RAIL}.yaml"), "--out",
                                     str(tmp_path / "q"), *QUICK, "--workers", "1", "-q",
                                     "--no-report"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output == ""
    assert (tmp_path / "q" / RAIL / "run.log").is_file()
    bad = scenarios.parent / "bad"
    bad.mkdir(exist_ok=True)
    shutil.copy(scenarios / "_base.yaml", bad / "_base.yaml")
    (bad / "broken.yaml").write_text("extends: _base.yaml\ntitle: [a, list]\n",
                                     encoding="utf-8")
    failed = CliRunner().invoke(cli, ["run", str(bad), "--out", str(tmp_path / "b"),
                                      "-q", "--no-report"])
    assert failed.exit_code == 1
    assert "FAIL" in failed.output and "0 of 1 scenarios evaluated" in failed.output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_on_a_terminal_says_the_stage_and_quiet_has_none(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Tty())
    log = logging.getLogger("railsim.test")
    with _Terminal() as terminal:
        terminal.start(2, "scenario")
        assert terminal.bar is not None
        with scenario_context("tram-train"):
            stage(log, "simulation", "tram-train, 200 days")
        assert terminal.bar.desc == "simulation: tram-train, 200 days"
        log.info("not a stage")  # neither shown (warnings and up) nor the bar's text
        assert terminal.bar.desc == "simulation: tram-train, 200 days"
    assert "not a stage" not in sys.stderr.getvalue()
    assert logging.getLogger("railsim").handlers == []  # the CLI's handlers are gone
    with _Terminal(quiet=True) as terminal:
        terminal.start(2, "scenario")
        assert terminal.bar is None


def test_stages_are_the_documented_ones():
    assert STAGES == ("timetable", "simulation", "ridership", "appraisal", "charts", "report")
    with pytest.raises(ValueError, match="drawing"):
        stage(logging.getLogger("railsim.test"), "drawing")


def test_overlapping_captures_in_threads_keep_their_own_records_and_the_level():
    import threading

    from railsim.logs import captured

    logger = logging.getLogger("railsim")
    before = logger.level
    log = logging.getLogger("railsim.test")
    inside = threading.Barrier(2)
    outside = threading.Barrier(2)
    lines: dict[str, list[str]] = {}

    def late(name: str) -> None:
        with captured(name) as mine:
            inside.wait()
            log.debug("early %s", name)
            outside.wait()  # the other has left
            log.debug("late %s", name)
            lines[name] = list(mine)

    def early(name: str) -> None:
        with captured(name) as mine:
            inside.wait()
            log.debug("early %s", name)
            lines[name] = list(mine)
        outside.wait()  # left while the other is still capturing

    threads = [threading.Thread(target=early, args=("a",)),
               threading.Thread(target=late, args=("b",))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [line.split(": ", 1)[1] for line in lines["a"]] == ["early a"]
    assert [line.split(": ", 1)[1] for line in lines["b"]] == ["early b", "late b"]
    assert logger.level == before
