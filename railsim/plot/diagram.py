"""Time–distance ("string line") diagram of a planned timetable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from railsim.plot.base import plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from railsim.timetable.plan import ServicePlan


def _axis_positions(plan: ServicePlan) -> dict[str, float]:
    """Station → km along the longest service route (the diagram's vertical axis)."""
    routes = [list(svc.stations) for svc in plan.scenario.service.lines]
    route = max(routes, key=lambda r: sum(leg.length_km for leg in plan.network.route(r)))
    positions = {route[0]: 0.0}
    along = 0.0
    for leg in plan.network.route(route):
        along += leg.length_km
        positions[leg.to_station] = along
    # crossing points and freight termini on the same lines, placed by line km
    for leg in plan.network.route(route):
        base = positions[leg.from_station] - leg.direction * leg.from_km
        for point in plan.network.crossing_points.get(leg.line_id, []):
            lo, hi = sorted((leg.from_km, leg.to_km))
            name = point.station_id or f"{leg.line_id}@{point.km:g}"  # as timing points
            if lo <= point.km <= hi and name not in positions:
                positions[name] = base + leg.direction * point.km
    return positions


def time_distance(plan: ServicePlan, day_type: str = "weekday", start_h: float = 5.0,
                  end_h: float = 24.5, ax: Axes | None = None) -> Figure:
    """String-line diagram: passenger trips, freight paths, crossing points."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(14, 6), layout="constrained")
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    positions = _axis_positions(plan)
    table = plan.timetables[day_type]
    for point_id, km in positions.items():
        station = plan.network.stations.get(point_id)
        crossing = (bool(station and station.crossing_track_length_m) or point_id == "LH"
                    or "@" in point_id)
        ax.axhline(km, color="0.75" if crossing else "0.9", lw=0.8,
                   ls="-" if crossing else ":")
    for trip in table.trips:
        xs, ys = [], []
        for st in trip.stops:
            if st.station_id in positions:
                xs += [st.arrival_s / 3600, st.departure_s / 3600]
                ys += [positions[st.station_id]] * 2
        if len(xs) < 4:
            continue
        freight = trip.kind == "freight"
        ax.plot(xs, ys, color="tab:brown" if freight else
                ("tab:blue" if trip.direction == 0 else "tab:red"),
                lw=1.6 if freight else 1.1, ls="--" if freight else "-")
    labels = []
    for s, km in positions.items():
        if s in plan.network.stations:
            labels.append(plain(f"{plan.network.stations[s].name} ({km:.1f})"))
        else:
            line, _, at = s.partition("@")
            labels.append(f"loop {line} km {at} ({km:.1f})")
    ax.set_yticks(list(positions.values()), labels)
    ax.set_xlim(start_h, end_h)
    ax.set_xlabel("time of day [h]")
    ax.set_ylabel("station (km along the route)")
    ax.set_title(f"{plain(plan.scenario.title or plan.scenario.name)}: {day_type} timetable\n"
                 "blue/red: passenger trains each way; brown dashed: freight; "
                 "solid grey lines: crossing points", fontsize=10)
    ax.grid(axis="x", color="0.92")
    return fig
