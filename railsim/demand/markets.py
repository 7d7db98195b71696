"""Markets: trips between places split into access segments, with each mode's service.

A *place* is a population point of the corridor. Its residents (cells) are grouped into
*segments* by the station they reach quickest and by distance ring, so that people near a
station and far from it face different access times (the distance decay of rail use).
A *market* is an origin segment × destination segment × purpose, carrying its share of
the place-to-place trips and the level of service of train, bus and car. Besides the
place-to-place trips, commuters to the capital region travel between their home and
Lahti station (where they change to the main-line train): the *onward* markets; and
trips to and from destinations beyond the study area reached by trains that run on
past the last modelled station (:mod:`railsim.demand.external`): the *external* markets,
whose boarding or alighting beyond the network is not a station's passenger.

The table is built one place pair and purpose at a time, each block naming every
column (:class:`~railsim.demand.columns.ColumnBlocks`), and the dataclasses are built by
keyword from the named columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.demand.catchments import StationPlace, access, population_grid
from railsim.demand.choice import Markets
from railsim.demand.columns import ColumnBlocks, object_array
from railsim.demand.external import (
    Continuation,
    ExternalZone,
    continuations,
    external_zones,
    zone_flows,
)
from railsim.demand.fares import average_fare_eur, train_fare_eur
from railsim.demand.gravity import Gravity, fit_gravity
from railsim.demand.parameters import DemandParameters
from railsim.demand.places import Place, StudyArea, study_area
from railsim.demand.segments import ONWARD, Segments, onward_rate, place_segments, served_stations
from railsim.demand.supply import (
    Journey,
    TrainService,
    bus_leg,
    bus_routes,
    expected_wait_min,
    nearest_line,
    road_leg,
    road_table,
)
from railsim.network import JUNCTION, Network

if TYPE_CHECKING:
    from railsim.corridor import Corridor

__all__ = ["ONWARD", "MarketTable", "build_markets", "served_stations"]

PURPOSES = ("commute", "other")

LABELS = ("origin_place", "destination_place", "purpose", "boarding", "alighting",
          "distance_km", "transfers", "car_km", "access_car_km", "bus_routes", "occupancy",
          "train_headway_min", "train_transfer_headway_min", "counted_flow",
          "boarding_beyond", "alighting_beyond")
"""Columns of the market table besides the level of service (:class:`Markets`)."""
_OBJECT_COLUMNS = ("origin_place", "destination_place", "purpose", "boarding", "alighting",
                   "bus_routes")


@dataclass
class MarketTable:
    """Markets (level of service, :class:`Markets`) plus the labels that aggregate results.

    Every array has one entry per market; string columns are object arrays.
    """

    markets: Markets
    origin_place: np.ndarray
    destination_place: np.ndarray
    purpose: np.ndarray
    boarding: np.ndarray
    """Station where the train trip starts (None where no train)."""
    alighting: np.ndarray
    distance_km: np.ndarray
    """Rail distance of the train journey [km] (0 where no train)."""
    transfers: np.ndarray
    car_km: np.ndarray
    """Road distance of the trip [km]."""
    access_car_km: np.ndarray
    """Park-and-ride driving of a train trip [km]."""
    bus_routes: np.ndarray
    """Regional bus routes a bus trip uses (a tuple per market)."""
    occupancy: np.ndarray
    train_headway_min: np.ndarray
    train_transfer_headway_min: np.ndarray
    counted_flow: np.ndarray
    """The place pair's municipalities have a VERIFIED commuting count (else its trips
    are extrapolated and scaled by ``unverified_flow_factor``)."""
    boarding_beyond: np.ndarray
    """The trip boards beyond the modelled network (``boarding`` is the last modelled
    station it passes, not a boarding there)."""
    alighting_beyond: np.ndarray
    """The trip alights beyond the modelled network (``alighting`` is the last modelled
    station it passes)."""
    gravity: Gravity
    do_minimum: Markets
    """The markets without train, one per place pair and purpose (for calibration)."""
    fares: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.purpose)


def build_markets(scenario: schema.Scenario, corridor: Corridor, network: Network,
                  params: DemandParameters, timetable_service: TrainService | None
                  ) -> MarketTable:
    """All markets of a scenario; the train is unavailable where ``timetable_service`` is
    None (the do-minimum) or a segment has no reachable station."""
    demand = scenario.demand
    area = study_area(corridor)
    places = area.places
    gravity = fit_gravity(places, params.gravity_decay_per_km, corridor)
    cells = population_grid(corridor)
    stations = served_stations(scenario, corridor, network) if timetable_service else []
    hub = network.stations[JUNCTION]
    hub_place = StationPlace(JUNCTION, hub.name, area.centre, hub.x_3067, hub.y_3067, False)
    routes = bus_routes(params, corridor)
    roads = road_table(corridor)
    lsl_fare = average_fare_eur(scenario, params, corridor)
    train_fare = train_fare_eur(scenario, lsl_fare, params, corridor)

    segments: list[Segments] = []
    centre_egress: list[float] = []
    for place in places:
        mine = cells[cells["point_id"] == place.point_id]
        pop = mine["population"].to_numpy()
        # Park-and-ride at both ends: the car waits at the home end of a round trip, and
        # places away from the hub (the only ones with P+R stations) are mostly home ends.
        segments.append(place_segments(access(mine, stations, demand, params, True), pop,
                                       stations, params))
        to_hub = access(mine, [hub_place], demand, params, False)
        finite = np.isfinite(to_hub.minutes)
        centre_egress.append(float((to_hub.minutes[finite] * pop[finite]).sum()
                                   / max(pop[finite].sum(), 1e-9)))
    onward_index = len(places)
    onward = Segments.single(JUNCTION if stations else None)
    zones = external_zones(corridor)
    running_on = continuations(scenario, corridor) if timetable_service else {}
    zone_segments = [_zone_segments(z, running_on.get(z.zone_id)) for z in zones]
    # Urban places have no route: the regional buses reach them from the travel centre.
    branches = [None if p.urban else nearest_line(p, network) for p in places]
    hub_road = _hub_road_place(places, hub.x_3067, hub.y_3067)
    # Trip ends by index: the places, the hub (onward), then the external zones.
    hub_end = Place(ONWARD, hub.name, area.centre, 0.0, hub.x_3067, hub.y_3067, None,
                    hub_road, False)
    ends = [*places, hub_end, *(z.as_place() for z in zones)]
    branches += [None] + [nearest_line(z.as_place(), network) for z in zones]
    centre_egress += [0.0] * (1 + len(zones))
    first_zone = onward_index + 1

    blocks = ColumnBlocks([f.name for f in fields(Markets)] + list(LABELS))
    names = [e.point_id for e in ends]
    for i, j, purpose, trips, counted in _flows(area, gravity, params, corridor, network,
                                                onward_index, zones):
        if trips <= 0:
            continue
        bus = bus_leg(i, j, ends, branches, routes, onward_index, centre_egress, params)
        road = road_leg(i, j, ends, roads, onward_index, hub, hub_road, params)
        central = any(k == onward_index or np.hypot(ends[k].x - hub.x_3067,
                                                    ends[k].y - hub.y_3067) / 1000
                      <= params.central_radius_km for k in (i, j))
        occupancy = params.occupancy(purpose)
        car_money = road.km * params.car_cost_per_km_behavioural / occupancy + (
            demand.parking_cost_lahti_eur / 2 if central else 0.0)
        so, sd = (_segments_of(k, segments, onward, zone_segments, onward_index)
                  for k in (i, j))
        o_k = np.repeat(np.arange(len(so)), len(sd))
        d_k = np.tile(np.arange(len(sd)), len(so))
        beyond = (zones[i - first_zone] if i >= first_zone else None,
                  zones[j - first_zone] if j >= first_zone else None)
        run_on = [running_on.get(z.zone_id) if z else None for z in beyond]
        journeys = [_journey(timetable_service, a, b, *run_on)
                    if timetable_service and a and b else None
                    for a, b in zip(so.station[o_k], sd.station[d_k], strict=True)]
        # Park-and-ride only where the drive to the station is shorter than the train
        # ride (they would drive on) and the drive and ride together are no detour
        # against the direct road (nobody drives to a station behind them).
        driven = so.access_car_km[o_k] + sd.access_car_km[d_k]
        detour_km = params.park_and_ride_max_detour * road.km
        journeys = [jn if jn is not None and car_km <= jn.distance_km
                    and (car_km == 0 or car_km + jn.distance_km <= detour_km) else None
                    for jn, car_km in zip(journeys, driven, strict=True)]
        available = np.array([jn is not None for jn in journeys], dtype=bool)
        transfers = _journey_column(journeys, "transfers")
        headway = _journey_column(journeys, "headway_min")
        transfer_headway = _journey_column(journeys, "transfer_headway_min")
        ivt, wait, acc, bus_transfers, transfer_wait, used = bus or (0, 0, 0, 0, 0, ())
        blocks.add(
            trips=trips * so.share[o_k] * sd.share[d_k],
            vot_eur_h=params.vot(purpose),
            train_available=available,
            train_in_vehicle_min=_journey_column(journeys, "in_vehicle_min"),
            train_wait_min=np.array([expected_wait_min(h, params) if ok else 0.0
                                     for h, ok in zip(headway, available, strict=True)]),
            train_access_min=so.access_min[o_k] + sd.access_min[d_k],
            train_transfers=transfers,
            train_transfer_wait_min=np.array([
                expected_wait_min(h, params) if ok and t else 0.0
                for h, ok, t in zip(transfer_headway, available, transfers, strict=True)]),
            train_fare_eur=train_fare + sum(c.fare_extra_eur for c in run_on
                                            if c is not None),
            train_access_money_eur=so.access_money_eur[o_k] + sd.access_money_eur[d_k],
            bus_available=bus is not None,
            bus_in_vehicle_min=float(ivt),
            bus_wait_min=float(wait),
            bus_access_min=float(acc),
            bus_transfers=float(bus_transfers),
            bus_transfer_wait_min=float(transfer_wait),
            bus_fare_eur=lsl_fare,
            car_minutes=road.minutes + params.car_terminal_min,
            car_money_eur=car_money,
            origin_place=names[i],
            destination_place=names[j],
            purpose=purpose,
            boarding=object_array(s if ok else None
                                  for s, ok in zip(so.station[o_k], available, strict=True)),
            alighting=object_array(s if ok else None
                                   for s, ok in zip(sd.station[d_k], available, strict=True)),
            distance_km=_journey_column(journeys, "distance_km"),
            transfers=transfers,
            car_km=road.km,
            access_car_km=np.where(available, driven, 0.0),
            bus_routes=used,
            occupancy=occupancy,
            train_headway_min=headway,
            train_transfer_headway_min=transfer_headway,
            counted_flow=counted,
            boarding_beyond=beyond[0] is not None,
            alighting_beyond=beyond[1] is not None,
        )

    columns = blocks.columns({name: object for name in _OBJECT_COLUMNS}
                             | {"train_available": bool, "bus_available": bool,
                                "counted_flow": bool, "boarding_beyond": bool,
                                "alighting_beyond": bool})
    markets = Markets(**{f.name: columns[f.name] for f in fields(Markets)})
    labels = {name: columns[name] for name in LABELS}
    return MarketTable(markets=markets, **labels, gravity=gravity,
                       do_minimum=_collapse(markets, labels),
                       fares={"lsl_average_eur": lsl_fare, "train_eur": train_fare})


def _zone_segments(zone: ExternalZone, run_on: Continuation | None) -> Segments:
    """The zone as one segment at the station its train passes last (with the zone's
    egress), or without a station when no train of the scenario runs on to it."""
    single = Segments.single(run_on.via_station if run_on else None)
    return Segments(single.station, single.share, np.full(1, zone.egress_min),
                    single.access_money_eur, single.access_car_km)


def _segments_of(k: int, segments: list[Segments], onward: Segments,
                 zone_segments: list[Segments], onward_index: int) -> Segments:
    if k < onward_index:
        return segments[k]
    return onward if k == onward_index else zone_segments[k - onward_index - 1]


def _journey(service: TrainService, a: str, b: str, from_beyond: Continuation | None,
             to_beyond: Continuation | None) -> Journey | None:
    """The train journey from station ``a`` to ``b``, extended beyond the network where an
    end is an external zone (``a`` or ``b`` is then the station its train passes)."""
    run_on = from_beyond or to_beyond
    if run_on is None:
        return service.journey(a, b)
    if from_beyond is not None and to_beyond is not None:
        return None
    if a == b:
        headway = service.headway_at(a)
        if headway is None:
            return None
        inside = Journey(0.0, headway, 0, 0.0, 0.0, 0.0)
    else:
        found = service.journey(a, b)
        if found is None:
            return None
        inside = found
    return Journey(inside.in_vehicle_min + run_on.in_vehicle_min, inside.headway_min,
                   inside.transfers, inside.transfer_headway_min,
                   inside.distance_km + run_on.distance_km,
                   inside.scheduled_min + run_on.in_vehicle_min)


def _journey_column(journeys: list[Journey | None], name: str) -> np.ndarray:
    """One attribute of each market's train journey (0 where there is none)."""
    return np.array([getattr(jn, name) if jn is not None else 0.0 for jn in journeys],
                    dtype=float)


