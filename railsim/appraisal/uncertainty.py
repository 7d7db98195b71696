"""The appraisal model of a scenario, evaluated centrally or for many draws at once.

:class:`AppraisalModel` gathers what the cash flows need (cost lines, operating cost,
the ridership forecast, unit values) once; :meth:`AppraisalModel.evaluate` then computes
every yearly flow for any number of draws of the uncertain inputs with numpy arrays
(draws × years), no Python loop per draw. The central cash-flow table is the same
computation with one draw at the base values, so the two can never disagree.

Supported uncertainty targets: ``costs.capex_multiplier``, ``costs.opex_multiplier``,
``unit_costs.<item_id>`` (investment items), ``appraisal.discount_rate``,
``appraisal.tax_factor``, ``appraisal.unit_value_growth``,
``demand.population_growth_pct_per_year`` and the ridership inputs of
:data:`railsim.demand.draws.TARGETS`. Other targets are reported as ignored.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from railsim import outputs
from railsim.appraisal.cashflows import appraisal_years, asset_flows
from railsim.appraisal.societal import SocietalValues, npv_and_bcr, yearly_flows
from railsim.config import schema
from railsim.costs.model import CostLine
from railsim.demand.draws import TARGETS as DEMAND_TARGETS
from railsim.demand.draws import Flows, demand_draws, flows
from railsim.demand.growth import population_factors, ramp_up_factors
from railsim.demand.model import Forecast
from railsim.distributions import quantile, sample

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan


@dataclass
class Draws:
    """Results per draw and which inputs were varied."""

    values: dict[str, np.ndarray]
    """npv_financial_eur, npv_societal_eur, bcr, bcr_public_cost, pv_benefits_eur,
    pv_investment_eur, passengers_daily (one entry per draw)"""
    used: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def statistics(self, key: str) -> dict[str, float]:
        v = self.values[key]
        finite = v[np.isfinite(v)]
        if not len(finite):
            return {}
        return {"mean": float(finite.mean()), "p10": float(np.quantile(finite, 0.1)),
                "p50": float(np.quantile(finite, 0.5)), "p90": float(np.quantile(finite, 0.9))}


@dataclass
class AppraisalModel:
    """Cost lines, operating cost and ridership of a scenario, ready to appraise."""

    scenario: schema.Scenario
    capex: Sequence[CostLine]
    capex_scale: float
    """Contingency × capex multiplier applied to the lines."""
    opex_annual: float
    forecast: Forecast
    values: SocietalValues
    routes: Mapping[str, tuple[float, float]]

    @classmethod
    def build(cls, scenario: schema.Scenario, corridor: Corridor, plan: ServicePlan,
              forecast: Forecast, capex: Sequence[CostLine] | None = None,
              opex: Sequence[CostLine] | None = None) -> AppraisalModel:
        """The model of a planned scenario (cost lines computed unless given)."""
        from railsim.appraisal.societal import bus_route_quantities, societal_values
        from railsim.costs.model import capex_lines, capex_total, opex_lines, opex_total

        capex = (list(capex) if capex is not None
                 else capex_lines(scenario, corridor, plan.units_required))
        opex = list(opex) if opex is not None else opex_lines(plan, corridor)
        quantity = {line.item_id: line.quantity for line in opex}
        values = societal_values(scenario, quantity.get("diesel_price", 0.0),
                                 quantity.get("electricity_price", 0.0),
                                 forecast.params.car_cost_per_km_behavioural,
                                 forecast.params.vat_on_fares, corridor)
        base = sum(line.cost_eur for line in capex)
        return cls(scenario, capex,
                   capex_total(scenario, corridor, capex) / base if base else 1.0,
                   opex_total(plan, corridor, opex), forecast, values,
                   bus_route_quantities(scenario, corridor))

    def __post_init__(self) -> None:
        self.years = appraisal_years(self.scenario)
        unit = [asset_flows(self.scenario, line.asset_life_years) for line in self.capex]
        self.per_line_capex = np.array([u[0] for u in unit]).reshape(len(unit), len(self.years))
        residual = np.array([u[1] for u in unit]).reshape(len(unit), len(self.years))
        if not self.scenario.appraisal.include_residual_value:
            residual[:] = 0.0
        self.per_line_residual = residual
        self.base_cost = np.array([line.cost_eur * self.capex_scale for line in self.capex])
        self.central_flows = flows(self.forecast, self.forecast.result, self.forecast.choice)

    @functools.cached_property
    def central(self) -> dict[str, np.ndarray]:
        """The central yearly flows, computed once (cash flows, KPIs and tornado share it)."""
        return self.evaluate()[0]

    def evaluate(self, inputs: Sequence[tuple[str, str, np.ndarray]] = (), draws: int = 1
                 ) -> tuple[dict[str, np.ndarray], Flows, list[str], list[str]]:
        """Yearly flows (draws × years) for ``inputs`` = (target, mode, values per draw)."""
        s = self.scenario
        n = draws
        line_mult = np.ones((n, len(self.capex)))
        scalars = {"costs.capex_multiplier": np.ones(n), "costs.opex_multiplier": np.ones(n),
                   "appraisal.discount_rate": np.full(n, s.appraisal.discount_rate),
                   "appraisal.tax_factor": np.full(n, s.appraisal.tax_factor),
                   "appraisal.unit_value_growth": np.full(n, s.appraisal.unit_value_growth),
                   "demand.population_growth_pct_per_year":
                       np.full(n, s.demand.population_growth_pct_per_year)}
        demand_inputs, used, ignored = [], [], []
        for target, mode, values in inputs:
            head, _, rest = target.partition(".")
            if target in scalars:
                scalars[target] = values if mode == "replace" else scalars[target] * values
            elif head == "unit_costs" and any(line.item_id == rest for line in self.capex):
                for k, line in enumerate(self.capex):
                    if line.item_id == rest:
                        base = self.base_cost[k]
                        line_mult[:, k] = values / base if mode == "replace" and base else values
            elif target in DEMAND_TARGETS:
                demand_inputs.append((target, mode, values))
            else:
                ignored.append(target)
                continue
            used.append(target)
        if demand_inputs:
            demand = demand_draws(self.forecast, demand_inputs).flows
        else:
            demand = self.central_flows
        cost = line_mult * self.base_cost[None, :] * scalars["costs.capex_multiplier"][:, None]
        fc = self.forecast
        population = population_factors(s.demand.base_year,
                                        scalars["demand.population_growth_pct_per_year"],
                                        self.years)
        table = yearly_flows(
            self.years, s.appraisal.opening_year, s.costs.price_year,
            capex=cost @ self.per_line_capex, residual=cost @ self.per_line_residual,
            opex_annual=self.opex_annual * scalars["costs.opex_multiplier"],
            flows=demand, annual_factor=fc.annual_factor,
            ramp_up=ramp_up_factors(s.appraisal, self.years)[None, :],
            unit_value_growth=scalars["appraisal.unit_value_growth"],
            discount_rate=scalars["appraisal.discount_rate"],
            tax_factor=scalars["appraisal.tax_factor"], values=self.values, routes=self.routes,
            population_growth=population)
        return table, demand, used, ignored

    def cashflow_table(self) -> pd.DataFrame:
        """The central cash flows: one row per year, the columns declared for
        cashflows.csv in :mod:`railsim.outputs` (a pandas DataFrame)."""
        import pandas as pd

        table = self.central
        frame = pd.DataFrame({"year": self.years})
        for column in outputs.column_names("cashflows.csv"):
            if column != "year":
                frame[column] = np.broadcast_to(table[column], (1, len(self.years)))[0]
        return frame

    def sample_inputs(self, rng: np.random.Generator, draws: int
                      ) -> list[tuple[str, str, np.ndarray]]:
        return [(item.target, item.mode, sample(item.distribution, rng, draws))
                for item in self.scenario.uncertainty.inputs]

    def draws(self, rng: np.random.Generator, draws: int | None = None) -> Draws:
        """NPVs and BCR for each draw of the scenario's uncertain inputs."""
        n = draws or self.scenario.uncertainty.draws
        table, demand, used, ignored = self.evaluate(self.sample_inputs(rng, n), n)
        result = {k: np.broadcast_to(v, (n,)).astype(float)
                  for k, v in npv_and_bcr(table).items()}
        result["passengers_daily"] = np.broadcast_to(demand.passengers, (n,)).astype(float)
        return Draws(result, used, ignored)

    def tornado(self, quantiles: tuple[float, float] = (0.1, 0.9)) -> list[dict[str, object]]:
        """One input at a time at its 10th and 90th percentile (exact, from the inverse
        distribution function), the others at base."""
        base = float(npv_and_bcr(self.central)["npv_societal_eur"].reshape(-1)[0])
        rows = []
        for item in self.scenario.uncertainty.inputs:
            low, high = (float(v) for v in quantile(item.distribution, np.array(quantiles)))
            table, _, used, _ = self.evaluate(
                [(item.target, item.mode, np.array([low, high]))], 2)
            if not used:
                continue
            npv = np.broadcast_to(npv_and_bcr(table)["npv_societal_eur"], (2,))
            rows.append({"input": item.target, "low_value": low, "high_value": high,
                         "npv_societal_low_eur": float(npv[0]),
                         "npv_societal_high_eur": float(npv[1]),
                         "base_npv_societal_eur": base})
        rows.sort(key=lambda r: -abs(float(r["npv_societal_high_eur"])  # type: ignore[arg-type]
                                     - float(r["npv_societal_low_eur"])))  # type: ignore[arg-type]
        return rows
