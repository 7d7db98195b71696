"""Time–distance ("string line") diagram of a timetable, from its result tables.

Times are clock times (06:30; in Finnish 6.30; after midnight from 00:00 again); stations
and loops are labelled with their kilometre from Lahti, as the scenario gives them (a
through route runs through Lahti at 0: one line above it, the other below); labels that
would overlap are spread apart and joined to their station by a leader line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, clock, label, plain
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATION_LABEL = "station-label"
"""``gid`` of the station labels (texts beside the distance axis)."""
LABEL_FONT_PT = 8.0
LEADER_FROM = 0.031
"""Where a station label's leader line starts, left of the axis [axes width]: a few
points right of its label, which ends at 0.035."""


def spread(positions: list[float], gap: float) -> list[float]:
    """Label positions at least ``gap`` apart, in the same order, as close to their own
    positions as possible (least squares): runs of crowded labels are centred on their
    stations.

    >>> spread([0.0, 10.0, 10.5, 11.0], 2.0)
    [0.0, 8.5, 10.5, 12.5]
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    groups: list[list[int]] = []  # runs of labels set gap apart, each run centred
    for i in order:
        groups.append([i])
        while len(groups) > 1:
            a, b = groups[-2], groups[-1]
            if _start(a, positions, gap) + len(a) * gap <= _start(b, positions, gap) + 1e-12:
                break
            groups[-2:] = [a + b]
    out = [0.0] * len(positions)
    for group in groups:
        start = _start(group, positions, gap)
        for k, i in enumerate(group):
            out[i] = start + k * gap
    return out


def _start(group: list[int], positions: list[float], gap: float) -> float:
    return sum(positions[i] - k * gap for k, i in enumerate(group)) / len(group)


def _from_lahti(axis_stops: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """station → (position on the axis, km from Lahti): km from Lahti on each line, the
    part of a through route before Lahti above it and the rest below."""
    out: dict[str, tuple[float, float]] = {}
    sign = 1.0
    stations = [str(s) for s in axis_stops["station_id"]]
    through = "LH" in stations[1:-1]
    for station, km in zip(stations, axis_stops["line_km"].astype(float), strict=True):
        out[station] = (sign * km if through else km, km)
        if station == "LH":
            sign = -1.0
    return out


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
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    fig, ax = axes(ax, size=(12, 5.5))
    names = names or {}
    day = trips[trips["day_type"] == day_type]
    passenger = day[day["kind"] == "passenger"]
    if passenger.empty:
        raise ValueError(f"no {day_type} passenger trips")
    longest = passenger.sort_values("distance_km", ascending=False).iloc[0]["trip_id"]
    axis_stops = stop_times[stop_times["trip_id"] == longest].sort_values("stop_sequence")
    placed = _from_lahti(axis_stops)
    position = {station: y for station, (y, _) in placed.items()}
    for station, y in position.items():
        ax.axhline(y, color="0.8" if "@" in station else "0.88", lw=0.7)
    kinds = dict(zip(day["trip_id"], day["kind"], strict=True))
    directions = dict(zip(day["trip_id"], day["direction"], strict=True))
    # One line per kind of train, its trips apart by a gap (NaN): a line per trip cost
    # about half the chart's drawing time, and the picture is the same.
    styles: dict[tuple[str, int], tuple[list[float], list[float]]] = {}
    # the stops on the axis of every trip of the day, trip by trip (in the order of their
    # ids) in stop order: sorted once, not a frame per trip (that was half the chart's
    # building)
    on_axis = stop_times[stop_times["trip_id"].isin(kinds)
                         & stop_times["station_id"].isin(position)]
    on_axis = on_axis.sort_values(["trip_id", "stop_sequence"], kind="stable")
    trip_ids = on_axis["trip_id"].tolist()
    stops = list(zip(on_axis["station_id"], on_axis["arrival_s"], on_axis["departure_s"],
                     strict=True))
    start = 0
    while start < len(trip_ids):
        trip_id = trip_ids[start]
        end = start + 1
        while end < len(trip_ids) and trip_ids[end] == trip_id:
            end += 1
        trip, start = stops[start:end], end
        if len(trip) < 2:
            continue
        freight = kinds[trip_id] == "freight"
        xs, ys = styles.setdefault(("freight", 0) if freight
                                   else ("passenger", int(directions[trip_id])), ([], []))
        if xs:
            xs.append(float("nan"))
            ys.append(float("nan"))
        for station, arrival, departure in trip:
            xs += [float(arrival) / 3600, float(departure) / 3600]
            ys += [position[str(station)]] * 2
    drawn: set[str] = set()
    for (kind, direction), (xs, ys) in styles.items():
        freight = kind == "freight"
        key = "freight_trains" if freight else "passenger_trains"
        ax.plot(xs, ys, lw=1.4 if freight else 1.0, ls="--" if freight else "-",
                color="tab:brown" if freight else ("tab:blue" if direction == 0 else "tab:red"),
                label=None if key in drawn else text(key, lang))
        drawn.add(key)
    ax.legend(fontsize=8, loc="upper right")
    if start_h is not None or end_h is not None:
        ax.set_xlim(start_h, end_h)
    lo, hi = ax.get_xlim()
    span = hi - lo
    ax.xaxis.set_major_locator(MultipleLocator(1.0 if span > 8 else 0.5 if span > 3 else 0.25))
    # clock times as each language writes them (06:30, 6.30), from midnight again after it
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: clock(value, lang)))
    ax.tick_params(axis="x", labelsize=8)
    label(ax, text(f"string_title_{day_type}", lang), text("time_of_day", lang),
          text("along_route", lang))
    _station_labels(fig, ax, placed, names, lang)
    return fig


def _station_labels(fig: Figure, ax: Axes, placed: dict[str, tuple[float, float]],
                    names: dict[str, str], lang: str) -> None:
    """Labels left of the axis at spread positions, with a leader line to each station."""
    from matplotlib.transforms import blended_transform_factory

    ys = [y for y, _ in placed.values()]
    pad = 0.04 * (max(ys) - min(ys) or 1.0)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_yticks(ys, [""] * len(ys))
    bottom, top = ax.get_ylim()
    height_pt = fig.get_figheight() * 72 * ax.get_position().height
    gap = (top - bottom) * LABEL_FONT_PT * 1.5 / height_pt  # a line of text and a margin
    texts = []
    for station, (_, km) in placed.items():
        line, _, at = station.partition("@")
        name = f"{text('loop', lang)} {line}" if at else names.get(station, station)
        texts.append(plain(f"{name} ({numfmt.number(km, 1, lang)})"))
    spots = spread(ys, gap)
    # the leader lines and labels sit in axes coordinates across, data coordinates up;
    # the lines are one line with gaps (arrows of annotations are clipped to their text
    # by bisection: that was a fifth of the chart's time)
    where = blended_transform_factory(ax.transAxes, ax.transData)
    leaders: list[float] = []
    ups: list[float] = []
    for words, y, spot in zip(texts, ys, spots, strict=True):
        ax.text(-0.035, spot, words, transform=where, ha="right", va="center",
                fontsize=LABEL_FONT_PT, gid=STATION_LABEL)
        leaders += [-LEADER_FROM, 0.0, float("nan")]
        ups += [spot, y, float("nan")]
    ax.plot(leaders, ups, transform=where, color="0.6", lw=0.6, clip_on=False)
    ax.yaxis.labelpad = max(60.0, 5.2 * max(len(t) for t in texts))
