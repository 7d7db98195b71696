"""A scenario's planned service: timetables per day type, circulation, checks, quantities.

:func:`plan_service` is what the simulation, the ridership model and the costs build on.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.network import JUNCTION, Network
from railsim.timetable.build import TimetableError, build_timetable
from railsim.timetable.circulation import Circulation, circulate, units_required
from railsim.timetable.conflicts import Conflict, check_timetable
from railsim.timetable.model import DAY_TYPES, Timetable

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor

MAX_PLATFORM_LAYOVER_S = 30 * 60
"""ASSUMPTION: a set waiting longer than this at a terminal leaves the platform for a siding."""


@dataclass
class ServicePlan:
    """Timetables, circulations and conflict check of one scenario."""

    scenario: schema.Scenario
    network: Network
    timetables: dict[str, Timetable] = field(default_factory=dict)
    circulations: dict[str, Circulation] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    def days_per_year(self, day_type: str) -> int:
        svc = self.scenario.service
        return {"weekday": svc.weekdays_per_year, "saturday": svc.saturdays_per_year,
                "sunday": svc.sundays_per_year}[day_type]

    @property
    def units_in_service(self) -> int:
        return max((c.units_in_service for c in self.circulations.values()), default=0)

    @property
    def units_required(self) -> int:
        return units_required(self.units_in_service, self.scenario.rolling_stock.spare_ratio)

    def annual(self, quantity: str) -> float:
        """Yearly total of a circulation quantity: train_km, unit_km, train_hours, duty_hours."""
        return sum(getattr(c, quantity) * self.days_per_year(day)
                   for day, c in self.circulations.items())

    def travel_times_min(self) -> dict[tuple[str, str], float]:
        """Median scheduled weekday time between each service's terminals and Lahti."""
        samples: dict[tuple[str, str], list[float]] = {}
        table = self.timetables.get("weekday")
        if table is None:
            return {}
        for trip in table.passenger_trips():
            stations = [s.station_id for s in trip.stops]
            pairs = [(0, len(stations) - 1)]
            if JUNCTION in stations[1:-1]:
                j = stations.index(JUNCTION)
                pairs += [(0, j), (j, len(stations) - 1)]
            for a, b in pairs:
                key = (stations[a], stations[b])
                minutes = (trip.stops[b].arrival_s - trip.stops[a].departure_s) / 60
                samples.setdefault(key, []).append(minutes)
        return {k: statistics.median(v) for k, v in samples.items()}

    def kpis(self) -> list[dict[str, object]]:
        """Service KPIs in long format: variable, unit, statistic, value."""
        rows: list[dict[str, object]] = [
            {"variable": "units_required", "unit": "units", "value": self.units_required},
            {"variable": "units_in_service", "unit": "units", "value": self.units_in_service},
            {"variable": "train_km_annual", "unit": "train-km/yr",
             "value": self.annual("train_km")},
            {"variable": "unit_km_annual", "unit": "unit-km/yr", "value": self.annual("unit_km")},
            {"variable": "train_hours_annual", "unit": "train-h/yr",
             "value": self.annual("train_hours")},
            {"variable": "trips_weekday", "unit": "trips/day",
             "value": len(self.timetables["weekday"].passenger_trips())
             if "weekday" in self.timetables else 0},
        ]
        for (a, b), minutes in sorted(self.travel_times_min().items()):
            rows.append({"variable": f"travel_time_min_{a}_{b}", "unit": "min",
                         "value": minutes})
        for row in rows:
            row["statistic"] = "value"
        return rows

    def trips_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.concat([t.trips_frame() for t in self.timetables.values()], ignore_index=True)

    def stop_times_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.concat([t.stop_times_frame() for t in self.timetables.values()],
                         ignore_index=True)

    def meetings_frame(self) -> pd.DataFrame:
        """Crossings of opposite trains on single track, all day types."""
        import pandas as pd

        return pd.concat([t.meetings_frame() for t in self.timetables.values()],
                         ignore_index=True)


def plan_service(scenario: schema.Scenario, corridor: Corridor,
                 network: Network | None = None) -> ServicePlan:
    """Build every day type's timetable and circulation; raise if the plan has conflicts."""
    network = network or Network.build(corridor, scenario)
    plan = ServicePlan(scenario, network)
    ops = scenario.operations
    for day_type in DAY_TYPES:
        if not any(getattr(svc, day_type) is not None for svc in scenario.service.lines):
            continue
        table = build_timetable(scenario, corridor, day_type, network)
        circulation = circulate(table.passenger_trips(),
                                scenario.rolling_stock.min_turnaround_min * 60, day_type)
        plan.timetables[day_type] = table
        plan.circulations[day_type] = circulation
        layovers = [(t.station_id, t.trip_in, t.trip_out, t.arrival_s,
                     min(t.departure_s, t.arrival_s + MAX_PLATFORM_LAYOVER_S))
                    for t in circulation.turnarounds]
        found = check_timetable(network, table.trips, ops.minimum_headway_min * 60,
                                {JUNCTION: ops.lahti_platform_tracks}, layovers)
        plan.conflicts.extend(found)
    platform = [c for c in plan.conflicts if c.kind == "platform"]
    if platform:
        first = platform[0]
        raise TimetableError(
            f"too few platform tracks at {first.where}: {len(platform)} times a train arrives "
            f"while all are occupied (first {first}). Raise operations.lahti_platform_tracks "
            "if Lahti can give more, or lengthen the headway."
        )
    if plan.conflicts:
        raise TimetableError("internal timetable conflicts: "
                             + "; ".join(str(c) for c in plan.conflicts[:5]))
    return plan
