"""Train loads of a forecast: peak-hour load per link against seats and places, and the
boardings of each train (which lengthen its dwells in the simulation)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from railsim.config import schema
from railsim.demand.model import Forecast
from railsim.demand.tables import od_pairs
from railsim.network import JUNCTION

if TYPE_CHECKING:
    import pandas as pd

    from railsim.timetable.plan import ServicePlan


def loads(fc: Forecast) -> pd.DataFrame:
    """Peak-hour load per section and direction against seats and capacity."""
    import pandas as pd

    columns = ["service_id", "direction", "from_station", "to_station", "peak_hour_load",
               "seats_per_hour", "capacity_per_hour", "crowding"]
    if fc.plan is None or "weekday" not in fc.plan.timetables:
        return pd.DataFrame(columns=columns)
    link_volume: dict[tuple[str, str], float] = {}
    for (origin, destination), volume in od_pairs(fc).items():
        for a, b in _path(origin, destination, fc.scenario):
            link_volume[(a, b)] = link_volume.get((a, b), 0.0) + volume
    stock = fc.corridor.by_key("rolling_stock")[fc.scenario.rolling_stock.type]
    seats, capacity = _hourly_capacity(fc.plan, stock)
    rows = []
    for line in fc.scenario.service.lines:
        for seq in (line.stations, line.stations[::-1]):
            for a, b in itertools.pairwise(seq):
                load = fc.params.peak_hour_share * link_volume.get((a, b), 0.0)
                s, c = seats.get((a, b), 0.0), capacity.get((a, b), 0.0)
                crowding = ("seated" if load <= s else "standing" if load <= c
                            else "over_capacity")
                rows.append({"service_id": line.id,
                             "direction": _direction(fc, a, b), "from_station": a,
                             "to_station": b, "peak_hour_load": load,
                             "seats_per_hour": s, "capacity_per_hour": c,
                             "crowding": crowding})
    return pd.DataFrame(rows, columns=columns).drop_duplicates(
        ["from_station", "to_station"])

def boardings_by_trip(fc: Forecast) -> dict[tuple[str, str], float]:
    """Weekday boardings per (trip_id, station_id): each station pair's trips shared
    evenly among the trains that serve it (for dwell times in the simulation)."""
    out: dict[tuple[str, str], float] = {}
    if fc.plan is None or "weekday" not in fc.plan.timetables:
        return out
    table = fc.plan.timetables["weekday"]
    serving: dict[tuple[str, str], list[str]] = {}
    for trip in table.passenger_trips():
        ids = [s.station_id for s in table.served_stops(trip)]
        for k, a in enumerate(ids):
            for b in ids[k + 1:]:
                serving.setdefault((a, b), []).append(trip.trip_id)
    for (b, a), volume in od_pairs(fc).items():
        legs = [(b, a)] if (b, a) in serving else [(b, JUNCTION), (JUNCTION, a)]
        for leg in legs:
            trips = serving.get(leg, [])
            for trip_id in trips:
                key = (trip_id, leg[0])
                out[key] = out.get(key, 0.0) + volume / len(trips)
    return out

def _direction(fc: Forecast, a: str, b: str) -> str:
    pa, pb = fc.network.positions.get(a, {}), fc.network.positions.get(b, {})
    common = sorted(set(pa) & set(pb))
    if common and pb[common[0]] < pa[common[0]]:
        return "towards_lahti"
    return "from_lahti"


def _path(a: str, b: str, scenario: schema.Scenario) -> list[tuple[str, str]]:
    """Links travelled from ``a`` to ``b``: on one service line, else changing at Lahti."""
    for line in scenario.service.lines:
        for seq in (line.stations, line.stations[::-1]):
            if a in seq and b in seq and seq.index(a) < seq.index(b):
                part = seq[seq.index(a):seq.index(b) + 1]
                return list(itertools.pairwise(part))
    if JUNCTION not in (a, b):
        return _path(a, JUNCTION, scenario) + _path(JUNCTION, b, scenario)
    return []


def _hourly_capacity(plan: ServicePlan, stock: Mapping[str, Any]
                     ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Seats and places (seats + standing) per hour on each link in its busiest hour."""
    seats_per_unit = float(stock["seats"])
    places_per_unit = seats_per_unit + float(stock["standing"] or 0)
    per_hour: dict[tuple[str, str, int], int] = {}
    table = plan.timetables["weekday"]
    for trip in table.passenger_trips():
        stops = table.served_stops(trip)
        for a, b in itertools.pairwise(stops):
            key = (a.station_id, b.station_id, int(a.departure_s // 3600))
            per_hour[key] = per_hour.get(key, 0) + trip.units
    busiest: dict[tuple[str, str], int] = {}
    for (start, end, _), units in per_hour.items():
        busiest[(start, end)] = max(busiest.get((start, end), 0), units)
    return ({k: u * seats_per_unit for k, u in busiest.items()},
            {k: u * places_per_unit for k, u in busiest.items()})
