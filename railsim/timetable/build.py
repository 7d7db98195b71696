"""Timetable construction on single track: trip templates, crossings, freight paths.

How it works:

1. Each service line and direction gets a *template*: scheduled running times per leg
   (:mod:`railsim.running` plus supplements) and dwells, as offsets from departure.
2. Single-track stretches are cut into *blocks* between crossing points (stations with a
   crossing track, new loops, Lahti, and the termini). One train at a time may be in a
   block, whatever its direction.
3. For each service line, the reverse direction's clock-face offset is chosen (every
   minute of the period is tried) so that the planned waits for crossings are smallest,
   and of those the one whose shortest terminal turnaround is longest (fewest train
   sets); trains wait at the crossing point before a busy block. A pattern whose best offset
   still needs a wait longer than ``operations.max_crossing_wait_min`` is infeasible:
   :class:`TimetableError` names the block and what would make it work (a loop near
   km X, or a headway of at least Y min).
4. Freight paths from the data are then fitted around the passenger service (passenger
   trains have planning priority, as in Finnish commuter practice), moving at most
   ``operations.freight_path_flex_min`` from their time in the data.

Known simplifications (documented in docs): a wait at a loop between stations adds the
wait only (not the extra braking and acceleration); double-track stretches are not
capacity-checked beyond the same-direction headway of the conflict checker.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from railsim.config import schema
from railsim.errors import RailsimError
from railsim.network import JUNCTION, Leg, Network
from railsim.running import KMH, Stretch, Train, minimum_running_time, scheduled_running_time
from railsim.timetable.model import (
    Block,
    BlockUse,
    StopTime,
    Template,
    Timetable,
    Traversal,
    Trip,
)

if TYPE_CHECKING:
    from railsim.corridor import Corridor
    from railsim.timetable.cyclic import BlockNeed

FREIGHT_TYPE = "freight_diesel"
"""Rolling-stock type id used for freight paths (data/rolling_stock/types.csv)."""


class TimetableError(RailsimError):
    """The service pattern cannot be run on the infrastructure.

    ``where`` says what cannot run, for a located error: ``("service", i, day_type)``
    for service line ``i``'s pattern on that day, ``("freight", freight_id)``, or
    ``("platforms",)``. ``block_id`` names the binding single-track block and
    ``min_headway_s`` the shortest headway the pattern needs there, when known.
    """

    def __init__(self, message: str, where: tuple[str | int, ...] = (),
                 block_id: str | None = None, min_headway_s: float | None = None) -> None:
        super().__init__(message)
        self.where = where
        self.block_id = block_id
        self.min_headway_s = min_headway_s


def train_for(row: dict[str, Any], units: int) -> Train:
    """The kinematic train of ``units`` coupled units of a rolling-stock row."""
    return Train(max_speed_ms=row["max_speed_kmh"] * KMH, accel_ms2=row["accel_ms2"],
                 decel_ms2=row["decel_ms2"], length_m=row["length_m"] * units)


def leg_stretches(network: Network, leg: Leg, speed_cap_kmh: float | None = None
                  ) -> list[Stretch]:
    lo, hi = sorted((leg.from_km, leg.to_km))
    secs = network.sections_between(leg.line_id, lo, hi)
    stretches = [Stretch(s.length_km * 1000, min(s.speed_limit_kmh, speed_cap_kmh or 1e9) * KMH)
                 for s in secs]
    return stretches if leg.direction > 0 else stretches[::-1]


def blocks_of(network: Network, termini: set[str]) -> dict[str, list[Block]]:
    """Single-track blocks of every line, between crossing points and termini."""
    out: dict[str, list[Block]] = {}
    for line_id in network.lines:
        points = {round(p.km, 3): (p.station_id or f"loop@{p.km:g}")
                  for p in network.crossing_points.get(line_id, [])}
        for st in termini:
            km = network.positions.get(st, {}).get(line_id)
            if km is not None:
                points.setdefault(round(km, 3), st)
        points.setdefault(0.0, network.lines[line_id]["from_station"])
        points.setdefault(round(network.line_length_km(line_id), 3),
                          network.lines[line_id]["to_station"])
        kms = sorted(points)
        blocks = []
        for a, b in itertools.pairwise(kms):
            if any(s.tracks == 1 for s in network.sections_between(line_id, a, b)):
                blocks.append(Block(f"{line_id}:{a:g}-{b:g}", line_id, a, b, points[a],
                                    points[b]))
        out[line_id] = blocks
    return out


def make_template(network: Network, stations: list[str], train: Train,
                  ops: schema.Operations, blocks: dict[str, list[Block]],
                  stopping: bool = True) -> Template:
    """Offsets of a trip over ``stations`` (stopping at each when ``stopping``)."""
    legs = network.route(stations)
    stops = [StopTime(stations[0], legs[0].line_id, 0.0, 0.0, 0.0, legs[0].from_km)]
    t = 0.0
    along = 0.0
    starts = [0.0]
    for k, leg in enumerate(legs):
        stretches = leg_stretches(network, leg)
        fastest = minimum_running_time(stretches, train)
        run = math.ceil(scheduled_running_time(  # timetables work in whole seconds
            fastest, leg.length_km * 1000,
            ops.running_time_supplement_pct, ops.running_time_supplement_min_per_100km))
        done = 0.0  # share of the leg already run at the previous timing point
        # crossing points passed without stopping become timing points (linear in time)
        lo, hi = sorted((leg.from_km, leg.to_km))
        passed = [p for p in network.crossing_points.get(leg.line_id, [])
                  if lo + 1e-6 < p.km < hi - 1e-6]
        for point in sorted(passed, key=lambda p: abs(p.km - leg.from_km)):
            frac = abs(point.km - leg.from_km) / leg.length_km
            name = point.station_id or f"{leg.line_id}@{point.km:g}"
            when = t + frac * run
            stops.append(StopTime(name, leg.line_id, along + frac * leg.length_km, when, when,
                                  point.km, served=False, min_run_s=(frac - done) * fastest))
            done = frac
        t += run
        along += leg.length_km
        last = k == len(legs) - 1
        dwell = 0.0 if last or not stopping else ops.dwell_by_station_s.get(
            leg.to_station, ops.dwell_s)
        stops.append(StopTime(leg.to_station, leg.line_id, along, t, t + dwell, leg.to_km,
                              min_run_s=(1 - done) * fastest))
        t += dwell
        starts.append(along)
    traversals = _traversals(legs, stops, starts, blocks)
    return Template(stops, traversals)


def _time_at(stops: list[StopTime], along: float, entering: bool) -> float:
    """Time offset at a distance along the trip: departure (entering) or arrival."""
    for i, st in enumerate(stops):
        if abs(st.km - along) < 1e-6:
            return st.departure_s if entering else st.arrival_s
        if i and stops[i - 1].km < along < st.km:
            prev = stops[i - 1]
            frac = (along - prev.km) / (st.km - prev.km)
            return prev.departure_s + frac * (st.arrival_s - prev.departure_s)
    return stops[-1].arrival_s


def _traversals(legs: list[Leg], stops: list[StopTime], starts: list[float],
                blocks: dict[str, list[Block]]) -> list[Traversal]:
    out = []
    for k, leg in enumerate(legs):
        lo, hi = sorted((leg.from_km, leg.to_km))
        for block in blocks.get(leg.line_id, []):
            a, b = max(block.from_km, lo), min(block.to_km, hi)
            if b - a <= 1e-6:
                continue
            # distance along the trip where the block part starts and ends
            if leg.direction > 0:
                enter_along, exit_along = starts[k] + a - lo, starts[k] + b - lo
            else:
                enter_along, exit_along = starts[k] + hi - b, starts[k] + hi - a
            out.append(Traversal(block.block_id, leg.direction,
                                 _time_at(stops, enter_along, True),
                                 _time_at(stops, exit_along, False), enter_along))
    # a block crossed by two consecutive legs (a stop inside it) is one occupation
    merged: list[Traversal] = []
    for tr in sorted(out, key=lambda x: x.enter_s):
        if merged and merged[-1].block_id == tr.block_id:
            prev = merged[-1]
            merged[-1] = Traversal(prev.block_id, prev.direction, prev.enter_s, tr.exit_s,
                                   prev.along_km)
        else:
            merged.append(tr)
    return merged


class Reservations:
    """Occupations of each block, kept sorted (blocks are exclusive, so by entry and exit)."""

    def __init__(self, buffer_s: float) -> None:
        self.buffer_s = buffer_s
        self.uses: dict[str, list[BlockUse]] = {}
        # entry and exit times of the uses, for bisecting without a key function
        self._enters: dict[str, list[float]] = {}
        self._exits: dict[str, list[float]] = {}

    def copy(self, blocks: set[str] | None = None) -> Reservations:
        """A copy whose lists for ``blocks`` (default: all) can change independently.

        Lists of other blocks are shared, so a trial must only add to ``blocks``.
        """
        new = Reservations(self.buffer_s)
        new.uses = dict(self.uses)
        new._enters = dict(self._enters)
        new._exits = dict(self._exits)
        for block in self.uses if blocks is None else blocks:
            if block in self.uses:
                new.uses[block] = list(self.uses[block])
                new._enters[block] = list(self._enters[block])
                new._exits[block] = list(self._exits[block])
        return new

    def adopt(self, other: Reservations) -> None:
        """Take over the state of a trial copy."""
        self.uses, self._enters, self._exits = other.uses, other._enters, other._exits

    def earliest(self, block_id: str, start: float, duration: float) -> float:
        """Earliest entry at or after ``start`` that keeps the block free around the trip."""
        uses = self.uses.get(block_id)
        if not uses:
            return start
        # Blocks are exclusive, so occupations sorted by entry are also sorted by exit.
        i = bisect.bisect_right(self._exits[block_id], start - self.buffer_s)
        while i < len(uses) and uses[i].enter_s - self.buffer_s < start + duration:
            start = max(start, uses[i].exit_s + self.buffer_s)
            i += 1
        return start

    def add(self, use: BlockUse) -> None:
        enters = self._enters.setdefault(use.block_id, [])
        i = bisect.bisect_right(enters, use.enter_s)
        enters.insert(i, use.enter_s)
        self.uses.setdefault(use.block_id, []).insert(i, use)
        self._exits.setdefault(use.block_id, []).insert(i, use.exit_s)


def reserve_trip(template: Template, start_s: float, reservations: Reservations,
                 trip_id: str) -> tuple[list[BlockUse], list[tuple[float, float, str]]]:
    """Reserve one trip's blocks, waiting before busy ones: its block uses and waits
    ``(along_km, seconds, block_id)`` (its stop times: :func:`trip_stops`)."""
    waits: list[tuple[float, float, str]] = []
    shift = 0.0
    uses = []
    for tr in template.traversals:
        wanted = start_s + tr.enter_s + shift
        duration = tr.exit_s - tr.enter_s
        got = reservations.earliest(tr.block_id, wanted, duration)
        if got > wanted:
            waits.append((tr.along_km, got - wanted, tr.block_id))
            shift += got - wanted
        use = BlockUse(tr.block_id, trip_id, tr.direction, got, got + duration)
        reservations.add(use)
        uses.append(use)
    return uses, waits


def trip_stops(template: Template, start_s: float, waits: list[tuple[float, float, str]]
               ) -> list[StopTime]:
    """Stop times of a trip reserved by :func:`reserve_trip` with these waits."""
    return template.at(start_s, [(km, w) for km, w, _ in waits])


# ---------------------------------------------------------------------------


def _units(day: schema.DaySchedule, t: int, rs: schema.RollingStock) -> int:
    in_peak = any(schema.clock_to_seconds(p.start) <= t < schema.clock_to_seconds(p.end)
                  for p in day.peaks)
    return rs.units_per_train_peak if in_peak else rs.units_per_train_offpeak


def _freight_trips(network: Network, day_type: str, ops: schema.Operations,
                   blocks: dict[str, list[Block]], reservations: Reservations,
                   corridor: Corridor) -> tuple[list[Trip], list[BlockUse]]:
    """Fit the freight paths of the data around the passenger service.

    Each path keeps its time from the data when it fits; otherwise it moves (in 5-minute
    steps, nearest first, at most ``freight_path_flex_min``) to the time with the least
    crossing waiting, which must stay within ``freight_max_wait_min``. A return path (from
    where an earlier path of its line ended, back to where that one began) leaves at least
    ``freight_turnaround_min`` after that train arrived: the same wagons run it.
    """
    trips, uses = [], []
    types = corridor.by_key("rolling_stock")
    flex = int(ops.freight_path_flex_min * 60)
    candidates = sorted(range(-flex, flex + 1, 300), key=lambda d: (abs(d), d))
    arrived: dict[tuple[str, str, str], float] = {}  # (line, from, to) → arrival [s]
    for row in corridor.records("freight"):
        runs_today = row["days"] == "daily" or row["days"] == day_type
        if not runs_today or row["line_id"] not in network.lines:
            continue
        base = types[FREIGHT_TYPE]
        train = Train(min(base["max_speed_kmh"], row["max_speed_kmh"]) * KMH, base["accel_ms2"],
                      base["decel_ms2"], row["length_m"] or base["length_m"])
        no_dwell = ops.model_copy(update={"dwell_s": 0.0, "dwell_by_station_s": {}})
        template = make_template(network, [row["from_station"], row["to_station"]], train,
                                 no_dwell, blocks, stopping=False)
        nominal = schema.clock_to_seconds(row["departure_time"])
        touched = {tr.block_id for tr in template.traversals}
        outbound = arrived.get((row["line_id"], row["to_station"], row["from_station"]))
        earliest = -math.inf if outbound is None else outbound + ops.freight_turnaround_min * 60
        best: tuple[float, Any] | None = None
        for delta in candidates:
            if nominal + delta < earliest:
                continue
            trial = reservations.copy(touched)
            placed = reserve_trip(template, nominal + delta, trial, row["freight_id"])
            wait = sum(w for _, w, _ in placed[1])
            if best is None or wait < best[0]:
                best = (wait, (nominal + delta, placed, trial))
            if wait == 0:
                break
        if best is None:
            raise TimetableError(
                f"freight path {row['freight_id']} ({row['from_station']}→{row['to_station']}) "
                f"returns the train that arrives at {row['from_station']} at "
                f"{_hhmm(outbound or 0.0)}, but with {ops.freight_turnaround_min:g} min to "
                f"load it no time within {row['departure_time']} "
                f"±{ops.freight_path_flex_min:g} min is left. Allow more flexibility "
                "(operations.freight_path_flex_min) or a shorter operations."
                "freight_turnaround_min.", ("freight", row["freight_id"]))
        if best[0] > ops.freight_max_wait_min * 60:
            raise TimetableError(
                f"freight path {row['freight_id']} ({row['from_station']}→{row['to_station']}, "
                f"{row['departure_time']} ±{ops.freight_path_flex_min:g} min) does not fit "
                f"around the passenger service: it would wait {best[0] / 60:.0f} min "
                f"(allowed {ops.freight_max_wait_min:g} min). Add a passing loop, thin the "
                "passenger service, or allow more flexibility "
                "(operations.freight_path_flex_min).", ("freight", row["freight_id"])
            )
        start, (used, waits), reservations_after = best[1]
        reservations.adopt(reservations_after)
        stops = trip_stops(template, start, waits)  # of the best start only
        arrived[(row["line_id"], row["from_station"], row["to_station"])] = stops[-1].arrival_s
        outward = row["from_station"] == network.lines[row["line_id"]]["from_station"]
        trips.append(Trip(row["freight_id"], "freight", "freight", day_type,
                          0 if outward else 1, stops, 1, sum(w for _, w, _ in waits)))
        uses.extend(used)
    return trips, uses


def _hhmm(t: float) -> str:
    minutes = round(t / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class _Placement:
    """The outcome of placing one service's trips for one offset."""

    planned: list[tuple[int, int, int]]
    ids: list[str]
    shifts: list[float]
    waits_of: list[list[tuple[float, float]]]
    uses: list[BlockUse]
    waits: list[tuple[str, float, str]]

    @property
    def total_wait(self) -> float:
        return sum(self.shifts)

    @property
    def worst_wait(self) -> float:
        return max(self.shifts, default=0.0)


