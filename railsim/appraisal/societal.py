"""Financial and societal cash flows per year, for one scenario or many draws at once.

Everything broadcasts: years along the last axis, draws (when vectorised) along the
first, so the central cash-flow table and the uncertainty analysis use one formula.

Societal appraisal (Finnish guidance, values in ``data/appraisal/appraisal_values.csv``):

* **user benefit** — the logsum change of the ridership model in euros (time, waiting,
  access, fares and perceived car costs), rule of half for new trips;
* **car running-cost saving** — the part of car running cost that drivers do not
  perceive (appraisal vehicle operating cost minus the perceived cost the mode choice
  already counts), on the car-km no longer driven;
* **emissions** — external emission cost of car-km and bus-km saved, minus the train's
  CO2 (diesel or electricity; diesel NOx and PM of trains are a data GAP);
* **accidents** — personal-injury accidents avoided on the car-km saved;
* **bus** — operating cost of the bus-km the authority removes as riders leave, minus
  the fares those riders no longer pay on the bus;
* **public funds** — the tax factor's excess over one on the public sector's net cash
  flow (fares and bus savings in, investment and operation out);
* then fare revenue, residual value, investment and operating cost as in the
  financial flows.

Values of time and external-cost values grow in real terms (``appraisal.unit_value_growth``)
from the price year; ridership follows ramp-up and population growth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.costs.library import index_factor
from railsim.demand.draws import Flows

if TYPE_CHECKING:
    from railsim.corridor import Corridor


@dataclass(frozen=True)
class SocietalValues:
    """Unit values at the scenario's price year."""

    car_unperceived_eur_km: float
    car_external_eur_km: float
    accident_eur_car_km: float
    bus_external_eur_km: float
    bus_cost_eur_km: float
    bus_cost_eur_h: float
    bus_adaptation: float
    fuel_tax_eur_km: float
    vat_on_fares: float
    train_co2_eur_yr: float
    """CO2 cost of a year of train operation (from fuel or electricity use)."""


def societal_values(scenario: schema.Scenario, fuel_l_yr: float, electricity_kwh_yr: float,
                    perceived_car_eur_km: float, vat_on_fares: float,
                    corridor: Corridor) -> SocietalValues:
    """Appraisal unit values indexed to the price year; train CO2 from its energy use."""
    rows = corridor.by_key("appraisal_values")
    year = scenario.costs.price_year

    def value(key: str) -> float:
        row = rows[key]
        factor = index_factor(row["price_year"], year, corridor) if row["price_year"] else 1.0
        return float(row["value"]) * factor

    co2_eur_t = value("co2_value")
    train_co2_t = (fuel_l_yr * value("diesel_co2_kg_per_l") / 1000
                   + electricity_kwh_yr * value("electricity_co2_g_per_kwh") / 1e6)
    return SocietalValues(
        car_unperceived_eur_km=max(0.0, value("car_operating_cost") - perceived_car_eur_km),
        car_external_eur_km=value("car_external_emission_cost_rural"),
        accident_eur_car_km=value("car_accident_rate") / 1e6 * value("accident_cost"),
        bus_external_eur_km=value("bus_external_emission_cost_rural"),
        bus_cost_eur_km=value("bus_operating_cost_km"),
        bus_cost_eur_h=value("bus_operating_cost_hour"),
        bus_adaptation=value("bus_service_adaptation"),
        fuel_tax_eur_km=value("car_fuel_tax_per_km"), vat_on_fares=vat_on_fares,
        train_co2_eur_yr=train_co2_t * co2_eur_t)


def bus_route_quantities(scenario: schema.Scenario, corridor: Corridor
                         ) -> dict[str, tuple[float, float]]:
    """Yearly bus-km and bus-hours of each regional route (both directions).

    Distance from the road table for the place the route serves; time from its
    scheduled in-vehicle time.
    """
    svc = scenario.service
    roads = {(r["from_place"], r["to_place"]): float(r["road_km"])
             for r in corridor.records("road_distances")}
    place_of = {r["bus_route_id"]: r["road_place"]
                for r in corridor.records("population_points") if r["bus_route_id"]}
    out = {}
    for r in corridor.records("bus_services"):
        km = roads.get(("Lahti", place_of.get(r["route_id"]) or ""))
        if km is None:
            continue
        runs = 2 * (r["departures_weekday"] * svc.weekdays_per_year
                    + (r["departures_saturday"] or 0) * svc.saturdays_per_year
                    + (r["departures_sunday"] or 0) * svc.sundays_per_year)
        out[r["route_id"]] = (runs * km, runs * float(r["in_vehicle_min"]) / 60)
    return out


def _col(x: np.ndarray | float) -> np.ndarray | float:
    """Draw arrays (D,) as a column (D, 1) so they broadcast against years."""
    return np.asarray(x)[:, None] if np.ndim(x) == 1 else x