def _hub_road_place(places: list[Place], x: float, y: float) -> str | None:
    """Road-table name of the hub: that of the urban place nearest it."""
    urban = [p for p in places if p.urban and p.road_place]
    if not urban:
        return None
    return min(urban, key=lambda p: np.hypot(p.x - x, p.y - y)).road_place


def _flows(area: StudyArea, gravity: Gravity, params: DemandParameters,
           corridor: Corridor, network: Network, onward_index: int,
           zones: list[ExternalZone]) -> list[tuple[int, int, str, float, bool]]:
    """(origin, destination, purpose, weekday trips, counted) of every place pair, the
    onward and the external markets: both directions of commuting plus other purposes.
    Places of one municipality are markets like any other; trips between two urban places
    are not modelled (walk, cycle and urban bus), nor are urban residents' trips to the
    hub for onward trains or to external zones. Flows without a VERIFIED count are scaled
    by unverified_flow_factor (external ones per commuting row)."""
    places = area.places
    presence = params.commute_presence
    flows: list[tuple[int, int, str, float, bool]] = []
    c = gravity.commuters
    verified = gravity.verified_pairs()
    for i, pi in enumerate(places):
        for j, pj in enumerate(places):
            if i == j or (pi.urban and pj.urban):
                continue
            counted = (pi.municipality, pj.municipality) in verified
            commute = presence * (c[i, j] + c[j, i]) * (
                1.0 if counted else params.unverified_flow_factor)
            flows.append((i, j, "commute", commute, counted))
            flows.append((i, j, "other", commute * params.other_trips_per_commute_trip,
                          counted))
    rate = onward_rate(corridor)
    hub = network.stations[JUNCTION]
    for i, pi in enumerate(places):
        if pi.urban:
            continue
        d_km = np.hypot(pi.x - hub.x_3067, pi.y - hub.y_3067) / 1000
        commuters = (rate * pi.population * np.exp(-params.gravity_decay_per_km * d_km)
                     * params.capital_commuters_rail_share)
        flows.append((i, onward_index, "commute", presence * commuters, True))
        flows.append((onward_index, i, "commute", presence * commuters, True))
    # Each commuter of a row travels both ways: one trip each direction a working day.
    for f in zone_flows(area, zones, params.gravity_decay_per_km, corridor):
        commute = presence * f.commuters * (1.0 if f.counted else params.unverified_flow_factor)
        z = onward_index + 1 + f.zone
        for a, b in ((f.place, z), (z, f.place)):
            flows.append((a, b, "commute", commute, f.counted))
            flows.append((a, b, "other", commute * params.other_trips_per_commute_trip,
                          f.counted))
    return flows


def _collapse(markets: Markets, labels: dict[str, np.ndarray]) -> Markets:
    """Do-minimum markets merged per place pair and purpose: without the train, segments
    of one pair differ only in their rail access, so bus and car are the same for all."""
    keys = list(zip(labels["origin_place"], labels["destination_place"], labels["purpose"],
                    strict=True))
    first: dict[tuple[str, str, str], int] = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    index = {key: g for g, key in enumerate(first)}
    group = np.array([index[key] for key in keys], dtype=int)
    pick = np.array(list(first.values()), dtype=int)
    values = {f.name: getattr(markets, f.name)[pick] for f in fields(Markets)}
    values["trips"] = np.bincount(group, weights=markets.trips, minlength=len(pick))
    values["train_available"] = np.zeros(len(pick), dtype=bool)
    return Markets(**values)
