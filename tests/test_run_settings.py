"""Run settings live in the scenario: the CLI and run_batch only override them at load,
one seed drives every random stream, and a result folder reproduces itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import railsim
from railsim.cli import cli
from railsim.errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
QUICK = ["--replications", "3", "--draws", "300", "--no-report", "--workers", "1"]


def _scenarios(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("_base", "orimattila-lahti-hourly"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def _run(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["run", *args])
    assert result.exit_code == 0, result.output


def _tables(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but run.log's (a log: its lines carry the clock and timings)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "run.log"}


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("seeds")
    scenarios = _scenarios(tmp)
    one, two = tmp / "seed1", tmp / "seed2"
    _run([str(scenarios), "--out", str(one), "--seed", "1", *QUICK])
    _run([str(scenarios), "--out", str(two), "--seed", "2", *QUICK])
    return scenarios, one / "orimattila-lahti-hourly", two / "orimattila-lahti-hourly"


def test_the_resolved_scenario_records_the_settings_that_ran(two_seeds):
    _, one, two = two_seeds
    resolved = yaml.safe_load((one / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["simulation"]["seed"] == 1
    assert resolved["simulation"]["replications"] == 3
    assert resolved["uncertainty"]["draws"] == 300
    assert len(pd.read_csv(one / "replications.csv")) == 3
    assert len(pd.read_csv(one / "uncertainty_draws.csv")) == 300
    other = yaml.safe_load((two / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert other["simulation"]["seed"] == 2


def test_the_seed_drives_the_simulation_and_the_draws(two_seeds):
    _, one, two = two_seeds
    for table in ("replications.csv", "uncertainty_draws.csv"):
        assert (one / table).read_bytes() != (two / table).read_bytes(), table
    # The tornado evaluates exact quantiles (no random stream): the same input values for
    # any seed; its NPVs move only through the simulated travel times.
    a, b = pd.read_csv(one / "tornado.csv"), pd.read_csv(two / "tornado.csv")
    assert len(a) > 0
    assert a[["input", "low_value", "high_value"]].equals(b[["input", "low_value", "high_value"]])


def test_rerunning_the_resolved_scenario_reproduces_every_table(two_seeds, tmp_path):
    _, one, _ = two_seeds
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(one / "scenario.resolved.yaml", again / "rerun.yaml")
    # No flags: everything that changes the results is in the resolved file.
    _run([str(again / "rerun.yaml"), "--out", str(tmp_path / "out"), "--no-report",
          "--workers", "2"])
    first, second = _tables(one), _tables(tmp_path / "out" / "orimattila-lahti-hourly")
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_command_line_settings_are_validated_like_the_file(tmp_path):
    scenarios = _scenarios(tmp_path)
    result = CliRunner().invoke(cli, ["run", str(scenarios), "--out", str(tmp_path / "o"),
                                      "--set", "simulation.replications=0", "--no-report"])
    assert result.exit_code == 1
    assert "<command line>" in result.output and "simulation.replications" in result.output
    assert "Traceback" not in result.output
    # the options of the run settings are checked against the same bounds at once
    option = CliRunner().invoke(cli, ["run", str(scenarios), "--out", str(tmp_path / "p"),
                                      "--replications", "0", "--no-report"])
    assert option.exit_code == 2 and "1<=x<=100000" in option.output
    assert not (tmp_path / "p").exists()
    bad_key = CliRunner().invoke(cli, ["validate", str(scenarios), "--set", "simulation.sead=3"])
    assert bad_key.exit_code == 1 and "sead" in bad_key.output
    not_pair = CliRunner().invoke(cli, ["validate", str(scenarios), "--set", "seed"])
    assert not_pair.exit_code == 2 and "KEY=VALUE" in not_pair.output


def test_api_settings_apply_to_every_scenario(tmp_path):
    scenarios = _scenarios(tmp_path)
    settings = {"simulation.replications": 2, "uncertainty.draws": 100,
                "simulation.seed": 11}
    result = railsim.run_batch(scenarios, tmp_path / "out", settings=settings, workers=1)
    assert [o.status for o in result.outcomes] == ["ok"]
    resolved = yaml.safe_load((tmp_path / "out" / "orimattila-lahti-hourly"
                               / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["simulation"]["seed"] == 11
    with pytest.raises(ScenarioError, match="replications"):
        railsim.load_scenario(scenarios / "orimattila-lahti-hourly.yaml",
                              settings={"simulation.replications": -1})


def test_public_functions_stay_functions_after_use():
    code = ("import railsim, railsim.evaluation, railsim.api\n"
            "s = railsim.with_overrides(railsim.load_scenario('scenarios/do-minimum.yaml'),"
            " {'uncertainty.draws': 10})\n"
            "railsim.evaluate(s); railsim.evaluate(s)\n"
            "import railsim.config, railsim.batch\n"
            "names = [n for n in railsim.__all__ if n != '__version__']\n"
            "print(all(callable(getattr(railsim, n)) for n in names),"
            " type(railsim.evaluate).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "function"], out.stdout + out.stderr
    import importlib

    import railsim as package
    for name in package.__all__:
        assert importlib.util.find_spec(f"railsim.{name}") is None or name == "__version__", \
            f"railsim.{name} is also a submodule and would shadow the public name"


@pytest.mark.parametrize("form", ["str", "path", "list"])
def test_find_scenarios_and_run_batch_take_str_path_or_list(form, tmp_path):
    scenarios = _scenarios(tmp_path)
    given = {"str": str(scenarios), "path": scenarios,
             "list": [str(scenarios / "orimattila-lahti-hourly.yaml")]}[form]
    found = railsim.find_scenarios(given)
    assert [f.name for f, _ in found] == ["orimattila-lahti-hourly.yaml"]
    if form == "list":
        result = railsim.run_batch(given, tmp_path / "out", workers=1,
                                   settings={"simulation.replications": 1,
                                             "uncertainty.draws": 10})
        assert [o.status for o in result.outcomes] == ["ok"]


@pytest.mark.parametrize(("setting", "field"), [
    (["--set", "service.lines[H1].weekday.headway_min=7"], "service.lines[0].weekday.headway_min"),
    (["--set", "service.lines[0].weekday.headway_min=7"], "service.lines[0].weekday.headway_min"),
    (["--set", "rolling_stock.type=DMU_MODERN"], "rolling_stock.type"),
])
def test_a_bad_command_line_setting_is_reported_at_the_command_line(tmp_path, setting, field):
    """The cross-checks of a value given with --set blame <command line>, not the line of
    the file that held the value before (the schema's checks already did)."""
    for name in ("_base", "heinola-lahti-hourly"):
        shutil.copy(SCENARIOS / f"{name}.yaml", tmp_path / f"{name}.yaml")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "heinola-lahti-hourly.yaml"),
                                      *setting])
    assert result.exit_code == 1
    assert f"  <command line>: {field}: " in result.output, result.output
    assert ".yaml:" not in result.output


