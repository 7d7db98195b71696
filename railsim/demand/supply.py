"""Level of service of the three modes: train (from the timetable and the simulation),
regional bus (from the data) and car (road distances).

Times are unweighted minutes; the weights and the conversion of money to minutes are
applied in :mod:`railsim.demand.choice`, so the uncertainty analysis can vary them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.demand.parameters import DemandParameters
from railsim.network import JUNCTION
from railsim.timetable.model import Timetable

if TYPE_CHECKING:
    from railsim.corridor import Corridor


def expected_wait_min(headway_min: float, params: DemandParameters) -> float:
    """Expected initial wait [min]: half the headway up to a threshold, then slower growth
    (passengers time their arrival to a sparse timetable).

    >>> from types import SimpleNamespace
    >>> p = SimpleNamespace(wait_half_headway_until_min=20, wait_slope_beyond=0.25)
    >>> expected_wait_min(10, p), expected_wait_min(60, p)
    (5.0, 20.0)
    """
    knee = params.wait_half_headway_until_min
    if headway_min <= knee:
        return headway_min / 2
    return knee / 2 + params.wait_slope_beyond * (headway_min - knee)


def average_headway_min(departures: int, params: DemandParameters) -> float:
    """Average headway over the service window; the cap when there are no departures."""
    if departures <= 0:
        return params.max_headway_min
    return min(params.service_span_min / departures, params.max_headway_min)


@dataclass(frozen=True)
class Journey:
    """A train journey between two stations, possibly with a change at Lahti."""

    in_vehicle_min: float
    headway_min: float
    transfers: int
    transfer_headway_min: float
    distance_km: float
    scheduled_min: float
    """Planned in-vehicle time (the simulated mean replaces it in ``in_vehicle_min``)."""


@dataclass
class TrainService:
    """Direct connections between served stations on a weekday."""

    direct: dict[tuple[str, str], Journey]

    @classmethod
    def from_timetable(cls, table: Timetable, params: DemandParameters,
                       realised_min: Mapping[tuple[str, str], float] | None = None
                       ) -> TrainService:
        """Direct journeys from the weekday timetable; ``realised_min`` (mean simulated
        in-vehicle time per station pair) replaces the planned time where given."""
        times: dict[tuple[str, str], list[float]] = {}
        distance: dict[tuple[str, str], float] = {}
        window: dict[tuple[str, str], int] = {}
        start_s = params.service_window_start_min * 60
        end_s = start_s + params.service_span_min * 60
        for trip in table.passenger_trips():
            stops = table.served_stops(trip)
            for a_pos, a in enumerate(stops):
                for b in stops[a_pos + 1:]:
                    key = (a.station_id, b.station_id)
                    times.setdefault(key, []).append((b.arrival_s - a.departure_s) / 60)
                    distance[key] = abs(b.km - a.km)
                    in_window = start_s <= a.departure_s < end_s
                    window[key] = window.get(key, 0) + int(in_window)
        realised = realised_min or {}
        direct = {}
        for key, samples in times.items():
            planned = statistics.median(samples)
            direct[key] = Journey(realised.get(key, planned),
                                  average_headway_min(window[key], params), 0, 0.0,
                                  distance[key], planned)
        return cls(direct)

    def journey(self, origin: str, destination: str) -> Journey | None:
        """The direct journey, else one change at Lahti; None when not connected."""
        if origin == destination:
            return None
        if (origin, destination) in self.direct:
            return self.direct[(origin, destination)]
        first = self.direct.get((origin, JUNCTION))
        second = self.direct.get((JUNCTION, destination))
        if first is None or second is None:
            return None
        return Journey(first.in_vehicle_min + second.in_vehicle_min, first.headway_min, 1,
                       second.headway_min, first.distance_km + second.distance_km,
                       first.scheduled_min + second.scheduled_min)


@dataclass(frozen=True)
class BusRoute:
    """A regional bus route from Lahti travel centre (at the railway station)."""

    route_id: str
    in_vehicle_min: float
    headway_min: float


def bus_routes(params: DemandParameters, corridor: Corridor) -> dict[str, BusRoute]:
    """Regional routes with the average weekday headway in the service window.

    Departures are counted over the route's whole weekday; the window of the average
    headway is the model's service span (the routes run about 06–22).
    """
    return {r["route_id"]: BusRoute(r["route_id"], float(r["in_vehicle_min"]),
                                    average_headway_min(int(r["departures_weekday"]), params))
            for r in corridor.records("bus_services")}


@dataclass(frozen=True)
class Road:
    """Car trip between two places."""

    km: float
    minutes: float


def road_table(corridor: Corridor) -> dict[tuple[str, str], Road]:
    """Road distances and times in both directions."""
    out = {}
    for r in corridor.records("road_distances"):
        km = float(r["road_km"])
        minutes = r["car_min"]
        road = Road(km, float(minutes) if minutes is not None else float("nan"))
        out[(r["from_place"], r["to_place"])] = road
        out[(r["to_place"], r["from_place"])] = road
    return out
