"""Uncertainty charts: the spread of net present value and the tornado of key inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.plot.base import axes, count_axis, label, number_axis, patch_limits_at_once, wrap
from railsim.plot.labels import text
from railsim.texts.names import input_name

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def npv_distribution(draws: pd.DataFrame, column: str = "npv_societal_eur", lang: str = "en",
                     ax: Axes | None = None) -> Figure:
    """Histogram of the net present value over the Monte Carlo draws, with p10, p50, p90.

    The share of the histogram right of zero is the chance the scenario pays off.
    """
    import numpy as np

    fig, ax = axes(ax)
    values = draws[column].dropna().astype(float).to_numpy() / 1e6
    with patch_limits_at_once(ax):
        ax.hist(values, bins=min(40, max(5, len(values) // 10)), color="tab:cyan",
                edgecolor="white")
    for row, (q, style) in enumerate(((10, ":"), (50, "-"), (90, ":"))):
        at = float(np.percentile(values, q)) if len(values) else 0.0
        ax.axvline(at, color="tab:blue", ls=style, lw=1.5)
        ax.annotate(f"p{q}: {numfmt.meur(at * 1e6, lang)}", (at, 1), xycoords=("data",
                    "axes fraction"), xytext=(3, -12 * (row + 1)), textcoords="offset points",
                    fontsize=8, color="tab:blue",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.axvline(0, color="0.3", lw=0.8)
    label(ax, text(column if column in ("npv_societal_eur", "npv_financial_eur")
                   else "npv_societal_eur", lang), text("npv_axis", lang), text("draws", lang))
    number_axis(ax, lang, "x")
    count_axis(ax, lang)
    return fig


def _value(value: float, lang: str) -> str:
    """An input's low or high value with the decimals its size needs (0.037 → '0.04')."""
    return numfmt.number(value, numfmt.auto_decimals(value), lang)


def _range(low: float, high: float, lang: str) -> str:
    """An input's range: '0,04–0,36' (an en dash, no spaces), '−6,4 … 6,4' where a
    minus sign would stand next to the dash.

    >>> _range(0.037, 0.36, "fi"), _range(-6.4, 6.4, "en")
    ('0,04–0,36', '−6.4 … 6.4')
    """
    sep = " … " if min(low, high) < 0 else "–"
    return f"{_value(low, lang)}{sep}{_value(high, lang)}"


def tornado(table: pd.DataFrame, lang: str = "en", ax: Axes | None = None) -> Figure:
    """Societal NPV with each input at its low and high value; widest swing at the top."""
    fig, ax = axes(ax, (8.0, 5.0))
    frame = table.assign(swing=(table["npv_societal_high_eur"]
                                - table["npv_societal_low_eur"]).abs())
    frame = frame.sort_values("swing")  # barh draws bottom-up: widest ends on top
    base = float(frame["base_npv_societal_eur"].iloc[0]) / 1e6 if len(frame) else 0.0
    names = [f"{wrap(input_name(str(name), lang), 30)}\n({_range(float(lo), float(hi), lang)})"
             for name, lo, hi in zip(frame["input"], frame["low_value"], frame["high_value"],
                                     strict=True)]
    low = frame["npv_societal_low_eur"].to_numpy() / 1e6 - base
    high = frame["npv_societal_high_eur"].to_numpy() / 1e6 - base
    with patch_limits_at_once(ax):
        ax.barh(names, low, left=base, color="tab:orange", label=text("low_input", lang))
        ax.barh(names, high, left=base, color="tab:blue", label=text("high_input", lang))
    ax.axvline(base, color="0.2", lw=1, label=f"{text('base', lang)}: "
               f"{numfmt.meur(base * 1e6, lang)}")
    label(ax, text("tornado_title", lang), text("tornado_axis", lang), text("input", lang))
    number_axis(ax, lang, "x")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(fontsize=8, loc="lower right")
    return fig
