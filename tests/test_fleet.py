"""Fleet from demand: units per train from the peak-hour load, the fleet from them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import railsim
from railsim import forecast, load_scenario, plan_service
from railsim.costs.fleet import planning_capacity, size_formation, sized_scenario, units_per_train
from railsim.demand.loads import loads
from tests.conftest import SCENARIOS
from tests.shared import CORRIDOR


@given(st.floats(0, 2000), st.floats(0, 2000), st.floats(50, 400), st.floats(0.3, 1.2),
       st.integers(1, 4))
def test_units_per_train_monotone_and_bounded(a, b, capacity, factor, most):
    low, high = sorted((a, b))
    n_low = units_per_train(low, capacity, factor, most)
    n_high = units_per_train(high, capacity, factor, most)
    assert 1 <= n_low <= n_high <= most
    if n_high < most:  # enough places for the load at the target
        assert high <= n_high * capacity * factor + 1e-6


@pytest.fixture(scope="module")
def through():
    scenario = load_scenario(SCENARIOS / "through-hourly-peaks.yaml", SCENARIOS)
    plan = plan_service(scenario)
    fc = forecast(scenario, plan)
    return scenario, fc, loads(fc)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.5, 40), st.floats(1.0, 3.0))
def test_fleet_monotone_in_peak_load(through, scale, more):
    scenario, fc, table = through
    base = size_formation(scenario, CORRIDOR, table.assign(
        peak_hour_load=table["peak_hour_load"] * scale), fc.params.peak_hour_share,
        fc.params.service_span_min)
    busier = size_formation(scenario, CORRIDOR, table.assign(
        peak_hour_load=table["peak_hour_load"] * scale * more), fc.params.peak_hour_share,
        fc.params.service_span_min)
    assert busier.peak >= base.peak and busier.offpeak >= base.offpeak
    assert base.peak >= base.offpeak  # peaks carry more per train


def test_fleet_follows_the_formation_and_a_forced_count_stays():
    scenario = load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS)
    fleets = []
    for peak, offpeak in ((1, 1), (2, 1), (2, 2), (3, 3)):
        fixed = railsim.with_overrides(scenario, {
            "rolling_stock.fleet_sizing": "fixed", "rolling_stock.units_per_train_peak": peak,
            "rolling_stock.units_per_train_offpeak": offpeak})
        fleets.append(plan_service(fixed).units_required)
    assert fleets == sorted(fleets) and fleets[-1] > fleets[0]
    forced = railsim.with_overrides(scenario, {"rolling_stock.fleet_sizing": "fixed",
                                               "rolling_stock.units_per_train_peak": 2})
    plan = plan_service(forced)
    fc = forecast(forced, plan)
    assert sized_scenario(forced, fc, loads(fc)) is forced


def test_through_service_no_longer_buys_two_units_for_a_light_load(through):
    """The issue's finding: 17 DMUs for a peak load of about 13 % of the seats. Sized
    from demand, one unit per train carries the peak at the target load factor."""
    scenario, fc, table = through
    two = railsim.with_overrides(scenario, {"rolling_stock.units_per_train_peak": 2})
    sized = sized_scenario(two, fc, table)
    assert (sized.rolling_stock.units_per_train_peak,
            sized.rolling_stock.units_per_train_offpeak) == (1, 1)
    stock = CORRIDOR.by_key("rolling_stock")[scenario.rolling_stock.type]
    assert float(table["peak_hour_load"].max()) < 0.8 * 2 * planning_capacity(stock, 0.25)
    assert plan_service(sized).units_required < plan_service(two).units_required


def test_sizing_needs_loads_per_line():
    scenario = load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS)
    empty = pd.DataFrame(columns=["service_id", "peak_hour_load"])
    assert size_formation(scenario, CORRIDOR, empty, 0.15, 960).peak == 1


def test_evaluation_sizes_the_fleet_and_plans_with_it():
    """A two-unit formation asked for a light load is sized down, planned again, and the
    fleet, unit-km and capex follow; the result keeps the scenario as given."""
    scenario = load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS)
    quick = {"simulation.replications": 2, "uncertainty.draws": 20,
             "rolling_stock.units_per_train_peak": 2, "rolling_stock.units_per_train_offpeak": 2}
    sized = railsim.evaluate(railsim.with_overrides(scenario, quick))
    fixed = railsim.evaluate(railsim.with_overrides(
        scenario, quick | {"rolling_stock.fleet_sizing": "fixed"}))

    def kpi(result, name):
        k = result.kpis()
        return float(k[(k["variable"] == name) & (k["statistic"] == "value")]["value"].iloc[0])

    assert sized.scenario.rolling_stock.units_per_train_peak == 2  # as given
    assert sized.plan is not None and sized.plan.scenario.rolling_stock.units_per_train_peak == 1
    assert kpi(sized, "units_per_train_peak") == 1 and kpi(fixed, "units_per_train_peak") == 2
    for name in ("units_required", "unit_km_annual", "capex_total_eur", "opex_annual_eur"):
        assert kpi(sized, name) < kpi(fixed, name), name
