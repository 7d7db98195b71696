"""Markets: trips between places split into access segments, with each mode's service.

A *place* is a population point of the corridor. Its residents (cells) are grouped into
*segments* by the station they reach quickest and by distance ring, so that people near a
station and far from it face different access times (the distance decay of rail use).
A *market* is an origin segment × destination segment × purpose, carrying its share of
the place-to-place trips and the level of service of train, bus and car. Besides the
place-to-place trips, commuters to the capital region travel between their home and
Lahti station (where they change to the main-line train): the *onward* markets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.costs.library import index_factor
from railsim.demand.catchments import Access, StationPlace, access, population_cells
from railsim.demand.choice import Markets
from railsim.demand.gravity import (
    Gravity,
    Place,
    corridor_places,
    fit_gravity,
    municipal_population,
)
from railsim.demand.parameters import DemandParameters
from railsim.demand.supply import (
    BusRoute,
    Road,
    TrainService,
    bus_routes,
    expected_wait_min,
    road_table,
)
from railsim.network import JUNCTION, Network, Station

if TYPE_CHECKING:
    from railsim.corridor import Corridor

ONWARD = "LH_ONWARD"
"""Pseudo place: Lahti station as the change to main-line trains to the capital region."""


@dataclass(frozen=True)
class Segment:
    """Residents of a place who share a station and a distance ring."""

    place: int
    station: str | None
    share: float
    """Share of the place's residents."""
    access_min: float
    access_money_eur: float
    access_car_km: float


@dataclass
class MarketTable:
    """Markets plus the labels needed to aggregate results."""

    markets: Markets
    origin_place: list[str]
    destination_place: list[str]
    purpose: list[str]
    boarding: list[str | None]
    alighting: list[str | None]
    distance_km: np.ndarray
    """Rail distance of the train journey [km] (0 where no train)."""
    transfers: np.ndarray
    car_km: np.ndarray
    """Road distance of the trip [km]."""
    access_car_km: np.ndarray
    """Park-and-ride driving of a train trip [km]."""
    bus_routes: list[tuple[str, ...]]
    """Regional bus routes a bus trip uses."""
    occupancy: np.ndarray
    train_headway_min: np.ndarray
    train_transfer_headway_min: np.ndarray
    gravity: Gravity
    do_minimum: Markets
    """The markets without train, one per place pair and purpose (for calibration)."""
    fares: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.purpose)


def served_stations(scenario: schema.Scenario, corridor: Corridor, network: Network
                    ) -> list[StationPlace]:
    """Stations the scenario's trains call at (park-and-ride outside Lahti)."""
    served: list[str] = []
    for line in scenario.service.lines:
        served += [s for s in line.stations if s not in served]
    records = corridor.by_key("stations")
    # a new terminus off the network lies in the municipality of the station it leaves from
    attached = {ext.id: ext.attach_to for ext in scenario.infrastructure.extensions}
    out = []
    for sid in served:
        st = network.stations[sid]
        known = records.get(sid) or records.get(attached.get(sid, ""))
        municipality = known["municipality"] if known else "Lahti"
        out.append(StationPlace(sid, st.name, municipality, st.x_3067, st.y_3067,
                                park_and_ride=municipality != "Lahti"))
    return out


def _segments(place_index: int, cells_access: Access, population: np.ndarray,
              stations: list[StationPlace], params: DemandParameters) -> list[Segment]:
    total = population.sum()
    ring = np.searchsorted(np.array(params.access_rings_km), cells_access.distance_km,
                           side="left")
    out = []
    keys = sorted(set(zip(cells_access.station.tolist(), ring.tolist(), strict=True)))
    for station, r in keys:
        mine = (cells_access.station == station) & (ring == r)
        pop = population[mine]
        if pop.sum() <= 0:
            continue
        weight = pop / pop.sum()
        car_km = np.where(cells_access.mode[mine] == 2,
                          cells_access.distance_km[mine] * params.access_detour_factor, 0.0)
        out.append(Segment(place_index, stations[station].station_id if station >= 0 else None,
                           float(pop.sum() / total),
                           float((cells_access.minutes[mine] * weight).sum())
                           if station >= 0 else 0.0,
                           float((cells_access.money_eur[mine] * weight).sum()),
                           float((car_km * weight).sum())))
    return out


