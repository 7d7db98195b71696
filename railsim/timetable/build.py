"""Timetable construction on single track: trip templates, crossings, freight paths.

How it works:

1. Each service line and direction gets a *template*: scheduled running times per leg
   (:mod:`railsim.running` plus supplements) and dwells, as offsets from departure.
2. Single-track stretches are cut into *blocks* between crossing points (stations with a
   crossing track, new loops, Lahti, and the termini). One train at a time may be in a
   block, whatever its direction.
3. For each service line, the reverse direction's clock-face offset is chosen (every
   minute of the period is tried) so that the planned waits for crossings are smallest;
   trains wait at the crossing point before a busy block. A pattern whose best offset
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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from railsim.config import schema
from railsim.errors import RailsimError
from railsim.network import JUNCTION, Leg, Network
from railsim.running import KMH, Stretch, Train, minimum_running_time, scheduled_running_time
from railsim.timetable.model import Block, BlockUse, StopTime, Timetable, Trip

if TYPE_CHECKING:
    from railsim.corridor import Corridor

FREIGHT_TYPE = "freight_diesel"
"""Rolling-stock type id used for freight paths (data/rolling_stock/types.csv)."""


class TimetableError(RailsimError):
    """The service pattern cannot be run on the infrastructure."""


@dataclass(frozen=True)
class Traversal:
    """A template's passage through a block, as offsets from the trip's departure."""

    block_id: str
    direction: int
    enter_s: float
    exit_s: float
    along_km: float
    """Distance from the trip origin to the block entry (where a wait would happen)."""


@dataclass
class Template:
    """A trip pattern: stops with offsets from departure, and block traversals."""

    stops: list[StopTime]
    traversals: list[Traversal]

    def at(self, start_s: float, waits: list[tuple[float, float]]) -> list[StopTime]:
        """Stop times for a departure at ``start_s`` with waits ``(along_km, seconds)``."""
        out = []
        for st in self.stops:
            before = sum(w for km, w in waits if km < st.km - 1e-9)
            upto = sum(w for km, w in waits if km <= st.km + 1e-9)
            out.append(replace(st, arrival_s=start_s + st.arrival_s + before,
                               departure_s=start_s + st.departure_s + upto))
        return out


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
        self._exits: dict[str, list[float]] = {}

    def copy(self, blocks: set[str] | None = None) -> Reservations:
        """A copy whose lists for ``blocks`` (default: all) can change independently.

        Lists of other blocks are shared, so a trial must only add to ``blocks``.
        """
        new = Reservations(self.buffer_s)
        new.uses = dict(self.uses)
        new._exits = dict(self._exits)
        for block in self.uses if blocks is None else blocks:
            if block in self.uses:
                new.uses[block] = list(self.uses[block])
                new._exits[block] = list(self._exits[block])
        return new

    def adopt(self, other: Reservations) -> None:
        """Take over the state of a trial copy."""
        self.uses, self._exits = other.uses, other._exits

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
        uses = self.uses.setdefault(use.block_id, [])
        exits = self._exits.setdefault(use.block_id, [])
        i = bisect.bisect_right(uses, use.enter_s, key=lambda u: u.enter_s)
        uses.insert(i, use)
        exits.insert(i, use.exit_s)


def place_trip(template: Template, start_s: float, reservations: Reservations, trip_id: str
               ) -> tuple[list[StopTime], list[BlockUse], list[tuple[float, float, str]]]:
    """Schedule one trip: wait before busy blocks. Returns stops, block uses, waits."""
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
    stops = template.at(start_s, [(km, w) for km, w, _ in waits])
    return stops, uses, waits


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
    crossing waiting, which must stay within ``freight_max_wait_min``.
    """
    trips, uses = [], []
    types = corridor.by_key("rolling_stock")
    flex = int(ops.freight_path_flex_min * 60)
    candidates = sorted(range(-flex, flex + 1, 300), key=lambda d: (abs(d), d))
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
        best: tuple[float, Any] | None = None
        for delta in candidates:
            trial = reservations.copy(touched)
            placed = place_trip(template, nominal + delta, trial, row["freight_id"])
            wait = sum(w for _, w, _ in placed[2])
            if best is None or wait < best[0]:
                best = (wait, (placed, trial))
            if wait == 0:
                break
        assert best is not None
        if best[0] > ops.freight_max_wait_min * 60:
            raise TimetableError(
                f"freight path {row['freight_id']} ({row['from_station']}→{row['to_station']}, "
                f"{row['departure_time']} ±{ops.freight_path_flex_min:g} min) does not fit "
                f"around the passenger service: it would wait {best[0] / 60:.0f} min "
                f"(allowed {ops.freight_max_wait_min:g} min). Add a passing loop, thin the "
                "passenger service, or allow more flexibility "
                "(operations.freight_path_flex_min)."
            )
        (stops, used, waits), reservations_after = best[1]
        reservations.adopt(reservations_after)
        outward = row["from_station"] == network.lines[row["line_id"]]["from_station"]
        trips.append(Trip(row["freight_id"], "freight", "freight", day_type,
                          0 if outward else 1, stops, 1, sum(w for _, w, _ in waits)))
        uses.extend(used)
    return trips, uses


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


