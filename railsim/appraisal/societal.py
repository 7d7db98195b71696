"""Financial and societal cash flows per year, for one scenario or many draws at once.

Everything broadcasts: years along the last axis, draws (when vectorised) along the
first, so the central cash-flow table and the uncertainty analysis use one formula.

Societal appraisal (Finnish guidance, values in ``data/appraisal/appraisal_values.csv``):

* **user benefit** — the rule of half on the change of the public-transport trip's
  generalised cost per market (:mod:`railsim.appraisal.benefits`): time, money and
  reliability;
* **car running-cost saving** — the part of car running cost that drivers do not
  perceive (appraisal vehicle operating cost minus the perceived cost the mode choice
  already counts), on the car-km no longer driven;
* **emissions** — external emission cost of car-km and bus-km saved, minus the train's
  CO2 (diesel or electricity; diesel NOx and PM of trains are a data GAP);
* **accidents** — personal-injury accidents avoided on the car-km saved;
* **bus** — operating cost of the bus-km the authority removes as riders leave, minus
  the fares those riders no longer pay on the bus;
* **freight** — the freight operators' cost of paths moved to fit the passenger trains;
* **public funds** — the tax factor's excess over one on the public sector's net cash
  flow (fares and bus savings in, investment and operation out);
* then fare revenue, residual value, investment, operating cost and the extra
  infrastructure maintenance as in the financial flows.

Costs are increments over the do-minimum (:class:`CostFlows`): its freight-line renewal
and track maintenance are subtracted from the scenario's, and both are in the table.

Values of time and external-cost values grow in real terms (``appraisal.unit_value_growth``)
from the price year; ridership follows ramp-up and population growth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.demand.draws import Flows
from railsim.prices import index_factor

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
    vot_pt_commute_eur_h: float = 0.0
    """Appraisal value of time of public-transport users commuting."""
    vot_pt_other_eur_h: float = 0.0
    """Appraisal value of time of public-transport users on other trips (leisure values)."""
    lateness_factor: float = 1.0
    """A minute of mean lateness weighs this many scheduled in-vehicle minutes."""


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
        train_co2_eur_yr=train_co2_t * co2_eur_t, vot_pt_commute_eur_h=value("vot_pt_commute"),
        vot_pt_other_eur_h=value("vot_pt_leisure"), lateness_factor=value("lateness_factor"))


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


Flow = np.ndarray | float


@dataclass(frozen=True)
class CostFlows:
    """The cost side of one appraisal: investment and residual flows per year (draws ×
    years or years), yearly running costs (a number or one per draw).

    ``*_do_minimum`` is what happens without the project; the cash-flow table subtracts
    it from the scenario's."""

    infrastructure_capex: Flow = 0.0
    infrastructure_capex_do_minimum: Flow = 0.0
    rolling_stock_capex: Flow = 0.0
    """Rolling stock and depot: the operator's capital."""
    infrastructure_residual: Flow = 0.0
    infrastructure_residual_do_minimum: Flow = 0.0
    rolling_stock_residual: Flow = 0.0
    opex_annual: Flow = 0.0
    """The operator's running cost, track charges included."""
    track_charges_annual: Flow = 0.0
    """Track access charge and track tax in opex (received by the state)."""
    maintenance_annual: Flow = 0.0
    """Infrastructure maintenance with the scenario (the state's)."""
    maintenance_do_minimum_annual: Flow = 0.0
    freight_cost_annual: Flow = 0.0
    """Freight operators' cost of the paths moved."""