INFEASIBLE_COST = 1e9
"""Added to the cost of a placement with a trip waiting longer than tolerated."""


def _service_trips(svc: schema.ServiceLine, times: list[int], day_type: str,
                   templates: tuple[Template, Template | None], offset_s: int,
                   reservations: Reservations, tolerance_s: float = math.inf,
                   bound: float = math.inf) -> _Placement | None:
    """Place a service's trips, departing from its first station at ``times`` (the other
    way ``offset_s`` later), handling block requests in time order (first come first).

    Processing requests in time order, rather than trip after trip, keeps an early trip
    from reserving blocks far ahead and forcing long waits on opposing trains.

    Returns None as soon as the placement's cost (total wait, plus
    :data:`INFEASIBLE_COST` once a trip waits more than ``tolerance_s``) reaches
    ``bound``: waits only add up, so such a placement cannot cost less than ``bound``.
    """
    planned: list[tuple[int, int, int]] = [(t, 0, t) for t in times]
    if templates[1] is not None:
        planned += [(t + offset_s, 1, t) for t in times]
    planned.sort()
    counters = [0, 0]
    ids: list[str] = []
    shifts: list[float] = []
    waits_of: list[list[tuple[float, float]]] = []
    queue: list[tuple[float, int, int]] = []
    for n, (start, direction, _) in enumerate(planned):
        counters[direction] += 1
        ids.append(f"{svc.id}-{day_type[:2]}-{direction}-{counters[direction]:03d}")
        shifts.append(0.0)
        waits_of.append([])
        template = templates[direction]
        assert template is not None
        if template.traversals:
            heapq.heappush(queue, (start + template.traversals[0].enter_s, n, 0))
    uses: list[BlockUse] = []
    all_waits: list[tuple[str, float, str]] = []
    total = penalty = 0.0
    while queue:
        wanted, n, k = heapq.heappop(queue)
        start, direction, _ = planned[n]
        template = templates[direction]
        assert template is not None
        tr = template.traversals[k]
        duration = tr.exit_s - tr.enter_s
        got = reservations.earliest(tr.block_id, wanted, duration)
        if got > wanted:
            waits_of[n].append((tr.along_km, got - wanted))
            all_waits.append((ids[n], got - wanted, tr.block_id))
            shifts[n] += got - wanted
            total += got - wanted
            if shifts[n] > tolerance_s:
                penalty = INFEASIBLE_COST
            if total + penalty >= bound:
                return None
        use = BlockUse(tr.block_id, ids[n], tr.direction, got, got + duration)
        reservations.add(use)
        uses.append(use)
        if k + 1 < len(template.traversals):
            heapq.heappush(queue, (start + template.traversals[k + 1].enter_s + shifts[n], n,
                                   k + 1))
    return _Placement(planned, ids, shifts, waits_of, uses, all_waits)


