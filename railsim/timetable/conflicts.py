"""Conflict checker, independent of the builder.

Given stop times (any source: the builder, a hand-made timetable, a GTFS import) and the
network, it lists

* ``single_track``: two trains inside one single-track stretch between crossing points at
  the same time in opposite directions;
* ``headway``: two trains in the same direction in one such stretch closer than the
  minimum headway (or overtaking inside it);
* ``platform``: more trains at a station at once than it has platform tracks.

Occupation is derived here from the stop times alone: a train is inside a stretch from
leaving the crossing point at its start (its departure if it stops there, else the
interpolated passing time) to arriving at the crossing point at its end.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from railsim.network import JUNCTION, Network
from railsim.timetable.model import StopTime, Trip


@dataclass(frozen=True)
class Conflict:
    """One conflict between two trains (or a platform over capacity)."""

    kind: str
    where: str
    trip_a: str
    trip_b: str
    start_s: float
    end_s: float

    def __str__(self) -> str:
        return (f"{self.kind} at {self.where}: {self.trip_a} and {self.trip_b} "
                f"{_clock(self.start_s)}–{_clock(self.end_s)}")


def _clock(t: float) -> str:
    t = round(t)
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"


@dataclass(frozen=True)
class _Occupation:
    stretch: tuple[str, float, float]
    trip_id: str
    direction: int
    enter_s: float
    exit_s: float


def _position_time(stops: list[StopTime], places: list[dict[str, float]], line: str,
                   km: float, leaving: bool) -> float | None:
    """Time a trip is at ``km`` of ``line`` (its departure when ``leaving`` and it stops)."""
    for i, (st, pos) in enumerate(zip(stops, places, strict=True)):
        if line in pos and abs(pos[line] - km) < 1e-6:
            return st.departure_s if leaving else st.arrival_s
        if i == 0 or line not in pos or line not in places[i - 1]:
            continue
        before, here = places[i - 1][line], pos[line]
        if min(before, here) < km < max(before, here):
            frac = abs(km - before) / abs(here - before)
            prev = stops[i - 1]
            return prev.departure_s + frac * (st.arrival_s - prev.departure_s)
    return None


def stretches(network: Network, extra_points: Iterable[str] = ()) -> list[tuple[str, float, float]]:
    """Single-track stretches ``(line, from_km, to_km)`` between crossing points."""
    out = []
    for line_id in network.lines:
        kms = {round(p.km, 3) for p in network.crossing_points.get(line_id, [])}
        kms |= {0.0, round(network.line_length_km(line_id), 3)}
        for st in extra_points:
            km = network.positions.get(st, {}).get(line_id)
            if km is not None:
                kms.add(round(km, 3))
        ordered = sorted(kms)
        for a, b in itertools.pairwise(ordered):
            if any(s.tracks == 1 for s in network.sections_between(line_id, a, b)):
                out.append((line_id, a, b))
    return out


def occupations(network: Network, trips: list[Trip]) -> list[_Occupation]:
    termini = {t.stops[0].station_id for t in trips} | {t.stops[-1].station_id for t in trips}
    result = []
    all_stretches = stretches(network, termini)
    for trip in trips:
        kms = [network.positions.get(st.station_id) or {st.line_id: st.line_km}
               for st in trip.stops]
        for line, a, b in all_stretches:
            t_a_leave = _position_time(trip.stops, kms, line, a, True)
            t_b_leave = _position_time(trip.stops, kms, line, b, True)
            if t_a_leave is None or t_b_leave is None:
                continue
            if t_a_leave <= t_b_leave:  # away from Lahti: a then b
                enter = t_a_leave
                exit_ = _position_time(trip.stops, kms, line, b, False)
                direction = 1
            else:
                enter = t_b_leave
                exit_ = _position_time(trip.stops, kms, line, a, False)
                direction = -1
            assert exit_ is not None
            result.append(_Occupation((line, a, b), trip.trip_id, direction, enter, exit_))
    return result


def check_timetable(network: Network, trips: list[Trip], minimum_headway_s: float = 180.0,
                    platform_tracks: dict[str, int] | None = None,
                    turnarounds: Iterable[tuple[str, str, str, float, float]] = ()
                    ) -> list[Conflict]:
    """All conflicts in ``trips``; ``turnarounds`` are (station, trip_in, trip_out, from, to)."""
    conflicts: list[Conflict] = []
    by_stretch: dict[tuple[str, float, float], list[_Occupation]] = defaultdict(list)
    for occ in occupations(network, trips):
        by_stretch[occ.stretch].append(occ)
    for (line, a, b), occs in by_stretch.items():
        where = f"{line} km {a:g}–{b:g}"
        occs.sort(key=lambda o: o.enter_s)
        for i, x in enumerate(occs):
            for y in occs[i + 1:]:
                if y.enter_s >= x.exit_s + minimum_headway_s:
                    break
                if x.direction != y.direction:
                    if y.enter_s < x.exit_s:
                        conflicts.append(Conflict("single_track", where, x.trip_id, y.trip_id,
                                                  y.enter_s, min(x.exit_s, y.exit_s)))
                elif (y.enter_s < x.exit_s or y.enter_s < x.enter_s + minimum_headway_s
                      or y.exit_s < x.exit_s):
                    conflicts.append(Conflict("headway", where, x.trip_id, y.trip_id,
                                              x.enter_s, y.enter_s))
    conflicts.extend(_platform_conflicts(network, trips, platform_tracks or {}, turnarounds))
    return conflicts


def _platform_conflicts(network: Network, trips: list[Trip], tracks: dict[str, int],
                        turnarounds: Iterable[tuple[str, str, str, float, float]]
                        ) -> list[Conflict]:
    presence: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for trip in trips:
        for st in trip.stops[1:-1]:
            if not st.served and st.arrival_s == st.departure_s:
                continue  # passing without stopping occupies no platform
            presence[st.station_id].append((st.arrival_s, st.departure_s, trip.trip_id))
    for station, trip_in, trip_out, start, end in turnarounds:
        presence[station].append((start, end, f"{trip_in}→{trip_out}"))
    out = []
    for station, stays in presence.items():
        place = network.stations.get(station)
        # a loop between stations (no station record) has two tracks, like a crossing station
        default = 2 if place is None or place.crossing_track_length_m else 1
        capacity = tracks.get(station, default if station != JUNCTION else 2)
        # At one instant departures leave first, then a call of no length (a zero dwell)
        # needs a free track for that instant, then arrivals stay.
        events = sorted([(s, 1, who) for s, e, who in stays if e > s]
                        + [(e, -1, who) for s, e, who in stays if e > s]
                        + [(s, 0, who) for s, e, who in stays if e <= s],
                        key=lambda e: (e[0], e[1]))
        present: list[str] = []
        for time, change, who in events:
            if change < 0:
                present.remove(who)
                continue
            if len(present) + 1 > capacity:
                out.append(Conflict("platform", f"{station} ({capacity} tracks)",
                                    present[0] if present else who, who, time, time))
            if change > 0:
                present.append(who)
    return out
