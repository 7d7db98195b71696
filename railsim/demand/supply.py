"""Level of service of the three modes: train (from the timetable and the simulation),
regional bus (from the data) and car (road distances).

Times are unweighted minutes; the weights and the conversion of money to minutes are
applied in :mod:`railsim.demand.choice`, so the uncertainty analysis can vary them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.demand.parameters import DemandParameters
from railsim.network import JUNCTION, Network, Station
from railsim.timetable.model import Timetable

if TYPE_CHECKING:
    from railsim.corridor import Corridor
    from railsim.demand.places import Place


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

    def headway_at(self, station: str) -> float | None:
        """Shortest headway of the direct journeys from or to a station (None if unserved):
        the frequency of the trains that pass it, for trips boarding or alighting beyond."""
        found = [jn.headway_min for key, jn in self.direct.items() if station in key]
        return min(found) if found else None

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


BusLeg = tuple[float, float, float, int, float, tuple[str, ...]]
"""(in-vehicle, wait, access, transfers, transfer wait [min], routes used) of a bus trip."""


def nearest_line(place: Place, network: Network) -> str | None:
    """The line whose stations lie nearest a place (the bus corridor it is on)."""
    best, best_d = None, np.inf
    for sid, lines in network.positions.items():
        if sid == JUNCTION or sid not in network.stations:
            continue
        st = network.stations[sid]
        d = np.hypot(st.x_3067 - place.x, st.y_3067 - place.y)
        if d < best_d:
            best, best_d = sorted(lines)[0], d
    return best


def bus_leg(i: int, j: int, places: Sequence[Place], branches: Sequence[str | None],
            routes: Mapping[str, BusRoute], onward: int, centre_egress: Sequence[float],
            params: DemandParameters) -> BusLeg | None:
    """The regional bus between places ``i`` and ``j`` (index ``onward`` = the hub), or
    None. A place without a route of its own is reached from the travel centre by its
    local access (``centre_egress``); two places on one line's corridor share the route."""
    ends: list[BusRoute | None] = []
    access = 0.0
    for k in (i, j):
        if k == onward:
            ends.append(None)
        elif branches[k] is None:
            ends.append(None)
            access += centre_egress[k]
        else:
            route = routes.get(places[k].bus_route_id or "")
            if route is None:
                return None
            ends.append(route)
            access += params.bus_access_min
    a, b = ends
    if a is None and b is None:
        return None
    if a is None or b is None:
        route = a or b
        assert route is not None
        return (route.in_vehicle_min, expected_wait_min(route.headway_min, params), access, 0,
                0.0, (route.route_id,))
    if branches[i] == branches[j]:
        return (max(abs(a.in_vehicle_min - b.in_vehicle_min),
                    params.bus_same_route_min_ride_min),
                expected_wait_min(max(a.headway_min, b.headway_min), params), access, 0, 0.0,
                (a.route_id, b.route_id))
    return (a.in_vehicle_min + b.in_vehicle_min, expected_wait_min(a.headway_min, params),
            access, 1, expected_wait_min(b.headway_min, params), (a.route_id, b.route_id))


def road_leg(i: int, j: int, places: Sequence[Place], roads: Mapping[tuple[str, str], Road],
             onward: int, hub: Station, hub_road_place: str | None,
             params: DemandParameters) -> Road:
    """Road distance and time between two places (table first, else straight × detour);
    index ``onward`` is the hub station (``hub_road_place`` in the road table)."""
    def where(k: int) -> tuple[str | None, float, float]:
        if k == onward:
            return hub_road_place, hub.x_3067, hub.y_3067
        return places[k].road_place, places[k].x, places[k].y

    (pa, xa, ya), (pb, xb, yb) = where(i), where(j)
    if pa and pb and (pa, pb) in roads and not np.isnan(roads[(pa, pb)].minutes):
        return roads[(pa, pb)]
    km = max(np.hypot(xa - xb, ya - yb) / 1000 * params.road_detour_factor, 1.0)
    return Road(km, km / params.road_speed_kmh * 60)
