"""The ridership forecast of a scenario: markets → mode choice → trips, loads, KPIs.

Induced demand: trips in a market grow with its accessibility,
``T1 = T0 · exp(η · Δlogsum)`` (η = ``induced_logsum_elasticity``), and the growth is
counted as new train trips. Users are split into those diverted from bus and car (the
logit shares of the do-minimum minus those of the scenario) and new trips. The user
benefit is the logsum change in minutes (exact for the logit) for existing trips plus
the rule of half for new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.demand.choice import (
    ChoiceParameters,
    Markets,
    calibrate_car_constant,
    choose_with_do_minimum,
)
from railsim.demand.markets import MarketTable, build_markets
from railsim.demand.parameters import DemandParameters, load_parameters
from railsim.demand.supply import TrainService
from railsim.network import Network

if TYPE_CHECKING:

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan

ELASTICITY_STEP = 1.1
"""Relative change used for the arc elasticities (+10 %)."""


@dataclass
class Outcome:
    """Per-market results (markets on the last axis; draws first when vectorised)."""

    train: np.ndarray
    from_bus: np.ndarray
    from_car: np.ndarray
    induced: np.ndarray
    benefit_min: np.ndarray
    """User benefit in generalised minutes per weekday (logsum change; the appraisal's
    headline uses the rule of half instead, :mod:`railsim.appraisal.benefits`)."""
    car_constant: float | np.ndarray
    bus_do_minimum: np.ndarray | None = None
    """Bus trips without the train (the public-transport users of the do-minimum)."""


def choice_parameters(scenario: schema.Scenario, params: DemandParameters) -> ChoiceParameters:
    d = scenario.demand
    return ChoiceParameters(
        scale_per_min=d.logit_scale_per_min, train_constant_min=d.train_constant_min,
        wait_weight=d.wait_time_weight, access_weight=params.access_time_weight,
        transfer_penalty_min=d.transfer_penalty_min, fare_multiplier=d.fares.fare_multiplier,
        rail_constant_min=params.rail_constant_min, pt_nest_scale=params.pt_nest_scale)


def outcome(markets: Markets, do_minimum: Markets, p: ChoiceParameters,
            bus_share: float | np.ndarray, induced_elasticity: float | np.ndarray,
            calibration_iterations: int = 40) -> Outcome:
    """Calibrate the car constant on the do-minimum (per draw when vectorised), then
    the scenario's choices."""
    car_constant = calibrate_car_constant(do_minimum, p, bus_share, calibration_iterations)
    p = replace(p, car_constant=car_constant)
    new, base = choose_with_do_minimum(markets, p)
    # No gain without a train (the nested and binary logsums differ there by rounding).
    gain = np.where(markets.train_available, np.maximum(new.logsum - base.logsum, 0.0), 0.0)
    t0 = markets.trips
    induced = t0 * np.expm1(induced_elasticity * gain)
    return Outcome(t0 * new.train + induced, t0 * (base.bus - new.bus),
                   t0 * (base.car - new.car), induced,
                   (t0 + induced / 2) * gain / p.scale_per_min, car_constant, t0 * base.bus)


@dataclass
class Forecast:
    """Ridership of one scenario with its markets and central outcome."""

    scenario: schema.Scenario
    params: DemandParameters
    table: MarketTable
    choice: ChoiceParameters
    result: Outcome
    network: Network
    corridor: Corridor
    """The data the forecast was made from (for its tables: rolling stock, benchmarks)."""
    plan: ServicePlan | None = None

    # -- totals -----------------------------------------------------------------------

    @property
    def passengers_daily(self) -> float:
        return float(self.result.train.sum())

    @property
    def annual_factor(self) -> float:
        """Weekday-equivalents per year of train service (weekend days by their factors)."""
        svc = self.scenario.service
        has = {day: any(getattr(line, day) is not None for line in svc.lines)
               for day in ("weekday", "saturday", "sunday")}
        return (svc.weekdays_per_year * has["weekday"]
                + svc.saturdays_per_year * self.params.saturday_demand_factor * has["saturday"]
                + svc.sundays_per_year * self.params.sunday_demand_factor * has["sunday"])

    @property
    def passenger_km_daily(self) -> float:
        return float((self.result.train * self.table.distance_km).sum())

    @property
    def train_fare_eur(self) -> float:
        return self.table.fares["train_eur"] * self.scenario.demand.fares.fare_multiplier

    def fares_paid_annual_eur(self) -> float:
        """Fares paid by passengers in a full ridership year, VAT included."""
        return self.passengers_daily * self.annual_factor * self.train_fare_eur

    def revenue_annual_eur(self) -> float:
        """Fare revenue of a full ridership year, net of VAT (before ramp-up and growth)."""
        return self.fares_paid_annual_eur() / (1 + self.params.vat_on_fares)


def forecast(scenario: schema.Scenario, corridor: Corridor, plan: ServicePlan | None = None,
             realised_min: Mapping[tuple[str, str], float] | None = None,
             network: Network | None = None) -> Forecast:
    """Ridership of a scenario from its weekday timetable (``plan``; None for the
    do-minimum) and optionally the simulated mean in-vehicle times per station pair."""
    params = load_parameters(scenario, corridor)
    network = network or (plan.network if plan is not None
                          else Network.build(corridor, scenario))
    service = None
    if plan is not None and "weekday" in plan.timetables and not scenario.is_do_minimum:
        service = TrainService.from_timetable(plan.timetables["weekday"], params, realised_min)
    table = build_markets(scenario, corridor, network, params, service)
    p = choice_parameters(scenario, params)
    result = outcome(table.markets, table.do_minimum, p, params.bus_share_do_minimum,
                     params.induced_logsum_elasticity)
    return Forecast(scenario, params, table, p, result, network, corridor, plan)