def average_fare_eur(scenario: schema.Scenario, params: DemandParameters,
                     corridor: Corridor) -> float:
    """LSL fare per trip: season tickets (per trip) and single tickets by their shares."""
    fares = corridor.by_key("fares")
    year = scenario.costs.price_year

    def price(fare_id: str) -> float:
        row = fares[fare_id]
        return float(row["price_eur"]) * index_factor(row["price_year"], year, corridor)

    share = scenario.demand.fares.season_ticket_share
    season_per_trip = price("LSL-30D") / params.season_trips_per_month
    return share * season_per_trip + (1 - share) * price("LSL-SINGLE")


def train_fare_eur(scenario: schema.Scenario, lsl_fare: float) -> float:
    """Train fare per trip before ``fare_multiplier`` under the scenario's policy."""
    fares = scenario.demand.fares
    if fares.policy == "free":
        return 0.0
    if fares.policy == "flat":
        return float(fares.flat_fare_eur or 0.0)
    return lsl_fare


def _branch(place: Place, network: Network) -> str | None:
    """The line whose stations lie nearest a place outside Lahti (bus corridor side)."""
    if place.municipality == "Lahti":
        return None
    best, best_d = None, np.inf
    for sid, lines in network.positions.items():
        if sid == JUNCTION or sid not in network.stations:
            continue
        st = network.stations[sid]
        d = np.hypot(st.x_3067 - place.x, st.y_3067 - place.y)
        if d < best_d:
            best, best_d = sorted(lines)[0], d
    return best


