"""Hardening of the schema: every number finite and bounded, strict types, distributions
valid per family, one bound on the total work, empty documents refused (issue 15)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from railsim import load_scenario
from railsim.config import docs, limits, schema
from railsim.config.validate import field_limits
from railsim.errors import ScenarioError, SettingError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RAILSIM = [sys.executable, "-m", "railsim.cli"]


def _numeric(annotation: Any) -> bool:
    """Whether a field holds numbers (directly, as list items or as mapping values)."""
    if annotation in (int, float):
        return True
    if isinstance(annotation, type):
        return False
    return any(_numeric(arg) for arg in typing.get_args(annotation)
               if not (isinstance(arg, type) and issubclass(arg, BaseModel)))


NUMERIC_FIELDS = [(model, name, info) for model in docs._models()
                  for name, info in model.model_fields.items() if _numeric(info.annotation)]


@pytest.mark.parametrize(("model", "name", "info"), NUMERIC_FIELDS,
                         ids=[f"{m.__name__}.{n}" for m, n, _ in NUMERIC_FIELDS])
def test_every_numeric_field_is_bounded_on_both_sides(model, name, info):
    low, high = field_limits(info)
    assert low is not None and high is not None, f"{model.__name__}.{name} lacks a bound"
    assert math.isfinite(low) and math.isfinite(high) and low < high


def test_the_whole_schema_refuses_nan_and_infinity():
    assert all(model.model_config.get("allow_inf_nan") is False for model in docs._models())
    assert all(model.model_config.get("strict") is True for model in docs._models())


def _scenario(**sections: Any) -> dict[str, Any]:
    return {"name": "x", **sections}


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e308])
@pytest.mark.parametrize("sections", [
    lambda v: {"operations": {"departure_delay": {"probability": 0.2,
                                                  "size": {"kind": "fixed", "value": v}}}},
    lambda v: {"operations": {"dwell_by_station_s": {"LH": v}}},
    lambda v: {"costs": {"unit_cost_overrides": {"passing_loop": v}}},
    lambda v: {"uncertainty": {"inputs": [{"target": "costs.capex_multiplier", "distribution":
                                           {"kind": "normal", "mean": 1, "sd": v}}]}},
    lambda v: {"uncertainty": {"inputs": [{"target": "costs.capex_multiplier", "distribution":
                                           {"kind": "uniform", "low": 0, "high": v}}]}},
    lambda v: {"uncertainty": {"inputs": [{"target": "costs.capex_multiplier", "distribution":
                                           {"kind": "empirical", "values": [1, 2],
                                            "weights": [v, 1]}}]}},
    lambda v: {"infrastructure": {"upgrades": [{"line": "ORI", "to_km": v}]}},
], ids=["fixed_delay", "dwell_by_station", "unit_cost", "normal_sd", "uniform_high",
        "empirical_weight", "upgrade_km"])
def test_non_finite_and_huge_numbers_are_refused(sections, value):
    with pytest.raises(ValidationError):
        schema.Scenario.model_validate(_scenario(**sections(value)))


@pytest.mark.parametrize(("sections", "field"), [
    ({"simulation": {"replications": "3"}}, "replications"),
    ({"simulation": {"replications": True}}, "replications"),
    ({"simulation": {"replications": 3.0}}, "replications"),
    ({"operations": {"dwell_s": True}}, "dwell_s"),
    ({"operations": {"dwell_s": "30"}}, "dwell_s"),
    ({"demand": {"park_and_ride": "yes"}}, "park_and_ride"),
    ({"demand": {"park_and_ride": 1}}, "park_and_ride"),
    ({"title": 2030}, "title"),
])
def test_types_are_strict(sections, field):
    with pytest.raises(ValidationError, match=field):
        schema.Scenario.model_validate(_scenario(**sections))


def test_an_int_is_still_a_float():
    assert schema.Scenario.model_validate(_scenario(operations={"dwell_s": 30})
                                          ).operations.dwell_s == 30.0


@pytest.mark.parametrize(("distribution", "message"), [
    ({"kind": "lognormal", "mean": 1e-300, "sd": 1}, "at most 100 times the mean"),
    ({"kind": "lognormal", "mean": 0, "sd": 1}, "greater than 0"),
    ({"kind": "exponential", "mean": 0}, "greater than 0"),
    ({"kind": "uniform", "low": 1, "high": 1}, "must be greater than low"),
    ({"kind": "triangular", "low": 0, "mode": 3, "high": 2}, "low <= mode <= high"),
    ({"kind": "empirical", "values": [1, 2], "weights": [0, 0]}, "must not all be zero"),
    ({"kind": "empirical", "values": [1, 2], "weights": [-1, 2]}, "greater than or equal to 0"),
    ({"kind": "empirical", "values": []}, "at least 1 item"),
])
def test_distribution_parameters_are_checked_per_family(distribution, message):
    with pytest.raises(ValidationError, match=message):
        schema.Scenario.model_validate(_scenario(uncertainty={"inputs": [
            {"target": "costs.capex_multiplier", "distribution": distribution}]}))


@pytest.mark.parametrize(("size", "message"), [
    ({"kind": "fixed", "value": -30}, "a delay cannot be negative"),
    ({"kind": "uniform", "low": -60, "high": 10}, "a delay cannot be negative"),
    ({"kind": "empirical", "values": [10, -5]}, "a delay cannot be negative"),
    ({"kind": "exponential", "mean": 1e6}, "more than a day"),
])
def test_delays_are_not_negative_nor_longer_than_a_day(size, message):
    with pytest.raises(ValidationError, match=message):
        schema.Scenario.model_validate(_scenario(operations={
            "running_time_delay": {"probability": 0.1, "size": size}}))


def test_a_normal_delay_may_draw_below_zero_which_counts_as_no_delay():
    scenario = schema.Scenario.model_validate(_scenario(operations={
        "dwell_delay": {"probability": 0.1, "size": {"kind": "normal", "mean": 10, "sd": 20}}}))
    assert scenario.operations.dwell_delay.size.kind == "normal"


def _service(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(
        "infrastructure:\n  upgrades: [{line: ORI, train_protection: jkv}]\n"
        "  new_stops: [{station: OM}]\nservice:\n  lines:\n"
        "    - {id: R1, stations: [LH, OM], weekday: {first_departure: '06:00', "
        "last_departure: '20:00'}}\n" + extra, encoding="utf-8")
    return path


def test_total_work_is_bounded_and_the_message_says_how_to_raise_the_limit(tmp_path):
    path = _service(tmp_path, "uncertainty: {draws: 1000000}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problem = info.value.problems[0]
    assert problem.field == "uncertainty.draws" and problem.line == 7
    assert "GB of memory (limit 4.0 GB)" in problem.message
    assert "1,000,000 uncertainty draws" in problem.given
    assert f"{limits.LIMIT_VARIABLE}=4" in problem.allowed


def test_the_work_limit_can_be_raised(tmp_path, monkeypatch):
    path = _service(tmp_path, "uncertainty: {draws: 1000000}\n")
    monkeypatch.setenv(limits.LIMIT_VARIABLE, "4")
    assert load_scenario(path).uncertainty.draws == 1_000_000
    monkeypatch.setenv(limits.LIMIT_VARIABLE, "lots")
    # a setting of the command, not a fault of the scenario's file and line
    with pytest.raises(SettingError, match="RAILSIM_WORK_LIMIT='lots': not a finite number"):
        load_scenario(path)


@pytest.mark.parametrize(("variable", "value"), [
    ("RAILSIM_WORK_LIMIT", "abc"), ("RAILSIM_WORK_LIMIT", "-3"), ("RAILSIM_WORK_LIMIT", "0"),
    ("RAILSIM_WORK_LIMIT", "1e400"), ("RAILSIM_WORK_LIMIT", "nan"),
    ("RAILSIM_START_METHOD", "threads"), ("RAILSIM_START_METHOD", "-1"),
    ("RAILSIM_DATA", "no/such/folder"), ("RAILSIM_DATA", "x" * 5000)])
def test_a_malformed_environment_variable_is_named_once_with_exit_2(variable, value):
    out = subprocess.run([*RAILSIM, "validate", str(SCENARIOS)], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, variable: value})
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and not out.stdout
    assert out.stderr.count("\n") == 1, out.stderr  # once, not once per scenario
    assert out.stderr.startswith(f"environment variable {variable}=")
    assert "allowed: " in out.stderr and ".yaml" not in out.stderr


@pytest.mark.parametrize("command", [["run", "--help"], ["--help"], ["data", "path", "-h"]])
def test_help_answers_whatever_the_environment_holds(command):
    # the variables were checked before the command's arguments: --help exited 2
    out = subprocess.run([*RAILSIM, *command], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "RAILSIM_WORK_LIMIT": "abc"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Usage: ") and not out.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("RAILSIM_WORK_LIMIT", ""), ("RAILSIM_WORK_LIMIT", " 4 "), ("RAILSIM_WORK_LIMIT", "1e300"),
    ("RAILSIM_START_METHOD", ""), ("RAILSIM_START_METHOD", " spawn "), ("RAILSIM_DATA", " ")])
def test_a_blank_or_well_formed_environment_variable_is_accepted(variable, value):
    out = subprocess.run([*RAILSIM, "validate", str(SCENARIOS / "do-minimum.yaml")],
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, variable: value})
    assert out.returncode == 0, out.stderr


def test_replications_times_trains_is_bounded(tmp_path):
    # every 3 minutes from 05:00 to 23:59 on a through line, 100,000 simulated days
    path = tmp_path / "s.yaml"
    path.write_text(
        "infrastructure:\n  upgrades: [{line: ORI, train_protection: jkv}, "
        "{line: HEI, train_protection: jkv}]\n"
        "  new_stops: [{station: OM}, {station: PNL}, {station: HNL}, {station: VRM}, "
        "{station: AHT}]\nsimulation: {replications: 100000}\nservice:\n  lines:\n"
        "    - id: R1\n      stations: [HNL, VRM, AHT, LH, PNL, OM]\n      clock_face: false\n"
        "      weekday: {first_departure: '05:00', last_departure: '23:59', headway_min: 3}\n",
        encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, check=True)
    work = [p for p in info.value.problems if "too much work" in p.message]
    assert work and work[0].field == "simulation.replications"
    assert "h of computing" in work[0].message and "stop events" in work[0].given


@pytest.mark.parametrize("path", sorted(p for p in SCENARIOS.glob("*.yaml")
                                        if not p.name.startswith("_")), ids=lambda p: p.stem)
def test_shipped_scenarios_are_far_below_the_work_limit(path):
    work = limits.estimate(load_scenario(path, SCENARIOS))
    assert work.seconds < limits.MAX_SECONDS / 20 and work.bytes < limits.MAX_BYTES / 20


def test_the_estimate_grows_with_each_factor():
    base = schema.Scenario.model_validate({
        "name": "x", "service": {"lines": [{"id": "R1", "stations": ["LH", "OM"], "weekday": {
            "first_departure": "06:00", "last_departure": "20:00"}}]}})
    bigger = {
        "replications": base.model_copy(update={"simulation": base.simulation.model_copy(
            update={"replications": 400})}),
        "draws": base.model_copy(update={"uncertainty": base.uncertainty.model_copy(
            update={"draws": 20_000})}),
        "sobol": base.model_copy(update={"uncertainty": base.uncertainty.model_copy(update={
            "sobol": True, "inputs": [schema.UncertainInput(
                target="costs.capex_multiplier",
                distribution=schema.Uniform(kind="uniform", low=0.9, high=1.1))]})}),
    }
    reference = limits.estimate(base)
    for name, scenario in bigger.items():
        assert limits.estimate(scenario).seconds > reference.seconds, name


def test_cli_refuses_an_empty_file_and_a_comment_only_file(tmp_path):
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "comment.yaml").write_text("# saved too early\n", encoding="utf-8")
    out = subprocess.run([*RAILSIM, "validate", str(tmp_path)], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 1, out.stdout
    assert out.stderr.count("the document is empty") == 2
    assert "0 of 2 scenarios valid" in out.stderr


def test_a_zero_dwell_the_schema_allows_can_be_planned():
    """A call of no length was removed from the platform before it was added (the checker
    crashed); it now needs a free track for an instant, like any other call."""
    import railsim

    scenario = load_scenario(SCENARIOS / "orimattila-lahti-hourly.yaml", SCENARIOS)
    plan = railsim.plan_service(railsim.with_overrides(scenario, {"operations.dwell_s": 0.0}))
    assert plan.conflicts == []
    assert any(st.arrival_s == st.departure_s and st.served
               for trip in plan.timetables["weekday"].passenger_trips()
               for st in trip.stops[1:-1])


def _with_input(tmp_path: Path, target: str, mode: str, distribution: str) -> Path:
    base = (SCENARIOS / "_base.yaml").read_text(encoding="utf-8")
    start = base.index("  inputs:\n")
    end = base.index("\n\noverrides:", start)  # the one input (a target is listed once)
    file = tmp_path / "drawn.yaml"
    file.write_text(base[:start] + f"  inputs:\n    - target: {target}\n      mode: {mode}\n"
                    f"      distribution: {distribution}" + base[end:], encoding="utf-8")
    return file


@pytest.mark.parametrize(("target", "mode", "distribution", "said"), [
    ("demand.fares.fare_multiplier", "multiply", "{kind: normal, mean: 1, sd: 5}",
     "can be negative"),
    ("demand.train_constant_min", "replace", "{kind: uniform, low: -100, high: 0}",
     "allowed: -60 to 60"),
    ("demand.fares.fare_multiplier", "multiply", "{kind: lognormal, mean: 3, sd: 6}",
     "outside what it can be"),
    ("demand_parameters.other_trips_per_commute_trip", "replace",
     "{kind: uniform, low: -0.5, high: 1.5}", "allowed: 0 or above (its domain in "
     "data/demand/demand_parameters.csv"),
    ("unit_costs.track_renovation_light_per_km", "multiply",
     "{kind: triangular, low: -0.2, mode: 1, high: 1.2}", "can be negative"),
    ("demand.logit_scale_per_min", "replace", "{kind: fixed, value: 0}",
     "allowed: above 0 to 1"),
    # data values: a cost stays a cost, a share (unit fraction) stays within 0..1
    ("unit_costs.passing_loop", "replace", "{kind: uniform, low: -9, high: -1}",
     "other sign of its value; given draws from -9 to -1; allowed: 0 or above"),
    ("demand_parameters.commute_presence", "multiply", "{kind: uniform, low: 0.5, high: 1.5}",
     "times 0.8: 0.4 to 1.2; allowed: 0 to 1"),
    ("demand_parameters.capital_commuters_rail_share", "replace",
     "{kind: uniform, low: -0.5, high: -0.1}", "allowed: 0 to 1"),
    # a demand parameter's domain (column domain of demand_parameters.csv), not its unit:
    # a nest scale (unit factor) above 1 passed as if any positive factor would do
    ("demand_parameters.pt_nest_scale", "replace", "{kind: uniform, low: 0.9, high: 1.3}",
     "draws take demand_parameters.pt_nest_scale outside what it can be; given draws from "
     "0.9 to 1.3; allowed: above 0 to 1"),
    ("demand_parameters.pt_nest_scale", "multiply", "{kind: uniform, low: 0.5, high: 1.3}",
     "times 0.8: 0.4 to 1.04; allowed: above 0 to 1"),
    ("demand_parameters.pt_nest_scale", "replace", "{kind: uniform, low: 0, high: 1}",
     "allowed: above 0 to 1"),
    ("demand_parameters.bus_share_do_minimum", "replace", "{kind: uniform, low: 0, high: 0.1}",
     "allowed: above 0 to below 1"),  # the car constant is calibrated on log(share)
    ("demand_parameters.access_time_weight", "replace", "{kind: normal, mean: 1.5, sd: 1}",
     "allowed: 0 or above"),
])
def test_draws_that_take_a_target_out_of_its_bounds_are_refused_at_their_line(
        tmp_path, target, mode, distribution, said):
    file = _with_input(tmp_path, target, mode, distribution)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    message = str(caught.value)
    assert said in message and "uncertainty.inputs[0].distribution" in message
    assert f"{file}:" in message  # file and line


@pytest.mark.parametrize(("target", "mode", "distribution"), [
    ("demand.fares.fare_multiplier", "multiply", "{kind: normal, mean: 1, sd: 0.1}"),
    ("demand.fares.fare_multiplier", "multiply", "{kind: lognormal, mean: 1, sd: 0.3}"),
    ("demand.train_constant_min", "replace", "{kind: normal, mean: 0, sd: 5}"),
    ("demand_parameters.commute_presence", "multiply", "{kind: uniform, low: 0.5, high: 1.2}"),
    ("unit_costs.passing_loop", "replace", "{kind: uniform, low: 0, high: 9000000}"),
    ("demand_parameters.pt_nest_scale", "replace", "{kind: uniform, low: 0.5, high: 1}"),
    ("demand_parameters.pt_nest_scale", "multiply", "{kind: triangular, low: 0.8, mode: 1, "
     "high: 1.25}"),
    ("demand_parameters.rail_constant_min", "replace", "{kind: uniform, low: -10, high: 111}"),
])
def test_draws_within_bounds_pass(tmp_path, target, mode, distribution):
    scenario = load_scenario(_with_input(tmp_path, target, mode, distribution))
    assert scenario.uncertainty.inputs[0].target == target
