"""The appraisal model of a scenario, evaluated centrally or for many draws at once.

:class:`AppraisalModel` gathers what the cash flows need (the scenario's and the
do-minimum's cost lines, operating and maintenance costs, the ridership forecast, unit
values, the user-benefit inputs) once; :meth:`AppraisalModel.evaluate` then computes
every yearly flow for any number of draws of the uncertain inputs with numpy arrays
(draws × years), no Python loop per draw. The central cash-flow table is the same
computation with one draw at the base values, so the two can never disagree. The user
benefit of each draw is the rule of half on that draw's ridership outcome
(:mod:`railsim.appraisal.benefits`, called from the vectorised ridership draws).

Cost risk is counted once: the central capex carries the contingency reserve, and
``costs.capex_multiplier`` draws should have mean one (the shipped base's triangular
0.8–0.95–1.25 does) so that the draws are centred on that central estimate.

Supported uncertainty targets: the scenario fields of :data:`SCALAR_TARGETS`,
``unit_costs.<item_id>`` (investment items, in the scenario and the do-minimum alike) and
the ridership inputs of :data:`railsim.demand.draws.TARGETS`. ``railsim validate`` refuses
other targets (:func:`railsim.checks.check_uncertainty`): their draws would be left out.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from railsim import outputs
from railsim.appraisal.benefits import GROUPS, PURPOSES, BenefitInputs, benefit_inputs
from railsim.appraisal.cashflows import appraisal_years, asset_flows
from railsim.appraisal.societal import CostFlows, SocietalValues, npv_and_bcr, yearly_flows
from railsim.config import schema
from railsim.costs.model import OPERATOR, CostLine, FreightShift
from railsim.demand.draw_interpolation import interpolated_draws
from railsim.demand.draws import TARGETS as DEMAND_TARGETS
from railsim.demand.draws import Flows, demand_draws, flows
from railsim.demand.growth import population_factors, ramp_up_factors
from railsim.demand.model import Forecast
from railsim.distributions import latin_hypercube, quantile, sample
from railsim.errors import RailsimError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan


log = logging.getLogger(__name__)

CHUNK = 2000
"""Draws evaluated together: the yearly table of a chunk is about 8 KB a draw."""
POOL_MIN_DRAWS = 1000
"""Fewer draws than this are not worth sending the model to worker processes (about
7 MB pickled for the through scenario; 0.2 ms a draw)."""


SCALAR_TARGETS = ("costs.capex_multiplier", "costs.opex_multiplier", "appraisal.discount_rate",
                  "appraisal.tax_factor", "appraisal.unit_value_growth",
                  "demand.population_growth_pct_per_year")
"""Scenario fields the appraisal varies itself; besides them only the ridership inputs of
:data:`railsim.demand.draws.TARGETS` and ``unit_costs.<item_id>`` of investment items
(category ``infrastructure``) can be uncertain (:func:`railsim.checks.check_uncertainty`)."""


class DrawError(RailsimError):
    """Draws of the uncertain inputs for which the model gives no finite result."""


@dataclass
class Draws:
    """Results per draw and which inputs were varied."""

    values: dict[str, np.ndarray]
    """npv_financial_eur, npv_societal_eur, bcr, bcr_public_cost, pv_benefits_eur,
    pv_investment_eur, passengers_daily, capex_total_eur (one entry per draw)"""
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
    """Cost lines, operating cost and ridership of a scenario, ready to appraise against
    its do-minimum."""

    scenario: schema.Scenario
    capex: Sequence[CostLine]
    capex_scale: float
    """Contingency × capex multiplier applied to the lines."""
    opex_annual: float
    forecast: Forecast
    values: SocietalValues
    routes: Mapping[str, tuple[float, float]]
    benefits: BenefitInputs
    capex_do_minimum: Sequence[CostLine] = ()
    """The do-minimum's investment lines (the kept freight lines' renewal)."""
    track_charges_annual: float = 0.0
    maintenance_annual: float = 0.0
    maintenance_do_minimum_annual: float = 0.0
    freight: FreightShift = field(default_factory=lambda: FreightShift(0.0, 0.0, 0.0))

    @classmethod
    def build(cls, scenario: schema.Scenario, corridor: Corridor, plan: ServicePlan | None,
              forecast: Forecast, capex: Sequence[CostLine] | None = None,
              opex: Sequence[CostLine] | None = None,
              lateness: tuple[Mapping[tuple[str, str], float], Mapping[str, float]]
              | None = None) -> AppraisalModel:
        """The model of a planned scenario (cost lines computed unless given); ``plan``
        None appraises a scenario without trains (the do-minimum against itself);
        ``lateness`` is the simulation's (extra in-vehicle minutes per station pair, mean
        arrival delay per station [min]) for the reliability benefit."""
        from railsim.appraisal.societal import bus_route_quantities, societal_values
        from railsim.costs.model import (
            capex_lines,
            contingency_share,
            do_minimum_capex_lines,
            do_minimum_maintenance_lines,
            freight_shift,
            maintenance_lines,
            opex_lines,
            opex_total,
            track_charges_total,
        )

        units = plan.units_required if plan is not None else 0
        capex = list(capex) if capex is not None else capex_lines(scenario, corridor, units)
        if plan is None:
            opex = []
        elif opex is None:
            opex = opex_lines(plan, corridor)
        opex = list(opex)
        quantity = {line.item_id: line.quantity for line in opex}
        values = societal_values(scenario, quantity.get("diesel_price", 0.0),
                                 quantity.get("electricity_price", 0.0),
                                 forecast.params.car_cost_per_km_behavioural,
                                 forecast.params.vat_on_fares, corridor)
        t = forecast.table
        inputs = benefit_inputs(values.vot_pt_commute_eur_h, values.vot_pt_other_eur_h,
                                list(t.purpose), list(zip(t.boarding, t.alighting, strict=True)),
                                *(lateness or ({}, {})), values.lateness_factor)
        scale = (1 + contingency_share(scenario, corridor)) * scenario.costs.capex_multiplier
        return cls(
            scenario, capex, scale,
            opex_total(plan, corridor, opex) if plan is not None else 0.0,
            forecast, values, bus_route_quantities(scenario, corridor), inputs,
            do_minimum_capex_lines(scenario, corridor),
            track_charges_total(plan, opex) if plan is not None else 0.0,
            sum(x.cost_eur for x in maintenance_lines(scenario, corridor, plan)),
            sum(x.cost_eur for x in do_minimum_maintenance_lines(scenario, corridor)),
            freight_shift(plan, corridor))

    def __post_init__(self) -> None:
        self.years = appraisal_years(self.scenario)
        lines = [*self.capex, *self.capex_do_minimum]
        unit = [asset_flows(self.scenario, line.asset_life_years) for line in lines]
        self.per_line_capex = np.array([u[0] for u in unit]).reshape(len(unit), len(self.years))
        residual = np.array([u[1] for u in unit]).reshape(len(unit), len(self.years))
        if not self.scenario.appraisal.include_residual_value:
            residual[:] = 0.0
        self.per_line_residual = residual
        self.lines = lines
        self.base_cost = np.array([line.cost_eur * self.capex_scale for line in lines])
        scenario_line = np.arange(len(lines)) < len(self.capex)
        operator = np.array([line.payer == OPERATOR for line in lines], dtype=bool)
        self.groups = {"infrastructure": scenario_line & ~operator,
                       "infrastructure_do_minimum": ~scenario_line,
                       "rolling_stock": scenario_line & operator}
        fc = self.forecast
        self.central_flows = flows(fc, fc.result, fc.choice)
        self.central_flows.extra = dict(self.benefits.weekday_totals(
            fc.table.markets, fc.choice, fc.result))

    @property
    def capex_total(self) -> float:
        """The scenario's investment with contingency and multiplier (capex_total_eur)."""
        return float(self.base_cost[self.groups["infrastructure"] | self.groups["rolling_stock"]]
                     .sum())

    @property
    def capex_do_minimum_total(self) -> float:
        return float(self.base_cost[self.groups["infrastructure_do_minimum"]].sum())

    @functools.cached_property
    def central(self) -> dict[str, np.ndarray]:
        """The central yearly flows, computed once (cash flows, KPIs and tornado share it)."""
        return self.evaluate()[0]

    def riders_and_growth(self) -> tuple[np.ndarray, np.ndarray]:
        """Central weekday-to-year factors of riders and the unit-value growth per year."""
        s = self.scenario
        riders = (self.forecast.annual_factor * ramp_up_factors(s.appraisal, self.years)
                  * population_factors(s.demand.base_year, s.demand.population_growth_pct_per_year,
                                       self.years))
        growth = (1 + s.appraisal.unit_value_growth) ** (self.years - s.costs.price_year)
        return riders, growth

    def evaluate(self, inputs: Sequence[tuple[str, str, np.ndarray]] = (), draws: int = 1,
                 demand: Flows | None = None
                 ) -> tuple[dict[str, np.ndarray], Flows, list[str], list[str]]:
        """Yearly flows (draws × years) for ``inputs`` = (target, mode, values per draw);
        ``demand`` given, the ridership of these draws already computed from them."""
        s = self.scenario
        n = draws
        line_mult = np.ones((n, len(self.lines)))
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
            elif head == "unit_costs" and any(line.item_id == rest for line in self.lines):
                for k, line in enumerate(self.lines):
                    if line.item_id == rest:
                        base = self.base_cost[k]
                        line_mult[:, k] = values / base if mode == "replace" and base else values
            elif target in DEMAND_TARGETS:
                demand_inputs.append((target, mode, values))
            else:
                ignored.append(target)
                continue
            used.append(target)
        if not demand_inputs:
            demand = self.central_flows
        elif demand is None:
            demand = demand_draws(self.forecast, demand_inputs,
                                  weights=self.benefits.weekday_weights).flows
        cost = line_mult * self.base_cost[None, :] * scalars["costs.capex_multiplier"][:, None]

        def spend(group: str, per_line: np.ndarray) -> np.ndarray:
            # line by line, not a matrix product: a draw's sum must not depend on the
            # other draws evaluated with it (chunks)
            total = np.zeros((n, len(self.years)))
            for k in np.flatnonzero(self.groups[group]):
                total = total + cost[:, k:k + 1] * per_line[k]
            return total

        opex_mult = scalars["costs.opex_multiplier"]
        costs = CostFlows(
            infrastructure_capex=spend("infrastructure", self.per_line_capex),
            infrastructure_capex_do_minimum=spend("infrastructure_do_minimum",
                                                  self.per_line_capex),
            rolling_stock_capex=spend("rolling_stock", self.per_line_capex),
            infrastructure_residual=spend("infrastructure", self.per_line_residual),
            infrastructure_residual_do_minimum=spend("infrastructure_do_minimum",
                                                     self.per_line_residual),
            rolling_stock_residual=spend("rolling_stock", self.per_line_residual),
            opex_annual=self.opex_annual * opex_mult,
            track_charges_annual=self.track_charges_annual * opex_mult,
            maintenance_annual=self.maintenance_annual,
            maintenance_do_minimum_annual=self.maintenance_do_minimum_annual,
            freight_cost_annual=self.freight.cost_eur)
        fc = self.forecast
        population = population_factors(s.demand.base_year,
                                        scalars["demand.population_growth_pct_per_year"],
                                        self.years)
        table = yearly_flows(
            self.years, s.appraisal.opening_year, s.costs.price_year, costs=costs,
            flows=demand, annual_factor=fc.annual_factor,
            ramp_up=ramp_up_factors(s.appraisal, self.years)[None, :],
            unit_value_growth=scalars["appraisal.unit_value_growth"],
            discount_rate=scalars["appraisal.discount_rate"],
            tax_factor=scalars["appraisal.tax_factor"], values=self.values, routes=self.routes,
            population_growth=population)
        table["_capex_total_eur"] = cost[:, ~self.groups["infrastructure_do_minimum"]].sum(axis=1)
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

    def benefit_table(self) -> pd.DataFrame:
        """The central user benefit per year, user group and purpose: the columns declared
        for benefits.csv (rows sum to cashflows.csv user_benefit_eur)."""
        import pandas as pd

        fc = self.forecast
        weekday = self.benefits.by_group(fc.table.markets, fc.choice, fc.result)
        riders, growth = self.riders_and_growth()
        rows = []
        for year, r, g in zip(self.years, riders, growth, strict=True):
            for group in GROUPS:
                for purpose in PURPOSES:
                    w = {k: float(np.asarray(v).reshape(-1)[0])
                         for k, v in weekday[(group, purpose)].items()}
                    time, money = w["time_eur"] * r * g, w["money_eur"] * r
                    reliability = w["reliability_eur"] * r * g
                    trips = w["trips"] * r
                    rows.append({"year": int(year), "user_group": group, "purpose": purpose,
                                 "trips": trips, "hours_saved": w["hours_saved"] * r,
                                 "minutes_saved_per_trip": (60 * w["hours_saved"] / w["trips"]
                                                            if w["trips"] > 0 else 0.0),
                                 "time_benefit_eur": time, "money_benefit_eur": money,
                                 "reliability_benefit_eur": reliability,
                                 "user_benefit_eur": time + money + reliability})
        return pd.DataFrame(rows, columns=list(outputs.column_names("benefits.csv")))

    def sample_inputs(self, rng: np.random.Generator, draws: int
                      ) -> list[tuple[str, str, np.ndarray]]:
        """The values of each uncertain input for ``draws`` draws, in the scenario's
        order, by its ``uncertainty.sampling``."""
        draw = (latin_hypercube if self.scenario.uncertainty.sampling == "latin_hypercube"
                else sample)
        return [(item.target, item.mode, draw(item.distribution, rng, draws))
                for item in self.scenario.uncertainty.inputs]

    def draws(self, rng: np.random.Generator, draws: int | None = None,
              chunk: int = CHUNK, pool: Executor | None = None, workers: int = 1) -> Draws:
        """NPVs and BCR for each draw of the scenario's uncertain inputs (all inputs drawn
        first, in the scenario's order, then evaluated ``chunk`` draws at a time).

        ``pool`` given, its ``workers`` evaluate a slice of the draws each (a lone
        scenario's run leaves them idle otherwise); a draw's numbers do not depend on
        the slice it is in, so the results are the same bytes."""
        n = draws or self.scenario.uncertainty.draws
        inputs = self.sample_inputs(rng, n)
        demand = self.interpolated_demand(inputs, n)
        if demand is not None:  # the rest is light: no worker needed
            return self.results(inputs, n, chunk, demand)
        # (sent even while the workers still import railsim: the draws take longer)
        if pool is None or workers <= 1 or n < POOL_MIN_DRAWS:
            return self.results(inputs, n, chunk)
        log.debug("%d uncertainty draws on %d worker processes", n, workers)
        bounds = [n * k // workers for k in range(workers + 1)]
        futures = [pool.submit(self.results, [(target, mode, np.asarray(v)[a:b])
                                              for target, mode, v in inputs], b - a, chunk)
                   for a, b in itertools.pairwise(bounds)]
        try:
            parts = [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return Draws({key: np.concatenate([part.values[key] for part in parts])
                      for key in parts[0].values}, parts[-1].used, parts[-1].ignored)

    def interpolated_demand(self, inputs: Sequence[tuple[str, str, np.ndarray]], draws: int
                            ) -> Flows | None:
        """The ridership of all ``draws`` of ``inputs`` by interpolation
        (:func:`~railsim.demand.draw_interpolation.interpolated_draws`), computed once for
        the whole sample so that no chunk or worker changes it; None when the draws do not
        allow it (then each chunk computes its own draws exactly)."""
        demand_inputs = [(target, mode, values) for target, mode, values in inputs
                         if target in DEMAND_TARGETS]
        if not demand_inputs:
            return None
        # an input drawn beyond what the model takes overflows: check_finite names it
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            found = interpolated_draws(self.forecast, demand_inputs,
                                       weights=self.benefits.weekday_weights)
        if found is None:
            log.debug("ridership of %d draws computed draw by draw", draws)
            return None
        log.debug("ridership of %d draws %s", draws, found.interpolated)
        return found.flows

    def results(self, inputs: Sequence[tuple[str, str, np.ndarray]], draws: int,
                chunk: int = CHUNK, demand: Flows | None = None) -> Draws:
        """:class:`Draws` of ``inputs`` = (target, mode, values per draw), evaluated in
        chunks of ``chunk`` draws: memory stays bounded by the chunk (the yearly table of
        a chunk only), and each draw's numbers are the same for any chunk size. ``demand``
        is the ridership of all draws when computed beforehand."""
        n = draws
        keys = ("npv_financial_eur", "npv_societal_eur", "bcr", "bcr_public_cost",
                "pv_benefits_eur", "pv_investment_eur", "passengers_daily", "capex_total_eur")
        values = {key: np.empty(n) for key in keys}
        used: list[str] = []
        ignored: list[str] = []
        step = max(1, int(chunk))
        for start in range(0, n, step):
            stop = min(start + step, n)
            part = [(target, mode, np.asarray(v)[start:stop]) for target, mode, v in inputs]
            # an input drawn beyond what the model takes overflows: check_finite names it
            with np.errstate(over="ignore", invalid="ignore"):
                table, flows_part, used, ignored = self.evaluate(
                    part, stop - start, None if demand is None else demand.part(start, stop))
                result = npv_and_bcr(table)
            result["passengers_daily"] = np.asarray(flows_part.passengers)
            result["capex_total_eur"] = table["_capex_total_eur"]
            for key in keys:
                values[key][start:stop] = np.broadcast_to(result[key], (stop - start,))
        return Draws(values, used, ignored)

    def check_finite(self, draws: Draws) -> None:
        """Raise :class:`DrawError` naming the uncertain inputs that alone, at an end of the
        range they are drawn from, give no finite societal NPV, when some draws gave none
        (their statistics would leave those draws out in silence)."""
        from railsim.distributions import drawn_range

        bad = int(np.count_nonzero(~np.isfinite(draws.values["npv_societal_eur"])))
        if not bad:
            return
        culprits = []
        for item in self.scenario.uncertainty.inputs:
            ends = np.array(drawn_range(item.distribution), dtype=float)
            with np.errstate(over="ignore", invalid="ignore"):
                table, _, _, _ = self.evaluate([(item.target, item.mode, ends)], 2)
                npv = np.broadcast_to(npv_and_bcr(table)["npv_societal_eur"], (2,))
            if not np.isfinite(npv).all():
                culprits.append(f"{item.target} ({item.mode}, drawn from {ends[0]:g} to "
                                f"{ends[1]:g})")
        raise DrawError(f"uncertainty.inputs: {bad} of {len(draws.values['npv_societal_eur'])} "
                        "draws give no finite societal NPV (a value the ridership or cost "
                        "model cannot take); "
                        + (f"alone, {'; '.join(culprits)} gives none: narrow its "
                           "distribution" if culprits else "narrow the widest distributions"))

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
