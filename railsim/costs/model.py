"""Investment and operating costs from quantities (pure functions, no hand-typed totals).

Quantities come from the scenario's works, today's network (what changes) and the
planned service (units, unit-km, duty hours). Each cost line says which unit cost it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim import outputs
from railsim.config import schema
from railsim.costs.library import UnitCost, index_factor, unit_costs
from railsim.network import Network

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan

# Column name → meaning of capex.csv and opex.csv, declared in railsim/outputs.py.
COST_COLUMNS = outputs.descriptions("capex.csv")


@dataclass(frozen=True)
class CostLine:
    item_id: str
    description: str
    quantity: float
    unit_cost_eur: float
    asset_life_years: float | None = None

    @property
    def cost_eur(self) -> float:
        return self.quantity * self.unit_cost_eur


def _line(costs: dict[str, UnitCost], item: str, quantity: float, what: str) -> CostLine:
    unit = costs[item]
    return CostLine(item, what, quantity, unit.value, unit.asset_life_years)


def _upgrade_lines(costs: dict[str, UnitCost], today: Network,
                   up: schema.LineUpgrade) -> list[CostLine]:
    """Cost lines of one line upgrade, from the sections it covers today."""
    lines: list[CostLine] = []
    lo = up.from_km or 0.0
    hi = up.to_km if up.to_km is not None else today.line_length_km(up.line)
    secs = today.sections_between(up.line, lo, hi)
    track_km = sum(s.length_km * s.tracks for s in secs)
    where = f"{up.line} km {lo:g}–{hi:g}"
    if up.renovation != "none":
        lines.append(_line(costs, f"track_renovation_{up.renovation}_per_km", track_km,
                           f"{up.renovation} renovation {where}"))
    if up.line_speed_kmh is not None:
        faster = sum(s.length_km * s.tracks for s in secs
                     if up.line_speed_kmh > s.speed_limit_kmh)
        if faster:
            lines.append(_line(costs, "line_speed_upgrade_per_km", faster,
                               f"raise to {up.line_speed_kmh:g} km/h {where}"))
    if up.electrification:
        lines.append(_line(costs, "electrification_per_km",
                           sum(s.length_km for s in secs if not s.electrified),
                           f"electrification {where}"))
    if up.train_protection != "unchanged":
        lines.append(_line(costs, "train_protection_per_km",
                           sum(s.length_km for s in secs
                               if s.train_protection != up.train_protection),
                           f"{up.train_protection} train protection {where}"))
    if up.level_crossings_removed:
        lines.append(_line(costs, "level_crossing_removal", up.level_crossings_removed,
                           f"level crossings removed {where}"))
    if up.level_crossings_upgraded:
        lines.append(_line(costs, "level_crossing_upgrade", up.level_crossings_upgraded,
                           f"level crossings upgraded {where}"))
    return lines


def capex_lines(scenario: schema.Scenario, corridor: Corridor,
                units_required: int) -> list[CostLine]:
    """Investment cost lines of a scenario (before contingency and multiplier)."""
    if scenario.is_do_minimum:
        return []
    costs = unit_costs(corridor, scenario.costs.price_year, scenario.costs.unit_cost_overrides)
    today = Network.build(corridor)
    lines: list[CostLine] = []
    for up in scenario.infrastructure.upgrades:
        lines += _upgrade_lines(costs, today, up)
    if scenario.infrastructure.passing_loops:
        lines.append(_line(costs, "passing_loop", len(scenario.infrastructure.passing_loops),
                           "new passing loops"))
    new_sites = [s.station for s in scenario.infrastructure.new_stops
                 if today.stations[s.station].kind in ("historic", "proposed")]
    old_sites = [s.station for s in scenario.infrastructure.new_stops
                 if s.station not in new_sites]
    if new_sites:
        lines.append(_line(costs, "new_halt", len(new_sites), "new stops: " + ", ".join(new_sites)))
    if old_sites:
        lines.append(_line(costs, "station_platform_upgrade", len(old_sites),
                           "platforms at existing sites: " + ", ".join(old_sites)))
    for ext in scenario.infrastructure.extensions:
        # proxy until a street-track unit cost is sourced: heavy track + overhead line
        lines.append(_line(costs, "track_renovation_heavy_per_km", ext.length_km,
                           f"extension to {ext.name} (proxy: heavy track)"))
        if ext.electrified:
            lines.append(_line(costs, "electrification_per_km", ext.length_km,
                               f"extension to {ext.name}: overhead line"))
    if scenario.infrastructure.depot:
        lines.append(_line(costs, "depot", 1, "depot and stabling"))
    stock = corridor.by_key("rolling_stock")[scenario.rolling_stock.type]
    price = stock["unit_price_eur"] * index_factor(stock["price_year"],
                                                   scenario.costs.price_year, corridor)
    life = corridor.by_key("appraisal_values")["rolling_stock_life_years"]["value"]
    lines.append(CostLine(f"rolling_stock:{stock['type_id']}",
                          f"{units_required} × {stock['name']}", units_required, price,
                          float(life)))
    return lines


def capex_total(scenario: schema.Scenario, corridor: Corridor, lines: list[CostLine]) -> float:
    """Sum of lines plus contingency, times ``costs.capex_multiplier``."""
    costs = unit_costs(corridor, scenario.costs.price_year, scenario.costs.unit_cost_overrides)
    share = (scenario.costs.contingency_share if scenario.costs.contingency_share is not None
             else costs["contingency_share"].value)
    return sum(line.cost_eur for line in lines) * (1 + share) * scenario.costs.capex_multiplier


def opex_lines(plan: ServicePlan, corridor: Corridor) -> list[CostLine]:
    """Yearly operating cost lines from the planned service."""
    s = plan.scenario
    costs = unit_costs(corridor, s.costs.price_year, s.costs.unit_cost_overrides)
    stock = corridor.by_key("rolling_stock")[s.rolling_stock.type]
    unit_km = plan.annual("unit_km")
    lines = [
        _line(costs, "crew_cost_per_hour", plan.annual("duty_hours"), "driver hours"),
        _line(costs, "maintenance_per_unit_km", unit_km, "rolling-stock maintenance"),
        _line(costs, "track_access_charge_passenger", unit_km * stock["mass_t"],
              "track access charge (gross tonne-km)"),
        _line(costs, "track_tax_passenger", unit_km * stock["mass_t"], "track tax"),
    ]
    if stock["fuel_l_per_km"]:
        lines.append(_line(costs, "diesel_price", unit_km * stock["fuel_l_per_km"], "fuel"))
    if stock["energy_kwh_per_km"]:
        lines.append(_line(costs, "electricity_price", unit_km * stock["energy_kwh_per_km"],
                           "traction electricity"))
    stations = {st for svc in s.service.lines for st in svc.stations}
    lines.append(_line(costs, "station_upkeep_per_year", len(stations), "stop upkeep"))
    opened_km = sum(sec.length_km * sec.tracks for line in {"HEI", "ORI"} & {
        leg.line_id for svc in s.service.lines for leg in plan.network.route(list(svc.stations))}
        for sec in plan.network.sections.get(line, []))
    lines.append(_line(costs, "track_maintenance_per_km_year", opened_km,
                       "track maintenance of lines opened to passengers"))
    return lines


def opex_total(plan: ServicePlan, corridor: Corridor, lines: list[CostLine]) -> float:
    s = plan.scenario
    costs = unit_costs(corridor, s.costs.price_year, s.costs.unit_cost_overrides)
    base = sum(line.cost_eur for line in lines)
    return base * (1 + costs["overhead_share"].value) * s.costs.opex_multiplier


def cost_frame(lines: list[CostLine]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([{"item_id": x.item_id, "description": x.description,
                          "quantity": x.quantity, "unit_cost_eur": x.unit_cost_eur,
                          "cost_eur": x.cost_eur, "asset_life_years": x.asset_life_years}
                         for x in lines], columns=list(COST_COLUMNS))


