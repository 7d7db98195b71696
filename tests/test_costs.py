"""Unit costs, indexation and cost from quantities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import railsim
from railsim import load_scenario, plan_service
from railsim.costs.library import unit_costs
from railsim.costs.model import (
    capex_lines,
    capex_total,
    opex_lines,
    opex_total,
    passing_loop_cost_eur,
)
from railsim.prices import index_factor
from tests.shared import CORRIDOR
from tests.test_scenarios import SCENARIOS


@given(a=st.integers(2000, 2035), b=st.integers(2000, 2035))
def test_indexation_round_trip(a, b):
    assert index_factor(a, b, CORRIDOR) * index_factor(b, a, CORRIDOR) == pytest.approx(1.0)


def test_index_uses_the_cpi_ratio():
    assert index_factor(2018, 2023, CORRIDOR) == pytest.approx(1.1785, abs=1e-4)  # stored to 0.01


def test_override_replaces_indexed_value():
    base = unit_costs(CORRIDOR, 2024)["passing_loop"]
    changed = unit_costs(CORRIDOR, 2024, {"passing_loop": 1e6})["passing_loop"]
    assert changed.value == 1e6 and changed.overridden and not base.overridden


@pytest.fixture(scope="module")
def heinola():
    return load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS)


@settings(max_examples=10, deadline=None)
@given(extra_loops=st.integers(0, 4), units=st.integers(1, 10), more_units=st.integers(0, 5))
def test_capex_monotone_in_quantities(heinola, extra_loops, units, more_units):
    loops = [loop.model_dump() for loop in heinola.infrastructure.passing_loops]
    more = railsim.with_overrides(heinola, {"infrastructure.passing_loops": loops + [
        {"line": "HEI", "km": 5 + k} for k in range(extra_loops)]}, check=False)
    base = capex_total(heinola, CORRIDOR, capex_lines(heinola, CORRIDOR, units))
    assert capex_total(more, CORRIDOR, capex_lines(more, CORRIDOR, units)) >= base
    more_units_lines = capex_lines(heinola, CORRIDOR, units + more_units)
    assert capex_total(heinola, CORRIDOR, more_units_lines) >= base


def test_construction_follows_the_civil_engineering_index_and_operations_the_cpi():
    costs = unit_costs(CORRIDOR, 2024)
    renovation, crew = costs["track_renovation_light_per_km"], costs["crew_cost_per_hour"]
    assert renovation.index_id == "maku_total" and crew.index_id == "cpi_fi"
    assert renovation.index_factor == pytest.approx(
        index_factor(2020, 2024, CORRIDOR, "maku_total"))
    assert renovation.index_factor != pytest.approx(index_factor(2020, 2024, CORRIDOR))
    assert index_factor(2020, 2024, CORRIDOR, "maku_total") == pytest.approx(135.4 / 111.9)


def test_renovation_unit_cost_comes_from_the_benchmark_length():
    """37.8 M€ (2020) for the Saarijärvi–Haapajärvi light renewal over 110–164 km of the
    Äänekoski–Haapajärvi line (0.23–0.34 M€/km), not 70–80 km."""
    row = CORRIDOR.by_key("unit_costs")["track_renovation_light_per_km"]
    assert row["price_year"] == 2020
    assert row["low"] == pytest.approx(37.8e6 / 164, rel=0.01)
    assert row["low"] < row["value"] < row["high"] <= 37.8e6 / 110 * 1.03


def test_do_minimum_renews_the_kept_freight_lines():
    from railsim.costs.model import do_minimum_capex_lines, freight_lines_kept

    s = load_scenario(SCENARIOS / "do-minimum.yaml", SCENARIOS)
    lines = capex_lines(s, CORRIDOR, 0)
    assert lines == do_minimum_capex_lines(s, CORRIDOR)
    assert freight_lines_kept(s, CORRIDOR) == ["HEI", "ORI"]
    assert {x.item_id for x in lines} == {"track_renovation_light_per_km"}
    assert sum(x.quantity for x in lines) == pytest.approx(37.4 + 20)
    none = railsim.with_overrides(s, {"infrastructure.freight_lines_kept": []})
    assert capex_lines(none, CORRIDOR, 0) == []


def test_the_do_minimum_renewal_is_named_as_the_works_are():
    """capex.csv names the renewal by what it is, as the scenario's own lines ('light
    renovation HEI km 0–37.4'); the setting's value alone read 'light of freight line HEI'."""
    from railsim.costs.model import do_minimum_capex_lines

    s = load_scenario(SCENARIOS / "do-minimum.yaml", SCENARIOS)
    for renewal, words in (("light", "light renovation"),
                           ("enhanced_maintenance", "enhanced maintenance")):
        chosen = railsim.with_overrides(s, {"infrastructure.do_minimum_renewal": renewal})
        described = [x.description for x in do_minimum_capex_lines(chosen, CORRIDOR)]
        assert described == [f"{words} of freight line {line} (also in the do-minimum)"
                             for line in ("HEI", "ORI")]


def test_project_pays_only_for_what_it_adds_to_the_freight_renewal(heinola):
    """Heinola – Lahti renovates HEI lightly, as the do-minimum would: its renovation
    line replaces the HEI renewal, and ORI's renewal is in both."""
    from railsim.costs.model import do_minimum_capex_lines

    scenario = capex_lines(heinola, CORRIDOR, 3)
    reference = do_minimum_capex_lines(heinola, CORRIDOR)
    renewal = "track_renovation_light_per_km"
    assert sum(x.cost_eur for x in scenario if x.item_id == renewal) == pytest.approx(
        sum(x.cost_eur for x in reference))
    heavy = railsim.with_overrides(heinola, {"infrastructure.upgrades": [
        heinola.infrastructure.upgrades[0].model_dump() | {"renovation": "heavy"}]})
    lines = capex_lines(heavy, CORRIDOR, 3)
    assert {x.item_id for x in lines} >= {"track_renovation_heavy_per_km", renewal}
    assert [x.quantity for x in lines if x.item_id == renewal] == [20.0]  # ORI only


