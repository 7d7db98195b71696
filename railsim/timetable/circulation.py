"""Rolling-stock circulation: chain trips into unit duties, count units and kilometres.

Trips are taken in order of departure. A train set that arrived at the trip's origin at
least ``min_turnaround`` before the departure takes it (the one waiting longest first);
otherwise a new set enters service. Each duty is one train set all day; it needs as many
units as its longest formation. ``units_required`` adds the spare ratio and rounds up.

For a single line run both ways at headway ``H`` with one-way time ``T`` and minimum
turnaround ``r``, no circulation can use fewer than ``ceil(2 (T + r) / H)`` sets: the
cycle-time bound, which the tests check against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from railsim.timetable.model import Trip


@dataclass(frozen=True)
class Turnaround:
    """A train set waiting at a terminal between two trips."""

    station_id: str
    trip_in: str
    trip_out: str
    arrival_s: float
    departure_s: float


@dataclass
class Circulation:
    """Duties of one day type and the quantities that costs are built from."""

    day_type: str
    duties: list[list[Trip]] = field(default_factory=list)
    turnarounds: list[Turnaround] = field(default_factory=list)

    @property
    def sets_in_service(self) -> int:
        """Train sets needed for the day's duties."""
        return len(self.duties)

    @property
    def units_in_service(self) -> int:
        """Units needed: each duty needs its longest formation."""
        return sum(max(t.units for t in duty) for duty in self.duties)

    @property
    def train_km(self) -> float:
        return sum(t.distance_km for duty in self.duties for t in duty)

    @property
    def unit_km(self) -> float:
        return sum(t.distance_km * t.units for duty in self.duties for t in duty)

    @property
    def train_hours(self) -> float:
        """Hours trains run (departure to arrival; turnarounds not counted)."""
        return sum(t.arrival_s - t.departure_s for duty in self.duties for t in duty) / 3600

    @property
    def duty_hours(self) -> float:
        """Hours from each set's first departure to its last arrival (crew time proxy)."""
        return sum(duty[-1].arrival_s - duty[0].departure_s for duty in self.duties) / 3600


def circulate(trips: list[Trip], min_turnaround_s: float, day_type: str = "weekday"
              ) -> Circulation:
    """Chain passenger trips into duties (first in, first out at each terminal)."""
    circulation = Circulation(day_type)
    waiting: dict[str, list[int]] = {}  # station → duty indices waiting there, oldest first
    for trip in sorted(trips, key=lambda t: (t.departure_s, t.trip_id)):
        origin = trip.stops[0].station_id
        chosen = None
        for k, duty_index in enumerate(waiting.get(origin, [])):
            last = circulation.duties[duty_index][-1]
            if last.arrival_s + min_turnaround_s <= trip.departure_s:
                chosen = waiting[origin].pop(k)
                circulation.turnarounds.append(Turnaround(origin, last.trip_id, trip.trip_id,
                                                          last.arrival_s, trip.departure_s))
                break
        if chosen is None:
            circulation.duties.append([trip])
            chosen = len(circulation.duties) - 1
        else:
            circulation.duties[chosen].append(trip)
        waiting.setdefault(trip.stops[-1].station_id, []).append(chosen)
    return circulation


def units_required(units_in_service: int, spare_ratio: float) -> int:
    """Fleet size: units in service plus spares, rounded up.

    >>> units_required(5, 0.15)
    6
    >>> units_required(0, 0.15)
    0
    """
    return math.ceil(units_in_service * (1 + spare_ratio) - 1e-9)


def cycle_time_bound(one_way_s: float, back_s: float, min_turnaround_s: float,
                     headway_s: float) -> int:
    """Fewest train sets a shuttle at constant headway can run with.

    >>> cycle_time_bound(1800, 1800, 300, 3600)
    2
    """
    return math.ceil((one_way_s + back_s + 2 * min_turnaround_s) / headway_s - 1e-9)
