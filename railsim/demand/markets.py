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

The table is built column by column over all markets at once (a market is a row of
index arrays into the flows and the trip ends' segments; a train journey is looked up
once per station pair), every column named (:class:`~railsim.demand.columns.ColumnBlocks`
refuses a missing or unknown one), and the dataclasses are built by keyword from the
named columns.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

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
    BusLeg,
    Journey,
    Road,
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

Flow = tuple[int, int, str, float, bool]
"""(origin end, destination end, purpose, weekday trips, counted): the trips of a pair
of trip ends (places, the hub, external zones) for one purpose."""


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
    area = study_area(corridor)
    gravity = fit_gravity(area.places, params.gravity_decay_per_km, corridor)
    stations = served_stations(scenario, corridor, network) if timetable_service else []
    running_on = continuations(scenario, corridor) if timetable_service else {}
    ends = _trip_ends(scenario.demand, corridor, network, params, stations, running_on)
    lsl_fare = average_fare_eur(scenario, params, corridor)
    train_fare = train_fare_eur(scenario, lsl_fare, params, corridor)
    flows = [f for f in _flows(area, gravity, params, corridor, network, ends.onward,
                               external_zones(corridor)) if f[3] > 0]
    rows = _market_rows(flows, ends)
    per_flow = _flow_columns(flows, ends, scenario.demand, params, corridor, network,
                             running_on, train_fare)
    car_km = per_flow["car_km"][rows.flow]
    segments = ends.segments
    o, d = rows.origin_segment, rows.destination_segment
    blocks = ColumnBlocks([f.name for f in fields(Markets)] + list(LABELS))
    blocks.add(
        **{name: values[rows.flow] for name, values in per_flow.items()},
        **_train_columns(timetable_service, ends, rows, running_on,
                         params.park_and_ride_max_detour * car_km, params),
        trips=np.array([f[3] for f in flows])[rows.flow] * segments.share[o]
        * segments.share[d],
        train_access_min=segments.access_min[o] + segments.access_min[d],
        train_access_money_eur=segments.access_money_eur[o] + segments.access_money_eur[d],
        bus_fare_eur=lsl_fare,
    )
    columns = blocks.columns({name: object for name in _OBJECT_COLUMNS}
                             | {"train_available": bool, "bus_available": bool,
                                "counted_flow": bool, "boarding_beyond": bool,
                                "alighting_beyond": bool})
    markets = Markets(**{f.name: columns[f.name] for f in fields(Markets)})
    labels = {name: columns[name] for name in LABELS}
    return MarketTable(markets=markets, **labels, gravity=gravity,
                       do_minimum=_collapse(markets, labels, rows.flow),
                       fares={"lsl_average_eur": lsl_fare, "train_eur": train_fare})


@dataclass(frozen=True)
class _TripEnds:
    """The trip ends of the markets by index: the places, the hub (onward), then the
    external zones; each with its access segments, stacked end after end."""

    places: list[Place]
    """Each end as a place (the hub and the zones too: the bus and road legs' ends)."""
    zones: list[ExternalZone | None]
    """The external zone of each end (None for the places and the hub)."""
    branches: list[str | None]
    """The line whose bus corridor each end is on (None: reached from the centre)."""
    centre_egress: list[float]
    """Local access between the travel centre and each end [min]."""
    segments: Segments
    """All ends' segments: those of end ``k`` from ``first[k]``, ``count[k]`` of them."""
    first: np.ndarray
    count: np.ndarray
    onward: int
    """Index of the hub."""


def _trip_ends(demand: schema.Demand, corridor: Corridor, network: Network,
               params: DemandParameters, stations: list[StationPlace],
               running_on: dict[str, Continuation]) -> _TripEnds:
    """The places, the hub and the zones with their segments at the served ``stations``."""
    area = study_area(corridor)
    places = area.places
    hub = network.stations[JUNCTION]
    hub_place = StationPlace(JUNCTION, hub.name, area.centre, hub.x_3067, hub.y_3067, False)
    segments, centre_egress = _place_segments(corridor, places, stations, hub_place,
                                              demand, params)
    zones = external_zones(corridor)
    hub_end = Place(ONWARD, hub.name, area.centre, 0.0, hub.x_3067, hub.y_3067, None,
                    _hub_road_place(places, hub.x_3067, hub.y_3067), False)
    segments += [Segments.single(JUNCTION if stations else None)]
    segments += [_zone_segments(z, running_on.get(z.zone_id)) for z in zones]
    count = np.array([len(s) for s in segments], dtype=np.intp)
    # Urban places have no route: the regional buses reach them from the travel centre.
    branches = [None if p.urban else nearest_line(p, network) for p in places]
    branches += [None] + [nearest_line(z.as_place(), network) for z in zones]
    return _TripEnds(
        places=[*places, hub_end, *(z.as_place() for z in zones)],
        zones=[None] * (len(places) + 1) + list(zones),
        branches=branches,
        centre_egress=centre_egress + [0.0] * (1 + len(zones)),
        segments=Segments(*(np.concatenate([getattr(s, name) for s in segments])
                            for name in ("station", "share", "access_min",
                                         "access_money_eur", "access_car_km"))),
        first=np.cumsum(count) - count, count=count, onward=len(places))