def yearly_flows(years: np.ndarray, opening_year: int, price_year: int, *,
                 capex: np.ndarray, residual: np.ndarray, opex_annual: np.ndarray | float,
                 flows: Flows, annual_factor: float, ramp_up: np.ndarray,
                 unit_value_growth: np.ndarray | float, discount_rate: np.ndarray | float,
                 tax_factor: np.ndarray | float, values: SocietalValues,
                 routes: Mapping[str, tuple[float, float]],
                 population_growth: np.ndarray | float = 1.0) -> dict[str, np.ndarray]:
    """All cash-flow columns per year (draws first when the inputs carry them); their
    meanings are declared for cashflows.csv in :mod:`railsim.outputs`.

    Riders in a year are ``annual_factor × ramp_up × population_growth`` times the flows
    of a full weekday (:mod:`railsim.demand.growth`).
    """
    operating = (years >= opening_year).astype(float)
    riders = annual_factor * ramp_up * population_growth
    # The bus-km removed follow the share of riders lost (the ramp-up), which population
    # growth does not change.
    ramp = ramp_up * np.ones_like(riders)
    growth = (1 + _col(unit_value_growth)) ** (years - price_year)
    vat = values.vat_on_fares
    revenue = _col(flows.fares_paid_eur) * riders / (1 + vat)
    car_km = _col(flows.car_km_saved) * riders
    bus_fares_lost = _col(flows.bus_fare_lost_eur) * riders
    bus_km = np.zeros_like(riders, dtype=float)
    bus_saving = -bus_fares_lost / (1 + vat)
    for route, (km_yr, h_yr) in routes.items():
        removed = values.bus_adaptation * _col(flows.bus_lost.get(route, 0.0)) * ramp
        bus_km = bus_km + removed * km_yr
        bus_saving = bus_saving + removed * (km_yr * values.bus_cost_eur_km
                                             + h_yr * values.bus_cost_eur_h)
    opex = _col(opex_annual) * operating
    out = {
        "capex_eur": capex * np.ones_like(revenue),
        "opex_eur": opex * np.ones_like(revenue),
        "revenue_eur": revenue,
        "residual_value_eur": residual * np.ones_like(revenue),
    }
    out["net_financial_eur"] = (out["revenue_eur"] + out["residual_value_eur"]
                                - out["capex_eur"] - out["opex_eur"])
    out["discount_factor"] = (1 + _col(discount_rate)) ** -(years - opening_year).astype(float)
    out["discounted_net_financial_eur"] = out["net_financial_eur"] * out["discount_factor"]
    # Only the time part of the user benefit grows with the real value of time; fares and
    # car costs are held at the price year's level (as revenue is).
    share = _col(flows.time_share)
    out["user_benefit_eur"] = _col(flows.benefit_eur) * riders * (share * growth + 1 - share)
    out["car_cost_saving_eur"] = car_km * values.car_unperceived_eur_km
    out["emission_benefit_eur"] = growth * (car_km * values.car_external_eur_km
                                            + bus_km * values.bus_external_eur_km
                                            - values.train_co2_eur_yr * operating)
    out["accident_benefit_eur"] = car_km * values.accident_eur_car_km * growth
    out["bus_cost_saving_eur"] = bus_saving * np.ones_like(revenue)
    # Taxes are transfers: users' benefit counts fares and fuel at consumer prices, so the
    # state's VAT on fares and its lost fuel tax close the account.
    out["indirect_tax_eur"] = (vat / (1 + vat) * (_col(flows.fares_paid_eur) * riders
                                                  - bus_fares_lost)
                               - car_km * values.fuel_tax_eur_km)
    public_net = (out["revenue_eur"] + out["bus_cost_saving_eur"] + out["indirect_tax_eur"]
                  - out["capex_eur"] - out["opex_eur"])
    out["public_funds_cost_eur"] = (_col(tax_factor) - 1) * public_net
    out["net_societal_eur"] = (out["user_benefit_eur"] + out["car_cost_saving_eur"]
                               + out["emission_benefit_eur"] + out["accident_benefit_eur"]
                               + out["bus_cost_saving_eur"] + out["indirect_tax_eur"]
                               + out["public_funds_cost_eur"] + out["net_financial_eur"])
    out["discounted_net_societal_eur"] = out["net_societal_eur"] * out["discount_factor"]
    out["tax_factor"] = _col(tax_factor) * np.ones_like(revenue)
    out["passengers"] = _col(flows.passengers) * riders
    out["passenger_km"] = _col(flows.passenger_km) * riders
    return out


BENEFIT_KEYS = ("user_benefit_eur", "car_cost_saving_eur", "emission_benefit_eur",
                "accident_benefit_eur")


def npv_and_bcr(table: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Financial and societal NPV (to the opening year) and two benefit–cost ratios.

    ``bcr`` is the Finnish ratio (hyöty–kustannussuhde): the present value of every effect
    except the investment (users, third parties, operator, public finances, residual value)
    over the present value of the investment times the tax factor. It is negative when
    the operating deficit outweighs the benefits. ``bcr_public_cost`` is the benefits to
    users and third parties (user, car cost, emissions, accidents) over the whole net cost
    to the public. NPV societal is the same for both: benefits − costs.
    """
    discount = table["discount_factor"]
    npv_financial = (table["net_financial_eur"] * discount).sum(axis=-1)
    npv_societal = (table["net_societal_eur"] * discount).sum(axis=-1)
    investment = (table["capex_eur"] * table["tax_factor"] * discount).sum(axis=-1)
    benefits = sum((table[k] * discount).sum(axis=-1) for k in BENEFIT_KEYS)
    public_cost = benefits - npv_societal
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(investment > 0, (npv_societal + investment)
                       / np.where(investment > 0, investment, 1.0), np.inf)
        bcr_public = np.where(public_cost > 0, benefits
                              / np.where(public_cost > 0, public_cost, 1.0), np.inf)
    return {"npv_financial_eur": npv_financial, "npv_societal_eur": npv_societal,
            "bcr": bcr, "bcr_public_cost": bcr_public,
            "pv_benefits_eur": npv_societal + investment, "pv_investment_eur": investment}
