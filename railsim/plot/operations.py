"""Operations charts from the simulation: punctuality over the simulated days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, count_axis, label, number_axis, patch_limits_at_once
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def punctuality_distribution(replications: pd.DataFrame, lang: str = "en",
                             ax: Axes | None = None) -> Figure:
    """Histogram of the daily share of arrivals under 3 min late, with the mean marked."""
    fig, ax = axes(ax)
    values = replications["punctuality_3min_pct"].dropna().astype(float)
    with patch_limits_at_once(ax):
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