def _materialise(svc: schema.ServiceLine, day: schema.DaySchedule, day_type: str,
                 templates: tuple[Template, Template | None], placement: _Placement,
                 rs: schema.RollingStock) -> list[Trip]:
    trips = []
    for n, (start, direction, pattern_t) in enumerate(placement.planned):
        template = templates[direction]
        assert template is not None
        trips.append(Trip(placement.ids[n], svc.id, "passenger", day_type, direction,
                          template.at(start, placement.waits_of[n]), _units(day, pattern_t, rs),
                          placement.shifts[n]))
    return trips


def _place_service(svc: schema.ServiceLine, day: schema.DaySchedule, day_type: str,
                   templates: tuple[Template, Template | None], reservations: Reservations,
                   tolerance_s: float, turnarounds: bool = True
                   ) -> tuple[float, _Placement, Reservations]:
    """The reverse direction's offset with the least waiting (every minute of the period
    is tried); of equal ones, the one whose shortest turnaround at a terminal is longest
    (the first of those): cost, placement and reservations after it.

    The turnarounds decide how many train sets the pattern needs: an offset that brings
    a train back just as the next one leaves needs a second set for a one-set service.
    ``turnarounds`` False takes the first offset without waiting (a caller that only asks
    whether the pattern fits)."""
    period = svc.clock_period_min if svc.clock_face else int(max(
        [day.headway_min, *(p.headway_min for p in day.peaks)]))
    touched = {tr.block_id for t in templates if t is not None for tr in t.traversals}
    best: tuple[float, _Placement, Reservations] | None = None
    best_turn = -math.inf
    offsets = range(0, period * 60, 60) if templates[1] is not None else range(1)
    times = day.departure_times_s(svc.clock_face)  # the same for every offset
    for offset in offsets:
        trial = reservations.copy(touched)
        # an offset that waits more than the best so far is cut off as soon as it does
        bound = math.inf if best is None else best[0] + TIE_S
        placement = _service_trips(svc, times, day_type, templates, offset, trial,
                                   tolerance_s, bound)
        if placement is None:
            continue  # cannot beat the best offset so far
        cost = placement.total_wait + (INFEASIBLE_COST if placement.worst_wait > tolerance_s
                                       else 0.0)
        if best is not None and cost > best[0] + TIE_S:
            continue
        turn = _shortest_turnaround(placement, templates) if turnarounds else 0.0
        if best is None or cost < best[0] - TIE_S or turn > best_turn:
            best, best_turn = (cost, placement, trial), turn
        if cost == 0 and not turnarounds:
            break
    assert best is not None
    return best