def test_opex_grows_with_service(heinola):
    sparse = railsim.with_overrides(heinola, {"service.lines": [
        heinola.service.lines[0].model_dump() | {"saturday": None, "sunday": None}]})
    full, thin = plan_service(heinola), plan_service(sparse)
    assert (opex_total(full, CORRIDOR, opex_lines(full, CORRIDOR))
            > opex_total(thin, CORRIDOR, opex_lines(thin, CORRIDOR)))


@pytest.mark.parametrize("settings", [{}, {"costs.contingency_share": 0.1,
                                          "costs.capex_multiplier": 1.5}])
def test_a_loop_site_costs_what_the_capex_adds_for_one_loop(heinola, settings):
    """The loop search prices a site as the appraisal's capex counts one more loop."""
    base = railsim.with_overrides(heinola, settings, check=False)
    loops = [loop.model_dump() for loop in base.infrastructure.passing_loops]
    more = railsim.with_overrides(base, {"infrastructure.passing_loops": [
        *loops, {"line": "HEI", "km": 5}]}, check=False)
    added = (capex_total(more, CORRIDOR, capex_lines(more, CORRIDOR, 3))
             - capex_total(base, CORRIDOR, capex_lines(base, CORRIDOR, 3)))
    assert passing_loop_cost_eur(base, CORRIDOR) == pytest.approx(added)


def test_contingency_and_multiplier_apply(heinola):
    lines = capex_lines(heinola, CORRIDOR, 3)
    plain = sum(x.cost_eur for x in lines)
    s = railsim.with_overrides(heinola, {"costs.contingency_share": 0.0,
                                         "costs.capex_multiplier": 2.0}, check=False)
    assert capex_total(s, CORRIDOR, lines) == pytest.approx(2 * plain)


def test_rolling_stock_life_comes_from_the_appraisal_values(heinola, tmp_path, monkeypatch):
    import shutil

    from railsim.corridor import Corridor
    from tests.conftest import ROOT

    (stock,) = [x for x in capex_lines(heinola, CORRIDOR, 3)
                if x.item_id.startswith("rolling_stock:")]
    assert stock.asset_life_years == 30.0
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    values = data / "appraisal" / "appraisal_values.csv"
    text = values.read_text(encoding="utf-8")
    values.write_text(text.replace("rolling_stock_life_years,30,", "rolling_stock_life_years,25,"),
                      encoding="utf-8")
    (changed,) = [x for x in capex_lines(heinola, Corridor.load(data), 3)
                  if x.item_id.startswith("rolling_stock:")]
    assert changed.asset_life_years == 25.0


def test_freight_paths_moved_are_counted_and_costed(heinola):
    from railsim.costs.model import freight_shift

    plan = plan_service(heinola)
    shift = freight_shift(plan, CORRIDOR)
    trips = plan.trips_frame()
    freight = trips[trips["kind"] == "freight"]
    nominal = {r["freight_id"]: r["departure_time"] for r in CORRIDOR.records("freight")}
    from railsim.config.schema import clock_to_seconds

    by_hand = sum(abs(row.departure_s - clock_to_seconds(nominal[row.trip_id]))
                  * plan.days_per_year(row.day_type) for row in freight.itertuples()) / 3600
    assert shift.hours_moved == pytest.approx(by_hand) and shift.hours_moved > 0
    costs = unit_costs(CORRIDOR, 2024)
    assert shift.cost_eur == pytest.approx(
        shift.hours_moved * costs["freight_path_shift_per_train_hour"].value
        + shift.hours_waiting * costs["freight_train_hour"].value)
    assert freight_shift(None, CORRIDOR).cost_eur == 0.0
