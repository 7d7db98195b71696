"""Money charts of one scenario: cumulative cash flow, investment, operating cost, subsidy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import (
    axes,
    label,
    number_axis,
    ok_rows,
    patch_limits_at_once,
    scenario_bars,
    wrap,
)
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_ITEMS = 10
"""Investment items shown one by one; the rest are summed as 'other items'."""


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and bool(frame[column].notna().any())


def cumulative_cashflow(cashflows: pd.DataFrame, lang: str = "en",
                        ax: Axes | None = None) -> Figure:
    """Running total of the discounted net cash flow by year: financial and societal lines.

    Where a line ends above zero the scenario pays back within the appraisal period.
    """
    fig, ax = axes(ax)
    years = cashflows["year"]
    for column, key, colour in (("discounted_net_financial_eur", "financial", "tab:blue"),
                                ("discounted_net_societal_eur", "societal", "tab:green")):
        if _has(cashflows, column):
            running = cashflows[column].fillna(0).cumsum() / 1e6
            ax.plot(years, running, color=colour, lw=2, label=text(key, lang))
            ax.annotate(numfmt.meur(running.iloc[-1] * 1e6, lang), (years.iloc[-1],
                        running.iloc[-1]), xytext=(4, 0), textcoords="offset points",
                        va="center", color=colour, fontsize=9,
                        annotation_clip=False)  # the line's end: inside the axes
    ax.axhline(0, color="0.3", lw=0.8)
    label(ax, text("cumulative_title", lang), text("year", lang),
          text("meur_discounted", lang))
    number_axis(ax, lang)
    ax.grid(color="0.92")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=9)
    return fig


def capex_breakdown(capex: pd.DataFrame, lang: str = "en", total_eur: float | None = None,
                    ax: Axes | None = None) -> Figure:
    """Horizontal bars of investment by item, largest first (M€).

    ``total_eur`` is the scenario's capex_total_eur KPI: contingency and the cost-risk
    multiplier are applied to the sum of the items, so the difference gets its own bar
    and the title agrees with the headline figure.
    """
    import pandas as pd

    fig, ax = axes(ax, (8.0, 5.0))
    names = capex["description"].where(capex["description"].notna(), capex["item_id"])
    by_item = capex.groupby(names.astype(str), sort=False)["cost_eur"].sum()
    by_item = by_item[by_item != 0].sort_values(ascending=False)
    items_sum = float(capex["cost_eur"].sum())
    if total_eur is not None and total_eur - items_sum > 0.005 * abs(total_eur):
        by_item = pd.concat([by_item, pd.Series({text("contingency", lang):
                                                 total_eur - items_sum})])
        by_item = by_item.sort_values(ascending=False)
    if len(by_item) > MAX_ITEMS:
        rest = by_item.iloc[MAX_ITEMS - 1:].sum()
        by_item = pd.concat([by_item.iloc[:MAX_ITEMS - 1],
                             pd.Series({text("other_items", lang): rest})])
    values = by_item.iloc[::-1] / 1e6  # largest at the top
    with patch_limits_at_once(ax):
        bars = ax.barh([wrap(n, 40) for n in values.index], values.to_numpy(),
                       color="tab:orange")
    ax.bar_label(bars, labels=[numfmt.meur(v * 1e6, lang) for v in values], padding=3,
                 fontsize=8, annotation_clip=False)  # as scenario_bars' labels
    ax.margins(x=0.15)
    total = numfmt.meur(items_sum if total_eur is None else total_eur, lang)
    label(ax, text("capex_title", lang, total=total), text("meur", lang), text("item", lang))
    number_axis(ax, lang, "x")
    return fig


def opex_revenue(cashflows: pd.DataFrame, lang: str = "en", ax: Axes | None = None) -> Figure:
    """Operating cost and fare revenue side by side for each operating year (M€/yr)."""
    import numpy as np

    fig, ax = axes(ax)
    revenue = (cashflows["revenue_eur"] if "revenue_eur" in cashflows
               else cashflows["opex_eur"] * 0).fillna(0)
    running = cashflows[(cashflows["opex_eur"].fillna(0) != 0) | (revenue != 0)]
    x = np.arange(len(running))
    width = 0.42
    with patch_limits_at_once(ax):
        ax.bar(x - width / 2, running["opex_eur"].fillna(0) / 1e6, width, color="tab:red",
               label=text("operating_cost", lang))
        ax.bar(x + width / 2, revenue.loc[running.index] / 1e6, width, color="tab:blue",
               label=text("revenue", lang))
    step = max(1, len(running) // 10)  # about ten year labels, not thirty
    ax.set_xticks(x[::step], [str(y) for y in running["year"].iloc[::step]])
    label(ax, text("opex_revenue_title", lang), text("year", lang), text("meur_year", lang))
    number_axis(ax, lang)
    ax.grid(axis="y", color="0.92")
    ax.margins(y=0.2)  # headroom so the legend does not sit on the bars
    ax.legend(fontsize=9, ncols=2, loc="upper center")
    return fig


def subsidy_per_passenger(summary: pd.DataFrame, lang: str = "en",
                          highlight: str | None = None, ax: Axes | None = None) -> Figure:
    """Bars of the public subsidy per passenger trip, one per scenario (summary.csv rows).

    ``highlight`` (a scenario id) is drawn darker, for the chart in that scenario's folder.
    """
    fig, ax = axes(ax)
    rows = ok_rows(summary, ["subsidy_per_passenger_eur"])
    values = rows["subsidy_per_passenger_eur"].astype(float)
    colours = ["tab:purple" if s == highlight or highlight is None else "thistle"
               for s in rows["scenario"]]
    scenario_bars(ax, rows, list(values), colours, [numfmt.eur(v, lang) for v in values], lang)
    ax.axhline(0, color="0.3", lw=0.8)
    label(ax, text("subsidy_title", lang), text("scenario", lang), text("eur_per_trip", lang))
    return fig