TIE_S = 1e-6
"""Waits that differ by less than this are equal [s] (sums of the same seconds)."""


def _shortest_turnaround(placement: _Placement,
                         templates: tuple[Template, Template | None]) -> float:
    """The shortest time a train waits at a terminal for the next trip back: from each
    arrival to the next departure the other way from there [s]; -inf when no arrival has a
    departure after it (every trip needs a set of its own: the worst), inf without a
    reverse direction."""
    if templates[1] is None:
        return math.inf
    arrivals: tuple[list[float], list[float]] = ([], [])
    departures: tuple[list[float], list[float]] = ([], [])
    for n, (start, direction, _) in enumerate(placement.planned):
        template = templates[direction]
        assert template is not None
        departure, arrival = template.span(start, placement.waits_of[n])
        departures[direction].append(departure)
        arrivals[direction].append(arrival)
    shortest = math.inf
    for direction in (0, 1):
        later = sorted(departures[1 - direction])
        for arrival in arrivals[direction]:
            k = bisect.bisect_left(later, arrival)
            if k < len(later):
                shortest = min(shortest, later[k] - arrival)
    return -math.inf if shortest == math.inf else shortest


def build_timetable(scenario: schema.Scenario, corridor: Corridor, day_type: str = "weekday",
                    network: Network | None = None) -> Timetable:
    """The planned timetable of one day type; raises :class:`TimetableError` if infeasible."""
    network = network or Network.build(corridor, scenario)
    ops = scenario.operations
    termini = {st for svc in scenario.service.lines for st in (svc.stations[0], svc.stations[-1])}
    blocks = blocks_of(network, termini)
    block_index = {b.block_id: b for bl in blocks.values() for b in bl}
    reservations = Reservations(ops.crossing_buffer_s)
    trips: list[Trip] = []
    uses: list[BlockUse] = []
    train = train_for(corridor.by_key("rolling_stock")[scenario.rolling_stock.type],
                      scenario.rolling_stock.units_per_train_peak)
    tolerance = ops.max_crossing_wait_min * 60
    for index, svc in enumerate(scenario.service.lines):
        day = getattr(svc, day_type)
        if day is None:
            continue
        forward = make_template(network, list(svc.stations), train, ops, blocks)
        backward = (make_template(network, list(reversed(svc.stations)), train, ops, blocks)
                    if svc.both_directions else None)
        templates = (forward, backward)
        _, placement, after = _place_service(svc, day, day_type, templates, reservations,
                                             tolerance)
        if placement.worst_wait > tolerance:
            raise _infeasible(svc, index, day_type, day, placement, block_index, templates,
                              ops, reservations)
        reservations = after
        trips.extend(_materialise(svc, day, day_type, templates, placement,
                                  scenario.rolling_stock))
        uses.extend(placement.uses)
    freight, freight_uses = _freight_trips(network, day_type, ops, blocks, reservations,
                                           corridor)
    trips.extend(freight)
    uses.extend(freight_uses)
    trips.sort(key=lambda t: (t.departure_s, t.trip_id))
    return Timetable(day_type, trips, block_index, uses)


