"""Operations charts from the simulation: punctuality over the simulated days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, count_axis, label, number_axis, plain
from railsim.plot.labels import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def punctuality_distribution(replications: pd.DataFrame, lang: str = "en",
                             ax: Axes | None = None) -> Figure:
    """Histogram of the daily share of arrivals under 3 min late, with the mean marked."""
    fig, ax = axes(ax)
    values = replications["punctuality_3min_pct"].dropna().astype(float)
    ax.hist(values, bins=min(30, max(5, len(values) // 5)), color="tab:green",
            edgecolor="white")
    if len(values):
        mean = float(values.mean())
        ax.axvline(mean, color="0.2", lw=1.5,
                   label=f"{text('mean', lang)}: {numfmt.percent(mean, lang, 1)}")
        ax.legend(fontsize=9, loc="upper left")
    label(ax, text("punctuality_title", lang), text("punctuality_axis", lang),
          text("days", lang))
    number_axis(ax, lang, "x")
    count_axis(ax, lang)
    return fig


def time_distance(stop_times: pd.DataFrame, trips: pd.DataFrame,
                  names: dict[str, str] | None = None, lang: str = "en",
                  day_type: str = "weekday", ax: Axes | None = None) -> Figure:
    """String-line diagram from the result tables (stop_times.csv and timetable.csv).

    The vertical axis follows the longest passenger trip; other trips are drawn where
    they share its stations and crossing points. Crossings on single track show as
    trains meeting at a grey line.
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
        name = (f"{text('loop', lang)} {line} km {at}" if at else names.get(station, station))
        labels.append(plain(f"{name} ({numfmt.number(km, 1, lang)})"))
    ax.set_yticks(list(position.values()), labels, fontsize=8)
    ax.legend(fontsize=8, loc="upper right")
    label(ax, text("string_title", lang), text("time_of_day", lang), text("along_route", lang))
    return fig
