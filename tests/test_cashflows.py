"""Cash flows: renewals, residual value and the NPV identity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from railsim.appraisal.cashflows import cash_flows
from railsim.appraisal.finance import npv
from railsim.config.schema import Scenario
from railsim.costs.model import CostLine


def scenario(rate=0.035, period=30, build=2):
    return Scenario.model_validate({"name": "x", "costs": {"construction_years": build},
                                    "appraisal": {"discount_rate": rate,
                                                  "period_years": period}})


def test_renewal_and_residual_by_hand():
    s = scenario(period=30, build=0)
    flows = cash_flows(s, [CostLine("x", "asset", 1, 1000.0, 20.0)], 1.0, 0.0)
    # bought at opening (2030), renewed in 2050, 10 of 20 years left at the end of 2059
    assert flows.loc[flows.year == 2030, "capex_eur"].item() == 1000
    assert flows.loc[flows.year == 2050, "capex_eur"].item() == 1000
    assert flows.residual_value_eur.iloc[-1] == pytest.approx(500)


@settings(max_examples=30)
@given(rate=st.floats(0, 0.1), build=st.integers(0, 4), opex=st.floats(0, 1e7),
       revenue=st.floats(0, 1e7), cost=st.floats(0, 1e8), life=st.floats(5, 60))
def test_discounted_sum_equals_npv(rate, build, opex, revenue, cost, life):
    s = scenario(rate=rate, build=build)
    flows = cash_flows(s, [CostLine("x", "asset", 1, cost, life)], 1.2, opex, revenue)
    # NPV at the first year, brought forward to the opening year
    at_start = npv(rate, flows.net_financial_eur.to_numpy())
    assert flows.discounted_net_financial_eur.sum() == pytest.approx(
        at_start * (1 + rate) ** build, rel=1e-9, abs=1e-3)


def test_zero_revenue_gives_negative_npv():
    flows = cash_flows(scenario(), [CostLine("x", "a", 1, 1e6, 30.0)], 1.0, 1e5, 0.0)
    assert flows.discounted_net_financial_eur.sum() < 0