def test_too_many_draws_are_blamed_on_the_setting_and_file_values_on_the_file(tmp_path):
    scenarios = _scenarios(tmp_path)
    path = scenarios / "orimattila-lahti-hourly.yaml"
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(path, settings={"uncertainty.draws": 1_000_000})
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("<command line>", 0,
                                                           "uncertainty.draws")
    # a value of the file is still placed in the file when settings are given
    text = path.read_text(encoding="utf-8")
    assert "  type: dmu_modern\n" in text
    path.write_text(text.replace("  type: dmu_modern\n", "  type: DMU_MODERN\n"),
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(path, settings={"simulation.seed": 3})
    (problem,) = info.value.problems
    assert problem.file.endswith("orimattila-lahti-hourly.yaml") and problem.line > 1
    assert problem.field == "rolling_stock.type"


def test_a_setting_given_twice_is_refused_not_guessed(tmp_path):
    scenarios = _scenarios(tmp_path)
    for args, message in [
            (["--seed", "3", "--set", "simulation.seed=4"],
             "simulation.seed is given by --seed and by --set"),
            (["--draws", "50", "--set", "uncertainty.draws=60"],
             "uncertainty.draws is given by --draws and by --set"),
            (["--set", "title=a", "--set", " title=b"], "title is set twice")]:
        result = CliRunner().invoke(cli, ["run", str(scenarios), "--out",
                                          str(tmp_path / "out"), *args])
        assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_workers_are_bounded(tmp_path):
    from railsim.cli import MAX_WORKERS

    result = CliRunner().invoke(cli, ["run", str(_scenarios(tmp_path)), "--out",
                                      str(tmp_path / "out"), "--workers",
                                      str(MAX_WORKERS + 1)])
    assert result.exit_code == 2 and f"1<=x<={MAX_WORKERS}" in result.output
    assert not (tmp_path / "out").exists()


def test_set_reads_a_value_as_the_file_does_and_refuses_lists_alike(tmp_path):
    scenarios = _scenarios(tmp_path)

    def validate(*assignments: str):
        args = [x for a in assignments for x in ("--set", a)]
        return CliRunner().invoke(cli, ["validate", str(scenarios), *args])

    # 6:30 is a time as in a file, not YAML 1.1's sexagesimal 390
    timed = validate("service.lines[0].weekday.first_departure=6:30")
    assert timed.exit_code == 0, timed.output
    loaded = railsim.load_scenario(
        scenarios / "orimattila-lahti-hourly.yaml",
        settings={"service.lines[0].weekday.first_departure": "6:30"})
    assert loaded.service.lines[0].weekday is not None
    assert loaded.service.lines[0].weekday.first_departure == "6:30"
    assert validate("appraisal.discount_rate=4e-2").exit_code == 0  # a number, as in a file
    # a list is refused whether it is complete or not, with the same message
    for value in ("[]", "[1, 2]", "[1,2", "{a: 1}", "a: 1"):
        result = validate(f"service.lines={value}")
        assert result.exit_code == 2, (value, result.output)
        assert "only a single value can be set" in result.output, result.output
    unclosed = validate("title='x")
    assert unclosed.exit_code == 2 and "quote is opened and not closed" in unclosed.output
    tagged = validate("title=!!python/name:os.system x")
    assert tagged.exit_code == 2 and "is not allowed" in tagged.output


def test_the_run_options_bounds_are_the_schemas_and_read_only_when_needed():
    # the command line starts a run's fork server before it imports the schema (0.1 s):
    # the bounds of --seed, --replications and --draws are read when a value or the help
    # needs them, and are the schema's own
    from railsim.cli import _SettingRange
    from railsim.config.schema import Scenario
    from railsim.config.validate import field_limits

    for section, name in (("simulation", "seed"), ("simulation", "replications"),
                          ("uncertainty", "draws")):
        kind = _SettingRange(section, name)
        model: Any = Scenario.model_fields[section].annotation
        low, high = field_limits(model.model_fields[name])
        assert (kind.min, kind.max) == (low, high)
        assert kind.convert(str(high), None, None) == high
        with pytest.raises(click.BadParameter):
            kind.convert(str(high + 1), None, None)
    code = ("import sys\nimport railsim.cli\nfrom railsim.cli import _check_environment\n"
            "_check_environment(None)\nprint('railsim.config.schema' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert loaded.stdout.strip() == "False"
    help_text = CliRunner().invoke(cli, ["run", "--help"]).output
    assert "0<=x<=9223372036854775807" in help_text and "1<=x<=1000000" in help_text


@pytest.mark.parametrize(("workers", "names", "evaluates"), [
    (1, ("do-minimum", "_base"), True),  # a batch in this process
    (2, ("orimattila-lahti-hourly", "_base"), True),  # a lone scenario: its days go out
    (2, ("do-minimum", "_base", "orimattila-lahti-hourly"), False)])
def test_the_command_imports_what_it_uses_frozen(tmp_path, monkeypatch, workers, names,
                                                 evaluates):
    # the command line's own process imports what it will use up front, frozen
    # (railsim.parallel.import_frozen): the evaluation's modules only where it evaluates
    # (a batch on workers leaves that to their fork server), the charts' where it draws
    import railsim.cli
    import railsim.parallel
    from railsim.batch.backends import RESULT_MODULES, WORKER_MODULES
    from railsim.report.builder import WORKER_MODULES as CHART_MODULES

    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(railsim.parallel, "import_frozen", lambda modules: calls.append(
        tuple(modules)))
    monkeypatch.setattr(railsim.cli, "_OWN_PROCESS", [True])  # as started by railsim
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in names:
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    options = ["--no-report"] if workers == 2 else []
    _run([str(folder), "--out", str(tmp_path / "out"), "--workers", str(workers),
          "--replications", "2", "--draws", "20", *options])
    loading = ("railsim.scenarios", *RESULT_MODULES)
    charts = CHART_MODULES if workers == 1 else ()  # one worker draws the report here
    assert calls == [(*loading, *WORKER_MODULES, *charts) if evaluates else loading]


def test_the_command_run_in_a_callers_process_freezes_nothing(tmp_path):
    # a test's CliRunner or a notebook invokes the command group in its own process: its
    # objects must not be frozen (their cycles would never be collected)
    import gc

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("do-minimum", "_base"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    frozen = gc.get_freeze_count()
    _run([str(folder), "--out", str(tmp_path / "out"), "--workers", "1", "--no-report"])
    assert gc.get_freeze_count() == frozen


def test_the_config_package_gives_its_scenario_class_when_asked():
    # railsim.config exposes Scenario lazily (the command line's first steps do not wait
    # for the schema); it is still there for attribute access, imports and completion
    import railsim.config
    from railsim.config.schema import Scenario

    assert railsim.config.Scenario is Scenario
    assert "Scenario" in dir(railsim.config)
    with pytest.raises(AttributeError):
        railsim.config.Nothing  # noqa: B018