def yearly_flows(years: np.ndarray, opening_year: int, price_year: int, *,
                 costs: CostFlows, flows: Flows, annual_factor: float, ramp_up: np.ndarray,
                 unit_value_growth: np.ndarray | float, discount_rate: np.ndarray | float,
                 tax_factor: np.ndarray | float, values: SocietalValues,
                 routes: Mapping[str, tuple[float, float]],
                 population_growth: np.ndarray | float = 1.0) -> dict[str, np.ndarray]:
    """All cash-flow columns per year (draws first when the inputs carry them); their
    meanings are declared for cashflows.csv in :mod:`railsim.outputs`.

    Riders in a year are ``annual_factor × ramp_up × population_growth`` times the flows
    of a full weekday (:mod:`railsim.demand.growth`); the user benefit is taken from
    ``flows.extra`` (``user_time_eur``, ``user_money_eur``, ``user_reliability_eur`` per
    weekday, :mod:`railsim.appraisal.benefits`).
    """
    operating = (years >= opening_year).astype(float)
    riders = annual_factor * ramp_up * population_growth
    # The bus-km removed follow the share of riders lost (the ramp-up), which population
    # growth does not change.
    ramp = ramp_up * np.ones_like(riders)
    growth = (1 + _col(unit_value_growth)) ** (years - price_year)
    vat = values.vat_on_fares
    revenue = _col(flows.fares_paid_eur) * riders / (1 + vat)
    ones = np.ones_like(revenue)
    car_km = _col(flows.car_km_saved) * riders
    bus_fares_lost = _col(flows.bus_fare_lost_eur) * riders
    bus_km = np.zeros_like(riders, dtype=float)
    bus_operating = np.zeros_like(riders, dtype=float)
    for route, (km_yr, h_yr) in routes.items():
        removed = values.bus_adaptation * _col(flows.bus_lost.get(route, 0.0)) * ramp
        bus_km = bus_km + removed * km_yr
        bus_operating = bus_operating + removed * (km_yr * values.bus_cost_eur_km
                                                   + h_yr * values.bus_cost_eur_h)

    def yearly(annual: Flow) -> np.ndarray:
        return _col(annual) * operating * ones

    out = {
        "infrastructure_capex_scenario_eur": costs.infrastructure_capex * ones,
        "infrastructure_capex_do_minimum_eur": costs.infrastructure_capex_do_minimum * ones,
    }
    out["infrastructure_capex_eur"] = (out["infrastructure_capex_scenario_eur"]
                                       - out["infrastructure_capex_do_minimum_eur"])
    out["rolling_stock_capex_eur"] = costs.rolling_stock_capex * ones
    out["capex_eur"] = out["infrastructure_capex_eur"] + out["rolling_stock_capex_eur"]
    out["infrastructure_maintenance_scenario_eur"] = yearly(costs.maintenance_annual)
    out["infrastructure_maintenance_do_minimum_eur"] = yearly(costs.maintenance_do_minimum_annual)
    out["infrastructure_maintenance_eur"] = (out["infrastructure_maintenance_scenario_eur"]
                                             - out["infrastructure_maintenance_do_minimum_eur"])
    out["opex_eur"] = yearly(costs.opex_annual)
    out["track_charges_eur"] = yearly(costs.track_charges_annual)
    out["revenue_eur"] = revenue
    out["infrastructure_residual_eur"] = (costs.infrastructure_residual
                                          - costs.infrastructure_residual_do_minimum) * ones
    out["rolling_stock_residual_eur"] = costs.rolling_stock_residual * ones
    out["residual_value_eur"] = (out["infrastructure_residual_eur"]
                                 + out["rolling_stock_residual_eur"])
    # The project's own money: the track charges go from the operator to the state.
    out["net_financial_eur"] = (out["revenue_eur"] + out["residual_value_eur"]
                                - out["capex_eur"] - out["opex_eur"] + out["track_charges_eur"]
                                - out["infrastructure_maintenance_eur"])
    out["discount_factor"] = (1 + _col(discount_rate)) ** -(years - opening_year).astype(float)
    out["discounted_net_financial_eur"] = out["net_financial_eur"] * out["discount_factor"]
    # Time and reliability grow with the real value of time; money (fares, car costs) is
    # held at the price year's level, as revenue is.
    extra = flows.extra
    out["user_time_benefit_eur"] = _col(extra.get("user_time_eur", 0.0)) * riders * growth
    out["user_money_benefit_eur"] = _col(extra.get("user_money_eur", 0.0)) * riders * ones
    out["user_reliability_benefit_eur"] = (_col(extra.get("user_reliability_eur", 0.0))
                                           * riders * growth)
    out["user_benefit_eur"] = (out["user_time_benefit_eur"] + out["user_money_benefit_eur"]
                               + out["user_reliability_benefit_eur"])
    out["car_cost_saving_eur"] = car_km * values.car_unperceived_eur_km
    out["emission_benefit_eur"] = growth * (car_km * values.car_external_eur_km
                                            + bus_km * values.bus_external_eur_km
                                            - values.train_co2_eur_yr * operating)
    out["accident_benefit_eur"] = car_km * values.accident_eur_car_km * growth
    out["bus_operating_saving_eur"] = bus_operating * ones
    out["bus_revenue_lost_eur"] = bus_fares_lost / (1 + vat) * ones
    out["bus_cost_saving_eur"] = out["bus_operating_saving_eur"] - out["bus_revenue_lost_eur"]
    out["freight_cost_eur"] = -yearly(costs.freight_cost_annual)
    # Taxes are transfers: users' benefit counts fares and fuel at consumer prices, so the
    # state's VAT on fares and its lost fuel tax close the account.
    out["indirect_tax_eur"] = (vat / (1 + vat) * (_col(flows.fares_paid_eur) * riders
                                                  - bus_fares_lost)
                               - car_km * values.fuel_tax_eur_km)
    out["public_funds_cost_eur"] = (_col(tax_factor) - 1) * public_net(out)
    out["net_societal_eur"] = (sum(out[k] for k in SOCIETAL_KEYS) + out["net_financial_eur"])
    out["discounted_net_societal_eur"] = out["net_societal_eur"] * out["discount_factor"]
    out["tax_factor"] = _col(tax_factor) * ones
    out["passengers"] = _col(flows.passengers) * riders
    out["passenger_km"] = _col(flows.passenger_km) * riders
    return out


