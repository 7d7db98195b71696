"""Map of the lines with stations and their catchments (plain matplotlib, no web tiles).

Coordinates are EPSG:3067 (ETRS-TM35FIN) metres, drawn in km with equal aspect so
distances on the map are true; there are no background tiles because runs are offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, label, number_axis, patch_limits_at_once, plain
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

POPULATION_COLUMNS = ("population_walk", "population_feeder", "population_park_and_ride")
MARKER_AREA_PER_RESIDENT = 0.02
"""Marker area (pt²) per catchment resident: 5 000 residents → a 100 pt² marker."""


def _radius_label(metres: float, lang: str) -> str:
    return f"{numfmt.number(metres / 1000, 1 if metres % 1000 else 0, lang)} km"


def line_map(network: pd.DataFrame, lang: str = "en", walk_radius_m: float = 1000.0,
             feeder_radius_m: float = 5000.0, ax: Axes | None = None) -> Figure:
    """Lines through their stations in km order, stations sized by catchment residents.

    Served stations get circles for the walking and feeder catchment radii.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    fig, ax = axes(ax, (8.0, 8.0))
    for _line_id, stops in network.groupby("line_id", sort=True):
        ordered = stops.sort_values("km_from_lahti")
        ax.plot(ordered["x_3067"] / 1000, ordered["y_3067"] / 1000, color="0.35", lw=2,
                zorder=2)
    stations = network.drop_duplicates("station_id")
    served = stations["served"].astype(str).str.lower().isin(["true", "1", "yes"])
    present = [c for c in POPULATION_COLUMNS if c in stations]
    residents = stations[present].fillna(0).sum(axis=1)
    with patch_limits_at_once(ax):  # the catchments extend the limits in one update
        for (_, row), is_served in zip(stations.iterrows(), served, strict=True):
            x, y = row["x_3067"] / 1000, row["y_3067"] / 1000
            if is_served:
                ax.add_patch(Circle((x, y), feeder_radius_m / 1000, color="tab:green",
                                    alpha=0.08, zorder=1))
                ax.add_patch(Circle((x, y), walk_radius_m / 1000, color="tab:green",
                                    alpha=0.25, zorder=1))
            # annotation_clip=False: every station is inside the axes (their limits take
            # in all), and matplotlib would test that at each measure and drawing of each
            ax.annotate(plain(row["station_name"]), (x, y), xytext=(6, 4),
                        textcoords="offset points", fontsize=8, zorder=4,
                        annotation_clip=False)
    sizes = 20 + residents * MARKER_AREA_PER_RESIDENT
    ax.scatter(stations["x_3067"][served] / 1000, stations["y_3067"][served] / 1000,
               s=sizes[served], color="tab:red", edgecolor="white", zorder=3)
    ax.scatter(stations["x_3067"][~served] / 1000, stations["y_3067"][~served] / 1000,
               s=20, color="white", edgecolor="0.4", zorder=3)
    ax.set_aspect("equal", adjustable="datalim")
    handles = [
        Line2D([], [], marker="o", ls="", color="tab:red", label=text("served", lang)),
        Line2D([], [], marker="o", ls="", color="white", markeredgecolor="0.4",
               label=text("not_served", lang)),
        Line2D([], [], marker="o", ls="", color="tab:green", alpha=0.5, markersize=12,
               label=text("walk_zone", lang, r=_radius_label(walk_radius_m, lang))),
        Line2D([], [], marker="o", ls="", color="tab:green", alpha=0.15, markersize=12,
               label=text("feeder_zone", lang, r=_radius_label(feeder_radius_m, lang))),
    ]
    ax.legend(handles=handles, fontsize=8, loc="best")
    label(ax, text("map_title", lang), text("easting", lang), text("northing", lang))
    number_axis(ax, lang, "x")
    number_axis(ax, lang, "y")
    ax.grid(color="0.94")
    return fig
