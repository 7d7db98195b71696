"""Ridership charts: boardings and alightings by station."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim.plot.base import axes, label, number_axis, patch_limits_at_once, plain
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def boardings_by_station(ridership: pd.DataFrame, lang: str = "en",
                         ax: Axes | None = None) -> Figure:
    """Weekday boardings and alightings per station, busiest station on top."""
    import numpy as np

    frame = ridership.sort_values("boardings_daily")
    fig, ax = axes(ax, (8.0, max(3.0, 0.45 * len(frame) + 1.5)))
    y = np.arange(len(frame))
    height = 0.4
    names = frame["station_name"].where(frame["station_name"].notna(), frame["station_id"])
    with patch_limits_at_once(ax):
        ax.barh(y + height / 2, frame["boardings_daily"], height, color="tab:blue",
                label=text("boardings", lang))
        if "alightings_daily" in frame:
            ax.barh(y - height / 2, frame["alightings_daily"], height,
                    color="lightsteelblue", label=text("alightings", lang))
    ax.set_yticks(y, [plain(n) for n in names])
    label(ax, text("boardings_title", lang), text("persons_day", lang), text("station", lang))
    number_axis(ax, lang, "x")
    ax.grid(axis="x", color="0.92")
    ax.legend(fontsize=9, loc="lower right")
    return fig
