"""Fleet from demand: units per train by period from the forecast peak-hour load.

A train is planned for ``load_factor_target`` of its planning capacity, the seats plus
``standing_share_counted`` of the standing places of each unit. The peaks take the
busiest section's peak-hour load (loads.csv); off-peak hours take an average hour of the
service span (the day's trips spread evenly: :data:`OFFPEAK_NOTE`). Each period's load
per train is the hourly load times the headway in hours, so a train every two hours
carries two hours' passengers. The units per train are the fewest that carry it, at
least one and at most the type's ``max_units_coupled``; the fleet then follows from the
circulation of the re-planned timetable (units in service plus spares).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.config import schema

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.demand.model import Forecast

OFFPEAK_NOTE = ("off-peak hourly load = peak-hour load × (60 / service_span_min) / "
                "peak_hour_share (an average hour of the day)")


@dataclass(frozen=True)
class Formation:
    """Units per train in the peaks and off-peak."""

    peak: int
    offpeak: int


def units_per_train(load_per_train: float, capacity_per_unit: float, load_factor: float,
                    max_units: int) -> int:
    """Fewest units that carry ``load_per_train`` at ``load_factor`` of their capacity.

    >>> units_per_train(150, 145, 0.8, 3)
    2
    >>> units_per_train(0, 145, 0.8, 3)
    1
    >>> units_per_train(1e6, 145, 0.8, 3)
    3
    """
    if capacity_per_unit <= 0 or load_factor <= 0:
        return max_units
    need = math.ceil(load_per_train / (capacity_per_unit * load_factor) - 1e-9)
    return int(min(max(need, 1), max_units))


def planning_capacity(stock: dict[str, object], standing_share: float) -> float:
    """Places per unit a train is planned with: seats plus a share of the standing."""
    return float(stock["seats"]) + standing_share * float(stock.get("standing") or 0)  # type: ignore[arg-type]


def _headways(line: schema.ServiceLine) -> tuple[float | None, float | None]:
    """Shortest peak headway and the base headway of a line's weekday [min]."""
    day = line.weekday or line.saturday or line.sunday
    if day is None:
        return None, None
    peak = min((p.headway_min for p in day.peaks), default=day.headway_min)
    return peak, day.headway_min


def size_formation(scenario: schema.Scenario, corridor: Corridor, loads: pd.DataFrame,
                   peak_hour_share: float, service_span_min: float) -> Formation:
    """Units per train by period for every service line (the most any line needs)."""
    rs = scenario.rolling_stock
    stock = corridor.by_key("rolling_stock")[rs.type]
    capacity = planning_capacity(stock, rs.standing_share_counted)
    most = int(stock["max_units_coupled"])
    peak_units, offpeak_units = 1, 1
    for line in scenario.service.lines:
        mine = loads[loads["service_id"] == line.id] if len(loads) else loads
        hourly_peak = float(mine["peak_hour_load"].max()) if len(mine) else 0.0
        hourly_offpeak = (hourly_peak * (60.0 / service_span_min) / peak_hour_share
                          if peak_hour_share > 0 else hourly_peak)
        peak_h, base_h = _headways(line)
        if peak_h is None or base_h is None:
            continue
        peak_units = max(peak_units, units_per_train(
            hourly_peak * peak_h / 60, capacity, rs.load_factor_target, most))
        offpeak_units = max(offpeak_units, units_per_train(
            hourly_offpeak * base_h / 60, capacity, rs.load_factor_target, most))
    return Formation(peak_units, offpeak_units)


def sized_scenario(scenario: schema.Scenario, fc: Forecast, loads: pd.DataFrame
                   ) -> schema.Scenario:
    """The scenario with its units per train sized from ``fc``'s loads (unchanged when the
    fleet is fixed or the sizing agrees with the formation it was planned with)."""
    rs = scenario.rolling_stock
    if rs.fleet_sizing != "demand" or scenario.is_do_minimum:
        return scenario
    formation = size_formation(scenario, fc.corridor, loads, fc.params.peak_hour_share,
                               fc.params.service_span_min)
    if (formation.peak, formation.offpeak) == (rs.units_per_train_peak,
                                               rs.units_per_train_offpeak):
        return scenario
    return scenario.model_copy(update={"rolling_stock": rs.model_copy(update={
        "units_per_train_peak": formation.peak, "units_per_train_offpeak": formation.offpeak})})
