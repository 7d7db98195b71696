"""Yearly cash flows over the appraisal period: construction, operation, renewals, residual.

Conventions: investment is spread evenly over ``costs.construction_years`` before the
opening year; the discounting base year is the opening year (flows before it are
compounded up, as Finnish practice discounts to the opening year); an asset whose life
ends inside the period is renewed at full cost; at the end of the period each asset is
credited its remaining life share of its last purchase (straight-line residual value).
The yearly table itself is built in :mod:`railsim.appraisal.societal` (financial and
societal columns together, for one draw or many).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema

if TYPE_CHECKING:
    pass

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