def _place_segments(corridor: Corridor, places: list[Place], stations: list[StationPlace],
                    hub: StationPlace, demand: schema.Demand, params: DemandParameters
                    ) -> tuple[list[Segments], list[float]]:
    """Each place's segments at the served stations, and its residents' mean access to
    the hub (the travel centre, where the regional buses leave)."""
    cells = population_grid(corridor)
    rows_of = cells.groupby("point_id", sort=False).indices
    rows = [rows_of[p.point_id] for p in places]
    # Access is cell by cell, so one call for the cells of all places (place after
    # place) gives each place's cells what a call of its own would.
    mine = cells.iloc[np.concatenate(rows)]
    pop = mine["population"].to_numpy()
    # Park-and-ride at both ends: the car waits at the home end of a round trip, and
    # places away from the hub (the only ones with P+R stations) are mostly home ends.
    to_station = access(mine, stations, demand, params, True)
    to_hub = access(mine, [hub], demand, params, False)
    segments, centre_egress = [], []
    bounds = np.cumsum([0, *(len(r) for r in rows)])
    for start, stop in itertools.pairwise(bounds):
        place = slice(start, stop)
        segments.append(place_segments(to_station.take(place), pop[place], stations, params))
        minutes, weight = to_hub.minutes[place], pop[place]
        finite = np.isfinite(minutes)
        centre_egress.append(float((minutes[finite] * weight[finite]).sum()
                                   / max(weight[finite].sum(), 1e-9)))
    return segments, centre_egress


@dataclass(frozen=True)
class _MarketRows:
    """The markets of the flows: every origin segment × destination segment of each flow
    (origin segments outer), flow after flow; indices into the flows and the stacked
    segments of the trip ends."""

    flow: np.ndarray
    origin_segment: np.ndarray
    destination_segment: np.ndarray


