"""What would have to change for an option to pay: break-even ridership, investment and fare.

Computed from a scenario's result tables only (cashflows.csv and kpis.csv), by the
linearity of the appraisal (railsim.appraisal.societal.yearly_flows):

* **Investment.** ``costs.capex_multiplier`` k scales the investment and renewal flows
  and the residual value together. The investment counts with the tax factor (it is
  public money), the residual value without, so the societal NPV is linear in k:
  ``NPV(k) = NPV + (k − 1) · (PV(residual) − tax factor × PV(capex))``, with capex
  cashflows.csv's ``capex_eur``: the incremental investment, infrastructure beyond the
  do-minimum's and rolling stock. The break-even investment is ``k* × capex_total_eur``
  with ``NPV(k*) = 0``: the scenario's own investment (the kept freight lines' renewal
  included) at the same multiplier. When ``k* < 0`` even a free investment would not
  pay: the operating deficit outweighs the benefits by ``NPV(0)``.
* **Ridership.** Scaling every trip of the forecast by m (same markets, same mode
  shares) scales, year by year, the fare revenue, users' benefit, car running cost
  saved, road accidents avoided, bus saving (operation and fares lost) and indirect
  taxes; the public-funds cost moves with (tax factor − 1) × (revenue + bus saving +
  taxes), the tax factor being ``pv_investment_eur`` over the present value of
  cashflows.csv's investment. ``NPV(m) = NPV + (m − 1) · R`` with R the present value of
  that ridership-driven part; the break-even ridership is ``m* × passengers_daily``.
  The emission column is held fixed: it mixes the train's own CO2 (fixed) with car and
  bus emissions avoided (which grow with riders), and the tables do not split them. The
  avoided emissions are small beside the other flows (tests/test_breakeven.py bounds
  the error against a full recomputation with the appraisal model), so m* is slightly
  high: the break-even ridership is, if anything, a little lower.
* **Fare.** The average fare per trip (``fare_per_trip_eur``, VAT included) at which the
  fares of a full ridership year cover its operating cost, at today's ridership:
  ``fare × opex_annual_eur / revenue_annual_eur``. A higher fare would lose passengers
  (``elasticity_fare``), so this is a lower bound of the fare that would really be
  needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

RIDERSHIP_COLUMNS = ("revenue_eur", "user_benefit_eur", "car_cost_saving_eur",
                     "accident_benefit_eur", "bus_cost_saving_eur", "indirect_tax_eur")
"""cashflows.csv columns proportional to the number of trips."""
PUBLIC_CASH_COLUMNS = ("revenue_eur", "bus_cost_saving_eur", "indirect_tax_eur")
"""The ridership-driven part of the public sector's net cash flow (public funds cost)."""


@dataclass(frozen=True)
class BreakEven:
    """Break-even values of one scenario (None where there is none)."""

    npv_societal_eur: float
    """The societal NPV they start from (cashflows.csv, central inputs)."""
    ridership_factor: float | None
    """m*: trips would have to be this many times today's forecast (None: no number of
    riders pays, because more riders do not add value)."""
    passengers_daily: float | None
    capex_factor: float
    """k*, which may be negative: the investment that pays is k* × today's."""
    capex_eur: float | None
    """The largest investment that still pays (None when even a free one would not)."""
    npv_without_investment_eur: float
    """NPV(k = 0): what is left when the investment costs nothing."""
    fare_eur: float | None
    """Average fare per trip, VAT included, that would cover the operating cost."""
    fare_now_eur: float | None


def _pv(cashflows: pd.DataFrame, column: str) -> float:
    if column not in cashflows:
        return 0.0
    return float((cashflows[column].fillna(0.0) * cashflows["discount_factor"]).sum())


def tax_factor(cashflows: pd.DataFrame, pv_investment_eur: float) -> float:
    """The tax factor the appraisal used: its column in cashflows.csv (older tables
    without it: pv_investment_eur over the investment's PV)."""
    if "tax_factor" in cashflows and len(cashflows):
        return float(cashflows["tax_factor"].iloc[0])
    invested = _pv(cashflows, "capex_eur")
    return pv_investment_eur / invested if invested > 0 else 1.0


def ridership_pv(cashflows: pd.DataFrame, factor_of_tax: float) -> float:
    """R: present value of the flows that grow with the number of trips."""
    direct = sum(_pv(cashflows, c) for c in RIDERSHIP_COLUMNS)
    public = sum(_pv(cashflows, c) for c in PUBLIC_CASH_COLUMNS)
    return direct + (factor_of_tax - 1.0) * public


def break_even(cashflows: pd.DataFrame, kpis: Mapping[str, float]) -> BreakEven | None:
    """The break-even values of a rail scenario, or None without cash flows or the KPIs
    they need (capex_total_eur, pv_investment_eur)."""
    needed = ("capex_total_eur", "pv_investment_eur")
    if cashflows is None or "discounted_net_societal_eur" not in cashflows or not all(
            k in kpis for k in needed):
        return None
    npv = float(cashflows["discounted_net_societal_eur"].fillna(0.0).sum())
    pv_investment = float(kpis["pv_investment_eur"])
    factor_of_tax = tax_factor(cashflows, pv_investment)
    # NPV is linear in an investment multiplier k: the investment costs k × capex, worth
    # the tax factor on public funds, and leaves k × its residual value.
    capex_slope = (_pv(cashflows, "residual_value_eur")
                   - factor_of_tax * _pv(cashflows, "capex_eur"))
    capex_factor = 1.0 - npv / capex_slope if capex_slope < 0 else float("inf")
    riders = ridership_pv(cashflows, factor_of_tax)
    ridership_factor = 1.0 - npv / riders if riders > 0 else None
    if ridership_factor is not None and ridership_factor < 0:
        ridership_factor = None
    passengers = kpis.get("passengers_daily")
    fare, revenue, opex = (kpis.get(k) for k in ("fare_per_trip_eur", "revenue_annual_eur",
                                                 "opex_annual_eur"))
    fare_needed = fare * opex / revenue if fare and revenue and opex else None
    return BreakEven(
        npv_societal_eur=npv,
        ridership_factor=ridership_factor,
        passengers_daily=(ridership_factor * passengers
                          if ridership_factor is not None and passengers is not None else None),
        capex_factor=capex_factor,
        capex_eur=(capex_factor * float(kpis["capex_total_eur"])
                   if 0 <= capex_factor < float("inf") else None),
        npv_without_investment_eur=npv - capex_slope,
        fare_eur=fare_needed,
        fare_now_eur=fare,
    )
