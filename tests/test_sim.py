"""SimPy operations: determinism, hand-checkable delays, safety invariants, reproducibility."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from railsim import plan_service
from railsim.config.schema import Scenario
from railsim.corridor import Corridor
from railsim.sim.draws import draw, no_draws
from railsim.sim.engine import simulate_day
from railsim.sim.montecarlo import simulate
from railsim.sim.plan import compile_plan
from railsim.synthetic import write_synthetic_data
from railsim.timetable.conflicts import check_timetable, occupations

THROUGH = ["L1S6", "L1S4", "L1S2", "LH", "L2S2", "L2S4", "L2S6"]


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Corridor:
    return Corridor.load(write_synthetic_data(tmp_path_factory.mktemp("synth")))


def make_plan(corridor: Corridor, simulation: dict | None = None, **operations):
    s = Scenario.model_validate({
        "name": "t", "operations": operations, "simulation": simulation or {},
        "service": {"lines": [{"id": "A", "stations": THROUGH, "weekday": {
            "first_departure": "06:00", "last_departure": "12:00", "headway_min": 60}}]}})
    return plan_service(s, corridor)


def test_without_randomness_actual_equals_scheduled(synth):
    sim = compile_plan(make_plan(synth))
    day = simulate_day(sim, no_draws(sim))
    scheduled_arr = np.concatenate([t.arrival_s for t in sim.trips])
    scheduled_dep = np.concatenate([t.departure_s for t in sim.trips])
    assert np.array_equal(day.actual_arrival, scheduled_arr)
    assert np.array_equal(day.actual_departure, scheduled_dep)
    assert not day.secondary_s.any()


def test_departure_delay_absorbed_by_running_time_supplement(synth):
    sim = compile_plan(make_plan(synth, running_time_supplement_pct=10))
    i = next(k for k, t in enumerate(sim.trips) if t.trip_id == "A-we-0-003")
    tp = sim.trips[i]
    draws = no_draws(sim)
    draws.departure_delay[i] = 100.0
    day = simulate_day(sim, draws)
    # by hand: each segment recovers up to its slack (scheduled minus fastest time); a stop
    # keeps its full dwell, so lateness carries over it unchanged
    late = 100.0
    for k in range(len(tp.stations) - 1):
        late = max(0.0, late - (tp.run_s[k] - tp.min_run_s[k]))
        actual = day.actual_arrival[tp.first_stop + k + 1]
        assert actual - tp.arrival_s[k + 1] == pytest.approx(late, abs=1e-6)
    assert late == 0.0  # 100 s is fully recovered over this trip
    assert day.actual_arrival[tp.first_stop + 1] > tp.arrival_s[1]  # but not on the first leg


def test_knock_on_delay_at_crossing_is_delay_minus_slack(synth):
    plan = make_plan(synth)
    sim = compile_plan(plan)
    by_id = {t.trip_id: k for k, t in enumerate(sim.trips)}
    a, b = by_id["A-we-0-001"], by_id["A-we-1-001"]  # meet at Lahti
    ta, tb = sim.trips[a], sim.trips[b]
    lh_a, lh_b = ta.stations.index("LH"), tb.stations.index("LH")
    draws = no_draws(sim)
    draws.departure_delay[a] = 600.0
    day = simulate_day(sim, draws)
    a_at_lahti = day.actual_arrival[ta.first_stop + lh_a]
    a_delay = a_at_lahti - ta.arrival_s[lh_a]
    slack = tb.departure_s[lh_b] - ta.arrival_s[lh_a]  # planned gap before B enters A's block
    b_leaves = day.actual_departure[tb.first_stop + lh_b]
    assert a_delay > slack > 0
    assert b_leaves - tb.departure_s[lh_b] == pytest.approx(a_delay - slack)
    assert day.secondary_s[b] == pytest.approx(a_delay - slack)


def _actual_trips(plan, sim, day):
    table = plan.timetables["weekday"]
    out = []
    for trip, tp in zip(table.trips, sim.trips, strict=True):
        stops = [replace(s, arrival_s=float(day.actual_arrival[tp.first_stop + k]),
                         departure_s=float(day.actual_departure[tp.first_stop + k]))
                 for k, s in enumerate(trip.stops)]
        out.append(replace(trip, stops=stops))
    return out


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.5, 20),
       dispatching=st.sampled_from(["timetable_order", "first_come_first_served"]))
def test_no_opposing_trains_in_a_block_and_order_kept(synth, seed, scale, dispatching):
    plan = make_plan(synth, dispatching=dispatching,
                     departure_delay={"probability": 0.5,
                                      "size": {"kind": "exponential", "mean": 60 * scale}},
                     running_time_delay={"probability": 0.3,
                                         "size": {"kind": "exponential", "mean": 20 * scale}})
    sim = compile_plan(plan)
    day = simulate_day(sim, draw(sim, plan.scenario.operations, np.random.default_rng(seed)),
                       dispatching)
    actual = _actual_trips(plan, sim, day)
    conflicts = check_timetable(plan.network, actual, minimum_headway_s=0.0)
    assert [c for c in conflicts if c.kind == "single_track"] == []
    if dispatching == "timetable_order":
        entered: dict[tuple, list[tuple[float, str]]] = {}
        for occ in occupations(plan.network, actual):
            entered.setdefault(occ.stretch, []).append((occ.enter_s, occ.trip_id))
        planned: dict[tuple, list[tuple[float, str]]] = {}
        for occ in occupations(plan.network, plan.timetables["weekday"].trips):
            planned.setdefault(occ.stretch, []).append((occ.enter_s, occ.trip_id))
        for stretch, items in entered.items():
            assert [t for _, t in sorted(items)] == [t for _, t in sorted(planned[stretch])]


def test_same_seed_same_results_any_workers(synth):
    # The workers get the compiled plan and need no data folder of their own.
    plan = make_plan(synth, {"replications": 12, "seed": 7})
    one = simulate(plan, workers=1)
    two = simulate(plan, workers=2)
    assert one.summary().equals(two.summary())
    assert one.by_station().equals(two.by_station())
    assert one.od_times().equals(two.od_times())
    other = simulate(make_plan(synth, {"replications": 12, "seed": 8}), workers=1)
    assert not one.summary().equals(other.summary())


@pytest.mark.parametrize("engine", ["simpy", "vectorised"])
def test_a_day_does_not_depend_on_the_days_run_with_it(synth, monkeypatch, engine):
    """Days of one block of draws split between workers and chunks, or fewer days in all:
    each day's numbers stay the same."""
    from railsim.sim import montecarlo
    from railsim.sim.draws import BLOCK

    n = 2 * BLOCK + 10  # three blocks, the middle one split between two workers
    whole = simulate(make_plan(synth, {"replications": n, "seed": 4}), engine=engine)
    monkeypatch.setattr(montecarlo, "VECTOR_CHUNK", BLOCK // 2)
    split = simulate(make_plan(synth, {"replications": n, "seed": 4}), workers=2,
                     engine=engine)
    assert whole.summary().equals(split.summary())
    assert whole.by_station().equals(split.by_station())
    assert whole.od_times().equals(split.od_times())
    fewer = simulate(make_plan(synth, {"replications": BLOCK + 3, "seed": 4}), engine=engine)
    assert fewer.summary().equals(whole.summary().iloc[:BLOCK + 3])
    assert whole.summary()["mean_delay_s"].nunique() > n // 2  # the days do differ


def test_event_log_and_kpis(synth):
    plan = make_plan(synth, {"replications": 5, "seed": 1, "keep_event_log": True})
    result = simulate(plan)
    log = result.event_log()
    assert set(log.replication) == set(range(5))
    assert (log.actual_departure_s >= log.actual_arrival_s).all()
    assert (log.actual_departure_s >= log.scheduled_departure_s - 1e-9).all()
    kpis = {(k["variable"], k["statistic"]): k["value"] for k in result.kpis()}
    assert 0 <= kpis[("punctuality_3min_pct", "mean")] <= 100
    assert kpis[("punctuality_5min_pct", "mean")] >= kpis[("punctuality_3min_pct", "mean")]
    assert kpis[("mean_delay_s", "ci95_low")] <= kpis[("mean_delay_s", "ci95_high")]


def test_confidence_intervals_stay_inside_what_a_quantity_can_be(synth):
    """Student's t over the days (wider than 1.96 for a few days), a share's interval not
    past 100 %, a delay's not below 0, and none from a single day (no spread to show)."""
    import math

    from scipy.stats import t as student

    few = simulate(make_plan(synth, {"replications": 4, "seed": 2}))
    kpis = {(k["variable"], k["statistic"]): k["value"] for k in few.kpis()}
    days = few.summary()["mean_delay_s"]
    half = student.ppf(0.975, 3) * days.std(ddof=1) / 2
    assert kpis[("mean_delay_s", "ci95_high")] == pytest.approx(days.mean() + half)
    assert kpis[("mean_delay_s", "ci95_low")] == pytest.approx(max(days.mean() - half, 0))
    for variable in ("punctuality_3min_pct", "punctuality_5min_pct"):
        assert 0 <= kpis[(variable, "ci95_low")] <= kpis[(variable, "ci95_high")] <= 100
    one = simulate(make_plan(synth, {"replications": 1, "seed": 2}))
    single = {(k["variable"], k["statistic"]): k["value"] for k in one.kpis()}
    assert math.isnan(single[("punctuality_3min_pct", "ci95_low")])
    assert math.isnan(single[("mean_delay_s", "ci95_high")])
    assert one.od_times()["ci95_low_min"].isna().all()


def test_dwell_grows_with_boardings(synth):
    plan = make_plan(synth, dwell_s_per_boarding=2.0)
    first = plan.timetables["weekday"].passenger_trips()[0]
    stop = first.stops[2].station_id
    quiet = compile_plan(plan)
    busy = compile_plan(plan, boardings={(first.trip_id, stop): 30})
    day_quiet = simulate_day(quiet, no_draws(quiet))
    day_busy = simulate_day(busy, no_draws(busy))
    i = next(k for k, t in enumerate(busy.trips) if t.trip_id == first.trip_id)
    k = busy.trips[i].first_stop + 2
    # 60 s extra dwell, departing 60 s late from that stop
    assert day_busy.actual_departure[k] - day_quiet.actual_departure[k] == pytest.approx(60)


@pytest.mark.parametrize("df", [*range(1, 40), 50, 100, 199, 1000, 10**6])
def test_the_t_quantile_is_scipys(df):
    from scipy.stats import t as student

    from railsim.sim.montecarlo import t_975

    assert t_975(df) == pytest.approx(float(student.ppf(0.975, df)), abs=2e-6)
