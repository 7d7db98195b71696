"""Shared chart plumbing: figures, axes, number formatters, saving.

Figures are made as :class:`matplotlib.figure.Figure` objects, not through pyplot: they
need no backend and no display (batch workers, the CLI), saving picks the file format's
renderer, and importing railsim.plot leaves the caller's backend alone (a notebook's
inline charts keep working). Nothing here calls ``matplotlib.use``.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from railsim import numfmt

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

FORMATS = ("png", "svg")


def axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.5)) -> tuple[Figure, Axes]:
    """The given axes and their figure, or a new figure with one axes."""
    if ax is None:
        fig = Figure(figsize=size, layout="constrained")
        return fig, fig.subplots()
    return ax.get_figure(), ax  # type: ignore[return-value]


def tick_number(value: float, lang: str) -> str:
    """A tick label with only the decimals the tick needs (2.5 → '2,5' in Finnish)."""
    for decimals in (0, 1, 2):
        if abs(value - round(value, decimals)) < 1e-9:
            return numfmt.number(value, decimals, lang)
    return numfmt.number(value, 2, lang)


def number_axis(ax: Axes, lang: str, which: str = "y") -> None:
    """Ticks with thousands separators (and decimal comma in Finnish)."""
    formatter = FuncFormatter(lambda value, _pos: tick_number(value, lang))
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(formatter)


def count_axis(ax: Axes, lang: str) -> None:
    """A y axis of counts (days, draws): whole numbers only, grouped thousands."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    number_axis(ax, lang)


def label(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def plain(text: object) -> str:
    """Text from users or data as matplotlib shows it literally: a ``$`` is a dollar sign,
    not the start of mathtext (a title "$x_$" would otherwise break every chart).

    >>> print(plain("cost $5 or $x^2$"))
    cost \\$5 or \\$x^2\\$
    """
    return str(text).replace("$", r"\$")


def wrap(name: str, width: int = 28) -> str:
    """Long scenario or station names on several lines so tick labels stay readable; the
    result is :func:`plain` text."""
    return plain("\n".join(textwrap.wrap(str(name), width)) or str(name))


def scenario_names(summary: pd.DataFrame) -> list[str]:
    """Display names: the title where there is one, else the scenario id."""
    names = []
    for _, row in summary.iterrows():
        title = row.get("title")
        # about 18 characters fit under a bar of a five-scenario chart at 8 pt; four
        # lines at most
        name = title if isinstance(title, str) and title.strip() else str(row["scenario"])
        names.append(wrap(name if len(name) <= 72 else name[:71] + "…", 18))
    return names


def ok_rows(summary: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Scenarios that ran and have numbers in ``columns`` (failed ones have no KPIs).

    A scenario skipped as unchanged by a rerun has its results: it is shown.
    """
    frame = summary
    if "status" in frame:
        frame = frame[frame["status"].fillna("ok").isin(["ok", "skipped"])]
    for column in columns:
        if column not in frame:
            return frame.iloc[0:0]
        frame = frame[frame[column].notna()]
    return frame


def scenario_bars(ax: Axes, rows: pd.DataFrame, heights: Sequence[float],
                  colours: Sequence[str], labels: Sequence[str], lang: str) -> None:
    """One labelled bar per scenario, with room above the bars for their labels."""
    bars = ax.bar(scenario_names(rows), list(heights), color=list(colours))
    ax.bar_label(bars, labels=list(labels), padding=2, fontsize=9)
    ax.margins(y=0.15)
    number_axis(ax, lang)
    ax.tick_params(axis="x", labelsize=8)
    count = len(rows)
    if 0 < count < 4:  # keep one or two bars from spanning the whole chart like a wall
        pad = (4 - count) / 2
        ax.set_xlim(-0.5 - pad, count - 0.5 + pad)


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg``, then close the figure (batch jobs draw many)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for fmt in FORMATS:
            path = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(path, dpi=110)
            written.append(path)
    finally:
        close(fig)
    return written


def close(fig: Figure) -> None:
    """Let go of a figure. Ours are freed with their last reference; one drawn on axes
    the caller made with pyplot also leaves pyplot's list of open figures."""
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here just to close
    if pyplot is not None:
        pyplot.close(fig)
