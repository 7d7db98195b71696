"""Headline KPIs of the appraisal: financial ratios, subsidy and its split, NPVs, BCR.

Pure functions over the appraisal model's results; rows are in the long KPI format
(variable, unit, statistic, value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from railsim.appraisal.finance import annuity_factor, irr, payback_year
from railsim.appraisal.societal import BENEFIT_KEYS, npv_and_bcr
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


def appraisal_kpis(model: AppraisalModel, draws: Draws | None, corridor: Corridor,
                   boardings: Mapping[str, float]) -> list[dict[str, object]]:
    """KPI rows of the central appraisal and, when given, of the uncertainty draws;
    ``boardings`` per station (weekday) split the subsidy by the boardings rule."""
    s = model.scenario
    fc = model.forecast
    money, money_yr = f"EUR ({s.costs.price_year})", f"EUR/yr ({s.costs.price_year})"
    table = model.central
    central = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in npv_and_bcr(table).items()}
    revenue = fc.revenue_annual_eur()
    passengers = fc.passengers_daily * fc.annual_factor
    subsidy = model.opex_annual - revenue
    capex = float(model.base_cost.sum())
    annual_capex = capex * annuity_factor(s.appraisal.discount_rate, s.appraisal.period_years)
    rows: list[dict[str, object]] = [
        {"variable": "operating_result_annual_eur", "unit": money_yr, "value": -subsidy},
        {"variable": "farebox_ratio", "unit": "fraction",
         "value": revenue / model.opex_annual if model.opex_annual else 0.0},
        {"variable": "subsidy_annual_eur", "unit": money_yr, "value": subsidy},
        {"variable": "capex_annuity_eur", "unit": money_yr, "value": annual_capex},
    ]
    if passengers > 0:
        rows += [{"variable": "subsidy_per_passenger_eur", "unit": money,
                  "value": subsidy / passengers},
                 {"variable": "cost_per_passenger_incl_capex_eur", "unit": money,
                  "value": (subsidy + annual_capex) / passengers}]
    split = subsidy_split(s.appraisal.subsidy_split, subsidy, boardings,
                          station_municipalities(s, corridor), municipal_population(corridor))
    for muni, amount in split.items():
        rows.append({"variable": f"subsidy_annual_eur_{muni}", "unit": money_yr,
                     "value": amount})
    rows += [{"variable": key, "unit": "ratio" if key.startswith("bcr") else money,
              "value": value} for key, value in central.items()]
    discount = np.asarray(table["discount_factor"]).reshape(-1)
    for key in (*BENEFIT_KEYS, "bus_cost_saving_eur", "indirect_tax_eur",
                "public_funds_cost_eur"):
        pv = float((np.asarray(table[key]).reshape(-1) * discount).sum())
        rows.append({"variable": f"pv_{key}", "unit": money, "value": pv})
    net = np.asarray(table["net_financial_eur"]).reshape(-1)
    # An IRR exists only when the flows pay back their cost at all (a positive sum);
    # otherwise a root far below zero would be reported, which means nothing.
    rate = irr(net) if net.sum() > 0 else None
    if rate is not None:
        rows.append({"variable": "irr_financial", "unit": "fraction/yr", "value": rate})
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
        rows.append({"variable": "prob_npv_societal_positive", "unit": "fraction",
                     "statistic": "value",
                     "value": float((draws.values["npv_societal_eur"] > 0).mean())})
    return rows
