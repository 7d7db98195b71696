"""Comparison charts across the scenarios of a batch (rows of summary.csv)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, label, number_axis, ok_rows, plain, scenario_bars, wrap
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def capex_vs_passengers(summary: pd.DataFrame, lang: str = "en",
                        ax: Axes | None = None) -> Figure:
    """Each scenario as a point: investment against weekday passengers."""
    fig, ax = axes(ax)
    rows = ok_rows(summary, ["capex_total_eur", "passengers_daily"])
    x = rows["passengers_daily"].astype(float)
    y = rows["capex_total_eur"].astype(float) / 1e6
    ax.scatter(x, y, s=60, color="tab:orange", edgecolor="0.3", zorder=3)
    y_max = float(y.max()) if len(y) else 0.0
    ax.set_ylim(0, y_max * 1.15 if y_max > 0 else 1.0)
    # The names stand in a column right of every point, in the order of the points'
    # heights and clear of each other, each joined to its point by a thin line: no name
    # covers a point or another name, however close the options lie.
    x_max = float(x.max()) if len(x) else 1.0
    column = x_max * 1.1 if x_max > 0 else 1.0
    ax.set_xlim(0, column + 0.75 * x_max if x_max > 0 else 2.0)
    names, heights, font_pt = _label_layout(ax, list(y), _titles(rows), fig.get_figheight())
    for (xi, yi), name, at in zip(zip(x, y, strict=True), names, heights, strict=True):
        ax.annotate(name, (xi, yi), xytext=(column, at),
                    textcoords=("data", "axes fraction"), fontsize=font_pt, va="center",
                    linespacing=1.1, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": "0.65", "lw": 0.6,
                                "shrinkA": 2, "shrinkB": 4})
    label(ax, text("capex_vs_pax_title", lang), text("passengers_daily", lang),
          text("capex_axis", lang))
    number_axis(ax, lang, "x")
    number_axis(ax, lang, "y")
    # passenger ticks only under the points, not under the names' column
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= max(x_max, 1.0) * 1.05])
    ax.set_xlim(0, column + 0.75 * x_max if x_max > 0 else 2.0)
    ax.grid(color="0.92")
    return fig


_SPOTS: tuple[tuple[float, float, str], ...] = (
    (6, 4, "left"), (6, -12, "left"), (-6, 4, "right"), (-6, -12, "right"), (6, 14, "left"),
    (6, -22, "left"))
"""Where a point's name may stand: offset [pt] and alignment, in order of preference."""


def _free_spots(ax: Axes, points: list[tuple[float, float]], names: list[str],
                font_pt: float) -> list[tuple[float, float, str]]:
    """For each point, the first spot of :data:`_SPOTS` whose name covers neither a name
    placed before nor another point (text sizes estimated: 0.6 × the font size a
    character; the axes' scales and limits must be set)."""
    scale = ax.get_figure().dpi / 72  # type: ignore[union-attr]
    at = ax.transData.transform(points) / scale  # in points
    placed: list[tuple[float, float, float, float]] = []
    chosen: list[tuple[float, float, str]] = []
    for k, name in enumerate(names):
        width, height = 0.6 * font_pt * len(name), 1.2 * font_pt
        pick = _SPOTS[0]
        for spot in _SPOTS:
            dx, dy, align = spot
            x0 = at[k][0] + dx - (width if align == "right" else 0)
            box = (x0, at[k][1] + dy, x0 + width, at[k][1] + dy + height)
            clear = all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]
                        for b in placed)
            free = all(not (box[0] - 4 <= px <= box[2] + 4 and box[1] - 4 <= py <= box[3] + 4)
                       for j, (px, py) in enumerate(at) if j != k)
            if clear and free:
                pick = spot
                break
        dx, dy, align = pick
        x0 = at[k][0] + dx - (width if align == "right" else 0)
        placed.append((x0, at[k][1] + dy, x0 + width, at[k][1] + dy + height))
        chosen.append(pick)
    return chosen


def _titles(rows: pd.DataFrame) -> list[str]:
    """The scenarios' titles (their ids where a title is missing), whole."""
    return [t if isinstance(t := row.get("title"), str) and t.strip() else str(row["scenario"])
            for _, row in rows.iterrows()]


def _chart_name(title: str, width: int = 32, lines: int = 4) -> str:
    """A title on at most ``lines`` lines of ``width`` characters (cut with … beyond)."""
    wrapped = wrap(" ".join(title.split()), width).split("\n")
    if len(wrapped) > lines:
        wrapped = [*wrapped[:lines - 1], wrapped[lines - 1][:width - 1] + "…"]
    return "\n".join(wrapped)


