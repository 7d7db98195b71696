"""Time–distance ("string line") diagram of a timetable, from its result tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, clock_axis, label
from railsim.plot.labels import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _km(at: str, lang: str) -> str:
    """A timing point's km ('18.7' in its id) in the reader's format."""
    try:
        value = float(at)
    except ValueError:
        return at
    return numfmt.number(value, 0 if value == int(value) else 1, lang)


def time_distance(stop_times: pd.DataFrame, trips: pd.DataFrame,
                  names: dict[str, str] | None = None, lang: str = "en",
                  day_type: str = "weekday", ax: Axes | None = None,
                  start_h: float | None = None, end_h: float | None = None) -> Figure:
    """String-line diagram from the result tables (stop_times.csv and timetable.csv).

    ``names`` maps station ids to display names. The vertical axis follows the longest
    passenger trip; other trips are drawn where they share its stations and crossing
    points. Crossings on single track show as trains meeting at a grey line.
    ``start_h`` and ``end_h`` limit the hours shown (a plan gives the tables too:
    ``plan.stop_times_frame()`` and ``plan.trips_frame()``).
    """
    fig, ax = axes(ax, size=(12, 5.5))
    names = names or {}
    day = trips[trips["day_type"] == day_type]
    passenger = day[day["kind"] == "passenger"]
    if passenger.empty:
        raise ValueError(f"no {day_type} passenger trips")
    longest = passenger.sort_values("distance_km", ascending=False).iloc[0]["trip_id"]
    axis_stops = stop_times[stop_times["trip_id"] == longest].sort_values("stop_sequence")
    position = dict(zip(axis_stops["station_id"], axis_stops["km"].astype(float), strict=True))
    for station, km in position.items():
        ax.axhline(km, color="0.8" if "@" in station else "0.88", lw=0.7)
    kinds = dict(zip(day["trip_id"], day["kind"], strict=True))
    directions = dict(zip(day["trip_id"], day["direction"], strict=True))
    drawn: set[str] = set()
    for trip_id, stops in stop_times[stop_times["trip_id"].isin(kinds)].groupby("trip_id"):
        stops = stops.sort_values("stop_sequence")
        on_axis = stops[stops["station_id"].isin(position)]
        if len(on_axis) < 2:
            continue
        xs: list[float] = []
        ys: list[float] = []
        for station, arrival, departure in zip(on_axis["station_id"], on_axis["arrival_s"],
                                               on_axis["departure_s"], strict=True):
            xs += [float(arrival) / 3600, float(departure) / 3600]
            ys += [position[str(station)]] * 2
        freight = kinds[trip_id] == "freight"
        key = "freight_trains" if freight else "passenger_trains"
        ax.plot(xs, ys, lw=1.4 if freight else 1.0, ls="--" if freight else "-",
                color="tab:brown" if freight else
                ("tab:blue" if directions[trip_id] == 0 else "tab:red"),
                label=None if key in drawn else text(key, lang))
        drawn.add(key)
    labels = []
    for station, km in position.items():
        line, _, at = station.partition("@")
        name = (f"{text('loop', lang)} {line} km {_km(at, lang)}" if at
                else names.get(station, station))
        labels.append(f"{name} ({numfmt.number(km, 1, lang)})")
    ax.set_yticks(list(position.values()), labels, fontsize=8)
    ax.legend(fontsize=8, loc="upper right")
    if start_h is not None or end_h is not None:
        ax.set_xlim(start_h, end_h)
    clock_axis(ax, lang)
    label(ax, text(f"string_title_{day_type}", lang), text("time_of_day", lang),
          text("along_route", lang))
    return fig
