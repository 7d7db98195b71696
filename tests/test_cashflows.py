"""Cash flows: renewals, residual value and the NPV identity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from railsim.appraisal.cashflows import appraisal_years, asset_flows
from railsim.appraisal.finance import npv
from railsim.appraisal.societal import CostFlows, SocietalValues, yearly_flows
from railsim.config.schema import Scenario
from railsim.demand.draws import Flows

NO_RIDERS = Flows(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
VALUES = SocietalValues(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def scenario(rate=0.035, period=30, build=2):
    return Scenario.model_validate({"name": "x", "costs": {"construction_years": build},
                                    "appraisal": {"discount_rate": rate,
                                                  "period_years": period}})


def financial(s: Scenario, cost: float, life: float, opex: float, revenue: float):
    years = appraisal_years(s)
    invest, residual = asset_flows(s, life)
    # revenue enters as fares paid (VAT 0 here) by one weekday-equivalent a year
    riders = Flows(1.0, 0.0, revenue, 0.0, 0.0, 0.0)
    return years, yearly_flows(
        years, s.appraisal.opening_year, 2024,
        costs=CostFlows(infrastructure_capex=cost * invest, infrastructure_residual=cost * residual,
                        opex_annual=opex),
        flows=riders if revenue else NO_RIDERS, annual_factor=1.0,
        ramp_up=(years >= s.appraisal.opening_year).astype(float), unit_value_growth=0.0,
        discount_rate=s.appraisal.discount_rate, tax_factor=1.0, values=VALUES, routes={})


def test_renewal_and_residual_by_hand():
    s = scenario(period=30, build=0)
    years, (invest, residual) = appraisal_years(s), asset_flows(s, 20.0)
    # bought at opening (2030), renewed in 2050, 10 of 20 years left at the end of 2059
    assert invest[years == 2030].item() == 1 and invest[years == 2050].item() == 1
    assert invest.sum() == 2
    assert residual[-1] == pytest.approx(0.5)


def test_construction_spreads_the_first_purchase():
    s = scenario(build=3)
    invest, _ = asset_flows(s, 40.0)
    assert list(invest[:3]) == pytest.approx([1 / 3] * 3)


@settings(max_examples=30)
@given(rate=st.floats(0, 0.1), build=st.integers(0, 4), opex=st.floats(0, 1e7),
       revenue=st.floats(0, 1e7), cost=st.floats(0, 1e8), life=st.floats(5, 60))
def test_discounted_sum_equals_npv(rate, build, opex, revenue, cost, life):
    s = scenario(rate=rate, build=build)
    _, table = financial(s, cost, life, opex, revenue)
    net = np.asarray(table["net_financial_eur"]).reshape(-1)
    # NPV at the first year, brought forward to the opening year
    at_start = npv(rate, net)
    assert np.asarray(table["discounted_net_financial_eur"]).sum() == pytest.approx(
        at_start * (1 + rate) ** build, rel=1e-9, abs=1e-3)


def test_zero_revenue_gives_negative_npv():
    _, table = financial(scenario(), 1e6, 30.0, 1e5, 0.0)
    assert np.all(np.asarray(table["revenue_eur"]) == 0)
    assert np.asarray(table["discounted_net_financial_eur"]).sum() < 0
