"""Timetable records: trips, stop times, single-track blocks and their use.

Times are seconds after midnight of the service day (values past 86 400 are after
midnight). Distances are kilometres along the trip from its origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from railsim import outputs

if TYPE_CHECKING:
    import pandas as pd

DAY_TYPES = ("weekday", "saturday", "sunday")

# Column name → meaning of the tables below, declared in railsim/outputs/.
TRIP_COLUMNS = outputs.descriptions("timetable.csv")
STOP_TIME_COLUMNS = outputs.descriptions("stop_times.csv")
MEETING_COLUMNS = outputs.descriptions("meetings.csv")


@dataclass(frozen=True)
class StopTime:
    """A train's call at a station, or its passage of a timing point (``served`` false).

    Timing points are the crossing points a train passes without stopping; they carry
    the time of passage (and any planned wait there), so that every crossing is visible
    in the stop times.
    """

    station_id: str
    line_id: str
    km: float
    arrival_s: float
    departure_s: float
    line_km: float = 0.0
    served: bool = True
    min_run_s: float = 0.0
    """Fastest running time from the previous stop [s]: the kinematic minimum without
    supplements or rounding (0 at the origin). The simulation recovers delay down to it."""


@dataclass
class Trip:
    """One train run from origin to destination."""

    trip_id: str
    service_id: str
    kind: str
    day_type: str
    direction: int
    stops: list[StopTime]
    units: int = 1
    crossing_wait_s: float = 0.0

    @property
    def departure_s(self) -> float:
        return self.stops[0].departure_s

    @property
    def arrival_s(self) -> float:
        return self.stops[-1].arrival_s

    @property
    def distance_km(self) -> float:
        return self.stops[-1].km


@dataclass(frozen=True)
class Block:
    """A single-track stretch between two crossing points of one line."""

    block_id: str
    line_id: str
    from_km: float
    to_km: float
    from_point: str
    to_point: str

    def describe(self) -> str:
        return (f"{self.line_id} km {self.from_km:g}–{self.to_km:g} "
                f"({self.from_point}–{self.to_point})")


@dataclass(frozen=True)
class BlockUse:
    """A trip's occupation of a block, from entering it to clearing it."""

    block_id: str
    trip_id: str
    direction: int
    """+1 away from Lahti, -1 towards Lahti."""
    enter_s: float
    exit_s: float


@dataclass
class Timetable:
    """The planned service of one day type."""

    day_type: str
    trips: list[Trip]
    blocks: dict[str, Block] = field(default_factory=dict)
    block_uses: list[BlockUse] = field(default_factory=list)

    def served_stops(self, trip: Trip) -> list[StopTime]:
        return [s for s in trip.stops if s.served]

    def passenger_trips(self) -> list[Trip]:
        return [t for t in self.trips if t.kind == "passenger"]

    def trips_frame(self) -> pd.DataFrame:
        """Trips as a table; columns in :data:`TRIP_COLUMNS`."""
        import pandas as pd

        rows = [{
            "trip_id": t.trip_id, "service_id": t.service_id, "kind": t.kind,
            "day_type": t.day_type, "direction": t.direction, "origin": t.stops[0].station_id,
            "destination": t.stops[-1].station_id, "departure_s": t.departure_s,
            "arrival_s": t.arrival_s, "distance_km": t.distance_km, "units": t.units,
            "crossing_wait_s": t.crossing_wait_s,
        } for t in self.trips]
        return pd.DataFrame(rows, columns=list(TRIP_COLUMNS))

    def stop_times_frame(self) -> pd.DataFrame:
        """Stop times as a table; columns in :data:`STOP_TIME_COLUMNS`."""
        import pandas as pd

        rows = [{
            "trip_id": t.trip_id, "stop_sequence": i, "station_id": st.station_id,
            "line_id": st.line_id, "km": st.km, "arrival_s": st.arrival_s,
            "departure_s": st.departure_s, "line_km": st.line_km, "served": st.served,
        } for t in self.trips for i, st in enumerate(t.stops)]
        return pd.DataFrame(rows, columns=list(STOP_TIME_COLUMNS))

    def meetings_frame(self) -> pd.DataFrame:
        """Where trains in opposite directions meet on single track: both at a crossing
        point at once. Columns in :data:`MEETING_COLUMNS`."""
        import pandas as pd

        # Block ends on each line, except km 0: Lahti, the junction, has many tracks.
        points = {(b.line_id, round(km, 3)) for b in self.blocks.values()
                  for km in (b.from_km, b.to_km) if km > 0}
        visits: dict[str, list[tuple[float, float, Trip]]] = {}
        for trip in self.trips:
            # a trip's first and last stops are turnbacks, not crossings
            for st in trip.stops[1:-1]:
                if (st.line_id, round(st.line_km, 3)) in points:
                    visits.setdefault(st.station_id, []).append(
                        (st.arrival_s, st.departure_s, trip))
        rows = []
        for place, here in sorted(visits.items()):
            here.sort(key=lambda v: (v[0], v[2].trip_id))
            for k, (arrive, leave, first) in enumerate(here):
                for arrive2, leave2, second in here[k + 1:]:
                    if arrive2 > leave:
                        break
                    if second.direction != first.direction:
                        rows.append({
                            "day_type": self.day_type, "station_id": place,
                            "first_trip": first.trip_id, "first_arrival_s": arrive,
                            "first_departure_s": leave, "second_trip": second.trip_id,
                            "second_arrival_s": arrive2, "second_departure_s": leave2})
        return pd.DataFrame(rows, columns=list(MEETING_COLUMNS))


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
        return [replace(st, arrival_s=_arrival_s(st, start_s, waits),
                        departure_s=_departure_s(st, start_s, waits)) for st in self.stops]

    def span(self, start_s: float, waits: list[tuple[float, float]]) -> tuple[float, float]:
        """Departure from the first stop and arrival at the last of :meth:`at`'s stop
        times, without building them (a search for the best offset asks this of
        thousands of trial trips)."""
        return (_departure_s(self.stops[0], start_s, waits),
                _arrival_s(self.stops[-1], start_s, waits))


def _arrival_s(stop: StopTime, start_s: float, waits: list[tuple[float, float]]) -> float:
    """Arrival at ``stop`` after the waits before it."""
    return start_s + stop.arrival_s + sum(w for km, w in waits if km < stop.km - 1e-9)


def _departure_s(stop: StopTime, start_s: float, waits: list[tuple[float, float]]) -> float:
    """Departure from ``stop`` after the waits before it and at it."""
    return start_s + stop.departure_s + sum(w for km, w in waits if km <= stop.km + 1e-9)