def public_net(table: Mapping[str, np.ndarray]) -> np.ndarray:
    """The public sector's net cash flow (state and municipalities, the operator being
    paid for a purchased service): fares, bus savings and taxes in; investment, operation
    and maintenance out. The residual value is left out: it is an asset's worth at the end
    of the period, not money raised or spared by taxation."""
    return (table["revenue_eur"] + table["bus_cost_saving_eur"] + table["indirect_tax_eur"]
            - table["capex_eur"] - table["opex_eur"] + table["track_charges_eur"]
            - table["infrastructure_maintenance_eur"])


BENEFIT_KEYS = ("user_benefit_eur", "car_cost_saving_eur", "emission_benefit_eur",
                "accident_benefit_eur", "freight_cost_eur")
"""Effects on users and third parties (the numerator of ``bcr_public_cost``)."""
SOCIETAL_KEYS = (*BENEFIT_KEYS, "bus_cost_saving_eur", "indirect_tax_eur",
                 "public_funds_cost_eur")
"""The societal columns added to the net financial flow."""


def npv_and_bcr(table: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Financial and societal NPV (to the opening year) and two benefit–cost ratios.

    ``bcr`` is the Finnish ratio (hyöty–kustannussuhde): the present value of every effect
    except the infrastructure investment (users, third parties, producers with their
    rolling stock, public finances, residual value) over the present value of the
    incremental infrastructure investment times the tax factor. It is negative when the
    operating deficit outweighs the benefits. ``bcr_public_cost`` is the benefits to users
    and third parties (:data:`BENEFIT_KEYS`) over the whole net cost to the public. NPV
    societal is the same for both: benefits − costs.
    """
    discount = table["discount_factor"]
    npv_financial = (table["net_financial_eur"] * discount).sum(axis=-1)
    npv_societal = (table["net_societal_eur"] * discount).sum(axis=-1)
    investment = (table["infrastructure_capex_eur"] * table["tax_factor"]
                  * discount).sum(axis=-1)
    benefits = sum((table[k] * discount).sum(axis=-1) for k in BENEFIT_KEYS)
    public_cost = benefits - npv_societal
    # without an investment (or a net public cost) a ratio has no denominator: undefined
    # (NaN, an empty cell), not infinite, which would read as a project worth any price
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(investment > 0, (npv_societal + investment)
                       / np.where(investment > 0, investment, 1.0), np.nan)
        bcr_public = np.where(public_cost > 0, benefits
                              / np.where(public_cost > 0, public_cost, 1.0), np.nan)
    return {"npv_financial_eur": npv_financial, "npv_societal_eur": npv_societal,
            "bcr": bcr, "bcr_public_cost": bcr_public,
            "pv_benefits_eur": npv_societal + investment, "pv_investment_eur": investment}
