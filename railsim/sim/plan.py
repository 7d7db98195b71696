"""The static input of the simulation: the planned day compiled into flat arrays.

Compiling once per scenario keeps each replication cheap: a replication only draws its
random numbers (vectorised, one generator per replication) and runs the SimPy processes
over these arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from railsim.timetable.plan import ServicePlan


@dataclass
class TripPlan:
    """One trip as the simulation sees it."""

    trip_id: str
    kind: str
    stations: list[str]
    served: np.ndarray
    """bool per stop: passenger stop (punctuality counts) or timing point."""
    arrival_s: np.ndarray
    departure_s: np.ndarray
    run_s: np.ndarray
    """Scheduled running time of each segment (stop k to k+1)."""
    min_run_s: np.ndarray
    """Fastest running time of each segment, as the timetable computed it (the difference
    to ``run_s`` is the supplement a late train can recover)."""
    km: np.ndarray
    """Distance of each segment [km]."""
    enter_block: list[str | None]
    """Block entered when leaving stop k (None: stays in the same block or none)."""
    leave_block: list[str | None]
    """Block cleared on arriving at stop k."""
    first_stop: int = 0
    """Offset of this trip's stops in the replication's flat stop arrays."""
    first_segment: int = 0


@dataclass
class SimPlan:
    """Every trip of one day type, their duties and the block order of the plan."""

    day_type: str
    trips: list[TripPlan]
    duties: list[list[int]]
    """Trip indices run one after the other by the same train set."""
    freight: list[int]
    block_order: dict[str, list[int]] = field(default_factory=dict)
    """For each block, trip indices in planned order of entry."""
    min_turnaround_s: float = 0.0
    n_stops: int = 0
    n_segments: int = 0
    boarding_dwell_s: np.ndarray | None = None
    """Extra dwell per stop (flat) from boardings × operations.dwell_s_per_boarding."""


def compile_plan(plan: ServicePlan, day_type: str = "weekday",
                 boardings: Mapping[tuple[str, str], float] | None = None) -> SimPlan:
    """Flatten a day type's timetable, circulation and block order for the simulation.

    ``boardings`` maps (trip_id, station_id) to boarding passengers; with
    ``operations.dwell_s_per_boarding`` they lengthen the actual dwell at that stop
    (crowding), beyond the planned dwell.
    """
    table = plan.timetables[day_type]
    circulation = plan.circulations[day_type]
    ops = plan.scenario.operations
    uses_by_trip: dict[str, list[tuple[float, float, str]]] = {}
    for use in table.block_uses:
        uses_by_trip.setdefault(use.trip_id, []).append((use.enter_s, use.exit_s, use.block_id))
    trips: list[TripPlan] = []
    index: dict[str, int] = {}
    n_stops = n_segments = 0
    for trip in table.trips:
        stops = trip.stops
        arrival = np.array([s.arrival_s for s in stops], dtype=float)
        departure = np.array([s.departure_s for s in stops], dtype=float)
        run = arrival[1:] - departure[:-1]
        km = np.diff([s.km for s in stops])
        min_run = np.array([s.min_run_s for s in stops[1:]], dtype=float)
        enter: list[str | None] = [None] * len(stops)
        leave: list[str | None] = [None] * len(stops)
        for enter_s, exit_s, block in uses_by_trip.get(trip.trip_id, []):
            k = int(np.argmin(np.abs(departure - enter_s)))
            j = int(np.argmin(np.abs(arrival - exit_s)))
            enter[k] = block
            leave[j] = block
        index[trip.trip_id] = len(trips)
        trips.append(TripPlan(trip.trip_id, trip.kind, [s.station_id for s in stops],
                              np.array([s.served for s in stops]), arrival, departure, run,
                              min_run, km, enter, leave, n_stops, n_segments))
        n_stops += len(stops)
        n_segments += len(stops) - 1
    duties = [[index[t.trip_id] for t in duty] for duty in circulation.duties]
    freight = [index[t.trip_id] for t in table.trips if t.kind == "freight"]
    order: dict[str, list[tuple[float, int]]] = {}
    for use in table.block_uses:
        order.setdefault(use.block_id, []).append((use.enter_s, index[use.trip_id]))
    block_order = {b: [i for _, i in sorted(v)] for b, v in order.items()}
    extra = np.zeros(n_stops)
    if boardings and ops.dwell_s_per_boarding > 0:
        for tp in trips:
            for k, station in enumerate(tp.stations):
                extra[tp.first_stop + k] = ops.dwell_s_per_boarding * boardings.get(
                    (tp.trip_id, station), 0.0)
    return SimPlan(day_type, trips, duties, freight, block_order,
                   plan.scenario.rolling_stock.min_turnaround_min * 60, n_stops, n_segments,
                   extra)
