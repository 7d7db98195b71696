"""Vectorised Monte Carlo of the appraisal over the scenario's uncertain inputs.

The cash flows are linear in every cost line and in the operating cost, so each draw is
a few array products: per-line flows per euro (years × lines) are computed once, the
draws give multipliers (draws × lines) and discount rates (draws), and NPV for all draws
follows without a Python loop per draw. Supported targets so far: ``costs.capex_multiplier``,
``costs.opex_multiplier``, ``appraisal.discount_rate`` and ``unit_costs.<item_id>`` (a
multiplier on the lines priced with that item). Others are reported as not yet used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from railsim.appraisal.cashflows import appraisal_years, asset_flows
from railsim.config import schema
from railsim.costs.model import CostLine
from railsim.distributions import sample

SUPPORTED = ("costs.capex_multiplier", "costs.opex_multiplier", "appraisal.discount_rate")


@dataclass
class UncertaintyResult:
    """NPV draws and the inputs that were (not) varied."""

    npv_eur: np.ndarray
    used: list[str]
    ignored: list[str]

    def statistics(self) -> dict[str, float]:
        values = self.npv_eur
        return {"mean": float(values.mean()), "p10": float(np.quantile(values, 0.1)),
                "p50": float(np.quantile(values, 0.5)), "p90": float(np.quantile(values, 0.9)),
                "prob_positive": float((values > 0).mean())}


def npv_draws(scenario: schema.Scenario, capex: Sequence[CostLine], capex_scale: float,
              opex_annual: float, revenue_annual: float, rng: np.random.Generator,
              draws: int | None = None) -> UncertaintyResult:
    """Financial NPV (to the opening year) for each draw of the uncertain inputs."""
    n = draws or scenario.uncertainty.draws
    years = appraisal_years(scenario)
    opening = scenario.appraisal.opening_year
    operating = (years >= opening).astype(float)
    per_line = np.array([sum(asset_flows(scenario, line.asset_life_years)[k] * sign
                             for k, sign in ((0, -1.0), (1, 1.0)))
                         for line in capex]).reshape(len(capex), len(years))
    base_cost = np.array([line.cost_eur * capex_scale for line in capex])
    line_mult = np.ones((n, len(capex)))
    capex_mult = np.ones(n)
    opex_mult = np.ones(n)
    rate = np.full(n, scenario.appraisal.discount_rate)
    used, ignored = [], []
    for item in scenario.uncertainty.inputs:
        values = sample(item.distribution, rng, n)
        head, _, rest = item.target.partition(".")
        if item.target in SUPPORTED:
            target = {"costs.capex_multiplier": capex_mult, "costs.opex_multiplier": opex_mult,
                      "appraisal.discount_rate": rate}[item.target]
            target[:] = values if item.mode == "replace" else target * values
            used.append(item.target)
        elif head == "unit_costs" and any(line.item_id == rest for line in capex):
            columns = [k for k, line in enumerate(capex) if line.item_id == rest]
            for k in columns:
                base = base_cost[k]
                line_mult[:, k] = values / base if item.mode == "replace" and base else values
            used.append(item.target)
        else:
            ignored.append(item.target)
    factors = (1.0 + rate[:, None]) ** -(years - opening)[None, :].astype(float)  # draws × years
    capex_flows = (line_mult * base_cost[None, :]) @ per_line * capex_mult[:, None]
    operating_flows = (revenue_annual - opex_annual * opex_mult)[:, None] * operating[None, :]
    npv = ((capex_flows + operating_flows) * factors).sum(axis=1)
    return UncertaintyResult(npv, used, ignored)
