"""Comparison charts across the scenarios of a batch (rows of summary.csv)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, label, number_axis, ok_rows, scenario_bars, scenario_names
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
    for name, xi, yi in zip(scenario_names(rows), x, y, strict=True):
        ax.annotate(name.replace("\n", " "), (xi, yi), xytext=(6, 4),
                    textcoords="offset points", fontsize=8)
    ax.margins(0.2)
    label(ax, text("capex_vs_pax_title", lang), text("passengers_daily", lang),
          text("capex_axis", lang))
    number_axis(ax, lang, "x")
    number_axis(ax, lang, "y")
    ax.grid(color="0.92")
    return fig


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
        mine = rows[rows["use"] == use].sort_values("observed")
        ax.scatter(mine["observed"].astype(float), mine["predicted"].astype(float), s=60,
                   marker=marker, color=colour, edgecolor="tab:blue", zorder=3,
                   label=text(f"validation_{use}", lang))
        for k, (_, row) in enumerate(mine.iterrows()):
            # alternate above and below, so that counts of one station do not overprint
            ax.annotate(f"{row['station_name']} {int(row['year'])}",
                        (float(row["observed"]), float(row["predicted"])),
                        xytext=(6, 4 if k % 2 == 0 else -12), textcoords="offset points",
                        fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
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