def _service_trips(svc: schema.ServiceLine, day: schema.DaySchedule, day_type: str,
                   templates: tuple[Template, Template | None], offset_s: int,
                   reservations: Reservations) -> _Placement:
    """Place a service's trips, handling block requests in time order (first come first).

    Processing requests in time order, rather than trip after trip, keeps an early trip
    from reserving blocks far ahead and forcing long waits on opposing trains.
    """
    times = day.departure_times_s(svc.clock_face)
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
    for svc in scenario.service.lines:
        day = getattr(svc, day_type)
        if day is None:
            continue
        forward = make_template(network, list(svc.stations), train, ops, blocks)
        backward = (make_template(network, list(reversed(svc.stations)), train, ops, blocks)
                    if svc.both_directions else None)
        period = svc.clock_period_min if svc.clock_face else int(max(
            [day.headway_min, *(p.headway_min for p in day.peaks)]))
        templates = (forward, backward)
        touched = {tr.block_id for t in templates if t is not None for tr in t.traversals}
        best: tuple[float, _Placement, Reservations] | None = None
        offsets = range(0, period * 60, 60) if backward is not None else range(1)
        for offset in offsets:
            trial = reservations.copy(touched)
            placement = _service_trips(svc, day, day_type, templates, offset, trial)
            cost = placement.total_wait + (1e9 if placement.worst_wait > tolerance else 0.0)
            if best is None or cost < best[0]:
                best = (cost, placement, trial)
            if cost == 0:
                break
        assert best is not None
        _, placement, reservations = best
        if placement.worst_wait > tolerance:
            raise TimetableError(_infeasible_message(svc, day_type, day, placement.waits,
                                                     block_index, forward, backward, ops,
                                                     placement.worst_wait))
        trips.extend(_materialise(svc, day, day_type, templates, placement,
                                  scenario.rolling_stock))
        uses.extend(placement.uses)
    freight, freight_uses = _freight_trips(network, day_type, ops, blocks, reservations,
                                           corridor)
    trips.extend(freight)
    uses.extend(freight_uses)
    trips.sort(key=lambda t: (t.departure_s, t.trip_id))
    return Timetable(day_type, trips, block_index, uses)


def _infeasible_message(svc: schema.ServiceLine, day_type: str, day: schema.DaySchedule,
                        waits: list[tuple[str, float, str]], block_index: dict[str, Block],
                        forward: Template, backward: Template | None,
                        ops: schema.Operations, worst: float) -> str:
    by_block: dict[str, float] = {}
    for _, w, b in waits:
        by_block[b] = max(by_block.get(b, 0.0), w)
    block = block_index[max(by_block, key=lambda k: by_block[k])]
    occupied = 0.0
    mid_km = (block.from_km + block.to_km) / 2
    for template in (forward, backward):
        if template is None:
            continue
        for tr in template.traversals:
            if tr.block_id == block.block_id:
                occupied += tr.exit_s - tr.enter_s + ops.crossing_buffer_s
    need = math.ceil(occupied / 60)
    if svc.clock_face:
        need = next((d for d in range(need, svc.clock_period_min + 1)
                     if svc.clock_period_min % d == 0), need)
    shortest = min([day.headway_min, *(p.headway_min for p in day.peaks)])
    fixes = [f"a passing loop near km {mid_km:.1f} on line {block.line_id} "
             "(infrastructure.passing_loops)"]
    if need > shortest:
        fixes.append(f"a headway of at least {need} min (the block alone needs {need} min "
                     "for one train each way)")
    else:
        fixes.append("moving crossings to where the trains meet (the block has room for the "
                     "headway, but the meets fall between crossing points)")
    return (
        f"service {svc.id} ({day_type}) cannot run every {shortest:g} min on single track "
        f"{block.describe()}: trains would wait up to {worst / 60:.1f} min for crossings "
        f"(allowed {ops.max_crossing_wait_min:g} min). Possible fixes: " + "; or ".join(fixes)
        + "."
    )


__all__ = ["JUNCTION", "TimetableError", "build_timetable"]
