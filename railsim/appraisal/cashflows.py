"""Yearly cash flows over the appraisal period: construction, operation, renewals, residual.

Conventions: investment is spread evenly over ``costs.construction_years`` before the
opening year; the discounting base year is the opening year (flows before it are
compounded up, as Finnish practice discounts to the opening year); an asset whose life
ends inside the period is renewed at full cost; at the end of the period each asset is
credited its remaining life share of its last purchase (straight-line residual value).
Revenue and benefits are inputs (the ridership model supplies them when it lands).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.costs.model import CostLine

if TYPE_CHECKING:
    import pandas as pd

CASHFLOW_COLUMNS = {
    "year": "Calendar year.",
    "capex_eur": "Investment incl. renewals, contingency and multiplier [EUR].",
    "opex_eur": "Operating cost [EUR].",
    "revenue_eur": "Fare revenue [EUR].",
    "residual_value_eur": "Residual value credited in the last year [EUR].",
    "net_financial_eur": "revenue + residual − capex − opex [EUR].",
    "discount_factor": "(1 + r) ** −(year − opening year).",
    "discounted_net_financial_eur": "net_financial × discount_factor [EUR].",
}


def appraisal_years(scenario: schema.Scenario) -> np.ndarray:
    """Calendar years of the cash-flow table: construction, then the appraisal period."""
    opening = scenario.appraisal.opening_year
    return np.arange(opening - scenario.costs.construction_years,
                     opening + scenario.appraisal.period_years)


def asset_flows(scenario: schema.Scenario, life: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Investment and residual-value flows per euro of an asset's cost, by year."""
    years = appraisal_years(scenario)
    build = scenario.costs.construction_years
    opening = scenario.appraisal.opening_year
    end = opening + scenario.appraisal.period_years  # first year after the period
    invest = np.zeros(len(years))
    residual = np.zeros(len(years))
    if build:
        invest[:build] += 1.0 / build
    else:
        invest[0] += 1.0
    if life:
        last_purchase: float = opening
        renewal = opening + life
        while renewal < end:
            invest[years == math.floor(renewal)] += 1.0
            last_purchase = renewal
            renewal += life
        residual[-1] = max(0.0, last_purchase + life - end) / life
    return invest, residual


def cash_flows(scenario: schema.Scenario, capex: Sequence[CostLine], capex_scale: float,
               opex_annual: float, revenue_annual: Sequence[float] | float = 0.0
               ) -> pd.DataFrame:
    """Cash-flow table; ``capex_scale`` applies contingency and multiplier to the lines.

    ``revenue_annual`` is one value for every operating year or one per operating year.
    """
    import pandas as pd

    appraisal = scenario.appraisal
    opening = appraisal.opening_year
    years = appraisal_years(scenario)
    capex_flow = np.zeros(len(years))
    residual = np.zeros(len(years))
    for line in capex:
        unit_capex, unit_residual = asset_flows(scenario, line.asset_life_years)
        cost = line.cost_eur * capex_scale
        capex_flow += cost * unit_capex
        residual += cost * unit_residual
    if not appraisal.include_residual_value:
        residual[:] = 0.0
    operating = years >= opening
    opex_flow = np.where(operating, opex_annual, 0.0)
    revenue = np.zeros(len(years))
    if isinstance(revenue_annual, int | float):
        revenue[operating] = revenue_annual
    else:
        revenue[operating] = np.asarray(revenue_annual, dtype=float)
    net = revenue + residual - capex_flow - opex_flow
    factor = (1 + appraisal.discount_rate) ** -(years - opening).astype(float)
    return pd.DataFrame({
        "year": years, "capex_eur": capex_flow, "opex_eur": opex_flow, "revenue_eur": revenue,
        "residual_value_eur": residual, "net_financial_eur": net, "discount_factor": factor,
        "discounted_net_financial_eur": net * factor,
    }, columns=list(CASHFLOW_COLUMNS))