# TODO(issue 14/12): too complex for ruff's C901 (13 > 12); split it (segments, flows,
# rows) with the restructuring of the parallel market lists (issue 12 helper).
def build_markets(scenario: schema.Scenario, corridor: Corridor, network: Network,  # noqa: C901
                  params: DemandParameters, timetable_service: TrainService | None
                  ) -> MarketTable:
    """All markets of a scenario; the train is unavailable where ``timetable_service`` is
    None (the do-minimum) or a segment has no reachable station."""
    demand = scenario.demand
    places = corridor_places(corridor)
    gravity = fit_gravity(places, params.gravity_decay_per_km, corridor)
    cells = population_cells(corridor)
    stations = served_stations(scenario, corridor, network) if timetable_service else []
    lahti = network.stations[JUNCTION]
    lahti_place = StationPlace(JUNCTION, lahti.name, "Lahti", lahti.x_3067, lahti.y_3067, False)
    routes = bus_routes(params, corridor)
    roads = road_table(corridor)
    lsl_fare = average_fare_eur(scenario, params, corridor)
    train_fare = train_fare_eur(scenario, lsl_fare)

    segments: list[list[Segment]] = []
    lahti_egress: list[float] = []
    for i, place in enumerate(places):
        mine = cells[cells["point_id"] == place.point_id]
        pop = mine["population"].to_numpy()
        # Park-and-ride at both ends: the car waits at the home end of a round trip, and
        # places outside Lahti (the only ones with P+R stations) are mostly home ends.
        segments.append(_segments(i, access(mine, stations, demand, params, True), pop,
                                  stations, params))
        to_lahti = access(mine, [lahti_place], demand, params, False)
        finite = np.isfinite(to_lahti.minutes)
        lahti_egress.append(float((to_lahti.minutes[finite] * pop[finite]).sum()
                                  / max(pop[finite].sum(), 1e-9)))
    onward_index = len(places)
    onward_segment = [Segment(onward_index, JUNCTION if stations else None, 1.0, 0.0, 0.0, 0.0)]
    branches = [_branch(p, network) for p in places]

    # Trips between places, both directions of commuting plus other purposes.
    presence = params.commute_presence
    flows: list[tuple[int, int, str, float]] = []
    c = gravity.commuters
    for i, pi in enumerate(places):
        for j, pj in enumerate(places):
            if i == j or (pi.municipality == "Lahti" and pj.municipality == "Lahti"):
                continue
            commute = presence * (c[i, j] + c[j, i])
            flows.append((i, j, "commute", commute))
            flows.append((i, j, "other", commute * params.other_trips_per_commute_trip))
    onward_rate = _onward_rate(corridor)
    for i, pi in enumerate(places):
        if pi.municipality == "Lahti":
            continue
        d_km = np.hypot(pi.x - lahti.x_3067, pi.y - lahti.y_3067) / 1000
        commuters = (onward_rate * pi.population * np.exp(-params.gravity_decay_per_km * d_km)
                     * params.capital_commuters_rail_share)
        flows.append((i, onward_index, "commute", presence * commuters))
        flows.append((onward_index, i, "commute", presence * commuters))

    rows: dict[str, list] = {k: [] for k in (
        "trips", "vot", "t_av", "t_ivt", "t_wait", "t_acc", "t_tr", "t_trw", "t_fare",
        "t_money", "b_av", "b_ivt", "b_wait", "b_acc", "b_tr", "b_trw", "b_fare", "car_min",
        "car_money", "o", "d", "purpose", "board", "alight", "dist", "car_km", "acc_km",
        "routes", "occ", "t_h", "t_h2")}
    names = [p.point_id for p in places] + [ONWARD]

    def segs(k: int) -> list[Segment]:
        return onward_segment if k == onward_index else segments[k]

    for i, j, purpose, trips in flows:
        if trips <= 0:
            continue
        bus = _bus(i, j, places, branches, routes, onward_index, lahti_egress, params)
        road = _road(i, j, places, roads, onward_index, lahti, params)
        central = any(k == onward_index or np.hypot(places[k].x - lahti.x_3067,
                                                    places[k].y - lahti.y_3067) / 1000
                      <= params.central_lahti_radius_km for k in (i, j))
        occupancy = params.occupancy(purpose)
        car_money = road.km * params.car_cost_per_km_behavioural / occupancy + (
            demand.parking_cost_lahti_eur / 2 if central else 0.0)
        for so in segs(i):
            for sd in segs(j):
                journey = (timetable_service.journey(so.station, sd.station)
                           if timetable_service and so.station and sd.station else None)
                rows["trips"].append(trips * so.share * sd.share)
                rows["vot"].append(params.vot(purpose))
                rows["t_av"].append(journey is not None)
                rows["t_ivt"].append(journey.in_vehicle_min if journey else 0.0)
                rows["t_wait"].append(expected_wait_min(journey.headway_min, params)
                                      if journey else 0.0)
                rows["t_acc"].append(so.access_min + sd.access_min)
                rows["t_tr"].append(journey.transfers if journey else 0)
                rows["t_trw"].append(expected_wait_min(journey.transfer_headway_min, params)
                                     if journey and journey.transfers else 0.0)
                rows["t_fare"].append(train_fare)
                rows["t_money"].append(so.access_money_eur + sd.access_money_eur)
                rows["b_av"].append(bus is not None)
                ivt, wait, acc, transfers, transfer_wait, used = bus or (0, 0, 0, 0, 0, ())
                rows["b_ivt"].append(ivt)
                rows["b_wait"].append(wait)
                rows["b_acc"].append(acc)
                rows["b_tr"].append(transfers)
                rows["b_trw"].append(transfer_wait)
                rows["b_fare"].append(lsl_fare)
                rows["car_min"].append(road.minutes + params.car_terminal_min)
                rows["car_money"].append(car_money)
                rows["o"].append(names[i])
                rows["d"].append(names[j])
                rows["purpose"].append(purpose)
                rows["board"].append(so.station if journey else None)
                rows["alight"].append(sd.station if journey else None)
                rows["dist"].append(journey.distance_km if journey else 0.0)
                rows["car_km"].append(road.km)
                rows["acc_km"].append(so.access_car_km + sd.access_car_km)
                rows["routes"].append(used)
                rows["occ"].append(occupancy)
                rows["t_h"].append(journey.headway_min if journey else 0.0)
                rows["t_h2"].append(journey.transfer_headway_min if journey else 0.0)

    def arr(key: str, dtype: type = float) -> np.ndarray:
        return np.array(rows[key], dtype=dtype)

    markets = Markets(arr("trips"), arr("vot"), arr("t_av", bool), arr("t_ivt"),
                      arr("t_wait"), arr("t_acc"), arr("t_tr"), arr("t_trw"), arr("t_fare"),
                      arr("t_money"), arr("b_av", bool), arr("b_ivt"), arr("b_wait"),
                      arr("b_acc"), arr("b_tr"), arr("b_trw"), arr("b_fare"),
                      arr("car_min"), arr("car_money"))
    return MarketTable(markets, rows["o"], rows["d"], rows["purpose"], rows["board"],
                       rows["alight"], arr("dist"), arr("t_tr"), arr("car_km"),
                       arr("acc_km"), rows["routes"], arr("occ"), arr("t_h"), arr("t_h2"),
                       gravity, _collapse(markets, rows["o"], rows["d"], rows["purpose"]),
                       {"lsl_average_eur": lsl_fare, "train_eur": train_fare})


