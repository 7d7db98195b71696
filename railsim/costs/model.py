"""Investment and operating costs from quantities (pure functions, no hand-typed totals).

Quantities come from the scenario's works, today's network (what changes) and the
planned service (units, unit-km, duty hours). Each cost line says which unit cost it used
and who pays it: the state (rail infrastructure: works, renewals, track maintenance,
stops) or the operator (rolling stock, depot, running the trains).

The do-minimum is not free: the freight lines the state keeps open
(``infrastructure.freight_lines_kept``) get their renewal
(``infrastructure.do_minimum_renewal``) and their track maintenance with or without the
project. :func:`do_minimum_capex_lines` and :func:`do_minimum_maintenance_lines` are
that reference; the scenario's own lines carry the same renewal wherever the project
does not renovate the track itself, so the difference is what the project adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim import outputs
from railsim.config import schema
from railsim.costs.library import UnitCost, unit_costs
from railsim.errors import DataError
from railsim.network import Network
from railsim.prices import index_factor

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan

# Column name → meaning of capex.csv and opex.csv, declared in railsim/outputs/.
COST_COLUMNS = outputs.descriptions("capex.csv")

STATE = "state"
"""Payer of rail infrastructure (Väylävirasto): works, renewals, maintenance, stops."""
OPERATOR = "operator"
"""Payer of the train service: rolling stock, depot, crew, maintenance, energy, charges
(bought by the municipalities as a purchased service)."""

TRACK_CHARGES = ("track_access_charge_passenger", "track_tax_passenger")
"""Operating cost lines paid to the state (transfers in the societal account)."""
RENEWAL_ITEMS = {"light": "track_renovation_light_per_km",
                 "enhanced_maintenance": "track_enhanced_maintenance_per_km"}
"""Unit cost of each do-minimum renewal of a freight line."""
RENEWAL_NAMES = {"light": "light renovation", "enhanced_maintenance": "enhanced maintenance"}
"""How capex.csv names each do-minimum renewal, as the scenario's own works are named
('light renovation HEI km 0–37.4'; the setting's value alone read 'light of freight line')."""
MAINTENANCE_REFERENCE_LENGTH_M = 75.0
"""Unit length that ``maintenance_per_unit_km`` is given for (a Sm5); scaled by length."""


@dataclass(frozen=True)
class CostLine:
    item_id: str
    description: str
    quantity: float
    unit_cost_eur: float
    asset_life_years: float | None = None
    payer: str = STATE

    @property
    def cost_eur(self) -> float:
        return self.quantity * self.unit_cost_eur


def _line(costs: dict[str, UnitCost], item: str, quantity: float, what: str,
          payer: str = STATE) -> CostLine:
    unit = costs[item]
    return CostLine(item, what, quantity, unit.value, unit.asset_life_years, payer)


def _costs(scenario: schema.Scenario, corridor: Corridor) -> dict[str, UnitCost]:
    return unit_costs(corridor, scenario.costs.price_year, scenario.costs.unit_cost_overrides)


def freight_lines_kept(scenario: schema.Scenario, corridor: Corridor) -> list[str]:
    """Lines kept open for freight with or without the project, in the data's line order."""
    kept = scenario.infrastructure.freight_lines_kept
    lines = list(corridor.by_key("lines"))
    if kept is None:
        with_freight = ({r["line_id"] for r in corridor.records("freight")}
                        if corridor.has("freight") else set())
        return [line for line in lines if line in with_freight]
    unknown = sorted(set(kept) - set(lines))
    if unknown:
        raise DataError(f"infrastructure.freight_lines_kept: unknown line(s) {unknown}; "
                        f"lines in data/network/lines.csv: {', '.join(lines)}")
    return [line for line in lines if line in kept]


def _freight_renewal(scenario: schema.Scenario, corridor: Corridor, costs: dict[str, UnitCost],
                     today: Network, skip_renovated: bool) -> list[CostLine]:
    """The do-minimum renewal of each kept freight line; with ``skip_renovated`` only on the
    track the scenario does not renovate itself."""
    item = RENEWAL_ITEMS.get(scenario.infrastructure.do_minimum_renewal)
    if item is None:
        return []
    lines = []
    for line_id in freight_lines_kept(scenario, corridor):
        total = sum(s.length_km * s.tracks for s in today.sections.get(line_id, []))
        renovated = 0.0
        if skip_renovated:
            for up in scenario.infrastructure.upgrades:
                if up.line == line_id and up.renovation != "none":
                    hi = up.to_km if up.to_km is not None else today.line_length_km(line_id)
                    renovated += sum(s.length_km * s.tracks for s in
                                     today.sections_between(line_id, up.from_km or 0.0, hi))
        rest = max(0.0, total - renovated)
        if rest > 1e-9:
            what = RENEWAL_NAMES[scenario.infrastructure.do_minimum_renewal]
            lines.append(_line(costs, item, rest, f"{what} of freight line {line_id} "
                               "(also in the do-minimum)"))
    return lines


def do_minimum_capex_lines(scenario: schema.Scenario, corridor: Corridor) -> list[CostLine]:
    """Investment of the do-minimum (before contingency and multiplier): the renewal of
    the freight lines kept open, the same for every scenario that keeps them."""
    return _freight_renewal(scenario, corridor, _costs(scenario, corridor),
                            Network.build(corridor), skip_renovated=False)


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
    """Investment cost lines of a scenario (before contingency and multiplier).

    The do-minimum scenario's lines are its own reference investment (the freight lines'
    renewal); a rail scenario's are its works, the renewal of kept freight track it does
    not renovate, and its rolling stock.
    """
    if scenario.is_do_minimum:
        return do_minimum_capex_lines(scenario, corridor)
    costs = _costs(scenario, corridor)
    today = Network.build(corridor)
    lines: list[CostLine] = []
    for up in scenario.infrastructure.upgrades:
        lines += _upgrade_lines(costs, today, up)
    lines += _freight_renewal(scenario, corridor, costs, today, skip_renovated=True)
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
        # The depot serves the fleet: with the rolling stock, the operator's capital.
        lines.append(_line(costs, "depot", 1, "depot and stabling", OPERATOR))
    stock = corridor.by_key("rolling_stock")[scenario.rolling_stock.type]
    price = stock["unit_price_eur"] * index_factor(stock["price_year"],
                                                   scenario.costs.price_year, corridor)
    life = corridor.by_key("appraisal_values")["rolling_stock_life_years"]["value"]
    lines.append(CostLine(f"rolling_stock:{stock['type_id']}",
                          f"{units_required} × {stock['name']}", units_required, price,
                          float(life), OPERATOR))
    return lines


def contingency_share(scenario: schema.Scenario, corridor: Corridor) -> float:
    """The reserve on investment: the scenario's, else the unit-cost library's."""
    if scenario.costs.contingency_share is not None:
        return scenario.costs.contingency_share
    return _costs(scenario, corridor)["contingency_share"].value


def passing_loop_cost_eur(scenario: schema.Scenario, corridor: Corridor) -> float:
    """One passing loop's investment as :func:`capex_total` counts it: the unit cost with
    contingency, times ``costs.capex_multiplier`` (the loop search prices sites with it)."""
    share = contingency_share(scenario, corridor)
    return (_costs(scenario, corridor)["passing_loop"].value * (1 + share)
            * scenario.costs.capex_multiplier)


def capex_total(scenario: schema.Scenario, corridor: Corridor, lines: list[CostLine]) -> float:
    """Sum of lines plus contingency, times ``costs.capex_multiplier``."""
    share = contingency_share(scenario, corridor)
    return sum(line.cost_eur for line in lines) * (1 + share) * scenario.costs.capex_multiplier


def opex_lines(plan: ServicePlan, corridor: Corridor) -> list[CostLine]:
    """Yearly cost lines of running the planned service (the operator's)."""
    s = plan.scenario
    costs = _costs(s, corridor)
    stock = corridor.by_key("rolling_stock")[s.rolling_stock.type]
    unit_km = plan.annual("unit_km")
    duty_hours = plan.annual("duty_hours")
    size = float(stock["length_m"]) / MAINTENANCE_REFERENCE_LENGTH_M
    lines = [_line(costs, "crew_cost_per_hour", duty_hours, "driver hours", OPERATOR)]
    if s.costs.conductor_on_board:
        lines.append(_line(costs, "conductor_cost_per_hour", duty_hours, "conductor hours",
                           OPERATOR))
    lines += [
        _line(costs, "maintenance_per_unit_km", unit_km * size,
              f"rolling-stock maintenance ({stock['length_m']:g} m units)", OPERATOR),
        _line(costs, "track_access_charge_passenger", unit_km * stock["mass_t"],
              "track access charge (gross tonne-km)", OPERATOR),
        _line(costs, "track_tax_passenger", unit_km * stock["mass_t"], "track tax", OPERATOR),
    ]
    if stock["fuel_l_per_km"]:
        lines.append(_line(costs, "diesel_price", unit_km * stock["fuel_l_per_km"], "fuel",
                           OPERATOR))
    if stock["energy_kwh_per_km"]:
        lines.append(_line(costs, "electricity_price", unit_km * stock["energy_kwh_per_km"],
                           "traction electricity", OPERATOR))
    return lines


def _overhead(scenario: schema.Scenario, corridor: Corridor) -> float:
    return _costs(scenario, corridor)["overhead_share"].value


OVERHEADS_INCLUDED = ("crew_cost_per_hour", "conductor_cost_per_hour")
"""Cost lines whose unit values already include overheads (the crews' hourly costs are
employer costs and overheads, unit_costs.csv): overhead_share is not added to them."""


def opex_total(plan: ServicePlan, corridor: Corridor, lines: list[CostLine]) -> float:
    """The operator's yearly cost: lines plus overheads (not on the track charges, which
    are the state's prices, nor on the crews, whose hourly costs include them), times
    ``costs.opex_multiplier``."""
    s = plan.scenario
    own = sum(line.cost_eur for line in lines
              if line.item_id not in TRACK_CHARGES + OVERHEADS_INCLUDED)
    crews = sum(line.cost_eur for line in lines if line.item_id in OVERHEADS_INCLUDED)
    charges = sum(line.cost_eur for line in lines if line.item_id in TRACK_CHARGES)
    return (own * (1 + _overhead(s, corridor)) + crews + charges) * s.costs.opex_multiplier


def track_charges_total(plan: ServicePlan, lines: list[CostLine]) -> float:
    """Yearly track access charge and track tax the operator pays the state (in opex)."""
    return sum(line.cost_eur for line in lines
               if line.item_id in TRACK_CHARGES) * plan.scenario.costs.opex_multiplier


def _lines_opened(plan: ServicePlan, corridor: Corridor) -> list[str]:
    """Lines the passenger service runs on that carry no passenger trains today."""
    passenger_today = {str(r["line_id"]) for r in corridor.records("line_stations")
                       if corridor.by_key("stations")[r["station_id"]]["kind"] == "passenger"
                       and r["station_id"] != "LH"} if corridor.has("line_stations") else set()
    used = {leg.line_id for svc in plan.scenario.service.lines
            for leg in plan.network.route(list(svc.stations))}
    return [line for line in plan.network.sections if line in used
            and line not in passenger_today]


def _track_km(network: Network, line_ids: list[str]) -> float:
    return sum(sec.length_km * sec.tracks for line in line_ids
               for sec in network.sections.get(line, []))


def do_minimum_maintenance_lines(scenario: schema.Scenario, corridor: Corridor
                                 ) -> list[CostLine]:
    """Yearly infrastructure maintenance of the do-minimum: the kept freight lines."""
    costs = _costs(scenario, corridor)
    kept = freight_lines_kept(scenario, corridor)
    if not kept:
        return []
    return [_line(costs, "track_maintenance_per_km_year", _track_km(Network.build(corridor), kept),
                  "track maintenance of the freight lines kept: " + ", ".join(kept))]


def maintenance_lines(scenario: schema.Scenario, corridor: Corridor,
                      plan: ServicePlan | None) -> list[CostLine]:
    """Yearly infrastructure maintenance with the scenario (the state's): track of the
    kept freight lines and of the lines opened to passengers, the wear of the passenger
    trains, and the upkeep of the stops served."""
    if plan is None or scenario.is_do_minimum:
        return do_minimum_maintenance_lines(scenario, corridor)
    costs = _costs(scenario, corridor)
    kept = freight_lines_kept(scenario, corridor)
    in_use = kept + [line for line in _lines_opened(plan, corridor) if line not in kept]
    lines = []
    if in_use:
        lines.append(_line(costs, "track_maintenance_per_km_year",
                           _track_km(plan.network, in_use),
                           "track maintenance of the lines in use: " + ", ".join(in_use)))
    stock = corridor.by_key("rolling_stock")[scenario.rolling_stock.type]
    lines.append(_line(costs, "track_wear_per_gross_tonne_km",
                       plan.annual("unit_km") * stock["mass_t"], "track wear of the passenger "
                       "trains (gross tonne-km)"))
    # stops served today (Lahti, the VR commuter stops) are kept up in the do-minimum too
    existing = {sid for sid, row in corridor.by_key("stations").items()
                if row["kind"] == "passenger"}
    stations = {st for svc in scenario.service.lines for st in svc.stations} - existing
    lines.append(_line(costs, "station_upkeep_per_year", len(stations),
                       "upkeep of the stops not served today"))
    return lines


@dataclass(frozen=True)
class FreightShift:
    """How far the freight paths moved to fit the passenger service, per year."""

    hours_moved: float
    """Train-hours the departures moved from the data's times [h/yr]."""
    hours_waiting: float
    """Train-hours of planned crossing waits [h/yr]."""
    cost_eur: float
    """The freight operators' cost of both [EUR/yr at the price year]."""


def freight_shift(plan: ServicePlan | None, corridor: Corridor) -> FreightShift:
    """Freight train-hours moved and waiting, and their cost: a moved path at
    ``freight_path_shift_per_train_hour``, a planned wait at ``freight_train_hour``."""
    if plan is None:
        return FreightShift(0.0, 0.0, 0.0)
    nominal = ({r["freight_id"]: schema.clock_to_seconds(r["departure_time"])
                for r in corridor.records("freight")} if corridor.has("freight") else {})
    moved = waiting = 0.0
    for day, table in plan.timetables.items():
        freight = [t for t in table.trips if t.kind == "freight" and t.trip_id in nominal]
        days = plan.days_per_year(day) / 3600
        moved += sum(abs(t.departure_s - nominal[t.trip_id]) for t in freight) * days
        waiting += sum(t.crossing_wait_s for t in freight) * days
    costs = _costs(plan.scenario, corridor)
    return FreightShift(moved, waiting,
                        moved * costs["freight_path_shift_per_train_hour"].value
                        + waiting * costs["freight_train_hour"].value)


def cost_frame(lines: list[CostLine]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([{"item_id": x.item_id, "description": x.description,
                          "quantity": x.quantity, "unit_cost_eur": x.unit_cost_eur,
                          "cost_eur": x.cost_eur, "asset_life_years": x.asset_life_years,
                          "payer": x.payer}
                         for x in lines], columns=list(COST_COLUMNS))