def _headway_choices(svc: schema.ServiceLine, at_least_s: float) -> list[int]:
    """Headways [min] at or above a bound that the service's clock face allows, shortest
    first (divisors of the period, then multiples of it up to four periods)."""
    low = math.ceil(at_least_s / 60 - 1e-9)
    if not svc.clock_face:
        return list(range(max(low, 1), max(low, 1) + 30))
    period = svc.clock_period_min
    values = [d for d in range(1, period + 1) if period % d == 0] + [period * k
                                                                     for k in (2, 3, 4)]
    return [v for v in values if v >= low]


def _with_headway(day: schema.DaySchedule, headway_min: int) -> schema.DaySchedule:
    """The day with every headway shorter than ``headway_min`` raised to it."""
    peaks = [p.model_copy(update={"headway_min": max(p.headway_min, headway_min)})
             for p in day.peaks]
    return day.model_copy(update={"headway_min": max(day.headway_min, headway_min),
                                  "peaks": peaks})


def _infeasible(svc: schema.ServiceLine, index: int, day_type: str, day: schema.DaySchedule,
                placement: _Placement, block_index: dict[str, Block],
                templates: tuple[Template, Template | None], ops: schema.Operations,
                reservations: Reservations) -> TimetableError:
    """Why a service's pattern does not fit, with the shortest headway that would.

    The block named is the one with the longest wait. The headway needed is the larger
    of two bounds from the templates (:mod:`railsim.timetable.cyclic`): the block's own
    (one run each way plus a crossing buffer after each) and the periodic crossing
    model's (the meets of a uniform pattern must fall at crossing points). The
    shortest headway the clock face allows at or above it is then tried with the
    builder itself (on the same occupation by earlier services), so the one suggested
    is known to run.
    """
    from railsim.timetable.cyclic import block_needs, periodic_headways, ranges_text

    forward, backward = templates
    tolerance = ops.max_crossing_wait_min * 60
    buffer = ops.crossing_buffer_s
    by_block: dict[str, float] = {}
    for _, w, b in placement.waits:
        by_block[b] = max(by_block.get(b, 0.0), w)
    block = block_index[max(by_block, key=lambda k: by_block[k])]
    needs = {n.block_id: n for n in block_needs(forward, backward, buffer)}
    need = needs[block.block_id]
    longest = max(needs.values(), key=lambda n: n.headway_s)
    shortest = min([day.headway_min, *(p.headway_min for p in day.peaks)])
    upper_min = max(svc.clock_period_min * 4, math.ceil(shortest) * 4)
    fitting = [h / 60 for h in periodic_headways(forward, backward, buffer, tolerance,
                                                 upper_min * 60)]
    bound_s = longest.headway_s
    runs: int | None = None
    for minutes in _headway_choices(svc, max(bound_s, shortest * 60 + 1)):
        trial = reservations.copy()
        cost, _, _ = _place_service(svc, _with_headway(day, minutes), day_type, templates,
                                    trial, tolerance, turnarounds=False)
        if cost < INFEASIBLE_COST:
            runs = minutes
            break

    def describe(n: BlockNeed) -> str:
        b = block_index[n.block_id]
        runs_of = (f"{n.forward_s / 60:.1f} min one way + {n.backward_s / 60:.1f} min back"
                   if backward is not None else f"{n.forward_s / 60:.1f} min")
        return (f"{b.from_point}–{b.to_point}, needs {runs_of} + 2 × {buffer:g} s crossing "
                f"buffer = {n.headway_s / 60:.1f} min")

    facts = [f"the longest block, {describe(longest)}"]
    if longest.block_id != block.block_id:
        facts.append(f"block {describe(need)}")
    if bound_s <= shortest * 60:
        where = (f"a uniform pattern has its meets at crossing points every "
                 f"{ranges_text(fitting)} min" if fitting else
                 f"no uniform pattern up to {upper_min} min has its meets at crossing points")
        facts.append(f"at {shortest:g} min the meets fall between crossing points ({where})")
    fixes = [f"a passing loop near km {(block.from_km + block.to_km) / 2:.1f} on line "
             f"{block.line_id} (infrastructure.passing_loops; `railsim loops` searches loop "
             "sets)"]
    if runs is not None:
        fixes.append(f"a headway of {runs} min (the shortest the clock face allows that runs "
                     "with these crossing points)")
    message = (
        f"service {svc.id} ({day_type}) cannot run every {shortest:g} min on single track "
        f"{block.describe()}: trains would wait up to {placement.worst_wait / 60:.1f} min for "
        f"crossings (allowed {ops.max_crossing_wait_min:g} min). The pattern needs at least "
        f"{bound_s / 60:.1f} min between trains in one direction ("
        + "; ".join(facts) + "). Possible fixes: " + "; or ".join(fixes) + "."
    )
    return TimetableError(message, ("service", index, day_type), block.block_id, bound_s)


__all__ = ["JUNCTION", "TimetableError", "build_timetable"]