def _collapse(markets: Markets, origin: list[str], destination: list[str],
              purpose: list[str]) -> Markets:
    """Do-minimum markets merged per place pair and purpose: without the train, segments
    of one pair differ only in their rail access, so bus and car are the same for all."""
    keys = list(zip(origin, destination, purpose, strict=True))
    first: dict[tuple[str, str, str], int] = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    group = np.array([list(first).index(key) for key in keys]) if keys else np.zeros(0, int)
    pick = np.array(list(first.values()), dtype=int)
    trips = np.bincount(group, weights=markets.trips, minlength=len(pick))
    values = {name: getattr(markets, name)[pick] for name in vars(markets)}
    values["trips"] = trips
    values["train_available"] = np.zeros(len(pick), dtype=bool)
    return Markets(**values)


def _onward_rate(corridor: Corridor) -> float:
    """Commuters to the capital region per resident of the region (Päijät-Häme)."""
    capital = [r for r in corridor.records("commuting")
               if r["destination"] == "Capital region"]
    region = municipal_population(corridor).get("Päijät-Häme")
    if not capital or not region:
        return 0.0
    return float(capital[0]["commuters_per_day"]) / region


def _bus(i: int, j: int, places: list[Place], branches: list[str | None],
         routes: Mapping[str, BusRoute], onward: int, lahti_egress: list[float],
         params: DemandParameters
         ) -> tuple[float, float, float, int, float, tuple[str, ...]] | None:
    """(in-vehicle, wait, access, transfers, transfer wait, routes) of the bus, or None."""
    ends: list[BusRoute | None] = []
    access = 0.0
    for k in (i, j):
        if k == onward:
            ends.append(None)
        elif places[k].municipality == "Lahti":
            ends.append(None)
            access += lahti_egress[k]
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
        return (max(abs(a.in_vehicle_min - b.in_vehicle_min), params.bus_same_route_min_ride_min),
                expected_wait_min(max(a.headway_min, b.headway_min), params), access, 0, 0.0,
                (a.route_id, b.route_id))
    return (a.in_vehicle_min + b.in_vehicle_min, expected_wait_min(a.headway_min, params),
            access, 1, expected_wait_min(b.headway_min, params), (a.route_id, b.route_id))


def _road(i: int, j: int, places: list[Place], roads: Mapping[tuple[str, str], Road],
          onward: int, lahti: Station, params: DemandParameters) -> Road:
    """Road distance and time between two places (table first, else straight × detour)."""
    def where(k: int) -> tuple[str | None, float, float]:
        if k == onward:
            return "Lahti", lahti.x_3067, lahti.y_3067
        return places[k].road_place, places[k].x, places[k].y

    (pa, xa, ya), (pb, xb, yb) = where(i), where(j)
    if pa and pb and (pa, pb) in roads and not np.isnan(roads[(pa, pb)].minutes):
        return roads[(pa, pb)]
    km = max(np.hypot(xa - xb, ya - yb) / 1000 * params.road_detour_factor, 1.0)
    return Road(km, km / params.road_speed_kmh * 60)
