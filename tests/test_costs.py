"""Unit costs, indexation and cost from quantities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import railsim
from railsim import load_scenario, plan_service
from railsim.costs.library import index_factor, unit_costs
from railsim.costs.model import capex_lines, capex_total, opex_lines, opex_total
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


def test_do_minimum_costs_nothing():
    s = load_scenario(SCENARIOS / "do-minimum.yaml", SCENARIOS)
    assert capex_lines(s, CORRIDOR, 0) == []


def test_opex_grows_with_service(heinola):
    sparse = railsim.with_overrides(heinola, {"service.lines": [
        heinola.service.lines[0].model_dump() | {"saturday": None, "sunday": None}]})
    full, thin = plan_service(heinola), plan_service(sparse)
    assert (opex_total(full, CORRIDOR, opex_lines(full, CORRIDOR))
            > opex_total(thin, CORRIDOR, opex_lines(thin, CORRIDOR)))


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