def _market_rows(flows: list[Flow], ends: _TripEnds) -> _MarketRows:
    origin = np.array([f[0] for f in flows], dtype=np.intp)
    destination = np.array([f[1] for f in flows], dtype=np.intp)
    n_origin, n_destination = ends.count[origin], ends.count[destination]
    sizes = n_origin * n_destination
    flow = np.repeat(np.arange(len(flows)), sizes)
    within = np.arange(len(flow)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    per_destination = n_destination[flow]
    return _MarketRows(flow, ends.first[origin[flow]] + within // per_destination,
                       ends.first[destination[flow]] + within % per_destination)


def _flow_columns(flows: list[Flow], ends: _TripEnds, demand: schema.Demand,
                  params: DemandParameters, corridor: Corridor, network: Network,
                  running_on: dict[str, Continuation], train_fare: float
                  ) -> dict[str, np.ndarray]:
    """The columns that are the same for all markets of a flow, one entry per flow: its
    labels, the bus and the car (both go from place to place, whatever the segment)."""
    hub = network.stations[JUNCTION]
    routes = bus_routes(params, corridor)
    roads = road_table(corridor)
    hub_road = ends.places[ends.onward].road_place
    run_on = [running_on.get(z.zone_id) if z else None for z in ends.zones]
    central = [k == ends.onward or np.hypot(p.x - hub.x_3067, p.y - hub.y_3067) / 1000
               <= params.central_radius_km for k, p in enumerate(ends.places)]
    legs: dict[tuple[int, int], tuple[BusLeg | None, Road]] = {}
    out: dict[str, list[Any]] = {name: [] for name in _FLOW_COLUMNS}
    for i, j, purpose, _, counted in flows:
        if (i, j) not in legs:  # both purposes of a pair share them
            legs[(i, j)] = (bus_leg(i, j, ends.places, ends.branches, routes, ends.onward,
                                    ends.centre_egress, params),
                            road_leg(i, j, ends.places, roads, ends.onward, hub, hub_road,
                                     params))
        bus, road = legs[(i, j)]
        occupancy = params.occupancy(purpose)
        ivt, wait, acc, bus_transfers, transfer_wait, used = bus or (0, 0, 0, 0, 0, ())
        values = {
            "vot_eur_h": params.vot(purpose),
            "train_fare_eur": train_fare + sum(c.fare_extra_eur for c in (run_on[i], run_on[j])
                                               if c is not None),
            "bus_available": bus is not None,
            "bus_in_vehicle_min": float(ivt),
            "bus_wait_min": float(wait),
            "bus_access_min": float(acc),
            "bus_transfers": float(bus_transfers),
            "bus_transfer_wait_min": float(transfer_wait),
            "car_minutes": road.minutes + params.car_terminal_min,
            "car_money_eur": road.km * params.car_cost_per_km_behavioural / occupancy + (
                demand.parking_cost_lahti_eur / 2 if central[i] or central[j] else 0.0),
            "origin_place": ends.places[i].point_id,
            "destination_place": ends.places[j].point_id,
            "purpose": purpose,
            "car_km": road.km,
            "bus_routes": used,
            "occupancy": occupancy,
            "counted_flow": counted,
            "boarding_beyond": ends.zones[i] is not None,
            "alighting_beyond": ends.zones[j] is not None,
        }
        for name, value in values.items():
            out[name].append(value)
    return {name: object_array(values) if name in _OBJECT_COLUMNS
            else np.array(values, dtype=bool if name in _FLAG_COLUMNS else float)
            for name, values in out.items()}


_FLOW_COLUMNS = ("vot_eur_h", "train_fare_eur", "bus_available", "bus_in_vehicle_min",
                 "bus_wait_min", "bus_access_min", "bus_transfers", "bus_transfer_wait_min",
                 "car_minutes", "car_money_eur", "origin_place", "destination_place",
                 "purpose", "car_km", "bus_routes", "occupancy", "counted_flow",
                 "boarding_beyond", "alighting_beyond")
"""Columns of the market table that :func:`_flow_columns` gives."""
_FLAG_COLUMNS = ("bus_available", "counted_flow", "boarding_beyond", "alighting_beyond")


def _train_columns(service: TrainService | None, ends: _TripEnds, rows: _MarketRows,
                   running_on: dict[str, Continuation], detour_km: np.ndarray,
                   params: DemandParameters) -> dict[str, np.ndarray]:
    """The train's columns of each market (``detour_km``: the longest park-and-ride
    drive plus ride of each market)."""
    segments = ends.segments
    boarding = segments.station[rows.origin_segment]
    alighting = segments.station[rows.destination_segment]
    journeys = _journeys(service, ends, rows, running_on, params)
    # Park-and-ride only where the drive to the station is shorter than the train
    # ride (they would drive on) and the drive and ride together are no detour
    # against the direct road (nobody drives to a station behind them).
    driven = (segments.access_car_km[rows.origin_segment]
              + segments.access_car_km[rows.destination_segment])
    distance = journeys["distance_km"]
    available = journeys["found"] & (driven <= distance) & (
        (driven == 0) | (driven + distance <= detour_km))
    transfers = np.where(available, journeys["transfers"], 0.0)
    return {
        "train_available": available,
        "train_in_vehicle_min": np.where(available, journeys["in_vehicle_min"], 0.0),
        "train_wait_min": np.where(available, journeys["wait_min"], 0.0),
        "train_transfers": transfers,
        "train_transfer_wait_min": np.where(available & (transfers != 0),
                                            journeys["transfer_wait_min"], 0.0),
        "boarding": np.where(available, boarding, None),
        "alighting": np.where(available, alighting, None),
        "distance_km": np.where(available, distance, 0.0),
        "transfers": transfers,
        "access_car_km": np.where(available, driven, 0.0),
        "train_headway_min": np.where(available, journeys["headway_min"], 0.0),
        "train_transfer_headway_min": np.where(available,
                                               journeys["transfer_headway_min"], 0.0),
    }


def _journeys(service: TrainService | None, ends: _TripEnds, rows: _MarketRows,
              running_on: dict[str, Continuation], params: DemandParameters
              ) -> dict[str, np.ndarray]:
    """Each market's train journey before the park-and-ride test: ``found``, its
    attributes and expected waits (0 where there is none). A journey depends only on the
    two stations and on which ends are external zones, so each is looked up once (a few
    hundred against thousands of markets)."""
    station = ends.segments.station
    code_of = {s: k for k, s in enumerate(dict.fromkeys(station.tolist()))}
    code = np.array([code_of[s] for s in station.tolist()], dtype=np.int64)
    # the end of each segment where it is an external zone, else -1
    zone_end = np.repeat([-1 if z is None else k for k, z in enumerate(ends.zones)],
                         ends.count)
    o, d = rows.origin_segment, rows.destination_segment
    n_codes, n_ends = len(code_of), len(ends.zones) + 1
    key = ((code[o] * n_codes + code[d]) * n_ends + zone_end[o] + 1) * n_ends + zone_end[d] + 1
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    found: list[Journey | None] = []
    for row in first:
        a, b = station[o[row]], station[d[row]]
        run_on = [running_on.get(z.zone_id) if z else None
                  for z in (ends.zones[e] if e >= 0 else None for e in (zone_end[o[row]],
                                                                        zone_end[d[row]]))]
        found.append(_journey(service, a, b, *run_on) if service and a and b else None)
    values = {name: [getattr(jn, name) if jn is not None else 0.0 for jn in found]
              for name in ("in_vehicle_min", "headway_min", "transfers",
                           "transfer_headway_min", "distance_km")}
    values["found"] = [jn is not None for jn in found]
    values["wait_min"] = [expected_wait_min(h, params) for h in values["headway_min"]]
    values["transfer_wait_min"] = [expected_wait_min(h, params)
                                   for h in values["transfer_headway_min"]]
    return {name: np.array(v, dtype=bool if name == "found" else float)[inverse]
            for name, v in values.items()}


def _zone_segments(zone: ExternalZone, run_on: Continuation | None) -> Segments:
    """The zone as one segment at the station its train passes last (with the zone's
    egress), or without a station when no train of the scenario runs on to it."""
    single = Segments.single(run_on.via_station if run_on else None)
    return Segments(single.station, single.share, np.full(1, zone.egress_min),
                    single.access_money_eur, single.access_car_km)


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


def _hub_road_place(places: list[Place], x: float, y: float) -> str | None:
    """Road-table name of the hub: that of the urban place nearest it."""
    urban = [p for p in places if p.urban and p.road_place]
    if not urban:
        return None
    return min(urban, key=lambda p: np.hypot(p.x - x, p.y - y)).road_place


def _flows(area: StudyArea, gravity: Gravity, params: DemandParameters,
           corridor: Corridor, network: Network, onward_index: int,
           zones: list[ExternalZone]) -> list[Flow]:
    """(origin, destination, purpose, weekday trips, counted) of every place pair, the
    onward and the external markets: both directions of commuting plus other purposes.
    Places of one municipality are markets like any other; trips between two urban places
    are not modelled (walk, cycle and urban bus), nor are urban residents' trips to the
    hub for onward trains or to external zones. Flows without a VERIFIED count are scaled
    by unverified_flow_factor (external ones per commuting row)."""
    places = area.places
    presence = params.commute_presence
    flows: list[Flow] = []
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


def _collapse(markets: Markets, labels: dict[str, np.ndarray], flow: np.ndarray) -> Markets:
    """Do-minimum markets merged per place pair and purpose: without the train, segments
    of one pair differ only in their rail access, so bus and car are the same for all.
    ``flow`` is each market's flow: the markets of a flow are of one pair and purpose,
    so the pairs are looked up once a flow (two flows may share a pair)."""
    starts = np.flatnonzero(np.diff(flow, prepend=-1))
    keys = zip(labels["origin_place"][starts], labels["destination_place"][starts],
               labels["purpose"][starts], strict=True)
    index: dict[tuple[str, str, str], int] = {}
    group_of_flow = np.array([index.setdefault(key, len(index)) for key in keys], dtype=int)
    group = np.repeat(group_of_flow, np.diff(starts, append=len(flow)))
    # groups are numbered in order of appearance: the first market of each is picked
    pick = starts[np.unique(group_of_flow, return_index=True)[1]]
    values = {f.name: getattr(markets, f.name)[pick] for f in fields(Markets)}
    values["trips"] = np.bincount(group, weights=markets.trips, minlength=len(pick))
    values["train_available"] = np.zeros(len(pick), dtype=bool)
    return Markets(**values)
