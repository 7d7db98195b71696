"""The vectorised delay engine against the SimPy reference: same draws, equal times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from railsim import load_scenario, plan_service
from railsim.config.files import find_scenarios
from railsim.config.schema import Scenario
from railsim.corridor import Corridor
from railsim.sim.draws import Draws, draw, draw_replications, each_replication, stack
from railsim.sim.engine import simulate_day
from railsim.sim.montecarlo import engine_for, simulate
from railsim.sim.plan import SimPlan, compile_plan
from railsim.sim.vectorised import Recursion
from railsim.streams import Streams
from railsim.synthetic import write_synthetic_data

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [f for f, _ in find_scenarios(str(ROOT / "scenarios"))]
RAIL = [f for f in SHIPPED if not load_scenario(f, check=False).is_do_minimum]
"""The shipped scenarios with trains (the do-minimum has none to check)."""
TOLERANCE_S = 1e-6


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Corridor:
    return Corridor.load(write_synthetic_data(tmp_path_factory.mktemp("synth"),
                                              freight_per_line=1))


def assert_equal_times(plan: SimPlan, draws: list[Draws]) -> None:
    """Each replication's SimPy day against the vectorised run of all of them."""
    days = Recursion(plan).run(stack(draws))
    for r, one in enumerate(draws):
        reference = simulate_day(plan, one)
        for name in ("actual_arrival", "actual_departure", "primary_s", "secondary_s"):
            mine, theirs = getattr(days, name)[r], getattr(reference, name)
            assert np.array_equal(np.isnan(mine), np.isnan(theirs)), name
            assert not np.isnan(theirs).any(), f"{name}: a train never ran"
            assert np.abs(mine - theirs).max(initial=0.0) <= TOLERANCE_S, name


@pytest.mark.slow
@pytest.mark.parametrize("path", RAIL, ids=lambda p: p.stem)
def test_equal_times_on_every_shipped_scenario(path):
    scenario = load_scenario(path)
    plan = plan_service(scenario)
    root = Streams.of(scenario.simulation.seed).simulation
    for day_type in plan.timetables:
        compiled = compile_plan(plan, day_type)
        reps = list(range(8))
        single = [d for _, d in each_replication(compiled, scenario.operations, root, reps)]
        # the vectorised engine's draws are the SimPy engine's, number for number
        many = draw_replications(compiled, scenario.operations, root, reps)
        for name in ("departure_delay", "dwell_delay", "run_delay", "incident"):
            assert np.array_equal(getattr(many, name), getattr(stack(single), name)), name
        # heavier disturbances too, so that blocks, sets and crossings really interact
        heavy = [Draws(d.departure_delay * 8, d.dwell_delay * 8, d.run_delay * 8,
                       d.incident) for d in single]
        assert_equal_times(compiled, single + heavy)


def test_the_engines_draws_agree_for_any_choice_of_days(synth):
    scenario = Scenario.model_validate({
        "name": "t", "service": {"lines": [{"id": "A", "stations": ["LH", "L1S2", "L1S4"],
                                            "weekday": {"first_departure": "06:00",
                                                        "last_departure": "09:00",
                                                        "headway_min": 60}}]}})
    compiled = compile_plan(plan_service(scenario, synth))
    root = Streams.of(3).simulation
    reps = [130, 5, 64, 63, 5]  # across blocks, out of order, repeated
    many = draw_replications(compiled, scenario.operations, root, reps)
    one_by_one = stack([d for _, d in each_replication(compiled, scenario.operations, root,
                                                        reps)])
    for name in ("departure_delay", "dwell_delay", "run_delay", "incident"):
        assert np.array_equal(getattr(many, name), getattr(one_by_one, name)), name
    assert many.dwell_delay.any() and not np.array_equal(many.dwell_delay[:, 0],
                                                          many.dwell_delay[:, 1])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from([["L1S6", "L1S4", "L1S2", "LH", "L2S2", "L2S4", "L2S6"],
                              ["LH", "L1S1", "L1S2", "L1S3", "L1S4"],
                              ["L2S6", "L2S5", "L2S4", "L2S2", "LH"]]),
       headway=st.sampled_from([60, 120]), turnaround=st.integers(2, 30),
       supplement=st.floats(0, 15), boarding=st.floats(0, 3), scale=st.floats(0.1, 20),
       seed=st.integers(0, 2**31))
def test_equal_times_on_generated_plans(synth, route, headway, turnaround, supplement,
                                        boarding, scale, seed):
    scenario = Scenario.model_validate({
        "name": "t", "rolling_stock": {"min_turnaround_min": turnaround},
        "operations": {"running_time_supplement_pct": supplement,
                       "max_crossing_wait_min": 30, "dwell_s_per_boarding": boarding},
        "service": {"lines": [{"id": "A", "stations": route, "weekday": {
            "first_departure": "06:00", "last_departure": "14:00", "headway_min": headway}}]}})
    plan = plan_service(scenario, synth)
    rng = np.random.default_rng(seed)
    table = plan.timetables["weekday"]
    boardings = {(t.trip_id, s.station_id): float(rng.integers(0, 40))
                 for t in table.passenger_trips() for s in t.stops}
    compiled = compile_plan(plan, "weekday", boardings)
    draws = []
    for r in range(4):
        one = draw(compiled, scenario.operations, np.random.default_rng(seed + r))
        draws.append(Draws(one.departure_delay * scale, one.dwell_delay * scale,
                           one.run_delay * scale, one.incident * scale))
    assert_equal_times(compiled, draws)


def test_simulate_gives_the_same_statistics_with_either_engine(synth):
    scenario = Scenario.model_validate({
        "name": "t", "simulation": {"replications": 30, "seed": 5},
        "service": {"lines": [{"id": "A", "stations": ["LH", "L1S2", "L1S4", "L1S6"],
                               "weekday": {"first_departure": "06:00",
                                           "last_departure": "20:00", "headway_min": 60}}]}})
    plan = plan_service(scenario, synth)
    reference = simulate(plan, engine="simpy")
    fast = simulate(plan, engine="vectorised")
    a, b = reference.summary(), fast.summary()
    assert list(a.columns) == list(b.columns) and len(a) == len(b) == 30
    assert np.allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), atol=1e-9)
    assert a["mean_delay_s"].std() > 0  # the replications differ: a real comparison
    for left, right in ((reference.by_station(), fast.by_station()),
                        (reference.od_times(), fast.od_times())):
        numeric = left.select_dtypes("number").columns
        assert np.allclose(left[numeric], right[numeric], atol=1e-6)


def test_engine_choice():
    timetable = Scenario(name="x")
    fcfs = Scenario.model_validate({"name": "x", "operations": {
        "dispatching": "first_come_first_served"}})
    auto = timetable.simulation.model_copy(update={"engine": "auto"})
    assert timetable.simulation.engine == "auto"  # the fast engine where it gives SimPy's times
    assert engine_for(auto, timetable.operations) == "vectorised"
    assert engine_for(auto, fcfs.operations) == "simpy"
    with pytest.raises(ValueError, match="timetable_order"):
        engine_for(auto.model_copy(update={"engine": "vectorised"}), fcfs.operations)