def _label_layout(ax: Axes, y: list[float], titles: list[str], fig_height_in: float
                  ) -> tuple[list[str], list[float], float]:
    """The points' names, where they stand (centres, as fractions of the axes' height)
    and their font size: in the order of the points' heights, as near each point as the
    others allow, none overlapping another and all inside the axes. Many names get
    fewer lines (cut with …) and a smaller font, down to one line at 5 pt. Names are
    sized against axes of 60 % of the figure's height, less than the layout leaves
    them: on the real axes they only have more room."""
    low, high = ax.get_ylim()
    room_pt = 0.6 * fig_height_in * 72
    point = [(v - low) / (high - low) for v in y]
    for lines, font_pt in itertools.product((4, 3, 2, 1), (7.5, 6.5, 5.5, 5.0)):
        names = [_chart_name(t, lines=lines) for t in titles]
        # a line takes about 1.4 × the font size (ascent, descent, spacing), plus a gap
        size = [((n.count("\n") + 1) * font_pt * 1.4 + 3) / room_pt for n in names]
        if sum(size) <= 1:
            break
    order = sorted(range(len(y)), key=lambda k: point[k])
    centre = [0.0] * len(y)
    top = 0.0  # each name above the one below it ...
    for k in order:
        centre[k] = max(point[k], top + size[k] / 2)
        top = centre[k] + size[k] / 2
    ceiling = 1.0  # ... and below the one above it and the axes' top
    for k in reversed(order):
        centre[k] = min(centre[k], ceiling - size[k] / 2)
        ceiling = centre[k] - size[k] / 2
    return names, centre, font_pt


def npv_societal_bars(summary: pd.DataFrame, lang: str = "en",
                      ax: Axes | None = None) -> Figure:
    """Societal net present value per scenario; green above zero, red below."""
    fig, ax = axes(ax)
    rows = ok_rows(summary, ["npv_societal_eur"])
    values = rows["npv_societal_eur"].astype(float)
    colours = ["tab:green" if v >= 0 else "tab:red" for v in values]
    scenario_bars(ax, rows, list(values / 1e6), colours, [numfmt.meur(v, lang) for v in values],
                  lang)
    ax.axhline(0, color="0.3", lw=0.8)
    label(ax, text("npv_bars_title", lang), text("scenario", lang), text("npv_axis", lang))
    return fig


def bcr_bars(summary: pd.DataFrame, lang: str = "en", ax: Axes | None = None) -> Figure:
    """Benefit–cost ratio per scenario against the break-even line at 1."""
    fig, ax = axes(ax)
    rows = ok_rows(summary, ["bcr"])
    values = rows["bcr"].astype(float)
    scenario_bars(ax, rows, list(values), ["tab:green" if v >= 1 else "tab:red" for v in values],
                  [numfmt.number(v, 2, lang) for v in values], lang)
    ax.axhline(1, color="0.2", ls="--", lw=1, label=text("break_even", lang))
    ax.legend(fontsize=9)
    label(ax, text("bcr_title", lang), text("scenario", lang), text("bcr_axis", lang))
    return fig


def validation_scatter(validation: pd.DataFrame, lang: str = "en",
                       ax: Axes | None = None) -> Figure:
    """Back-casts: predicted against observed passengers per station count (log scales),
    with the 1:1 line and the bands of a factor 1.5 and 2; calibration counts filled."""
    import numpy as np
    from matplotlib.ticker import LogLocator, NullFormatter

    fig, ax = axes(ax, (6.5, 5.5))
    rows = validation.dropna(subset=["observed", "predicted"])
    observed = rows["observed"].astype(float)
    predicted = rows["predicted"].astype(float)
    low = float(min(observed.min(), predicted.min())) / 2.5
    high = float(max(observed.max(), predicted.max())) * 2.5
    line = np.array([low, high])
    ax.plot(line, line, color="0.3", lw=1, label=text("validation_equal", lang))
    for factor, style in ((1.5, ":"), (2.0, "--")):
        ax.plot(line, line * factor, color="0.6", lw=0.8, ls=style,
                label=text("validation_factor", lang, factor=numfmt.number(factor, 1, lang)))
        ax.plot(line, line / factor, color="0.6", lw=0.8, ls=style)
    for use, marker, colour in (("calibration", "o", "tab:blue"), ("held_out", "s", "white")):
        mine = rows[rows["use"] == use]
        ax.scatter(mine["observed"].astype(float), mine["predicted"].astype(float), s=60,
                   marker=marker, color=colour, edgecolor="tab:blue", zorder=3,
                   label=text(f"validation_{use}", lang))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    points = list(zip(observed, predicted, strict=True))
    names = [plain(f"{row['station_name']} {int(row['year'])}") for _, row in rows.iterrows()]
    for (x, y), name, (dx, dy, align) in zip(points, names,
                                             _free_spots(ax, points, names, 8), strict=True):
        ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=8,
                    ha=align, annotation_clip=False)  # every count is inside the limits
    for which in ("x", "y"):
        axis = ax.xaxis if which == "x" else ax.yaxis
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_minor_formatter(NullFormatter())
        number_axis(ax, lang, which)
    label(ax, text("validation_title", lang), text("validation_observed", lang),
          text("validation_predicted", lang))
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(color="0.92", which="both")
    return fig
