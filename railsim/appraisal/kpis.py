"""Headline KPIs of the appraisal: financial ratios, who pays, NPVs, BCR, user benefits.

Who pays a year of the project (full ridership, annuities at the discount rate over
each asset's life): the municipalities buy the train service (operating cost plus the
rolling stock's annuity, less fares: ``purchased_service_annual_eur``, split by
``appraisal.subsidy_split`` into ``subsidy_annual_eur_<municipality>``); the state
carries the infrastructure beyond the do-minimum (its annuity and extra maintenance,
less the track charges it receives: ``state_infrastructure_annual_eur``).

Pure functions over the appraisal model's results; rows are in the long KPI format
(variable, unit, statistic, value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from railsim.appraisal.finance import annuity_factor, irr, payback_year
from railsim.appraisal.societal import npv_and_bcr
from railsim.appraisal.uncertainty import AppraisalModel, Draws
from railsim.demand.gravity import municipal_population

if TYPE_CHECKING:
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor


def subsidy_split(rule: str, subsidy: float, boardings: Mapping[str, float],
                  municipality_of: Mapping[str, str], population: Mapping[str, float]
                  ) -> dict[str, float]:
    """Yearly subsidy per municipality by ``rule`` (population, boardings or equal) over
    the municipalities with a served station; ``boardings`` is per station,
    ``municipality_of`` maps station ids to municipalities (a station it lacks, such as a
    new terminus off the network, counts for the first municipality it names).

    >>> subsidy_split("equal", 100.0, {"LH": 5.0, "HNL": 1.0},
    ...               {"LH": "Lahti", "HNL": "Heinola"}, {})
    {'Heinola': 50.0, 'Lahti': 50.0}
    """
    fallback = next(iter(municipality_of.values()), "")
    by_municipality: dict[str, float] = {}
    for sid, count in boardings.items():
        muni = municipality_of.get(sid, fallback)
        by_municipality[muni] = by_municipality.get(muni, 0.0) + count
    names = sorted(by_municipality)
    if rule == "population":
        weights = {m: population.get(m, 0.0) for m in names}
    elif rule == "boardings":
        weights = by_municipality
    else:
        weights = dict.fromkeys(names, 1.0)
    total = sum(weights.values())
    if total <= 0:
        weights, total = dict.fromkeys(names, 1.0), float(len(names) or 1)
    return {m: subsidy * (weights[m] / total) for m in names}  # share first: no underflow


def station_municipalities(scenario: Scenario, corridor: Corridor) -> dict[str, str]:
    """Station id → municipality, a scenario's extensions counted with the station they
    leave from."""
    stations = corridor.by_key("stations")
    out = {sid: str(row["municipality"]) for sid, row in stations.items()}
    for ext in scenario.infrastructure.extensions:
        if ext.attach_to in out:
            out[ext.id] = out[ext.attach_to]
    return out


def _annuity(cost: float, life: float | None, rate: float) -> float:
    return cost * annuity_factor(rate, round(life or 30.0))


def appraisal_kpis(model: AppraisalModel, draws: Draws | None, corridor: Corridor,
                   boardings: Mapping[str, float]) -> list[dict[str, object]]:
    """KPI rows of the central appraisal and, when given, of the uncertainty draws;
    ``boardings`` per station (weekday) split the purchased service by the boardings rule."""
    s = model.scenario
    fc = model.forecast
    money, money_yr = f"EUR ({s.costs.price_year})", f"EUR/yr ({s.costs.price_year})"
    rate = s.appraisal.discount_rate
    table = model.central
    central = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in npv_and_bcr(table).items()}
    revenue = fc.revenue_annual_eur()
    passengers = fc.passengers_daily * fc.annual_factor
    subsidy = model.opex_annual - revenue
    incremental = model.capex_total - model.capex_do_minimum_total
    annual_capex = incremental * annuity_factor(rate, s.appraisal.period_years)
    groups = model.groups
    rolling_stock = sum(_annuity(c, line.asset_life_years, rate) for c, line, k in zip(
        model.base_cost, model.lines, groups["rolling_stock"], strict=True) if k)
    infrastructure = sum(
        (1 if scenario_line else -1) * _annuity(c, line.asset_life_years, rate)
        for c, line, scenario_line, do_min in zip(
            model.base_cost, model.lines, groups["infrastructure"],
            groups["infrastructure_do_minimum"], strict=True) if scenario_line or do_min)
    maintenance = model.maintenance_annual - model.maintenance_do_minimum_annual
    purchased = model.opex_annual + rolling_stock - revenue
    state = infrastructure + maintenance - model.track_charges_annual
    weekday = model.central_flows.extra
    benefit_day = sum(float(np.asarray(weekday[k]).reshape(-1)[0]) for k in (
        "user_time_eur", "user_money_eur", "user_reliability_eur"))
    by_group = model.benefits.by_group(fc.table.markets, fc.choice, fc.result)
    hours_day = sum(float(np.asarray(v["hours_saved"]).reshape(-1)[0])
                    for v in by_group.values())
    rows: list[dict[str, object]] = [
        {"variable": "capex_do_minimum_eur", "unit": money,
         "value": model.capex_do_minimum_total},
        {"variable": "capex_incremental_eur", "unit": money, "value": incremental},
        {"variable": "infrastructure_maintenance_annual_eur", "unit": money_yr,
         "value": maintenance},
        {"variable": "track_charges_annual_eur", "unit": money_yr,
         "value": model.track_charges_annual},
        {"variable": "freight_hours_moved_annual", "unit": "train-h/yr",
         "value": model.freight.hours_moved},
        {"variable": "freight_wait_hours_annual", "unit": "train-h/yr",
         "value": model.freight.hours_waiting},
        {"variable": "freight_cost_annual_eur", "unit": money_yr, "value": model.freight.cost_eur},
        {"variable": "operating_result_annual_eur", "unit": money_yr, "value": -subsidy},
        {"variable": "farebox_ratio", "unit": "fraction",
         "value": revenue / model.opex_annual if model.opex_annual else 0.0},
        {"variable": "subsidy_annual_eur", "unit": money_yr, "value": subsidy},
        {"variable": "capex_annuity_eur", "unit": money_yr, "value": annual_capex},
        {"variable": "purchased_service_annual_eur", "unit": money_yr, "value": purchased},
        {"variable": "state_infrastructure_annual_eur", "unit": money_yr, "value": state},
        {"variable": "time_saved_hours_annual", "unit": "h/yr",
         "value": hours_day * fc.annual_factor},
    ]
    if passengers > 0:
        rows += [{"variable": "subsidy_per_passenger_eur", "unit": money,
                  "value": subsidy / passengers},
                 {"variable": "cost_per_passenger_incl_capex_eur", "unit": money,
                  "value": (subsidy + annual_capex) / passengers},
                 {"variable": "user_benefit_per_trip_eur", "unit": money,
                  "value": benefit_day / fc.passengers_daily}]
    split = subsidy_split(s.appraisal.subsidy_split, purchased, boardings,
                          station_municipalities(s, corridor), municipal_population(corridor))
    for muni, amount in split.items():
        rows.append({"variable": f"subsidy_annual_eur_{muni}", "unit": money_yr,
                     "value": amount})
    rows += [{"variable": key, "unit": "ratio" if key.startswith("bcr") else money,
              "value": value} for key, value in central.items()]
    discount = np.asarray(table["discount_factor"]).reshape(-1)

    def pv(values: np.ndarray | float) -> float:
        return float((np.broadcast_to(values, discount.shape) * discount).sum())

    for key in (*PV_KEYS,):
        rows.append({"variable": f"pv_{key}", "unit": money,
                     "value": pv(np.asarray(table[key]).reshape(-1))})
    riders, growth = model.riders_and_growth()
    flows = model.central_flows
    share = float(np.asarray(flows.time_share).reshape(-1)[0])
    logsum = float(np.asarray(flows.benefit_eur).reshape(-1)[0]) * riders * (
        share * growth + 1 - share)
    rows.append({"variable": "pv_user_benefit_logsum_eur", "unit": money, "value": pv(logsum)})
    net = np.asarray(table["net_financial_eur"]).reshape(-1)
    # An IRR exists only when the flows pay back their cost at all (a positive sum);
    # otherwise a root far below zero would be reported, which means nothing.
    irr_rate = irr(net) if net.sum() > 0 else None
    if irr_rate is not None:
        rows.append({"variable": "irr_financial", "unit": "fraction/yr", "value": irr_rate})
    payback = payback_year(net)
    if payback is not None:
        rows.append({"variable": "payback_years_financial", "unit": "years from construction start",
                     "value": payback})
    for row in rows:
        row["statistic"] = "value"
    if draws is not None:
        units = {"npv_financial_eur": money, "npv_societal_eur": money, "bcr": "ratio",
                 "bcr_public_cost": "ratio", "passengers_daily": "trips/weekday"}
        for key, unit in units.items():
            rows += [{"variable": key, "unit": unit, "statistic": stat, "value": value}
                     for stat, value in draws.statistics(key).items()]
        rows += [{"variable": "capex_drawn_eur", "unit": money, "statistic": stat,
                  "value": value} for stat, value in draws.statistics("capex_total_eur").items()]
        rows.append({"variable": "prob_npv_societal_positive", "unit": "fraction",
                     "statistic": "value",
                     "value": float((draws.values["npv_societal_eur"] > 0).mean())})
    return rows


PV_KEYS = ("user_benefit_eur", "user_time_benefit_eur", "user_money_benefit_eur",
           "user_reliability_benefit_eur", "car_cost_saving_eur", "emission_benefit_eur",
           "accident_benefit_eur", "freight_cost_eur", "bus_cost_saving_eur",
           "indirect_tax_eur", "public_funds_cost_eur", "infrastructure_capex_eur",
           "rolling_stock_capex_eur", "infrastructure_maintenance_eur")
"""Cash-flow columns whose present value is a KPI (``pv_<column>``)."""
